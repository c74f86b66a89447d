/**
 * `--monitor-snapshots PLAN` for one root dataset pair: one `zfs list` per side lists every
 * selected dataset with its snapshots; every (dataset, label, latest|oldest) check is graded and
 * logged (CRITICAL, WARNING, or OK at debug level); the findings go to the Prometheus textfile of
 * `--monitor-snapshots-prometheus-textfile` (not under `--dryrun`); and the worst counted finding
 * becomes a {@linkcode MonitorAlertError} (exit 1 or 2).
 *
 * Both sides are monitored: the selected source datasets (none for a `dummy` source) and the
 * selected destination datasets. The alert is thrown from the pair's phase; the job driver
 * treats it like any other pair error (logged, remaining pairs still run, the first error of the
 * run sets the exit status; at once with `--skip-on-error=fail`). The textfile covers every pair
 * monitored so far in the current run (or daemon iteration).
 *
 * @module
 */
import { type BzfsConfig, datasetFilterOf, type DatasetPair } from "../cli/bzfs_config.ts";
import type { BzfsOptionValues } from "../cli/option_values.ts";
import { BzfsError, UsageError } from "../errors.ts";
import { filterDatasets } from "../filter/dataset_filter.ts";
import { applyExcludeDatasetProperty } from "./exclude_property.ts";
import type { PreparedHost } from "./context.ts";
import { logger } from "../log/setup.ts";
import {
  monitorAlertError,
  type MonitorDatasetSnapshots,
  monitorDoneMessage,
  type MonitorFinding,
  monitorSnapshots,
  worseFinding,
} from "../monitor/monitor.ts";
import { renderPrometheusTextfile, writeTextfileAtomically } from "../monitor/prometheus.ts";
import { parseMonitorList } from "../monitor/zfs_list.ts";
import { isDummyDataset } from "../names/location.ts";
import { type MonitorAlert, parseMonitorPlan } from "../plan/monitor_plan.ts";
import type { JobContext } from "./context.ts";
import { assertRealDestination, endpointText, taskDescription } from "./pair_text.ts";
import type { PairHosts, Phase } from "./phase.ts";
import { listTree, snapshotTextOf, type TreeListing } from "./tree_listing.ts";

/** What the monitor phase remembers across the pairs of one run (or daemon iteration). */
interface RunState {
  /** The iteration's start (`ctx.startedAt`), shared by its pairs. */
  readonly startedAt: number;
  /** Findings for the textfile, by series key (a later pair's value replaces an earlier one). */
  readonly series: Map<string, MonitorFinding>;
}

const runStates = new WeakMap<BzfsConfig, RunState>();

/**
 * The alerts of the run's `--monitor-snapshots` plan, after the no-latest/no-oldest switches.
 *
 * @example
 * ```ts
 * import { monitorAlertsOf } from "./monitor_phase.ts";
 * import { buildBzfsConfig } from "../cli/bzfs_config.ts";
 * const c = buildBzfsConfig([
 *   "--monitor-snapshots", "{'prod':{'':{'daily':{'latest':{'warning':'4 hours'}}}}}", "a", "b",
 * ]);
 * monitorAlertsOf(c.options).length; // 1
 * ```
 * @param o The options.
 * @returns The alerts; empty when nothing is to be monitored.
 * @throws {BzfsError} For an invalid plan (exit status 3, as upstream).
 */
export function monitorAlertsOf(o: BzfsOptionValues): MonitorAlert[] {
  try {
    return parseMonitorPlan(o.monitorSnapshots, {
      noLatestCheck: o.monitorSnapshotsNoLatestCheck,
      noOldestCheck: o.monitorSnapshotsNoOldestCheck,
    });
  } catch (e) {
    if (e instanceof UsageError) throw new BzfsError(e.message, { cause: e });
    throw e;
  }
}

/**
 * Runs `--monitor-snapshots` for one pair.
 *
 * @example
 * ```ts ignore
 * await monitorPhase(pair, ctx, { src, dst });
 * ```
 * @param pair The roots.
 * @param ctx The run.
 * @param hosts The prepared hosts.
 * @throws {MonitorAlertError} For a counted WARNING (1) or CRITICAL (2) finding.
 * @throws {BzfsError} For an invalid plan, a missing root, a `dummy` destination, or a failed
 *   listing.
 */
export const monitorPhase: Phase = async (pair, ctx, hosts) => {
  const o = ctx.config.options;
  const alerts = monitorAlertsOf(o);
  if (alerts.length === 0) return;
  assertRealDestination(pair);
  const log = logger("monitor");
  const task = taskDescription(pair, o.recursive);
  log.info("--monitor-snapshots: {task}", { task });
  const t0 = ctx.clock.now();
  const sides = await listSides(pair, ctx, hosts, alerts);
  const options = {
    now: ctx.startedAt,
    dontWarn: o.monitorSnapshotsDontWarn,
    dontCrit: o.monitorSnapshotsDontCrit,
  };
  const srcReport = monitorSnapshots(sides.src, alerts, options);
  const dstReport = monitorSnapshots(sides.dst, alerts, options);
  for (const f of [...srcReport.findings, ...dstReport.findings]) logFinding(f);
  const state = runStateOf(ctx);
  recordSeries(state, srcReport.findings, pair.src.host);
  recordSeries(state, dstReport.findings, pair.dst.host);
  const textfile = o.monitorSnapshotsPrometheusTextfile;
  if (textfile !== undefined && o.dryrun === undefined) {
    await writeTextfileAtomically(textfile, renderPrometheusTextfile(state.series.values()));
  }
  const alert = monitorAlertError({ worst: worseFinding(srcReport.worst, dstReport.worst) });
  if (alert !== undefined) throw alert;
  const tookMs = ctx.clock.now() - t0;
  const datasets = sides.src.length + sides.dst.length;
  log.info("{msg}", { msg: monitorDoneMessage(task, { datasets, tookMs }) });
};

function runStateOf(ctx: JobContext): RunState {
  let state = runStates.get(ctx.config);
  if (state?.startedAt !== ctx.startedAt) {
    state = { startedAt: ctx.startedAt, series: new Map() };
    runStates.set(ctx.config, state);
  }
  return state;
}

function logFinding(f: MonitorFinding): void {
  const log = logger("monitor");
  if (f.level === "critical") log.fatal("{msg}", { msg: f.message });
  else if (f.level === "warning") log.warn("{msg}", { msg: f.message });
  else log.debug("{msg}", { msg: f.message });
}

/**
 * Keeps the findings for the textfile. Datasets on a remote host are labelled `host:dataset`, so
 * a source and a destination with the same name on different hosts stay distinct series.
 */
function recordSeries(
  state: RunState,
  findings: readonly MonitorFinding[],
  host: string | undefined,
): void {
  for (const f of findings) {
    const labelled = host ? { ...f, dataset: `${host}:${f.dataset}` } : f;
    const a = f.alert;
    const key = [labelled.dataset, a.prefix, a.infix, a.suffix, f.check].join("\0");
    state.series.delete(key);
    state.series.set(key, labelled);
  }
}

/** Both sides' selected datasets with their snapshots (source first). */
async function listSides(
  pair: DatasetPair,
  ctx: JobContext,
  hosts: PairHosts,
  alerts: readonly MonitorAlert[],
): Promise<{ src: MonitorDatasetSnapshots[]; dst: MonitorDatasetSnapshots[] }> {
  const o = ctx.config.options;
  const holds = alerts.some((a) => a.oldest !== undefined && a.oldestSkipHolds);
  const props = ["name", "createtxg", "creation", ...(holds ? ["userrefs"] : [])];
  const opts = { recursive: o.recursive, props };
  const srcDummy = isDummyDataset(pair.src.dataset);
  const empty: TreeListing = { exists: true, datasets: [], snapshotLines: [] };
  const [srcTree, dstTree] = await Promise.all([
    srcDummy
      ? Promise.resolve(empty)
      : listTree(hosts.src, pair.src.dataset, { ...opts, executor: ctx.executor }),
    listTree(hosts.dst, pair.dst.dataset, { ...opts, executor: ctx.executor }),
  ]);
  if (!srcTree.exists) {
    throw new BzfsError(`Source dataset does not exist: ${endpointText(pair.src)}`);
  }
  if (!dstTree.exists) {
    throw new BzfsError(`Destination dataset does not exist: ${endpointText(pair.dst)}`);
  }
  const filter = datasetFilterOf(o, pair);
  const side = async (
    tree: TreeListing,
    root: string,
    where: { host: PreparedHost; location: "src" | "dst" },
  ): Promise<MonitorDatasetSnapshots[]> => {
    const selected = filterDatasets(tree.datasets, root, { filter, skipParent: o.skipParent });
    const datasets = await applyExcludeDatasetProperty(selected, { ...where, root }, ctx);
    return parseMonitorList(snapshotTextOf(tree, new Set(datasets), opts), datasets);
  };
  const [src, dst] = await Promise.all([
    side(srcTree, pair.src.dataset, { host: hosts.src, location: "src" }),
    side(dstTree, pair.dst.dataset, { host: hosts.dst, location: "dst" }),
  ]);
  return { src, dst };
}
