/**
 * `--create-src-snapshots` for one root pair (semantics 4): list the source tree once, select
 * datasets, find for each periodic label the creation time of its latest snapshot (from the
 * `--cache-snapshots` cache where `snapshots_changed` proves it current, else from one batched
 * `zfs list -t snapshot`), decide what is due, and take each label's snapshots in as few atomic
 * `zfs snapshot` commands as the command line allows (`-r` where exact).
 *
 * @module
 */
import { datasetFilterOf } from "../cli/bzfs_config.ts";
import type { BzfsOptionValues } from "../cli/option_values.ts";
import { BzfsError, UsageError } from "../errors.ts";
import type { Executor } from "../exec/executor.ts";
import { renderCommand } from "../exec/render_command.ts";
import { remoteKey } from "../exec/remote.ts";
import { filterDatasets } from "../filter/dataset_filter.ts";
import { planLabels } from "../lifecycle/create_plan.ts";
import { latestCreationByLabel, type SnapshotsDue, snapshotsDue } from "../lifecycle/due.ts";
import type { PeriodAnchors } from "../lifecycle/period_anchors.ts";
import { maxCommandLineBytes, snapshotBatches, utf8Bytes } from "../lifecycle/snapshot_batches.ts";
import { labelKey, type SnapshotLabel } from "../lifecycle/snapshot_names.ts";
import { logger } from "../log/setup.ts";
import { isDummyDataset } from "../names/location.ts";
import { parsePeriod } from "../plan/period.ts";
import { parsePlan, type PlanEntry } from "../plan/plan.ts";
import { parallelMap } from "../sched/parallel_map.ts";
import { resolveThreads } from "../sched/threads.ts";
import { isMature, SnapshotCache } from "../state/snapshot_cache.ts";
import { isAbsentMessage } from "../zfs/errors.ts";
import { listDatasetsArgv, listSnapshotsArgv, parseDatasetList } from "../zfs/list.ts";
import { parseSnapshotList } from "../zfs/list.ts";
import type { DatasetRecord } from "../zfs/types.ts";
import { zfsFeatures } from "../zfs/version.ts";
import type { JobContext, PreparedHost } from "./context.ts";
import { MAX_DATASETS_PER_LIST } from "./listing.ts";
import type { Phase } from "./phase.ts";
import { PERIOD_ANCHOR_ATTRS } from "../cli/bzfs_config.ts";

const OPTION = "--create-src-snapshots-plan";

/** The anchor option attributes (named as the options), from the option table. */
const ANCHOR_KEYS = PERIOD_ANCHOR_ATTRS as readonly (keyof PeriodAnchors)[];

/**
 * The period anchors given by the options.
 *
 * @param o The options.
 * @returns The anchors.
 */
function anchorsOf(o: BzfsOptionValues): Partial<PeriodAnchors> {
  const values = o as unknown as Record<string, number | undefined>;
  const out: Partial<Record<keyof PeriodAnchors, number>> = {};
  for (const key of ANCHOR_KEYS) if (values[key] !== undefined) out[key] = values[key];
  return out;
}

/**
 * The parsed `--create-src-snapshots-plan`, validated.
 *
 * @param o The options.
 * @returns The plan entries.
 * @throws {UsageError} When the plan is missing, empty or invalid.
 */
function createPlanOf(o: BzfsOptionValues): PlanEntry[] {
  const text = o.createSrcSnapshotsPlan;
  if (text === undefined || text.trim() === "") {
    throw new UsageError("--create-src-snapshots requires --create-src-snapshots-plan", {
      option: OPTION,
      hint: `Give a plan, e.g. ${OPTION}="{'prod': {'onsite': {'hourly': 36, 'daily': 31}}}"`,
    });
  }
  const plan = parsePlan(text, OPTION);
  planLabels(plan); // validates names and periods before any work
  return plan;
}

/** Whether `--cache-snapshots` applies on a host: asked for, and OpenZFS >= 2.2 there. */
function cachingOn(ctx: JobContext, host: PreparedHost): boolean {
  const v = host.info.zfsVersion;
  return ctx.config.options.cacheSnapshots && v !== undefined && zfsFeatures(v).snapshotsChanged;
}

/** The cache of a run: `<log dir>/.cache/mods`, read-only under `--dryrun`. */
function snapshotCacheOf(ctx: JobContext): SnapshotCache {
  const logDir = ctx.config.options.logDir ?? `${Deno.env.get("HOME") ?? "/tmp"}/bzfs-logs`;
  return new SnapshotCache(`${logDir.replace(/\/+$/, "")}/.cache/mods`, {
    readOnly: ctx.config.options.dryrun !== undefined,
  });
}

/**
 * Takes the due source snapshots of one root pair (see the module doc).
 *
 * @example
 * ```ts ignore
 * await createSrcSnapshotsPhase(config.pairs[0], ctx, { src, dst });
 * ```
 * @throws {UsageError} For a missing or invalid plan, time zone or time format.
 * @throws {BzfsError} When the source dataset does not exist (or is `dummy`).
 * @throws {CommandError} When listing or `zfs snapshot` fails.
 */
export const createSrcSnapshotsPhase: Phase = async (pair, ctx, hosts) => {
  const o = ctx.config.options;
  const log = logger("create");
  const dry = o.dryrun ? "Dry " : "";
  const plan = createPlanOf(o);
  const root = pair.src.dataset;
  if (isDummyDataset(root)) throw new BzfsError(`Source dataset does not exist: ${root}`);
  const host = hosts.src;
  const caching = cachingOn(ctx, host) && !o.createSrcSnapshotsEvenIfNotDue;
  log.info(`${dry}--create-src-snapshots: {root}{r} ...`, { root, r: o.recursive ? " -r" : "" });
  const basis = await listSrcDatasets(ctx.executor, host, root, {
    recursive: o.recursive,
    snapshotsChanged: caching,
  });
  if (basis.length === 0) throw new BzfsError(`Source dataset does not exist: ${root}`);
  const names = basis.map((d) => d.name);
  const selected = filterDatasets(names, root, {
    filter: datasetFilterOf(o, pair),
    skipParent: o.skipParent,
  });
  const periodic = o.createSrcSnapshotsEvenIfNotDue
    ? []
    : planLabels(plan).filter((l) => parsePeriod(l.period) !== undefined);
  const changed = new Map(basis.map((d) => [d.name, d.snapshotsChanged ?? 0]));
  const latest = periodic.length === 0
    ? new Map()
    : await latestByLabel(selected, periodic, { ctx, host, caching, changed });
  const result = snapshotsDue(selected, latest, {
    plan,
    now: ctx.startedAt,
    anchors: anchorsOf(o),
    timeZone: o.createSrcSnapshotsTimezone,
    timeformat: o.createSrcSnapshotsTimeformat,
    evenIfNotDue: o.createSrcSnapshotsEvenIfNotDue,
  });
  logSchedule(result);
  const total = result.due.reduce((n, d) => n + d.datasets.length, 0);
  log.info(`${dry}--create-src-snapshots: Creating {n} snapshots within {m} datasets ...`, {
    n: total,
    m: selected.length,
  });
  await runSnapshotCommands(result, names, ctx, host);
  if (caching && !o.dryrun && total > 0) {
    const touched = [...new Set(result.due.flatMap((d) => d.datasets))].sort(compareNames);
    await refreshDatasetCache(touched, ctx, host);
  }
};

function compareNames(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Lists a source tree with `snapshots_changed` when caching, sorted by name in code-unit order
 * (parents first); a missing root gives an empty list.
 */
async function listSrcDatasets(
  executor: Executor,
  host: PreparedHost,
  root: string,
  options: { recursive: boolean; snapshotsChanged: boolean },
): Promise<DatasetRecord[]> {
  const argv = listDatasetsArgv(root, options);
  const r = await executor.run({ argv, remote: host.remote, readOnly: true, check: false });
  if (r.code !== 0) {
    if (isAbsentMessage(r.stderr)) return [];
    throw new BzfsError(`Cannot list datasets of ${root}: ${r.stderr.trim()}`);
  }
  const list = parseDatasetList(r.stdout, { snapshotsChanged: options.snapshotsChanged });
  return list.sort((a, b) => compareNames(a.name, b.name));
}

interface LatestContext {
  readonly ctx: JobContext;
  readonly host: PreparedHost;
  readonly caching: boolean;
  /** Live `snapshots_changed` per dataset (0 when unknown). */
  readonly changed: ReadonlyMap<string, number>;
}

/** Latest creation per label per dataset: cache hits first, one listing for the rest. */
async function latestByLabel(
  datasets: readonly string[],
  labels: readonly SnapshotLabel[],
  lc: LatestContext,
): Promise<Map<string, Map<string, number>>> {
  const out = new Map<string, Map<string, number>>();
  const cache = lc.caching ? snapshotCacheOf(lc.ctx) : undefined;
  const hostKey = remoteKey(lc.host.remote);
  const nowMs = lc.ctx.clock.now();
  let todo: readonly string[] = datasets;
  if (cache) {
    todo = datasets.filter((ds) => {
      const hit = fromCache(cache, hostKey, ds, labels, lc.changed.get(ds) ?? 0, nowMs);
      if (hit) out.set(ds, hit);
      return hit === undefined;
    });
    logger("create").debug("--cache-snapshots: {hits} hits, {misses} misses", {
      hits: datasets.length - todo.length,
      misses: todo.length,
    });
  }
  const listed = await listSnapshotsOf(todo, lc.ctx, lc.host);
  for (const [ds, records] of listed) {
    const latest = latestCreationByLabel(records, labels);
    out.set(ds, latest);
    const changed = lc.changed.get(ds) ?? 0;
    // written only when the value cannot still move within its second (equal-second races)
    if (cache && isMature(changed, nowMs)) {
      for (const label of labels) {
        const key = labelKey(label);
        const creation = latest.get(key) ?? 0;
        cache.write(cache.file(hostKey, ds, key), { atime: creation, mtime: changed });
      }
      cache.write(cache.file(hostKey, ds), { atime: changed, mtime: changed });
    }
  }
  return out; // datasets without any snapshot stay absent: due for every label
}

/** The cached latest creation of every label of a dataset, or undefined on any doubt. */
function fromCache(
  cache: SnapshotCache,
  hostKey: string,
  dataset: string,
  labels: readonly SnapshotLabel[],
  live: number,
  nowMs: number,
): Map<string, number> | undefined {
  const cached = cache.read(cache.file(hostKey, dataset)).mtime;
  if (cached === 0) return undefined;
  if (cached !== live) {
    cache.invalidate(hostKey, dataset);
    return undefined;
  }
  if (!isMature(live, nowMs)) return undefined;
  const latest = new Map<string, number>();
  for (const label of labels) {
    const key = labelKey(label);
    const { atime, mtime } = cache.read(cache.file(hostKey, dataset, key));
    if (atime === 0 || mtime === 0 || mtime !== cached || atime > mtime) return undefined;
    latest.set(key, atime);
  }
  return latest;
}

/** Snapshots (not bookmarks) of many datasets, batched, the batches in parallel. */
async function listSnapshotsOf(
  datasets: readonly string[],
  ctx: JobContext,
  host: PreparedHost,
) {
  const batches: string[][] = [];
  for (let i = 0; i < datasets.length; i += MAX_DATASETS_PER_LIST) {
    batches.push(datasets.slice(i, i + MAX_DATASETS_PER_LIST));
  }
  const byDataset = new Map<string, ReturnType<typeof parseSnapshotList>>();
  const list = async (batch: string[]) => {
    const argv = listSnapshotsArgv(batch, { types: "snapshot" });
    const r = await ctx.executor.run({ argv, remote: host.remote, readOnly: true, check: false });
    if (r.code !== 0 && !isAbsentMessage(r.stderr)) {
      throw new BzfsError(`Cannot list snapshots of ${batch[0]}: ${r.stderr.trim()}`);
    }
    return parseSnapshotList(r.stdout);
  };
  for await (const records of parallelMap(batches, list, workersOn(ctx, host))) {
    for (const rec of records) {
      const l = byDataset.get(rec.dataset);
      if (l) l.push(rec);
      else byDataset.set(rec.dataset, [rec]);
    }
  }
  return byDataset;
}

function workersOn(ctx: JobContext, host: PreparedHost) {
  const t = ctx.config.options.threads;
  return {
    workers: resolveThreads({ number: t.value, isPercent: t.percent }, host.info.cpuCount),
    signal: ctx.signal,
  };
}

function logSchedule(result: SnapshotsDue): void {
  const log = logger("create");
  const entries = [...result.schedule].sort((a, b) =>
    Temporal.ZonedDateTime.compare(a.next, b.next) || compareNames(a.dataset, b.dataset)
  );
  for (const e of entries) {
    log.info("Next scheduled snapshot time: {next} for {dataset}@{label}{passed}", {
      next: e.next.toString({ timeZoneName: "never" }),
      dataset: e.dataset,
      label: labelKey(e.label),
      passed: e.due ? " has passed" : "",
    });
  }
}

const LOCAL_OS: Readonly<Record<string, string>> = {
  linux: "Linux",
  darwin: "Darwin",
  freebsd: "FreeBSD",
  windows: "Windows",
};

/** Runs the `zfs snapshot` batches, in parallel up to the host's worker count. */
async function runSnapshotCommands(
  result: SnapshotsDue,
  basis: readonly string[],
  ctx: JobContext,
  host: PreparedHost,
): Promise<void> {
  const header = renderCommand({ argv: [], remote: host.remote, sudo: host.elevate }).join(" ");
  const budget = Math.min(
    maxCommandLineBytes(LOCAL_OS[Deno.build.os] ?? "unknown"),
    maxCommandLineBytes(host.info.os ?? "unknown"),
  );
  const options = {
    recursive: ctx.config.options.recursive,
    basisDatasets: basis,
    headerBytes: utf8Bytes(header) + 1,
    maxCommandLineBytes: budget,
  };
  const run = (argv: string[]) =>
    ctx.executor.run({ argv, remote: host.remote, sudo: host.elevate, signal: ctx.signal });
  // labels one after another (longest period first); the batches of one label in parallel, each
  // batch one atomic transaction group; a failure throws
  for (const d of result.due) {
    const argvs = snapshotBatches([{ name: d.name, datasets: d.datasets }], options);
    for await (const _ of parallelMap(argvs, run, workersOn(ctx, host))) {
      // results carry nothing
    }
  }
}

/** After creating snapshots: record the datasets' new `snapshots_changed` in the `=` files. */
async function refreshDatasetCache(
  datasets: readonly string[],
  ctx: JobContext,
  host: PreparedHost,
): Promise<void> {
  const cache = snapshotCacheOf(ctx);
  const hostKey = remoteKey(host.remote);
  for (let i = 0; i < datasets.length; i += MAX_DATASETS_PER_LIST) {
    const batch = datasets.slice(i, i + MAX_DATASETS_PER_LIST);
    const argv = [...listDatasetsArgv(batch[0], { snapshotsChanged: true }), ...batch.slice(1)];
    const r = await ctx.executor.run({ argv, remote: host.remote, readOnly: true, check: false });
    const seen = new Set<string>();
    for (const d of r.code === 0 ? parseDatasetList(r.stdout, { snapshotsChanged: true }) : []) {
      seen.add(d.name);
      const file = cache.file(hostKey, d.name);
      if (d.snapshotsChanged) {
        cache.write(file, { atime: d.snapshotsChanged, mtime: d.snapshotsChanged });
      } else cache.write(file, { atime: 0, mtime: 0 }, { force: true });
    }
    for (const ds of batch) if (!seen.has(ds)) cache.invalidate(hostKey, ds);
  }
}
