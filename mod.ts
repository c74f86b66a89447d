/**
 * bzfs for Deno: ZFS snapshot replication and fleet orchestration primitives.
 *
 * @example Map an error to an exit status
 * ```ts
 * import { exitCodeOf, UsageError } from "./mod.ts";
 * console.log(exitCodeOf(new UsageError("bad"))); // 2
 * ```
 *
 * @module
 */
export * from "./lib/errors.ts";
export * from "./lib/clock.ts";
export * from "./lib/cli/exit_codes.ts";
