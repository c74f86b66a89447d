/**
 * Snapshot auditing: `--compare-snapshot-lists` (which snapshots exist only on the source, only
 * on the destination, or on both, by GUID; TSV rows, file names and summary lines) and
 * `--monitor-snapshots` (age of the latest/oldest snapshot per plan label against warning and
 * critical thresholds), plus a Prometheus textfile rendering of the monitor findings. Pure
 * decisions over listed records; the only I/O is the atomic file writer.
 *
 * @example Grade one dataset and render a textfile
 * ```ts
 * import { monitorSnapshots, renderPrometheusTextfile } from "./mod.ts";
 * const alert = { prefix: "prod_", infix: "", suffix: "_daily", oldestSkipHolds: false,
 *   latest: { warningMs: 93_600_000, criticalMs: 115_200_000 } };
 * const snaps = [{ name: "prod_2024-01-01_daily", createTxg: 1n, creation: 1_704_067_200 }];
 * const report = monitorSnapshots([{ dataset: "tank/a", snapshots: snaps }], [alert], {
 *   now: 1_704_067_200_000 + 100_000_000,
 * });
 * console.log(report.status); // 1 (27.8h old, warning above 26h)
 * console.log(renderPrometheusTextfile(report.findings).length > 0); // true
 * ```
 *
 * @module
 */

export * from "./atomic_write.ts";
export * from "./compare.ts";
export * from "./compare_dataset.ts";
export * from "./compare_output.ts";
export * from "./compare_types.ts";
export * from "./human_readable.ts";
export * from "./monitor.ts";
export * from "./monitor_match.ts";
export * from "./prometheus.ts";
export * from "./zfs_list.ts";
// Types from shared modules that this API exposes.
export type { AlertThresholds, MonitorAlert } from "../plan/monitor_plan.ts";
export type { SnapshotFilterGroup, SnapshotFilterOp } from "../filter/snapshot_filter_types.ts";
export type { SnapshotKind, SnapshotRecord } from "../zfs/types.ts";
