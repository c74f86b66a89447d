/**
 * The shape of one phase of a run for one root dataset pair (create snapshots, replicate,
 * delete, compare, monitor).
 *
 * @module
 */
import type { DatasetPair } from "../cli/bzfs_config.ts";
import type { JobContext, PreparedHost } from "./context.ts";

/** Both prepared hosts of a pair. */
export interface PairHosts {
  /** The source host. */
  readonly src: PreparedHost;
  /** The destination host. */
  readonly dst: PreparedHost;
}

/** One phase for one pair. */
export type Phase = (pair: DatasetPair, ctx: JobContext, hosts: PairHosts) => Promise<void>;
