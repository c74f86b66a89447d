/**
 * The RANKRANGE arguments of `--include-snapshot-times-and-ranks`: `[all except] (oldest|latest)
 * N[%]` (whitespace between parts optional) or `A..B` with two plain ranks of the same kind.
 * Ranks count snapshots (never bookmarks) among those that reach the filter step, oldest first.
 *
 * @module
 */

import { UsageError } from "../errors.ts";

/** One rank: the N oldest or latest snapshots, as a count or a percentage. */
export interface Rank {
  /** Counted from the oldest or from the latest snapshot. */
  readonly kind: "oldest" | "latest";
  /** The count or the percentage (0..100). */
  readonly num: number;
  /** Whether `num` is a percentage. */
  readonly percent: boolean;
}

/** A range of ranks `lo..hi`; selected snapshots have an index in `[lo, hi)` after resolution. */
export interface RankRange {
  /** One end. */
  readonly lo: Rank;
  /** The other end. */
  readonly hi: Rank;
}

const RANK = /^(all\s*except\s*)?(oldest|latest)\s*([0-9]+)%?$/;
const HINT = "Write e.g. 'latest 10', 'oldest 10%', 'all except latest 3' or 'latest 2..latest 5'";

/**
 * Parses one rank range, normalising single ranks into ranges (`latest N` -> `latest0..latestN`,
 * `all except latest N` -> `latestN..latest100%`, `all except latest N%` ->
 * `oldest0..oldest(100-N)%`, and symmetrically for `oldest`).
 *
 * @example
 * ```ts
 * import { parseRankRange } from "./rank_range.ts";
 * parseRankRange("latest 10", "--x");
 * // { lo: { kind: "latest", num: 0, percent: false }, hi: { kind: "latest", num: 10, percent: false } }
 * ```
 * @param text The rank range as typed.
 * @param option The option it came from, named in the error.
 * @returns The normalised range.
 * @throws {UsageError} On a bad rank, a percentage over 100, `all except` inside a range, or a
 * range mixing oldest and latest.
 */
export function parseRankRange(text: string, option: string): RankRange {
  const value = text.trim();
  const sep = value.indexOf("..");
  if (sep >= 0) {
    const lo = parseRank(value.slice(0, sep), option);
    const hi = parseRank(value.slice(sep + 2), option);
    if (lo.except || hi.except) {
      throw new UsageError("Invalid rank range", {
        option,
        value,
        hint: "Do not use 'all except' inside a range A..B",
      });
    }
    if (lo.rank.kind !== hi.rank.kind) {
      throw new UsageError("Ambiguous rank range: Must not compare oldest with latest", {
        option,
        value,
        hint: "Use the same kind on both sides, e.g. 'latest 2..latest 5'",
      });
    }
    return { lo: lo.rank, hi: hi.rank };
  }
  const { except, rank } = parseRank(value, option);
  const { kind, num, percent } = rank;
  if (!except) return { lo: { kind, num: 0, percent: false }, hi: rank };
  if (percent) {
    const other = kind === "latest" ? "oldest" : "latest";
    return {
      lo: { kind: other, num: 0, percent: false },
      hi: { kind: other, num: 100 - num, percent: true },
    };
  }
  return { lo: { kind, num, percent: false }, hi: { kind, num: 100, percent: true } };
}

function parseRank(raw: string, option: string): { except: boolean; rank: Rank } {
  const spec = raw.trim();
  const m = RANK.exec(spec);
  if (!m) throw new UsageError("Invalid rank format", { option, value: spec, hint: HINT });
  const num = Number(m[3]);
  const percent = spec.endsWith("%");
  if (percent && num > 100) {
    throw new UsageError("Invalid rank: Percent must not be greater than 100", {
      option,
      value: spec,
      hint: "Use a percentage between 0% and 100%",
    });
  }
  return { except: m[1] !== undefined, rank: { kind: m[2] as Rank["kind"], num, percent } };
}

/**
 * The 0-based index (counted from the oldest) that a rank denotes among `n` snapshots:
 * `m = roundHalfEven(n*num/100)` for percentages else `min(n, num)`; `m` for oldest, `n - m` for
 * latest.
 *
 * @example
 * ```ts
 * import { rankIndex } from "./rank_range.ts";
 * rankIndex({ kind: "latest", num: 3, percent: false }, 10); // 7
 * rankIndex({ kind: "oldest", num: 50, percent: true }, 5); // 2 (2.5 rounds to even)
 * ```
 * @param rank The rank.
 * @param n The number of snapshots.
 * @returns The index.
 */
export function rankIndex(rank: Rank, n: number): number {
  const m = rank.percent ? roundHalfEvenRatio(n * rank.num, 100) : Math.min(n, rank.num);
  return rank.kind === "oldest" ? m : n - m;
}

/**
 * Rounds `numerator / denominator` (non-negative integers) to the nearest integer, ties to even,
 * exactly like Python's `round()` on the quotient. Never uses `Math.round`.
 *
 * @example
 * ```ts
 * import { roundHalfEvenRatio } from "./rank_range.ts";
 * roundHalfEvenRatio(5, 2); // 2
 * roundHalfEvenRatio(3, 2); // 2
 * roundHalfEvenRatio(1, 2); // 0
 * ```
 * @param numerator A non-negative integer.
 * @param denominator A positive integer.
 * @returns The rounded quotient.
 */
export function roundHalfEvenRatio(numerator: number, denominator: number): number {
  const q = Math.floor(numerator / denominator);
  const twiceRemainder = 2 * (numerator - q * denominator);
  if (twiceRemainder > denominator) return q + 1;
  if (twiceRemainder < denominator) return q;
  return q % 2 === 0 ? q : q + 1;
}

/**
 * Structural equality of two ranks.
 *
 * @example
 * ```ts
 * import { ranksEqual } from "./rank_range.ts";
 * ranksEqual({ kind: "latest", num: 0, percent: false }, { kind: "latest", num: 0, percent: true }); // false
 * ```
 * @param a One rank.
 * @param b The other rank.
 * @returns Whether kind, number and percent flag are equal.
 */
export function ranksEqual(a: Rank, b: Rank): boolean {
  return a.kind === b.kind && a.num === b.num && a.percent === b.percent;
}
