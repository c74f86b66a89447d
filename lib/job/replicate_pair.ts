/**
 * Replication of one root dataset pair: list both trees once, select datasets, then replicate
 * each selected dataset with the tree scheduler (parents before children, N in parallel,
 * retries, `--skip-on-error`).
 *
 * @module
 */
import { datasetRetryOptions, retryPolicyOf } from "./job_retry.ts";
import { datasetFilterOf, type DatasetPair } from "../cli/bzfs_config.ts";
import { BzfsError } from "../errors.ts";
import { filterDatasets } from "../filter/dataset_filter.ts";
import type { SnapshotFilterGroup } from "../filter/snapshot_filter_types.ts";
import { logger } from "../log/setup.ts";
import { withRetries } from "../sched/retry.ts";
import { resolveThreads } from "../sched/threads.ts";
import { runTree } from "../sched/tree_scheduler.ts";
import type { SnapshotRecord } from "../zfs/types.ts";
import type { JobContext, PreparedHost } from "./context.ts";
import { applyExcludeDatasetProperty } from "./exclude_property.ts";
import { listDatasets, type ListedDataset, listSnapshots } from "./listing.ts";
import {
  type DatasetOutcome,
  executePlan,
  type ForceState,
  planDataset,
} from "./replicate_dataset.ts";
import { decodeResumeToken } from "./resume_token.ts";

/** The listed state of both trees of a pair. */
interface PairState {
  readonly srcHost: PreparedHost;
  readonly dstHost: PreparedHost;
  readonly dst: Map<string, ListedDataset>;
  srcSnaps: Map<string, SnapshotRecord[]>;
  dstSnaps: Map<string, SnapshotRecord[]>;
}

/**
 * The destination dataset of a source dataset: the source root prefix replaced by the
 * destination root.
 *
 * @example
 * ```ts
 * import { dstDatasetOf } from "./replicate_pair.ts";
 * dstDatasetOf("tank/a/b/c", { src: "tank/a", dst: "backup/a" }); // "backup/a/b/c"
 * ```
 */
export function dstDatasetOf(srcDataset: string, roots: { src: string; dst: string }): string {
  return roots.dst + srcDataset.slice(roots.src.length);
}

/** Options of {@linkcode replicatePair}. */
export interface ReplicatePairOptions {
  /** `--force-once` state shared by the run. */
  readonly force: ForceState;
  /** The snapshot filter groups of the run. */
  readonly groups: readonly SnapshotFilterGroup[];
  /** The prepared source and destination hosts. */
  readonly hosts: { readonly src: PreparedHost; readonly dst: PreparedHost };
}

/**
 * Replicates one root pair.
 *
 * @example
 * ```ts ignore
 * await replicatePair(config.pairs[0], ctx, { force: { available: true }, groups, hosts });
 * ```
 * @param pair The roots.
 * @param ctx The run.
 * @param options The run's `--force-once` state, snapshot filter groups and prepared hosts.
 * @throws {BzfsError} When the source is missing, or the first dataset error after the tree ran.
 */
export async function replicatePair(
  pair: DatasetPair,
  ctx: JobContext,
  options: ReplicatePairOptions,
): Promise<void> {
  const { force, groups, hosts } = options;
  const o = ctx.config.options;
  const roots = { src: pair.src.dataset, dst: pair.dst.dataset };
  const [srcList, dstList] = await Promise.all([
    listDatasets(hosts.src, roots.src, { executor: ctx.executor, recursive: o.recursive }),
    listDatasets(hosts.dst, roots.dst, { executor: ctx.executor, recursive: o.recursive }),
  ]);
  if (srcList.length === 0) {
    throw new BzfsError(`Source dataset does not exist: ${describe(pair.src)}`);
  }
  const filter = datasetFilterOf(o, pair);
  const selected = await applyExcludeDatasetProperty(
    filterDatasets(srcList.map((d) => d.name), roots.src, { filter, skipParent: o.skipParent }),
    { host: hosts.src, root: roots.src, location: "src" },
    ctx,
  );
  const dst = new Map(dstList.map((d) => [d.name, d]));
  const dstNames = selected.map((s) => dstDatasetOf(s, roots)).filter((d) => dst.has(d));
  const [srcSnaps, dstSnaps] = await Promise.all([
    listSnapshots(hosts.src, selected, { executor: ctx.executor }),
    listSnapshots(hosts.dst, dstNames, { executor: ctx.executor }),
  ]);
  const state: PairState = { srcHost: hosts.src, dstHost: hosts.dst, dst, srcSnaps, dstSnaps };
  const workers = Math.min(
    resolveThreads(
      { number: o.threads.value, isPercent: o.threads.percent },
      hosts.src.info.cpuCount,
    ),
    resolveThreads(
      { number: o.threads.value, isPercent: o.threads.percent },
      hosts.dst.info.cpuCount,
    ),
  );
  const summary = await runTree(
    selected,
    (name) => replicateOne(name, state, roots, ctx, force, groups),
    {
      workers: o.forceOnce ? 1 : workers,
      skipOnError: o.skipOnError,
      dstExists: (name) => state.dst.has(dstDatasetOf(name, roots)),
      signal: ctx.signal,
    },
  );
  if (summary.failed.length > 0) {
    // each dataset error is logged here; the job prints the one "Tolerated N errors" summary
    const log = logger("replicate");
    for (const f of summary.failed) {
      log.error("Replication of {name} failed: {msg}", {
        name: f.name,
        msg: (f.error as Error).message ?? String(f.error),
      });
    }
    throw summary.failed[0].error;
  }
}

function describe(ep: { user?: string; host?: string; dataset: string }): string {
  return ep.host ? `${ep.user ? `${ep.user}@` : ""}${ep.host}:${ep.dataset}` : ep.dataset;
}

async function replicateOne(
  srcDataset: string,
  state: PairState,
  roots: { src: string; dst: string },
  ctx: JobContext,
  force: ForceState,
  groups: readonly SnapshotFilterGroup[],
): Promise<DatasetOutcome> {
  const o = ctx.config.options;
  const dstDataset = dstDatasetOf(srcDataset, roots);
  return await withRetries(
    async (attempt) => {
      if (attempt.count > 0) await relist(srcDataset, dstDataset, state, ctx);
      const listed = state.dst.get(dstDataset);
      const token = listed?.resumeToken && !o.noResumeRecv
        ? await decodeResumeToken(ctx.executor, state.srcHost, listed.resumeToken)
        : listed?.resumeToken
        ? { token: listed.resumeToken, toGuid: "", raw: false }
        : null;
      const plan = planDataset(
        {
          srcDataset,
          dstDataset,
          src: state.srcSnaps.get(srcDataset) ?? [],
          dst: listed ? state.dstSnaps.get(dstDataset) ?? [] : null,
          dstParentExists: state.dst.has(
            dstDataset.slice(0, Math.max(0, dstDataset.lastIndexOf("/"))),
          ),
          resumeToken: token,
        },
        ctx,
        { groups, force },
      );
      const ends = { src: state.srcHost, dst: state.dstHost, dstDataset, srcDataset };
      const outcome = await executePlan(plan, ends, ctx);
      if (plan.kind === "replicate" && !o.dryrun) state.dst.set(dstDataset, { name: dstDataset });
      return outcome;
    },
    retryPolicyOf(o),
    datasetRetryOptions(ctx, "replicate", srcDataset),
  );
}

async function relist(
  srcDataset: string,
  dstDataset: string,
  state: PairState,
  ctx: JobContext,
): Promise<void> {
  const [dstList, src] = await Promise.all([
    listDatasets(state.dstHost, dstDataset, { executor: ctx.executor, recursive: false }),
    listSnapshots(state.srcHost, [srcDataset], { executor: ctx.executor }),
  ]);
  state.srcSnaps.set(srcDataset, src.get(srcDataset) ?? []);
  if (dstList.length === 0) {
    state.dst.delete(dstDataset);
    return;
  }
  state.dst.set(dstDataset, dstList[0]);
  const dst = await listSnapshots(state.dstHost, [dstDataset], { executor: ctx.executor });
  state.dstSnaps.set(dstDataset, dst.get(dstDataset) ?? []);
}
