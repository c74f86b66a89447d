/**
 * The typed, validated, immutable configuration of one `bzfs` run, built from argv. Nothing
 * downstream reads argv; everything reads this object.
 *
 * @module
 */
import { UsageError } from "../errors.ts";
import { parseLocation } from "../names/location.ts";
import { isDescendantOrSame } from "../names/dataset.ts";
import { validateHostName, validateUserName } from "../names/host.ts";
import { validatePropertyName } from "../names/property.ts";
import { expandDatasetPairs } from "./argument_file.ts";
import { checkProgramOpts } from "./program_opts_check.ts";
import { BZFS_OPTIONS } from "./bzfs_options.ts";
import { BZFS_EXTENSION_OPTIONS } from "./extension_options.ts";

/** Attribute names of the period anchor options (`yearly_year` ... `millisecondly_microsecond`). */
export const PERIOD_ANCHOR_ATTRS: readonly string[] = BZFS_OPTIONS
  .filter((s) => s.group.endsWith("Period Anchors"))
  .map((s) => attributeName(s.flags[0]));

/** Upstream's options followed by our extensions: what `bzfs` accepts. */
export const ALL_BZFS_OPTIONS: readonly OptionSpec[] = [...BZFS_OPTIONS, ...BZFS_EXTENSION_OPTIONS];
import type { BzfsOptionValues } from "./option_values.ts";
import { type ArgEvent, parseArgs, type ParseArgsOptions } from "./parse_args.ts";
import { attributeName, type OptionSpec } from "./option_spec.ts";
import { buildDatasetFilter, type DatasetFilter } from "../filter/dataset_filter.ts";
import { deleteDstSnapshotsExceptPlanArgs, includeSnapshotPlanArgs } from "../plan/plan_filters.ts";
import { snapshotFilterGroups } from "../filter/snapshot_filter_groups.ts";
import { parseMonitorPlan } from "../plan/monitor_plan.ts";
import { parsePlan } from "../plan/plan.ts";
import { planLabels } from "../lifecycle/create_plan.ts";
import { formatSnapshotName } from "../lifecycle/snapshot_names.ts";
import { resolveTimeZone } from "../lifecycle/time_zone.ts";

/** One end of a replication: where a dataset lives and how to reach it. */
export interface Endpoint {
  /** ssh user, if any (after `--ssh-*-user` overrides). */
  readonly user?: string;
  /** Host; absent means the local host (after `--ssh-*-host` overrides). */
  readonly host?: string;
  /** ssh port (`--ssh-*-port`). */
  readonly port?: number;
  /** ssh config file (`--ssh-*-config-file`). */
  readonly configFile?: string;
  /** The root dataset. */
  readonly dataset: string;
}

/** A source and destination root dataset. */
export interface DatasetPair {
  /** The source root. */
  readonly src: Endpoint;
  /** The destination root. */
  readonly dst: Endpoint;
}

/** The whole configuration of a run. */
export interface BzfsConfig {
  /** Every option value, converted. */
  readonly options: BzfsOptionValues;
  /** The root dataset pairs, validated. */
  readonly pairs: readonly DatasetPair[];
  /** Snapshot filter options (regexes, times and ranks, plans, group markers) in argv order. */
  readonly snapshotFilterArgs: readonly ArgEvent[];
  /** Attribute names of the options given on the command line. */
  readonly given: ReadonlySet<string>;
}

/** Order-sensitive options that make up the snapshot filter pipeline. */
export const SNAPSHOT_FILTER_ATTRS: ReadonlySet<string> = new Set([
  "includeSnapshotRegex",
  "excludeSnapshotRegex",
  "includeSnapshotTimesAndRanks",
  "includeSnapshotPlan",
  "newSnapshotFilterGroup",
  "deleteDstSnapshotsExceptPlan",
]);

/** Value stored when an option with an optional value is given without one. */
const FLAG_ALONE: Readonly<Record<string, string>> = {
  dryrun: "send",
  deleteDstSnapshots: "snapshots",
  deleteEmptyDstDatasets: "snapshots+bookmarks",
  compareSnapshotLists: "src+dst+all",
};

const DESCRIPTION =
  "Replicate ZFS snapshots from source to destination datasets, locally or over ssh " +
  "(push, pull, pull-push), and create, prune, compare and monitor snapshots.";

const EPILOG = `Examples:
  bzfs tank/data backup/data                    replicate locally
  bzfs -r tank/data root@nas:backup/data        push a tree over ssh
  bzfs -r root@db:tank/pg backup/pg --dryrun    pull, printing what would run
  bzfs +my_bzfs_argument_file.tsv               pairs from a file (SRC<TAB>DST)

Exit status: 0 ok, 1 monitor warning, 2 usage error or monitor critical,
3 error, 4 another run of the same job is still running.`;

/**
 * Parses and validates `bzfs` argv into a frozen {@linkcode BzfsConfig}.
 *
 * @example
 * ```ts
 * import { buildBzfsConfig } from "./bzfs_config.ts";
 * const config = buildBzfsConfig(["-r", "tank/a", "root@nas:backup/a"]);
 * console.log(config.options.recursive, config.pairs[0].dst.host); // true "nas"
 * ```
 * @param argv The arguments after the program name.
 * @param options Output overrides for help (tests).
 * @returns The configuration.
 * @throws {UsageError} On any invalid input, before anything runs.
 */
export function buildBzfsConfig(
  argv: readonly string[],
  options: Pick<ParseArgsOptions, "write"> = {},
): BzfsConfig {
  const parsed = parseArgs(argv, ALL_BZFS_OPTIONS, {
    name: "bzfs",
    description: DESCRIPTION,
    epilog: EPILOG,
    write: options.write,
  });
  const values: Record<string, unknown> = { ...parsed.values };
  for (const [attr, constValue] of Object.entries(FLAG_ALONE)) {
    if (values[attr] === true) values[attr] = constValue;
  }
  if (values.skipMissingSnapshots === true) {
    throw new UsageError("A value is required", {
      option: "--skip-missing-snapshots",
      hint: "Use fail, dataset or continue",
    });
  }
  const opts = values as unknown as BzfsOptionValues;
  validateOptionValues(opts);
  const rawPairs = expandDatasetPairs(parsed.positionals, {
    allowFiles: parsed.argumentFilesAllowedAt,
  });
  const pairs = rawPairs.map((raw) => makePair(raw.src, raw.dst, opts));
  const snapshotFilterArgs = withPlansExpanded(
    parsed.events.filter((e) => SNAPSHOT_FILTER_ATTRS.has(e.attr)),
  );
  // --delete-dst-snapshots-except-plan implies --delete-dst-snapshots-except (upstream's aux args)
  if (parsed.events.some((e) => e.attr === "deleteDstSnapshotsExceptPlan")) {
    values.deleteDstSnapshotsExcept = true;
  }
  snapshotFilterGroups(snapshotFilterArgs); // bad regexes, times and ranks fail here, before any work
  validatePlans(opts);
  for (const pair of pairs) datasetFilterOf(opts, pair);
  return deepFreeze({ options: opts, pairs, snapshotFilterArgs, given: parsed.given });
}

/** The plan options and how each expands into filter arguments. */
const PLAN_EXPANSIONS: Readonly<Record<string, (dict: string) => string[]>> = {
  includeSnapshotPlan: (d) => includeSnapshotPlanArgs(d, "--include-snapshot-plan"),
  deleteDstSnapshotsExceptPlan: (d) =>
    deleteDstSnapshotsExceptPlanArgs(d, "--delete-dst-snapshots-except-plan")
      .filter((a) => a !== "--delete-dst-snapshots-except"), // a flag, not a filter (set above)
};

/**
 * Replaces each `--include-snapshot-plan` and `--delete-dst-snapshots-except-plan` occurrence by
 * the filter options it stands for, appended in command-line order after the other snapshot
 * filters (upstream's order).
 */
function withPlansExpanded(events: readonly ArgEvent[]): ArgEvent[] {
  const plain = events.filter((e) => !(e.attr in PLAN_EXPANSIONS));
  const expanded = events
    .filter((e) => e.attr in PLAN_EXPANSIONS)
    .flatMap((e) => argsToEvents(PLAN_EXPANSIONS[e.attr](e.values[0])));
  return [...plain, ...expanded];
}

/** Turns generated filter arguments (`--opt=value`, `--opt v1 v2`, flags) into occurrences. */
function argsToEvents(args: readonly string[]): ArgEvent[] {
  const out: { attr: string; values: string[] }[] = [];
  for (const arg of args) {
    if (arg.startsWith("--")) {
      const eq = arg.indexOf("=");
      const attr = attributeName(eq < 0 ? arg : arg.slice(0, eq));
      out.push({ attr, values: eq < 0 ? [] : [arg.slice(eq + 1)] });
    } else out[out.length - 1].values.push(arg);
  }
  return out;
}

/**
 * The compiled dataset filter of a pair (this also validates the dataset regexes).
 *
 * @example
 * ```ts
 * import { buildBzfsConfig, datasetFilterOf } from "./bzfs_config.ts";
 * const c = buildBzfsConfig(["tank/a", "backup/a", "--exclude-dataset=tmp2"]);
 * datasetFilterOf(c.options, c.pairs[0]).excludes.length; // 1
 * ```
 * @param o The options.
 * @param pair The root pair.
 * @returns The filter.
 * @throws {UsageError} On an invalid regex.
 */
export function datasetFilterOf(o: BzfsOptionValues, pair: DatasetPair): DatasetFilter {
  return buildDatasetFilter({
    includeRegexes: o.includeDatasetRegex,
    excludeRegexes: o.excludeDatasetRegex,
    includeDatasets: o.includeDataset,
    excludeDatasets: o.excludeDataset,
  }, { src: pair.src.dataset, dst: pair.dst.dataset });
}

/**
 * Checks the monitor plan and the snapshot creation settings before any work, so a typo in a
 * plan never surfaces only after replication ran.
 */
function validatePlans(o: BzfsOptionValues): void {
  const monitor = o.monitorSnapshots.trim();
  if (monitor !== "" && monitor !== "{}") {
    parseMonitorPlan(o.monitorSnapshots, {
      noLatestCheck: o.monitorSnapshotsNoLatestCheck,
      noOldestCheck: o.monitorSnapshotsNoOldestCheck,
    });
  }
  if (!o.createSrcSnapshots) return;
  const option = "--create-src-snapshots-plan";
  if (o.createSrcSnapshotsPlan === undefined || o.createSrcSnapshotsPlan.trim() === "") {
    throw new UsageError("--create-src-snapshots requires --create-src-snapshots-plan", {
      option,
      hint: `Give a plan, e.g. ${option}="{'prod': {'onsite': {'hourly': 36, 'daily': 31}}}"`,
    });
  }
  const labels = planLabels(parsePlan(o.createSrcSnapshotsPlan, option));
  for (const label of labels.slice(0, 1)) {
    formatSnapshotName(label, Temporal.Now.instant(), {
      timeformat: o.createSrcSnapshotsTimeformat,
      timeZone: o.createSrcSnapshotsTimezone,
    });
  }
  resolveTimeZone(o.createSrcSnapshotsTimezone);
}

function makePair(srcSpec: string, dstSpec: string, o: BzfsOptionValues): DatasetPair {
  const s = parseLocation(srcSpec, "SRC_DATASET");
  const d = parseLocation(dstSpec, "DST_DATASET");
  const src = endpoint(s, o.sshSrcUser, o.sshSrcHost, o.sshSrcPort, o.sshSrcConfigFile);
  const dst = endpoint(d, o.sshDstUser, o.sshDstHost, o.sshDstPort, o.sshDstConfigFile);
  if (src.host === dst.host) {
    if (src.dataset === dst.dataset) {
      throw new UsageError("Source and destination dataset must not be the same", {
        option: "SRC_DATASET DST_DATASET",
        value: `${srcSpec} ${dstSpec}`,
        hint: "Replicate into a different dataset or onto another host",
      });
    }
    const overlap = isDescendantOrSame(src.dataset, dst.dataset) ||
      isDescendantOrSame(dst.dataset, src.dataset);
    if (o.recursive && overlap) {
      throw new UsageError("Source and destination dataset trees must not overlap", {
        option: "SRC_DATASET DST_DATASET",
        value: `${srcSpec} ${dstSpec}`,
        hint: "With --recursive, neither dataset may be inside the other on the same host",
      });
    }
  }
  return { src, dst };
}

function endpoint(
  loc: { user?: string; host?: string; dataset: string },
  user: string | undefined,
  host: string | undefined,
  port: number | undefined,
  configFile: string | undefined,
): Endpoint {
  const e: { -readonly [K in keyof Endpoint]: Endpoint[K] } = { dataset: loc.dataset };
  const h = host ?? loc.host;
  if (h) e.host = h;
  const u = user ?? loc.user;
  if (u && h) e.user = u;
  if (port !== undefined) e.port = port;
  if (configFile !== undefined) e.configFile = configFile;
  return e;
}

function validateOptionValues(o: BzfsOptionValues): void {
  if (o.sshSrcHost !== undefined) validateHostName(o.sshSrcHost, "--ssh-src-host");
  if (o.sshDstHost !== undefined) validateHostName(o.sshDstHost, "--ssh-dst-host");
  if (o.sshSrcUser !== undefined) validateUserName(o.sshSrcUser, "--ssh-src-user");
  if (o.sshDstUser !== undefined) validateUserName(o.sshDstUser, "--ssh-dst-user");
  for (
    const [option, file] of [
      ["--ssh-src-config-file", o.sshSrcConfigFile],
      ["--ssh-dst-config-file", o.sshDstConfigFile],
    ] as const
  ) {
    if (file !== undefined && file !== "none" && !basename(file).includes("bzfs_ssh_config")) {
      throw new UsageError("ssh config file name must contain bzfs_ssh_config", {
        option,
        value: file,
        hint: "Rename the file, e.g. to ~/.ssh/bzfs_ssh_config",
      });
    }
  }
  if (o.logDir !== undefined && !basename(o.logDir).includes("bzfs-logs")) {
    throw new UsageError("Log directory name must contain bzfs-logs", {
      option: "--log-dir",
      value: o.logDir,
      hint: "Use e.g. /var/log/bzfs-logs",
    });
  }
  for (const p of o.preserveProperties) validatePropertyName(p, "--preserve-properties");
  checkProgramOpts(o);
  if (/[\s;|&$`'"<>(){}\\]/.test(o.sshCipher)) {
    throw new UsageError("Unsafe characters in cipher list", {
      option: "--ssh-cipher",
      value: o.sshCipher,
    });
  }
  if (o.bwlimit !== undefined && !/^[0-9]+[kKmMgGtT]?$/.test(o.bwlimit)) {
    throw new UsageError("Invalid bandwidth limit", {
      option: "--bwlimit",
      value: o.bwlimit,
      hint: "Give a number with an optional k, m, g or t suffix, e.g. 100m",
    });
  }
}

function basename(path: string): string {
  return path.replace(/\/+$/, "").split("/").pop() ?? "";
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === "object" && !Object.isFrozen(value)) {
    if (value instanceof Set) return value;
    Object.freeze(value);
    for (const v of Object.values(value as Record<string, unknown>)) deepFreeze(v);
  }
  return value;
}
