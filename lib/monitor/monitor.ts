/**
 * `--monitor-snapshots`: for every dataset and every alert of the parsed plan, finds the latest
 * and oldest snapshot matching the label, computes its age at the run's "now", and grades it
 * against the effective thresholds. Pure: takes listed snapshots, returns findings with
 * upstream's messages and the exit status the worst counted finding implies.
 *
 * @module
 */

import { MonitorAlertError } from "../errors.ts";
import type { MonitorAlert } from "../plan/monitor_plan.ts";
import { humanReadableDuration, humanReadableFloat } from "./human_readable.ts";
import { findMinMaxSnapshot, type MonitorSnapshot, sortMonitorSnapshots } from "./monitor_match.ts";

/** Which end of a label's snapshots a check looks at. */
export type MonitorCheck = "latest" | "oldest";

/** How a check came out. */
export type MonitorLevel = "ok" | "warning" | "critical";

/** One dataset's snapshots, as listed by `zfs list -t snapshot -d 1 -Hp -o name,createtxg,creation[,userrefs]`. */
export interface MonitorDatasetSnapshots {
  /** Full dataset name. */
  readonly dataset: string;
  /** Its snapshots, in any order. */
  readonly snapshots: readonly MonitorSnapshot[];
}

/** The outcome of one (dataset, label, latest|oldest) check. */
export interface MonitorFinding {
  /** Full dataset name. */
  readonly dataset: string;
  /** The plan entry checked. */
  readonly alert: MonitorAlert;
  /** Latest or oldest. */
  readonly check: MonitorCheck;
  /** Short name of the snapshot found (empty when none, or when answered from a cache). */
  readonly snapshot: string;
  /** Its creation in Unix seconds; 0 when no snapshot matched. */
  readonly creation: number;
  /** `now - creation * 1000`, in ms. */
  readonly ageMs: number;
  /** The grade. */
  readonly level: MonitorLevel;
  /** The effective threshold that fired (undefined when OK). */
  readonly thresholdMs?: number;
  /** Whether the finding counts toward the exit status (false when OK or muted). */
  readonly counted: boolean;
  /** The log line, `--monitor_snapshots: ...` (with `OK. ` for OK findings, logged at DEBUG). */
  readonly message: string;
}

/** Options of the monitor functions. */
export interface MonitorOptions {
  /** The run's start time in epoch milliseconds. */
  readonly now: number;
  /** `--monitor-snapshots-dont-warn`: warnings are reported but not counted. @default {false} */
  readonly dontWarn?: boolean;
  /** `--monitor-snapshots-dont-crit`: criticals are reported but not counted. @default {false} */
  readonly dontCrit?: boolean;
  /** `--monitor-snapshots-no-latest-check` (also applied by `parseMonitorPlan`). @default {false} */
  readonly noLatestCheck?: boolean;
  /** `--monitor-snapshots-no-oldest-check` (also applied by `parseMonitorPlan`). @default {false} */
  readonly noOldestCheck?: boolean;
}

/** The result of monitoring a set of datasets. */
export interface MonitorReport {
  /** Every finding, per dataset in input order, per alert in plan order, latest before oldest. */
  readonly findings: readonly MonitorFinding[];
  /** The worst counted finding, if any. */
  readonly worst?: MonitorFinding;
  /** 0 ok (or all muted), 1 warning, 2 critical. */
  readonly status: 0 | 1 | 2;
}

/** What one check looked at (also the entry point for answers taken from a snapshot cache). */
export interface MonitorObservation {
  /** Full dataset name. */
  readonly dataset: string;
  /** The plan entry. */
  readonly alert: MonitorAlert;
  /** Latest or oldest. */
  readonly check: MonitorCheck;
  /** Creation of the matching snapshot in Unix seconds, 0 when none matched. */
  readonly creation: number;
  /** Short snapshot name; empty when none, or unknown because the answer came from a cache. */
  readonly snapshot?: string;
}

/**
 * The label as upstream prints it: `<prefix><infix><timestamp><suffix>`.
 *
 * @example
 * ```ts
 * import { labelText } from "./monitor.ts";
 * labelText({ prefix: "prod_", infix: "", suffix: "_daily" }); // "prod_<timestamp>_daily"
 * ```
 * @param alert The plan entry.
 * @returns The printable label.
 */
export function labelText(alert: Pick<MonitorAlert, "prefix" | "infix" | "suffix">): string {
  return `${alert.prefix}${alert.infix}<timestamp>${alert.suffix}`;
}

/**
 * Grades one observation. Returns undefined when the plan entry has no thresholds for this check
 * (or the check is switched off).
 *
 * @example Cached answer: no snapshot name in the message
 * ```ts
 * import { evaluateObservation } from "./monitor.ts";
 * const alert = { prefix: "prod_", infix: "", suffix: "_daily", oldestSkipHolds: false,
 *   latest: { warningMs: 93_600_000, criticalMs: 2 ** 64 } };
 * const f = evaluateObservation(
 *   { dataset: "tank/a", alert, check: "latest", creation: 1_700_000_000 },
 *   { now: 1_700_100_000_000 },
 * );
 * console.log(f?.level, f?.message);
 * // warning --monitor_snapshots: Latest snapshot for tank/a@prod_<timestamp>_daily is 1.16d old but should be at most 1.08d old
 * ```
 * @param observation What was found.
 * @param options "now" and the dont-warn/dont-crit switches.
 * @returns The finding, or undefined if this check is not configured.
 */
export function evaluateObservation(
  observation: MonitorObservation,
  options: MonitorOptions,
): MonitorFinding | undefined {
  const { alert, check } = observation;
  const thresholds = check === "latest" ? alert.latest : alert.oldest;
  if (!thresholds || (check === "latest" ? options.noLatestCheck : options.noOldestCheck)) {
    return undefined;
  }
  const ageMs = options.now - observation.creation * 1000;
  const base = {
    dataset: observation.dataset,
    alert,
    check,
    snapshot: observation.snapshot ?? "",
    creation: observation.creation,
    ageMs,
  };
  const text = (thresholdMs?: number) => alertMessage({ ...base, thresholdMs }, options.now);
  if (ageMs > thresholds.criticalMs) {
    const thresholdMs = thresholds.criticalMs;
    const counted = !options.dontCrit;
    return { ...base, level: "critical", thresholdMs, counted, message: text(thresholdMs) };
  }
  if (ageMs > thresholds.warningMs) {
    const thresholdMs = thresholds.warningMs;
    const counted = !options.dontWarn;
    return { ...base, level: "warning", thresholdMs, counted, message: text(thresholdMs) };
  }
  return { ...base, level: "ok", counted: false, message: text().replace(PREFIX, `${PREFIX}OK. `) };
}

const PREFIX = "--monitor_snapshots: ";

function alertMessage(
  f: Pick<MonitorFinding, "dataset" | "alert" | "check" | "snapshot" | "ageMs" | "thresholdMs">,
  now: number,
): string {
  const label = `${f.dataset}@${labelText(f.alert)}`;
  if (f.ageMs >= now) return `${PREFIX}No snapshot exists for ${label}`;
  const kind = f.check === "latest" ? "Latest" : "Oldest";
  const msg = `${kind} snapshot for ${label} is ${humanReadableDuration(f.ageMs, "ms")} old`;
  const snap = f.snapshot ? `: @${f.snapshot}` : "";
  if (f.thresholdMs === undefined) return `${PREFIX}${msg}${snap}`;
  return `${PREFIX}${msg} but should be at most ${
    humanReadableDuration(f.thresholdMs, "ms")
  } old${snap}`;
}

/**
 * Checks one dataset against every alert: per alert, the latest then the oldest matching snapshot.
 * A label without a matching snapshot is graded as created at time 0 ("No snapshot exists").
 *
 * @example
 * ```ts
 * import { monitorDataset } from "./monitor.ts";
 * const alert = { prefix: "prod_", infix: "", suffix: "_hourly", oldestSkipHolds: false,
 *   latest: { warningMs: 5_400_000, criticalMs: 21_600_000 } };
 * const snaps = [{ name: "prod_2024-01-01_00:00:00_hourly", createTxg: 1n, creation: 1_704_067_200 }];
 * const [f] = monitorDataset({ dataset: "tank/a", snapshots: snaps }, [alert], { now: 1_704_067_200_000 + 3_600_000 });
 * console.log(f.level); // "ok"
 * ```
 * @param dataset The dataset and its snapshots.
 * @param alerts The parsed plan (`parseMonitorPlan`), in evaluation order.
 * @param options "now" and switches.
 * @returns The findings.
 */
export function monitorDataset(
  dataset: MonitorDatasetSnapshots,
  alerts: readonly MonitorAlert[],
  options: MonitorOptions,
): MonitorFinding[] {
  const out: MonitorFinding[] = [];
  const sorted = sortMonitorSnapshots(dataset.snapshots);
  for (const alert of alerts) {
    for (const check of ["latest", "oldest"] as const) {
      const found = (check === "latest" ? alert.latest : alert.oldest) === undefined
        ? undefined
        : findMinMaxSnapshot(sorted, { alert, check, sorted: true });
      const finding = evaluateObservation({
        dataset: dataset.dataset,
        alert,
        check,
        creation: found?.creation ?? 0,
        snapshot: found?.name ?? "",
      }, options);
      if (finding) out.push(finding);
    }
  }
  return out;
}

/**
 * The worse of two findings for the exit status, as upstream ranks them: only counted findings
 * take part; critical beats warning; then `Latest` before `Oldest`; then the smaller message.
 *
 * @example
 * ```ts
 * import { worseFinding } from "./monitor.ts";
 * worseFinding(undefined, undefined); // undefined
 * ```
 * @param a A finding or undefined.
 * @param b A finding or undefined.
 * @returns The worse counted finding, or undefined if neither counts.
 */
export function worseFinding(a?: MonitorFinding, b?: MonitorFinding): MonitorFinding | undefined {
  const ca = a?.counted ? a : undefined;
  const cb = b?.counted ? b : undefined;
  if (!ca || !cb) return ca ?? cb;
  const rank = (f: MonitorFinding) => (f.level === "critical" ? 0 : 1);
  const byRank = rank(ca) - rank(cb);
  if (byRank !== 0) return byRank < 0 ? ca : cb;
  if (ca.check !== cb.check) return ca.check === "latest" ? ca : cb;
  return cb.message < ca.message ? cb : ca;
}

/**
 * Monitors a set of datasets (src and dst may be passed together) and returns every finding,
 * the worst counted one and the status it implies.
 *
 * @example
 * ```ts
 * import { monitorSnapshots } from "./monitor.ts";
 * const alert = { prefix: "prod_", infix: "", suffix: "_daily", oldestSkipHolds: false,
 *   latest: { warningMs: 93_600_000, criticalMs: 115_200_000 } };
 * const r = monitorSnapshots([{ dataset: "tank/a", snapshots: [] }], [alert], { now: 1_700_000_000_000 });
 * console.log(r.status, r.worst?.message); // 2 "--monitor_snapshots: No snapshot exists for tank/a@prod_<timestamp>_daily"
 * ```
 * @param datasets The datasets with their snapshots.
 * @param alerts The parsed plan.
 * @param options "now" and switches.
 * @returns The report.
 */
export function monitorSnapshots(
  datasets: Iterable<MonitorDatasetSnapshots>,
  alerts: readonly MonitorAlert[],
  options: MonitorOptions,
): MonitorReport {
  const findings: MonitorFinding[] = [];
  let worst: MonitorFinding | undefined;
  for (const ds of datasets) {
    for (const f of monitorDataset(ds, alerts, options)) {
      findings.push(f);
      worst = worseFinding(worst, f);
    }
  }
  return { findings, ...(worst ? { worst } : {}), status: statusOf(worst) };
}

function statusOf(worst: MonitorFinding | undefined): 0 | 1 | 2 {
  if (!worst) return 0;
  return worst.level === "critical" ? 2 : 1;
}

/**
 * The task error for a report: a {@linkcode MonitorAlertError} carrying the worst counted
 * finding's message (exit status 1 or 2), or undefined when nothing counts.
 *
 * @example
 * ```ts
 * import { monitorAlertError } from "./monitor.ts";
 * monitorAlertError({}); // undefined
 * ```
 * @param report A report from {@linkcode monitorSnapshots} (or any `{ worst }`).
 * @returns The error to throw, or undefined.
 */
export function monitorAlertError(
  report: Pick<MonitorReport, "worst">,
): MonitorAlertError | undefined {
  const w = report.worst;
  if (!w || w.level === "ok") return undefined;
  return new MonitorAlertError(w.message, w.level);
}

/** Options of {@linkcode monitorDoneMessage}. */
export interface MonitorDoneOptions {
  /** Number of datasets checked (src + dst). */
  readonly datasets: number;
  /** Elapsed time in milliseconds. */
  readonly tookMs: number;
  /** Cache hits and misses, when `--cache-snapshots` was used. */
  readonly cache?: { readonly hits: number; readonly misses: number };
}

/**
 * The INFO line logged when monitoring found nothing that counts.
 *
 * @example
 * ```ts
 * import { monitorDoneMessage } from "./monitor.ts";
 * monitorDoneMessage("tank/src --> tank/dst", { datasets: 4, tookMs: 12.5 });
 * // "--monitor-snapshots done: tank/src --> tank/dst [4 datasets; took 12.5ms]"
 * ```
 * @param task The task description.
 * @param options Counts and timing.
 * @returns The line.
 */
export function monitorDoneMessage(task: string, options: MonitorDoneOptions): string {
  const c = options.cache;
  const total = c ? c.hits + c.misses : 0;
  const cache = c && total > 0
    ? `, cache hits: ${percent(c.hits, total)}, misses: ${percent(c.misses, total)}`
    : "";
  const took = humanReadableDuration(options.tookMs, "ms");
  return `--monitor-snapshots done: ${task} [${options.datasets} datasets; took ${took}${cache}]`;
}

function percent(n: number, total: number): string {
  return `${n}/${total}=${humanReadableFloat((100 * n) / total)}%`;
}
