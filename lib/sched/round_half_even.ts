/**
 * Python's `round()` for floats: round half to even (banker's rounding).
 *
 * @module
 */

/**
 * Rounds `x` to the nearest integer; exact halves go to the even neighbour, as Python's
 * `round()` does. `Math.round` rounds halves up and must not be used where upstream rounds.
 *
 * @param x A finite number.
 * @returns The nearest integer, ties to even.
 *
 * @example Ties go to the even integer
 * ```ts
 * import { roundHalfEven } from "./round_half_even.ts";
 * console.log(roundHalfEven(0.5), roundHalfEven(1.5), roundHalfEven(2.5)); // 0 2 2
 * console.log(roundHalfEven(-2.5), roundHalfEven(2.6)); // -2 3
 * ```
 */
export function roundHalfEven(x: number): number {
  if (!Number.isFinite(x)) return x;
  const floor = Math.floor(x);
  const fraction = x - floor; // exact for |x| < 2 ** 52
  if (fraction > 0.5) return floor + 1;
  if (fraction < 0.5) return floor;
  return floor % 2 === 0 ? floor : floor + 1;
}
