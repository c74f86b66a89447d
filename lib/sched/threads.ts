/**
 * `--threads INT[%]`: how many workers a side gets (semantics 9.1).
 *
 * @module
 */

import { roundHalfEven } from "./round_half_even.ts";

/** The parsed value of `--threads`: `4` is `{ number: 4, isPercent: false }`, `75%` is `{ 75, true }`. */
export interface ThreadsSpec {
  /** The numeric part, 1..1600 (the parser checks the range; it may be fractional, e.g. `1.5`). */
  readonly number: number;
  /** Whether the value had a `%` suffix (a percentage of the host's CPU count). */
  readonly isPercent: boolean;
}

/** CPU count assumed when a host's `getconf _NPROCESSORS_ONLN` cannot be determined. */
export const DEFAULT_CPUS = 8;

/**
 * Resolves `--threads` to a worker count for one host: `max(1, round(cpus * pct / 100))` for a
 * percentage, `max(1, round(n))` otherwise, where `round` is Python's round-half-even.
 *
 * @param spec The parsed option value.
 * @param cpus The host's online CPU count; pass `undefined`, `NaN` or `<= 0` when unknown and
 *   {@linkcode DEFAULT_CPUS} is used.
 * @returns The number of workers, at least 1.
 * @throws {RangeError} When `spec.number` is not a positive finite number.
 *
 * @example Percentages and absolute counts
 * ```ts
 * import { resolveThreads } from "./threads.ts";
 * console.log(resolveThreads({ number: 75, isPercent: true }, 16)); // 12
 * console.log(resolveThreads({ number: 200, isPercent: true }, 8)); // 16
 * console.log(resolveThreads({ number: 4, isPercent: false }, 64)); // 4
 * console.log(resolveThreads({ number: 25, isPercent: true }, 2)); // 1 (round(0.5) = 0, then max 1)
 * ```
 */
export function resolveThreads(spec: ThreadsSpec, cpus: number | undefined): number {
  const { number, isPercent } = spec;
  if (!Number.isFinite(number) || number <= 0) {
    throw new RangeError(`Invalid --threads value: ${number}: must be a positive number`);
  }
  if (!isPercent) return Math.max(1, roundHalfEven(number));
  const cores = cpus !== undefined && Number.isFinite(cpus) && cpus > 0 ? cpus : DEFAULT_CPUS;
  return Math.max(1, roundHalfEven(cores * number / 100));
}
