/**
 * `--compare-snapshot-lists[=CHOICE]` for one root dataset pair: one `zfs list` per side for the
 * whole tree, dataset and snapshot filters, then the snapshot TSV (streamed into
 * `<log>.cmp/<src>%<dst>.tsv` via `.tmp` + rename, one summary record logged per dataset) and the
 * dataset TSV (`.rel_datasets_tsv`). Under `--dryrun` both files hold only their header.
 *
 * @module
 */
import { datasetFilterOf, type DatasetPair } from "../cli/bzfs_config.ts";
import { BzfsError } from "../errors.ts";
import { filterDatasets } from "../filter/dataset_filter.ts";
import { applyExcludeDatasetProperty } from "./exclude_property.ts";
import type { PreparedHost } from "./context.ts";
import { snapshotFilterGroups } from "../filter/snapshot_filter_groups.ts";
import { logger } from "../log/setup.ts";
import { writeLinesAtomically } from "../monitor/atomic_write.ts";
import { compareSnapshotLists } from "../monitor/compare.ts";
import {
  COMPARE_DATASETS_TSV_HEADER,
  compareDatasetRows,
  compareFileNames,
  compareOutputDir,
  compareTsvLines,
  formatCompareSummary,
} from "../monitor/compare_output.ts";
import type { DatasetSnapshots } from "../monitor/compare_types.ts";
import { parseCompareList } from "../monitor/zfs_list.ts";
import { isDummyDataset } from "../names/location.ts";
import type { JobContext } from "./context.ts";
import { assertRealDestination, endpointText, taskDescription } from "./pair_text.ts";
import type { PairHosts, Phase } from "./phase.ts";
import { listTree, snapshotTextOf, type TreeListing } from "./tree_listing.ts";

/** The columns compare lists, `name` last as `parseCompareList` expects. */
const PROPS = ["creation", "guid", "createtxg", "written", "name"] as const;

/** Where the TSV files of one pair go. */
export interface CompareFiles {
  /** The snapshot TSV. */
  readonly snapshots: string;
  /** The dataset TSV. */
  readonly datasets: string;
}

/**
 * The two output files of a pair: in the `.cmp` folder next to the log file (or, without a log
 * file, next to a `compare_<ms>.log` name in the log dir).
 *
 * @example
 * ```ts
 * import { compareFilesOf } from "./compare_phase.ts";
 * compareFilesOf({ src: { dataset: "tank1/src" }, dst: { dataset: "tank2/dst" } }, {
 *   logFile: "/l/2024-11-06/x.log",
 * }).snapshots; // "/l/2024-11-06/x.cmp/tank1~src%tank2~dst.tsv"
 * ```
 * @param pair The roots.
 * @param where The log file, or the log dir and the run's start.
 * @returns Both paths.
 */
export function compareFilesOf(
  pair: DatasetPair,
  where: { logFile?: string; logDir?: string; startedAt?: number },
): CompareFiles {
  const logFile = where.logFile ?? `${where.logDir ?? "."}/compare_${where.startedAt ?? 0}.log`;
  const dir = compareOutputDir(logFile);
  const names = compareFileNames(pair.src.dataset, pair.dst.dataset);
  return { snapshots: `${dir}/${names.snapshots}`, datasets: `${dir}/${names.datasets}` };
}

/**
 * Runs `--compare-snapshot-lists` for one pair.
 *
 * @example
 * ```ts ignore
 * await comparePhase(pair, ctx, { src, dst });
 * ```
 * @param pair The roots.
 * @param ctx The run.
 * @param hosts The prepared hosts.
 * @throws {BzfsError} If the source root is missing (and not `dummy`), the destination is
 *   `dummy`, or a listing fails.
 */
export const comparePhase: Phase = async (pair, ctx, hosts) => {
  const o = ctx.config.options;
  const log = logger("compare");
  assertRealDestination(pair);
  log.info("--compare-snapshot-lists: {task}", { task: taskDescription(pair, o.recursive) });
  const { src, dst } = await selectedTrees(pair, ctx, hosts);
  const roots = { srcRoot: pair.src.dataset, dstRoot: pair.dst.dataset };
  const task = `${roots.srcRoot} vs. ${roots.dstRoot}`;
  const files = compareFilesOf(pair, {
    logFile: ctx.logFile,
    logDir: o.logDir ?? `${Deno.env.get("HOME") ?? "/tmp"}/bzfs-logs`,
    startedAt: ctx.startedAt,
  });
  await Deno.mkdir(files.snapshots.slice(0, files.snapshots.lastIndexOf("/")), {
    recursive: true,
    mode: 0o700,
  });
  const nowSeconds = Math.round(ctx.clock.now() / 1000);
  const comparisons = compareSnapshotLists(src.snapshots, dst.snapshots, {
    ...roots,
    choice: o.compareSnapshotLists ?? "src+dst+all",
    useBookmark: !o.noUseBookmark,
    filter: { groups: snapshotFilterGroups(ctx.config.snapshotFilterArgs), now: ctx.startedAt },
  });
  log.debug("Temporary TSV output file comparing {task} is: {file}", {
    task,
    file: `${files.snapshots}.tmp`,
  });
  const lines = compareTsvLines(comparisons, {
    dryRun: o.dryrun !== undefined,
    onDataset: (c) =>
      log.info("{summary}", {
        summary: formatCompareSummary(c.summary, { task, nowSeconds }).join("\n"),
      }),
  });
  await writeLinesAtomically(files.snapshots, lines);
  log.info("Final TSV output file comparing {task} is: {file}", { task, file: files.snapshots });
  const rows = o.dryrun !== undefined ? [] : compareDatasetRows(src.datasets, dst.datasets, roots);
  await writeLinesAtomically(files.datasets, [COMPARE_DATASETS_TSV_HEADER, ...rows]);
};

/** One side after listing and dataset selection. */
interface SelectedSide {
  /** The selected datasets, sorted. */
  readonly datasets: readonly string[];
  /** Their snapshots (and, on the source, bookmarks), one entry per selected dataset. */
  readonly snapshots: readonly DatasetSnapshots[];
}

async function selectedTrees(
  pair: DatasetPair,
  ctx: JobContext,
  hosts: PairHosts,
): Promise<{ src: SelectedSide; dst: SelectedSide }> {
  const o = ctx.config.options;
  const srcDummy = isDummyDataset(pair.src.dataset);
  const opts = { recursive: o.recursive, props: PROPS };
  const empty: TreeListing = { exists: true, datasets: [], snapshotLines: [] };
  const [srcTree, dstTree] = await Promise.all([
    srcDummy ? Promise.resolve(empty) : listTree(hosts.src, pair.src.dataset, {
      ...opts,
      executor: ctx.executor,
      bookmarks: !o.noUseBookmark,
    }),
    listTree(hosts.dst, pair.dst.dataset, { ...opts, executor: ctx.executor }),
  ]);
  if (!srcTree.exists) {
    throw new BzfsError(`Source dataset does not exist: ${endpointText(pair.src)}`);
  }
  if (!dstTree.exists) {
    logger("compare").warn("Destination dataset does not exist: {ds}", {
      ds: pair.dst.dataset,
    });
  }
  const filter = datasetFilterOf(o, pair);
  const side = async (
    tree: TreeListing,
    root: string,
    where: { host: PreparedHost; location: "src" | "dst" },
  ): Promise<SelectedSide> => {
    const selected = filterDatasets(tree.datasets, root, { filter, skipParent: o.skipParent });
    const datasets = await applyExcludeDatasetProperty(selected, { ...where, root }, ctx);
    const text = snapshotTextOf(tree, new Set(datasets), opts);
    return { datasets, snapshots: parseCompareList(text, datasets) };
  };
  const [src, dst] = await Promise.all([
    side(srcTree, pair.src.dataset, { host: hosts.src, location: "src" }),
    side(dstTree, pair.dst.dataset, { host: hosts.dst, location: "dst" }),
  ]);
  return { src, dst };
}
