/**
 * Where the lab keeps things: images in a cache keyed by recipe, run state per ZFS variant.
 * Everything lives outside the clone, under `$XDG_CACHE_HOME/bzfs-deno/lab` (default
 * `~/.cache/bzfs-deno/lab`), or under `$BZFS_LAB_HOME` when set.
 *
 * @module
 */

import { dirname, join } from "node:path";
import { fileURLToPath as fromFileUrl } from "node:url";

/** The OpenZFS versions the lab can build. */
export type ZfsVariant = "2.3" | "2.1";

/** All variants, default first. */
export const ZFS_VARIANTS: readonly ZfsVariant[] = ["2.3", "2.1"];

/**
 * Parses a `--zfs` value.
 *
 * @example
 * ```ts
 * parseVariant("2.1"); // "2.1"
 * ```
 */
export function parseVariant(value: string): ZfsVariant {
  const v = ZFS_VARIANTS.find((x) => x === value);
  if (!v) throw new Error(`Unknown --zfs '${value}'. Use one of: ${ZFS_VARIANTS.join(", ")}`);
  return v;
}

/**
 * Root of the lab's cache and state.
 *
 * @example
 * ```ts
 * console.log(labHome()); // "/root/.cache/bzfs-deno/lab"
 * ```
 */
export function labHome(): string {
  const explicit = Deno.env.get("BZFS_LAB_HOME");
  if (explicit) return explicit;
  const cache = Deno.env.get("XDG_CACHE_HOME") || join(homeDir(), ".cache");
  return join(cache, "bzfs-deno", "lab");
}

/**
 * Run-state directory of one lab (VM of a variant, or host pools).
 *
 * @example
 * ```ts
 * stateDir("vm", "2.3"); // ".../lab/run-vm-zfs2.3"
 * ```
 */
export function stateDir(mode: "vm" | "host", variant: ZfsVariant): string {
  return mode === "vm" ? join(labHome(), `run-vm-zfs${variant}`) : join(labHome(), "run-host");
}

/**
 * The repository root, found relative to this file (never a fixed path).
 *
 * @example
 * ```ts
 * const cli = join(repoRoot(), "cli.ts");
 * ```
 */
export function repoRoot(): string {
  return dirname(dirname(dirname(fromFileUrl(import.meta.url))));
}

function homeDir(): string {
  const home = Deno.env.get("HOME");
  if (!home) throw new Error("HOME is not set; set HOME or BZFS_LAB_HOME");
  return home;
}
