/**
 * The deletion phases of one root pair, in upstream order (semantics 6): list both trees once,
 * select destination datasets, then `--delete-dst-datasets`, `--delete-dst-snapshots[=...]`
 * (per dataset, parents first, with retries and `--skip-on-error`), and
 * `--delete-empty-dst-datasets` (only with `--recursive`). The decisions are the pure functions
 * of `lib/lifecycle`; this module lists, decides and runs.
 *
 * Safety rules beyond upstream: a real (non-`dummy`) source whose root does not exist stops the
 * phase (upstream would treat every destination dataset and snapshot as orphaned, so a typo in
 * the source would delete the whole destination; use `dummy` to delete by the rules alone); a
 * source dataset that disappears while its destination snapshots are examined fails that dataset
 * instead of deleting by filters alone; snapshots are destroyed only as comma lists of the
 * selected names, never as `%` ranges; a `zfs list` that failed for part of a batch is never
 * read as "empty".
 *
 * @module
 */
import type { BzfsOptionValues } from "../cli/option_values.ts";
import { datasetRetryOptions, retryPolicyOf } from "./job_retry.ts";
import { datasetFilterOf, type DatasetPair } from "../cli/bzfs_config.ts";
import { BzfsError, CommandError, RetryableError } from "../errors.ts";
import { renderCommand } from "../exec/render_command.ts";
import { filterDatasets } from "../filter/dataset_filter.ts";
import { filterSnapshots } from "../filter/filter_snapshots.ts";
import { snapshotFilterGroups } from "../filter/snapshot_filter_groups.ts";
import type { SnapshotFilterGroup } from "../filter/snapshot_filter_types.ts";
import {
  type ContentCounts,
  destroyDatasetArgs,
  emptyDstDatasetCandidates,
  selectDstDatasetsToDelete,
  selectEmptyDstDatasetsToDelete,
} from "../lifecycle/delete_datasets.ts";
import {
  destroyArgs,
  type DstEntry,
  selectDstSnapshotsToDelete,
} from "../lifecycle/delete_snapshots.ts";
import { maxCommandLineBytes, utf8Bytes } from "../lifecycle/snapshot_batches.ts";
import { logger } from "../log/setup.ts";
import { isDummyDataset } from "../names/location.ts";
import { withRetries } from "../sched/retry.ts";
import { resolveThreads } from "../sched/threads.ts";
import { runTree } from "../sched/tree_scheduler.ts";
import { isAbsentMessage } from "../zfs/errors.ts";
import { lines, listSnapshotsArgv, parseSnapshotList, type SnapshotTypes } from "../zfs/list.ts";
import type { DestroyOptions } from "../zfs/mutate.ts";
import type { SnapshotRecord } from "../zfs/types.ts";
import type { JobContext, PreparedHost } from "./context.ts";
import { listDatasets, MAX_DATASETS_PER_LIST } from "./listing.ts";
import type { PairHosts, Phase } from "./phase.ts";

/** The listed and selected trees of a pair, shrinking as datasets are deleted. */
interface Trees {
  readonly roots: { readonly src: string; readonly dst: string };
  readonly dummySource: boolean;
  readonly basisSrc: readonly string[];
  basisDst: string[];
  selected: string[];
}

const byName = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Whether any deletion phase runs: `--delete-dst-datasets`, `--delete-dst-snapshots[=...]`,
 * `--force-delete-dst-tmp-bookmarks` (implies bookmark deletion) or `--delete-empty-dst-datasets`.
 *
 * @example
 * ```ts ignore
 * deletePhaseEnabled(buildBzfsConfig(["--delete-dst-snapshots", "a", "b"]).options); // true
 * ```
 * @param o The run's options.
 * @returns True if {@linkcode deleteDstPhase} has work.
 */
export function deletePhaseEnabled(o: BzfsOptionValues): boolean {
  return o.deleteDstDatasets || deletesDstSnapshots(o) || o.deleteEmptyDstDatasets !== undefined;
}

function deletesDstSnapshots(o: BzfsOptionValues): boolean {
  return o.deleteDstSnapshots !== undefined || o.forceDeleteDstTmpBookmarks;
}

/** `--force-delete-dst-tmp-bookmarks` implies bookmark mode, as upstream. */
function deleteKind(o: BzfsOptionValues): "snapshots" | "bookmarks" {
  return o.deleteDstSnapshots === "bookmarks" || o.forceDeleteDstTmpBookmarks
    ? "bookmarks"
    : "snapshots";
}

/**
 * Runs the enabled deletion phases for one root pair (see the module doc).
 *
 * @example
 * ```ts ignore
 * await deleteDstPhase(config.pairs[0], ctx, { src, dst });
 * ```
 * @throws {BzfsError} When the destination is `dummy`, a real source root does not exist, or a
 * listing fails; after `--delete-dst-snapshots`, the first dataset error (the rest still ran).
 * @throws {CommandError} When a `zfs destroy` of datasets fails.
 */
export const deleteDstPhase: Phase = async (pair, ctx, hosts) => {
  const o = ctx.config.options;
  const log = logger("delete");
  if (isDummyDataset(pair.dst.dataset)) {
    throw new BzfsError(
      "Destination may be a dummy dataset only if exclusively creating snapshots on the source",
    );
  }
  const trees = await listTrees(pair, ctx, hosts);
  if (trees === undefined) return;
  const dry = o.dryrun ? "Dry " : "";
  const what = `${pair.src.dataset}${o.recursive ? " -r" : ""} --> ${pair.dst.dataset}`;
  if (o.deleteDstDatasets) {
    log.info(`${dry}--delete-dst-datasets: {what}`, { what });
    const doomed = selectDstDatasetsToDelete(trees.selected, {
      basisDst: trees.basisDst,
      basisSrc: trees.basisSrc,
      srcRoot: trees.roots.src,
      dstRoot: trees.roots.dst,
      dummySource: trees.dummySource,
    });
    await destroyDatasets(doomed, trees, ctx, hosts.dst);
  }
  if (deletesDstSnapshots(o)) {
    log.info(`${dry}--delete-dst-snapshots: {what} [{n} datasets]`, {
      what,
      n: trees.selected.length,
    });
    await deleteDstSnapshots(trees, ctx, hosts);
  }
  if (o.deleteEmptyDstDatasets && o.recursive) {
    log.info(`${dry}--delete-empty-dst-datasets: {what}`, { what });
    await deleteEmptyDstDatasets(trees, ctx, hosts.dst);
  }
};

/** Lists both trees and selects destination datasets; undefined when dst does not exist. */
async function listTrees(
  pair: DatasetPair,
  ctx: JobContext,
  hosts: PairHosts,
): Promise<Trees | undefined> {
  const o = ctx.config.options;
  const roots = { src: pair.src.dataset, dst: pair.dst.dataset };
  const dummySource = isDummyDataset(roots.src);
  const [srcList, dstList] = await Promise.all([
    dummySource
      ? []
      : listDatasets(hosts.src, roots.src, { executor: ctx.executor, recursive: o.recursive }),
    listDatasets(hosts.dst, roots.dst, { executor: ctx.executor, recursive: o.recursive }),
  ]);
  if (!dummySource && srcList.length === 0) {
    throw new BzfsError(
      `Source dataset does not exist: ${roots.src}: nothing was deleted (to delete by the ` +
        "snapshot and dataset rules alone, give 'dummy' as the source dataset)",
    );
  }
  if (dstList.length === 0) {
    logger("delete").warn("Destination dataset does not exist: {dst}", { dst: roots.dst });
    return undefined;
  }
  const basisDst = dstList.map((d) => d.name).sort(byName);
  const selected = filterDatasets(basisDst, roots.dst, {
    filter: datasetFilterOf(o, pair),
    skipParent: o.skipParent,
  });
  return { roots, dummySource, basisSrc: srcList.map((d) => d.name), basisDst, selected };
}

function destroyFlags(ctx: JobContext): DestroyOptions {
  const o = ctx.config.options;
  return {
    dependents: o.forceDestroyDependents,
    dryRun: o.dryrun !== undefined,
    verbose: !o.quiet,
  };
}

/** Runs one `zfs destroy`; under `--dryrun` it carries `-n` and really runs (zfs reports). */
async function runDestroy(argv: string[], ctx: JobContext, host: PreparedHost): Promise<void> {
  const dryRun = ctx.config.options.dryrun !== undefined;
  if (dryRun && !argv.includes("-n")) throw new TypeError(`Dry run destroy without -n: ${argv}`);
  const r = await ctx.executor.run({
    argv,
    remote: host.remote,
    sudo: host.elevate,
    signal: ctx.signal,
    readOnly: dryRun,
  });
  const out = r.stdout.trim();
  if (out) logger("delete").info("{out}", { out });
}

/** Destroys datasets (roots of subtrees with `-r`) and drops them from the trees. */
async function destroyDatasets(
  doomed: readonly string[],
  trees: Trees,
  ctx: JobContext,
  host: PreparedHost,
): Promise<void> {
  const o = ctx.config.options;
  const argvs = destroyDatasetArgs(doomed, { ...destroyFlags(ctx), force: o.forceUnmount });
  for (const argv of argvs) await runDestroy(argv, ctx, host);
  const gone = new Set(doomed);
  trees.basisDst = trees.basisDst.filter((d) => !gone.has(d));
  trees.selected = trees.selected.filter((d) => !gone.has(d));
}

/** Counts of one `--delete-dst-snapshots` run. */
interface DeleteStats {
  found: number;
  deleted: number;
}

async function deleteDstSnapshots(trees: Trees, ctx: JobContext, hosts: PairHosts) {
  const o = ctx.config.options;
  const groups = snapshotFilterGroups(ctx.config.snapshotFilterArgs);
  const stats: DeleteStats = { found: 0, deleted: 0 };
  const threads = { number: o.threads.value, isPercent: o.threads.percent };
  const workers = Math.min(
    resolveThreads(threads, hosts.src.info.cpuCount),
    resolveThreads(threads, hosts.dst.info.cpuCount),
  );
  const basisSrc = new Set(trees.basisSrc);
  const t0 = performance.now();
  const summary = await runTree(
    trees.selected,
    async (dstDataset) => {
      await withRetries(
        () => deleteSnapshotsOf(dstDataset, { trees, basisSrc, groups, stats }, ctx, hosts),
        retryPolicyOf(o),
        datasetRetryOptions(ctx, "delete", dstDataset),
      );
      return "continue";
    },
    { workers, skipOnError: o.skipOnError, dstExists: () => true, signal: ctx.signal },
  );
  const kind = deleteKind(o);
  logger("delete").info(
    `${o.dryrun ? "Dry " : ""}--delete-dst-snapshots: Deleted {deleted} out of {found} ` +
      `${kind} within {n} datasets; took {ms} ms`,
    { ...stats, n: trees.selected.length, ms: Math.round(performance.now() - t0) },
  );
  if (summary.failed.length > 0) {
    const log = logger("delete");
    log.error("Tolerated {n} errors. Error Summary:", { n: summary.failed.length });
    for (const f of summary.failed) {
      log.error("{name}: {msg}", { name: f.name, msg: (f.error as Error).message });
    }
    throw summary.failed[0].error;
  }
}

interface SnapshotTask {
  readonly trees: Trees;
  readonly basisSrc: ReadonlySet<string>;
  readonly groups: readonly SnapshotFilterGroup[];
  readonly stats: DeleteStats;
}

/** One destination dataset of `--delete-dst-snapshots`: list both sides, decide, destroy. */
async function deleteSnapshotsOf(
  dstDataset: string,
  task: SnapshotTask,
  ctx: JobContext,
  hosts: PairHosts,
): Promise<void> {
  const o = ctx.config.options;
  const { roots, dummySource } = task.trees;
  const kind = deleteKind(o);
  const one = kind === "bookmarks" ? "bookmark" : "snapshot";
  const srcDataset = roots.src + dstDataset.slice(roots.dst.length);
  const srcExists = !dummySource && task.basisSrc.has(srcDataset);
  const srcTypes: SnapshotTypes = o.deleteDstSnapshotsNoCrosscheck ? one : "snapshot,bookmark";
  const [src, dst] = await Promise.all([
    srcExists ? listEntries(srcDataset, srcTypes, ctx, hosts.src) : undefined,
    listEntries(dstDataset, one, ctx, hosts.dst),
  ]);
  if (dst === undefined) {
    logger("delete").warn("Third party deleted destination: {ds}", { ds: dstDataset });
    return;
  }
  if (srcExists && src === undefined) {
    throw new BzfsError(
      `Source dataset disappeared while deleting snapshots: ${srcDataset}: nothing was ` +
        "deleted in this dataset",
    );
  }
  const selected = filterSnapshots(dst, task.groups, {
    now: ctx.startedAt,
    bookmarksAsSnapshots: kind === "bookmarks",
  });
  const decision = selectDstSnapshotsToDelete(dst, src, {
    selected,
    except: o.deleteDstSnapshotsExcept,
    crosscheck: !o.deleteDstSnapshotsNoCrosscheck,
    kind,
    dummySource,
    includeTmpBookmarks: o.forceDeleteDstTmpBookmarks,
  });
  if (decision.protectedCommon) {
    logger("delete").info("Keeping the latest common snapshot {ds}@{name}", {
      ds: dstDataset,
      name: decision.protectedCommon.name,
    });
  }
  const names = decision.toDelete.map((e) => e.name);
  const header = renderCommand({ argv: [], remote: hosts.dst.remote, sudo: hosts.dst.elevate });
  // zfs refuses `destroy -n` of a bookmark ("dryrun is not supported with bookmark"), so a dry
  // run only reports the bookmarks it would destroy
  const dryBookmarks = one === "bookmark" && o.dryrun !== undefined;
  if (dryBookmarks) {
    for (const name of names) {
      logger("delete").info("would destroy {bookmark}", { bookmark: `${dstDataset}#${name}` });
    }
  }
  const argvs = dryBookmarks ? [] : destroyArgs(dstDataset, names, {
    kind: one,
    destroy: destroyFlags(ctx),
    headerBytes: utf8Bytes(header.join(" ")) + 1,
    maxCommandLineBytes: maxCommandLineBytes(hosts.dst.info.os ?? "unknown"),
  });
  for (const argv of argvs) {
    try {
      await runDestroy(argv, ctx, hosts.dst);
    } catch (e) {
      // a destroy of snapshots is retryable (the retry relists both sides first)
      if (e instanceof CommandError) throw new RetryableError(e.message, { cause: e });
      throw e;
    }
  }
  task.stats.found += dst.filter((e) => e.kind === one).length;
  task.stats.deleted += names.length;
}

/**
 * Snapshots or bookmarks of one dataset, oldest first, with `userrefs` for snapshots; undefined
 * when the dataset does not exist.
 */
async function listEntries(
  dataset: string,
  types: SnapshotTypes,
  ctx: JobContext,
  host: PreparedHost,
): Promise<DstEntry[] | undefined> {
  const argv = listSnapshotsArgv(dataset, { types });
  const o = argv.indexOf("guid,createtxg,creation,name");
  argv[o] = "guid,createtxg,creation,name,userrefs";
  const r = await ctx.executor.run({ argv, remote: host.remote, readOnly: true, check: false });
  if (r.code !== 0) {
    if (isAbsentMessage(r.stderr)) return undefined;
    throw new BzfsError(`Cannot list snapshots of ${dataset}: ${r.stderr.trim()}`);
  }
  const rows = lines(r.stdout);
  const cut = rows.map((l) => l.lastIndexOf("\t"));
  const records = parseSnapshotList(rows.map((l, i) => l.slice(0, cut[i])).join("\n"));
  return records.map((rec: SnapshotRecord, i) => ({ ...rec, userrefs: rows[i].slice(cut[i] + 1) }));
}

/** `--delete-empty-dst-datasets`: count contents of the candidates, then destroy leaf-up. */
async function deleteEmptyDstDatasets(trees: Trees, ctx: JobContext, host: PreparedHost) {
  const o = ctx.config.options;
  const mode = o.deleteEmptyDstDatasets ?? "snapshots+bookmarks";
  const candidates = emptyDstDatasetCandidates(trees.selected, trees.basisDst);
  const counts = new Map<string, ContentCounts>();
  const types = mode === "snapshots+bookmarks" ? "snapshot,bookmark" : "snapshot";
  for (let i = 0; i < candidates.length; i += MAX_DATASETS_PER_LIST) {
    const batch = candidates.slice(i, i + MAX_DATASETS_PER_LIST);
    const argv = ["zfs", "list", "-t", types, "-Hp", "-o", "name", "-d", "1", ...batch];
    const r = await ctx.executor.run({ argv, remote: host.remote, readOnly: true, check: false });
    if (r.code !== 0) {
      // a partly failed listing proves nothing: its datasets count as not empty
      logger("delete").warn("Cannot count snapshots of {n} datasets: {err}", {
        n: batch.length,
        err: r.stderr.trim(),
      });
      continue;
    }
    const batchCounts = new Map(batch.map((ds) => [ds, { snapshots: 0, bookmarks: 0 }]));
    for (const line of lines(r.stdout)) {
      const at = line.search(/[@#]/);
      const c = batchCounts.get(line.slice(0, at));
      if (c === undefined) continue;
      if (line[at] === "@") c.snapshots++;
      else c.bookmarks++;
    }
    for (const [ds, c] of batchCounts) counts.set(ds, c);
  }
  const doomed = selectEmptyDstDatasetsToDelete(trees.selected, {
    basisDst: trees.basisDst,
    counts,
    mode,
  });
  await destroyDatasets(doomed, trees, ctx, host);
}
