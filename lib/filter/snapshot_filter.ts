/**
 * Builds snapshot filter groups from the command line, in command-line order, and applies
 * upstream's optimizer when done:
 *
 * - `newGroup()` starts a new group only if the current one is not empty;
 * - adjacent time-and-rank operators with equal time ranges are merged (rank lists concatenated);
 * - each run of adjacent regex operators becomes ONE operator (all its includes OR-ed, all its
 *   excludes OR-ed, excludes win); an operator without includes includes `.*`;
 * - time operators without a range (`anytime..anytime`) are dropped;
 * - pure time operators move before regex operators within a section between rank operators
 *   (both only narrow the list, so this changes nothing but speed).
 *
 * @module
 */

import { compileNameMatcher, type NameMatcher } from "./name_matcher.ts";
import type {
  RegexFilterOp,
  SnapshotFilterGroup,
  SnapshotFilterOp,
  TimesAndRanksFilterOp,
  TimesFilterOp,
} from "./snapshot_filter_types.ts";
import { parseTimesAndRanks } from "./times_and_ranks.ts";
import { type TimeRangeOptions, timeRangesEqual } from "./time_range.ts";

/** An operator as given on the command line, before optimisation. */
export type RawSnapshotFilterOp =
  | { readonly type: "include"; readonly matchers: readonly NameMatcher[] }
  | { readonly type: "exclude"; readonly matchers: readonly NameMatcher[] }
  | TimesFilterOp
  | TimesAndRanksFilterOp;

const MATCH_ALL: NameMatcher = { source: ".*", negated: false, regex: null };

/**
 * Immutable builder of snapshot filter groups; every method returns a new builder.
 *
 * @example From command-line order to groups
 * ```ts
 * import { SnapshotFilterBuilder } from "./snapshot_filter.ts";
 * const groups = new SnapshotFilterBuilder()
 *   .addIncludeRegex([".*_daily"], "--include-snapshot-regex")
 *   .addTimesAndRanks(["notime", "latest 7"], "--include-snapshot-times-and-ranks")
 *   .newGroup()
 *   .addIncludeRegex([".*_hourly"], "--include-snapshot-regex")
 *   .build();
 * console.log(groups.length); // 2
 * ```
 */
export class SnapshotFilterBuilder {
  readonly #groups: readonly (readonly RawSnapshotFilterOp[])[];

  /**
   * Creates a builder.
   * @param groups Raw groups to start from (default: one empty group).
   */
  constructor(groups: readonly (readonly RawSnapshotFilterOp[])[] = [[]]) {
    this.#groups = groups.length === 0 ? [[]] : groups;
  }

  /** The raw (unoptimised) groups so far. */
  get rawGroups(): readonly (readonly RawSnapshotFilterOp[])[] {
    return this.#groups;
  }

  /**
   * Appends an include-regex operator (`--include-snapshot-regex`).
   * @throws {UsageError} If a regex is invalid or cannot be translated safely.
   */
  addIncludeRegex(regexes: readonly string[], option: string): SnapshotFilterBuilder {
    return this.addOp({
      type: "include",
      matchers: regexes.map((r) => compileNameMatcher(r, option)),
    });
  }

  /**
   * Appends an exclude-regex operator (`--exclude-snapshot-regex`).
   * @throws {UsageError} If a regex is invalid or cannot be translated safely.
   */
  addExcludeRegex(regexes: readonly string[], option: string): SnapshotFilterBuilder {
    return this.addOp({
      type: "exclude",
      matchers: regexes.map((r) => compileNameMatcher(r, option)),
    });
  }

  /**
   * Appends one `--include-snapshot-times-and-ranks` occurrence.
   * @throws {UsageError} If a time or rank range is invalid.
   */
  addTimesAndRanks(
    values: readonly string[],
    option: string,
    options: TimeRangeOptions = {},
  ): SnapshotFilterBuilder {
    return this.addOp(parseTimesAndRanks(values, option, options));
  }

  /** Appends an already built operator to the current group. */
  addOp(op: RawSnapshotFilterOp): SnapshotFilterBuilder {
    const last = this.#groups[this.#groups.length - 1];
    return new SnapshotFilterBuilder([...this.#groups.slice(0, -1), [...last, op]]);
  }

  /** `--new-snapshot-filter-group`: starts a new group unless the current one is empty. */
  newGroup(): SnapshotFilterBuilder {
    const last = this.#groups[this.#groups.length - 1];
    return last.length === 0 ? this : new SnapshotFilterBuilder([...this.#groups, []]);
  }

  /** The optimised groups, ready for `filterSnapshots`. */
  build(): SnapshotFilterGroup[] {
    return this.#groups.map((g) => optimizeSnapshotFilterGroup(g));
  }
}

/**
 * Applies the optimizer rules (see the module doc) to one raw group.
 *
 * @example
 * ```ts
 * import { optimizeSnapshotFilterGroup } from "./snapshot_filter.ts";
 * import { compileNameMatcher } from "./name_matcher.ts";
 * const m = (r: string) => compileNameMatcher(r, "--x");
 * const ops = optimizeSnapshotFilterGroup([
 *   { type: "include", matchers: [m(".*daily")] },
 *   { type: "exclude", matchers: [m(".*weekly")] },
 *   { type: "include", matchers: [m(".*hourly")] },
 * ]);
 * console.log(ops.length); // 1
 * ```
 * @param raw The operators in command-line order.
 * @returns The optimised operators.
 */
export function optimizeSnapshotFilterGroup(
  raw: readonly RawSnapshotFilterOp[],
): SnapshotFilterOp[] {
  const merged = mergeRegexRuns(mergeAdjacentRankOps(raw));
  const kept = merged.filter((op) => op.type !== "times" || op.range !== null);
  return moveTimeOpsFirst(kept);
}

function mergeAdjacentRankOps(ops: readonly RawSnapshotFilterOp[]): RawSnapshotFilterOp[] {
  const out: RawSnapshotFilterOp[] = [];
  for (const op of ops) {
    const prev = out[out.length - 1];
    if (
      op.type === "timesAndRanks" && prev?.type === "timesAndRanks" &&
      timeRangesEqual(prev.range, op.range)
    ) {
      out[out.length - 1] = { ...prev, ranks: [...prev.ranks, ...op.ranks] };
    } else {
      out.push(op);
    }
  }
  return out;
}

function mergeRegexRuns(ops: readonly RawSnapshotFilterOp[]): SnapshotFilterOp[] {
  const out: SnapshotFilterOp[] = [];
  let run: RegexFilterOp | undefined;
  for (const op of ops) {
    if (op.type !== "include" && op.type !== "exclude") {
      run = undefined;
      out.push(op);
      continue;
    }
    if (run === undefined) {
      run = { type: "regex", excludes: [], includes: [] };
      out.push(run);
    }
    const next: RegexFilterOp = op.type === "include"
      ? { ...run, includes: [...run.includes, ...op.matchers] }
      : { ...run, excludes: [...run.excludes, ...op.matchers] };
    out[out.length - 1] = next;
    run = next;
  }
  return out.map((op) =>
    op.type === "regex" && op.includes.length === 0 ? { ...op, includes: [MATCH_ALL] } : op
  );
}

function moveTimeOpsFirst(ops: readonly SnapshotFilterOp[]): SnapshotFilterOp[] {
  const out: SnapshotFilterOp[] = [];
  let section: SnapshotFilterOp[] = [];
  const flush = () => {
    out.push(...section.filter((op) => op.type === "times"));
    out.push(...section.filter((op) => op.type !== "times"));
    section = [];
  };
  for (const op of ops) {
    if (op.type === "timesAndRanks") {
      flush();
      out.push(op);
    } else {
      section.push(op);
    }
  }
  flush();
  return out;
}
