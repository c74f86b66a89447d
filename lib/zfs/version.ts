/**
 * `zfs --version` / `zpool --version` parsing and the features that depend on the version, and
 * `zpool get` feature parsing.
 *
 * @module
 */
import { ZfsParseError } from "./errors.ts";
import { lines } from "./list.ts";

/** A parsed OpenZFS version. */
export interface ZfsVersion {
  /** Major version, e.g. 2. */
  readonly major: number;
  /** Minor version, e.g. 3. */
  readonly minor: number;
  /** Patch level, e.g. 2. */
  readonly patch: number;
  /** The first line as printed, e.g. `zfs-2.1.11-1`. */
  readonly text: string;
}

/**
 * Parses the first line of `zfs --version` (or `zpool --version`): `zfs-2.1.11-1`,
 * `zfs-2.1.5-1ubuntu6~22.04.1`, `zfs-2.2.3-FreeBSD_g...`, `zfswin-2.2.3rc5`.
 *
 * @example
 * ```ts
 * import { parseZfsVersion } from "./version.ts";
 * parseZfsVersion("zfs-2.3.2-1~bpo12+1\nzfs-kmod-2.3.2-1~bpo12+1\n");
 * // { major: 2, minor: 3, patch: 2, text: "zfs-2.3.2-1~bpo12+1" }
 * ```
 * @param stdout The command's output.
 * @returns The version.
 * @throws {ZfsParseError} When no `X.Y.Z` is found in the first line.
 */
export function parseZfsVersion(stdout: string): ZfsVersion {
  const first = lines(stdout)[0] ?? "";
  const m = first.match(/(\d+)\.(\d+)\.(\d+)/);
  if (!m) throw new ZfsParseError("Unparsable zfs version string", first);
  return { major: Number(m[1]), minor: Number(m[2]), patch: Number(m[3]), text: first.trim() };
}

/**
 * Whether `v` is at least `min` (`"2.2.0"` or `"2.2"`).
 *
 * @example
 * ```ts
 * import { isVersionAtLeast, parseZfsVersion } from "./version.ts";
 * isVersionAtLeast(parseZfsVersion("zfs-2.1.11-1"), "2.2.0"); // false
 * ```
 * @param v The version.
 * @param min The minimum, dotted.
 * @returns True when `v >= min`.
 */
export function isVersionAtLeast(v: ZfsVersion, min: string): boolean {
  const [a = 0, b = 0, c = 0] = min.split(".").map(Number);
  return v.major !== a ? v.major > a : v.minor !== b ? v.minor > b : v.patch >= c;
}

/** Behaviour that depends on the OpenZFS version. */
export interface ZfsFeatures {
  /** The `snapshots_changed` dataset property exists (>= 2.2): needed by `--cache-snapshots`. */
  readonly snapshotsChanged: boolean;
  /** `zfs receive -s` / `send -t` are reliable (>= 2.1; 0.8 had "Unknown error 1040"). */
  readonly reliableResume: boolean;
  /** `--preserve-properties` with `zfs send --props` is reliable on the receiver (>= 2.2). */
  readonly preservePropertiesWithProps: boolean;
}

/**
 * The version-dependent features of a host.
 *
 * @example
 * ```ts
 * import { parseZfsVersion, zfsFeatures } from "./version.ts";
 * zfsFeatures(parseZfsVersion("zfs-2.3.2-1")).snapshotsChanged; // true
 * zfsFeatures(parseZfsVersion("zfs-2.1.11-1")).snapshotsChanged; // false
 * ```
 * @param v The version.
 * @returns The features.
 */
export function zfsFeatures(v: ZfsVersion): ZfsFeatures {
  const at22 = isVersionAtLeast(v, "2.2.0");
  return {
    snapshotsChanged: at22,
    reliableResume: isVersionAtLeast(v, "2.1.0"),
    preservePropertiesWithProps: at22,
  };
}

/**
 * `zpool get -Hp -o property,value all <pool>`.
 *
 * @example
 * ```ts
 * import { zpoolFeaturesArgv } from "./version.ts";
 * zpoolFeaturesArgv("tank").join(" "); // "zpool get -Hp -o property,value all tank"
 * ```
 * @param pool The pool name.
 * @param options The zpool program.
 * @returns The argv.
 */
export function zpoolFeaturesArgv(pool: string, options: { zpoolProgram?: string } = {}): string[] {
  return [options.zpoolProgram ?? "zpool", "get", "-Hp", "-o", "property,value", "all", pool];
}

/**
 * The `feature@...` entries and `delegation` from {@linkcode zpoolFeaturesArgv}'s output.
 *
 * @example
 * ```ts
 * import { parseZpoolFeatures, isPoolFeatureEnabled } from "./version.ts";
 * const f = parseZpoolFeatures("size\t100\nfeature@bookmark_v2\tenabled\ndelegation\ton\n");
 * isPoolFeatureEnabled(f, "bookmark_v2"); // true
 * ```
 * @param stdout The command's output.
 * @returns Feature name (with `feature@`) or `delegation` to value.
 */
export function parseZpoolFeatures(stdout: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of lines(stdout)) {
    const tab = line.indexOf("\t");
    const name = tab < 0 ? line : line.slice(0, tab);
    if (name.startsWith("feature@") || name === "delegation") {
      out.set(name, tab < 0 ? "" : line.slice(tab + 1));
    }
  }
  return out;
}

/**
 * Whether a pool feature is `enabled` or `active`.
 *
 * @example
 * ```ts
 * import { isPoolFeatureEnabled } from "./version.ts";
 * isPoolFeatureEnabled(new Map([["feature@extensible_dataset", "active"]]), "extensible_dataset"); // true
 * ```
 * @param features From {@linkcode parseZpoolFeatures}.
 * @param feature Name with or without the `feature@` prefix.
 * @returns True when usable.
 */
export function isPoolFeatureEnabled(
  features: ReadonlyMap<string, string>,
  feature: string,
): boolean {
  const v = features.get(feature.startsWith("feature@") ? feature : `feature@${feature}`);
  return v === "enabled" || v === "active";
}
