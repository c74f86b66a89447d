/**
 * Beyond upstream: `--monitor-snapshots` findings as a Prometheus node-exporter textfile
 * (text exposition format 0.0.4), so snapshot ages can be graphed and alerted on.
 *
 * Gauges, labelled `dataset`, `org`, `target`, `period` (the plan keys of the label):
 * - `bzfs_snapshot_latest_age_seconds`: age of the latest matching snapshot;
 * - `bzfs_snapshot_oldest_age_seconds`: age of the oldest matching snapshot;
 * - `bzfs_monitor_status` (plus label `check` = `latest|oldest`): 0 ok, 1 warning, 2 critical,
 *   as graded, whether or not `--monitor-snapshots-dont-warn/-dont-crit` mute it.
 *
 * When no snapshot matches, the age is measured from the Unix epoch (upstream grades a missing
 * snapshot as created at time 0), so any age threshold in Prometheus fires as well. Staleness of
 * the file itself is visible through node-exporter's `node_textfile_mtime_seconds`.
 *
 * @module
 */

import type { MonitorAlert } from "../plan/monitor_plan.ts";
import type { MonitorFinding } from "./monitor.ts";

export { writeTextfileAtomically } from "./atomic_write.ts";

/**
 * Escapes a label value for the text format: backslash, double quote and line feed.
 *
 * @example
 * ```ts
 * import { escapeLabelValue } from "./prometheus.ts";
 * escapeLabelValue('a"b\\c\nd'); // 'a\\"b\\\\c\\nd'
 * ```
 * @param value The raw value.
 * @returns The escaped value (without surrounding quotes).
 */
export function escapeLabelValue(value: string): string {
  return value.replaceAll("\\", "\\\\").replaceAll('"', '\\"').replaceAll("\n", "\\n");
}

/**
 * Escapes `# HELP` text: backslash and line feed.
 *
 * @example
 * ```ts
 * import { escapeHelp } from "./prometheus.ts";
 * escapeHelp("a\\b\nc"); // "a\\\\b\\nc"
 * ```
 * @param text The raw help text.
 * @returns The escaped text.
 */
export function escapeHelp(text: string): string {
  return text.replaceAll("\\", "\\\\").replaceAll("\n", "\\n");
}

/**
 * The plan keys of a label: `org`, `target` and `period` without their `_` separators.
 *
 * @example
 * ```ts
 * import { labelKeys } from "./prometheus.ts";
 * labelKeys({ prefix: "prod_", infix: "onsite_", suffix: "_hourly" });
 * // { org: "prod", target: "onsite", period: "hourly" }
 * ```
 * @param alert The plan entry.
 * @returns Its keys.
 */
export function labelKeys(
  alert: Pick<MonitorAlert, "prefix" | "infix" | "suffix">,
): { org: string; target: string; period: string } {
  return {
    org: alert.prefix.replace(/_$/, ""),
    target: alert.infix.replace(/_$/, ""),
    period: alert.suffix.replace(/^_/, ""),
  };
}

interface Family {
  readonly name: string;
  readonly help: string;
  readonly samples: string[];
}

const LEVEL_VALUE = { ok: 0, warning: 1, critical: 2 } as const;

/**
 * Renders findings as a textfile: for each metric family its `# HELP` and `# TYPE` lines and then
 * its samples (families without samples are omitted; no timestamps, as the textfile collector
 * requires). Samples keep the order of the findings.
 *
 * @example
 * ```ts
 * import { renderPrometheusTextfile } from "./prometheus.ts";
 * import { monitorSnapshots } from "./monitor.ts";
 * const alert = { prefix: "prod_", infix: "", suffix: "_daily", oldestSkipHolds: false,
 *   latest: { warningMs: 93_600_000, criticalMs: 2 ** 64 } };
 * const snaps = [{ name: "prod_2024-01-01_daily", createTxg: 1n, creation: 1_704_067_200 }];
 * const r = monitorSnapshots([{ dataset: "tank/a", snapshots: snaps }], [alert], { now: 1_704_070_800_000 });
 * console.log(renderPrometheusTextfile(r.findings).split("\n")[2]);
 * // 'bzfs_snapshot_latest_age_seconds{dataset="tank/a",org="prod",target="",period="daily"} 3600'
 * ```
 * @param findings The findings of one or more datasets.
 * @returns The file content, ending with a newline (empty when there are no findings).
 */
export function renderPrometheusTextfile(findings: Iterable<MonitorFinding>): string {
  const latest: Family = {
    name: "bzfs_snapshot_latest_age_seconds",
    help: "Age in seconds of the latest snapshot matching the --monitor-snapshots label " +
      "(measured from the Unix epoch when none exists)",
    samples: [],
  };
  const oldest: Family = {
    name: "bzfs_snapshot_oldest_age_seconds",
    help: "Age in seconds of the oldest snapshot matching the --monitor-snapshots label " +
      "(measured from the Unix epoch when none exists)",
    samples: [],
  };
  const status: Family = {
    name: "bzfs_monitor_status",
    help: "Result of the --monitor-snapshots check: 0 ok, 1 warning, 2 critical",
    samples: [],
  };
  for (const f of findings) {
    const keys = labelKeys(f.alert);
    const labels = { dataset: f.dataset, ...keys };
    (f.check === "latest" ? latest : oldest).samples.push(
      sample(labels, formatValue(f.ageMs / 1000)),
    );
    status.samples.push(sample({ ...labels, check: f.check }, String(LEVEL_VALUE[f.level])));
  }
  const lines: string[] = [];
  for (const family of [latest, oldest, status]) {
    if (family.samples.length === 0) continue;
    lines.push(`# HELP ${family.name} ${escapeHelp(family.help)}`, `# TYPE ${family.name} gauge`);
    lines.push(...family.samples.map((s) => `${family.name}${s}`));
  }
  return lines.length === 0 ? "" : lines.join("\n") + "\n";
}

function sample(labels: Record<string, string>, value: string): string {
  const body = Object.entries(labels).map(([k, v]) => `${k}="${escapeLabelValue(v)}"`).join(",");
  return `{${body}} ${value}`;
}

/** Go-parsable float text: `NaN`, `+Inf`, `-Inf`, or JavaScript's shortest round-trip form. */
function formatValue(x: number): string {
  if (Number.isNaN(x)) return "NaN";
  if (!Number.isFinite(x)) return x > 0 ? "+Inf" : "-Inf";
  return String(x);
}
