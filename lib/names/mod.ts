/**
 * Validation of every name bzfs puts on a command line: datasets, snapshots, bookmarks, hosts,
 * users, properties, and the `[[user@]host:]dataset` syntax. Each validator throws a
 * `UsageError` naming the option and the value.
 *
 * @example
 * ```ts
 * import { parseLocation, validateSnapshotName } from "./mod.ts";
 * parseLocation("root@nas:tank/a", "DST_DATASET");
 * validateSnapshotName("tank/a@s1", "--x");
 * ```
 *
 * @module
 */

export * from "./dataset.ts";
export * from "./host.ts";
export * from "./location.ts";
export * from "./property.ts";
