/**
 * `--zfs-recv-o-*` / `--zfs-recv-x-*`: source properties selected by name become
 * `zfs receive -o NAME=VALUE` / `-x NAME` options (pure; the caller fetches the properties with
 * `zfs get -s <sources>` and builds the name matchers from the include/exclude regexes).
 *
 * @module
 */
import type { PropertyValue } from "./get.ts";

/** `--zfs-recv-o-include-regex` when not given: the properties commonly worth copying. */
export const DEFAULT_RECV_O_INCLUDE_REGEX: string =
  "aclinherit|aclmode|acltype|atime|checksum|compression|copies|logbias|primarycache|recordsize|" +
  "redundant_metadata|relatime|secondarycache|snapdir|sync|xattr";

/** Properties `zfs receive` refuses to set or exclude; never generated. */
export const NEVER_RECEIVED_PROPERTIES: ReadonlySet<string> = new Set([
  "casesensitivity",
  "normalization",
  "utf8only",
  "volblocksize",
  "volsize",
]);

/** Properties that exist only for filesystems; never generated as `-o` for a volume. */
export const FILESYSTEM_ONLY_PROPERTIES: ReadonlySet<string> = new Set([
  "aclinherit",
  "aclmode",
  "acltype",
  "atime",
  "canmount",
  "devices",
  "dnodesize",
  "exec",
  "filesystem_limit",
  "mountpoint",
  "nbmand",
  "overlay",
  "quota",
  "recordsize",
  "refquota",
  "relatime",
  "setuid",
  "sharenfs",
  "sharesmb",
  "snapdir",
  "version",
  "vscan",
  "xattr",
  "zoned",
]);

/** `--zfs-recv-{o,x}-targets`: which sends get the generated options. */
export type PropertyTargets = "full" | "incremental" | "full+incremental";

/** One of the two groups (`-o` or `-x`). */
export interface RecvPropertyGroup {
  /** Which sends it applies to. */
  readonly targets: PropertyTargets;
  /** Whether a property name is selected (include regexes minus exclude regexes, full match). */
  readonly select: (name: string) => boolean;
  /** The source dataset's properties from `zfs get -s <sources>`. */
  readonly properties: ReadonlyMap<string, PropertyValue>;
}

/** Options of {@linkcode recvPropertyOpts}. */
export interface RecvPropertyOptions {
  /** Whether this is a full send (else incremental). */
  full: boolean;
  /** Whether the source dataset is a volume. @default {false} */
  isVolume?: boolean;
  /** Names already given with `-o`/`-x` in `--zfs-recv-program-opt(s)`; they are skipped. */
  explicit?: { readonly oNames: readonly string[]; readonly xNames: readonly string[] };
}

/**
 * Whether a group with these targets applies to this send.
 *
 * @example
 * ```ts
 * import { targetsApply } from "./recv_props.ts";
 * targetsApply("full", false); // false
 * targetsApply("full+incremental", false); // true
 * ```
 * @param targets The group's targets.
 * @param full Whether the send is full.
 * @returns True when it applies.
 */
export function targetsApply(targets: PropertyTargets, full: boolean): boolean {
  return targets === "full+incremental" || (targets === "full") === full;
}

/**
 * The generated receive options: the `-o` group first, then `-x`, each sorted by name; a name
 * appears at most once (first wins) and never when already given explicitly.
 *
 * @example
 * ```ts
 * import { recvPropertyOpts } from "./recv_props.ts";
 * const props = new Map([["compression", { value: "zstd", source: "local" }], ["volsize", { value: "1G", source: "local" }]]);
 * recvPropertyOpts({ o: { targets: "full", select: () => true, properties: props } }, { full: true });
 * // ["-o", "compression=zstd"]
 * ```
 * @param groups The `-o` and `-x` groups (either may be absent).
 * @param options Full or incremental, volume, explicit names.
 * @returns The options to append to `zfs receive`.
 */
export function recvPropertyOpts(
  groups: { o?: RecvPropertyGroup; x?: RecvPropertyGroup },
  options: RecvPropertyOptions,
): string[] {
  const seen = new Set([...(options.explicit?.oNames ?? []), ...(options.explicit?.xNames ?? [])]);
  const out: string[] = [];
  for (const flag of ["-o", "-x"] as const) {
    const group = flag === "-o" ? groups.o : groups.x;
    if (!group || !targetsApply(group.targets, options.full)) continue;
    for (const name of [...group.properties.keys()].sort()) {
      if (seen.has(name) || NEVER_RECEIVED_PROPERTIES.has(name) || !group.select(name)) continue;
      if (flag === "-o" && options.isVolume && FILESYSTEM_ONLY_PROPERTIES.has(name)) continue;
      seen.add(name);
      out.push(flag, flag === "-o" ? `${name}=${group.properties.get(name)!.value}` : name);
    }
  }
  return out;
}
