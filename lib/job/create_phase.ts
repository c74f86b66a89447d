/**
 * Placeholder for a phase whose module is being built; its options stay in the not-built list
 * (lib/cli/unimplemented.ts), so this is never reached from the command line.
 *
 * @module
 */
import { BzfsError } from "../errors.ts";
import type { Phase } from "./phase.ts";

/**
 * Not built yet.
 *
 * @example
 * ```ts ignore
 * await createSrcSnapshotsPhase(pair, ctx, hosts);
 * ```
 */
export const createSrcSnapshotsPhase: Phase = () =>
  Promise.reject(new BzfsError("createSrcSnapshotsPhase is not built yet"));
