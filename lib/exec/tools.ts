/**
 * Which helper programs a host has, by role (the configured program may be `zstd` or `lz4`, `sudo`
 * or `doas`; the pipeline only asks "is the compressor there?").
 *
 * @module
 */

/** The roles of helper programs that bzfs looks for on each host. */
export type ToolRole = "shell" | "sudo" | "compression" | "mbuffer" | "pv" | "ps" | "zpool" | "ssh";

/** The roles available on one host. */
export type ToolSet = ReadonlySet<ToolRole>;

/** Every tool role, in a fixed order. */
export const TOOL_ROLES: readonly ToolRole[] = Object.freeze([
  "shell",
  "sudo",
  "compression",
  "mbuffer",
  "pv",
  "ps",
  "zpool",
  "ssh",
]);

/**
 * Builds a ToolSet from role names.
 *
 * @example
 * ```ts
 * import { toolSet } from "./tools.ts";
 * toolSet("shell", "compression").has("compression"); // true
 * ```
 * @param roles The available roles.
 * @returns The set.
 */
export function toolSet(...roles: ToolRole[]): ToolSet {
  return new Set(roles);
}
