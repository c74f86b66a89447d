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
 * await deleteDstPhase(pair, ctx, hosts);
 * ```
 */
export const deleteDstPhase: Phase = () =>
  Promise.reject(new BzfsError("deleteDstPhase is not built yet"));
