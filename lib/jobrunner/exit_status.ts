/**
 * Folding the exit codes of all sub-jobs into the jobrunner's exit code (reference 3.7).
 *
 * @module
 */

/** Exit codes with a meaning of their own: 0 ok, 1 warning, 2 critical, 4 still running. */
const MONITOR_CODES = new Set([1, 2]);
const STILL_RUNNING = 4;

function rank(code: number): number {
  if (code === 0) return 0;
  if (code === STILL_RUNNING) return 1;
  if (MONITOR_CODES.has(code)) return 2;
  return 3; // fatal
}

/**
 * The worse of two exit codes: any fatal code (not 0, 1, 2, 4) beats everything, the larger
 * among fatal codes; then monitor codes (2 over 1); then 4; then 0. `null` (no code) counts as 3.
 *
 * @example
 * ```ts
 * import { worseExitCode } from "./exit_status.ts";
 * console.log(worseExitCode(2, 4), worseExitCode(1, 3), worseExitCode(0, null)); // 2 3 3
 * ```
 * @param a One code.
 * @param b Another code.
 * @returns The worse one.
 */
export function worseExitCode(a: number | null, b: number | null): number {
  const x = a ?? 3;
  const y = b ?? 3;
  const rx = rank(x);
  const ry = rank(y);
  if (rx !== ry) return rx > ry ? x : y;
  return Math.max(x, y);
}

/**
 * The worst of many exit codes, or 0 when there are none.
 *
 * @example
 * ```ts
 * import { worstExitCode } from "./exit_status.ts";
 * console.log(worstExitCode([0, 4, 1, 0])); // 1
 * ```
 * @param codes Sub-job exit codes.
 * @returns The folded code.
 */
export function worstExitCode(codes: Iterable<number | null>): number {
  let worst = 0;
  for (const c of codes) worst = worseExitCode(worst, c);
  return worst;
}
