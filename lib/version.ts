/**
 * Version of bzfs for Deno, and the upstream release it is option-compatible with.
 *
 * @module
 */

/** Our version (kept equal to `deno.json`'s version; a test checks it). */
export const VERSION = "0.1.0";

/** The upstream bzfs release whose options and behaviour we follow. */
export const UPSTREAM_VERSION = "1.24.0.dev0";

/**
 * The `--version` line of a command.
 *
 * @example
 * ```ts
 * import { versionText } from "./version.ts";
 * versionText("bzfs"); // "bzfs-0.1.0 (bzfs for Deno, option-compatible with bzfs 1.24.0.dev0)"
 * ```
 * @param program `bzfs` or `bzfs_jobrunner`.
 * @returns The line.
 */
export function versionText(program: string): string {
  return `${program}-${VERSION} (bzfs for Deno, option-compatible with bzfs ${UPSTREAM_VERSION})`;
}
