/**
 * Splitting an incremental replication into the fewest `zfs send -i|-I` steps that deliver exactly
 * the selected snapshots (semantics 5.5; upstream `incremental_send_steps`).
 *
 * @module
 */

import type { SnapshotRecord } from "../zfs/types.ts";

/** One incremental step: `zfs send FLAG from to`. */
export interface IncrementalStep {
  /** `-I` delivers every snapshot after `from` up to `to`; `-i` delivers only `to`. */
  readonly flag: "-i" | "-I";
  /** Origin: the start (snapshot or bookmark) or a previously delivered snapshot. */
  readonly from: SnapshotRecord;
  /** Target snapshot. */
  readonly to: SnapshotRecord;
  /** The snapshots the step delivers, oldest first (ends with `to`). */
  readonly toSnapshots: readonly SnapshotRecord[];
}

/** Options of {@linkcode incrementalSendSteps}. */
export interface IncrementalSendStepsOptions {
  /**
   * The first step is sent with `zfs send -t TOKEN`, which delivers exactly one snapshot, so the
   * first step must be a single-snapshot `-i`. @default {false}
   */
  readonly isResume?: boolean;
  /** Turn every `-I` run into a chain of `-i` steps (openzfs/zfs#16394). @default {false} */
  readonly forceConvertIToI?: boolean;
}

/**
 * Computes the minimal list of send steps. `candidates[0]` is the start (the latest common
 * snapshot, or a bookmark when its snapshot is gone); the rest are ALL source snapshots newer than
 * it, oldest first, selected or not (bookmarks must not appear after the start). Rules:
 * - excluded snapshots right after a start that is itself not selected (or is a bookmark) are
 *   skipped with one `-i start firstSelected`;
 * - a run of consecutive selected snapshots after an already delivered snapshot `a`, ending at
 *   `z`, is one `-I a z` when it delivers two or more snapshots, else one `-i a z`;
 * - a selected snapshot followed by excluded ones jumps with `-i` to the next selected one;
 * - `-I` never starts at a bookmark (openzfs/zfs#12415: covered by the first rule, as a bookmark is
 *   never selected), nor on the resumed first step: there a single `-i` to the next snapshot is
 *   emitted and the run continues from it.
 *
 * @example Skip an excluded hourly, then send a run
 * ```ts
 * import { incrementalSendSteps } from "./incremental_steps.ts";
 * const rec = (name: string, n: number) =>
 *   ({ dataset: "t/a", name, kind: "snapshot" as const, guid: String(n), createTxg: BigInt(n), creation: n });
 * const c = [rec("d1", 1), rec("h1", 2), rec("d2", 3), rec("d3", 4), rec("d4", 5)];
 * const steps = incrementalSendSteps(c, new Set(["1", "3", "4", "5"]));
 * steps.map((s) => `${s.flag} ${s.from.name} ${s.to.name}`); // ["-i d1 d2", "-I d2 d4"]
 * ```
 * @param candidates The start followed by every newer source snapshot, oldest first.
 * @param selectedGuids GUIDs of the snapshots to deliver.
 * @param options Resume and `-I` conversion flags.
 * @returns The steps in execution order; empty when nothing after the start is selected.
 */
export function incrementalSendSteps(
  candidates: readonly SnapshotRecord[],
  selectedGuids: ReadonlySet<string>,
  options: IncrementalSendStepsOptions = {},
): IncrementalStep[] {
  const isSelected = (k: number) =>
    candidates[k].kind === "snapshot" && selectedGuids.has(candidates[k].guid);
  const steps: IncrementalStep[] = [];
  const single = (from: number, to: number) =>
    steps.push({
      flag: "-i",
      from: candidates[from],
      to: candidates[to],
      toSnapshots: [candidates[to]],
    });
  let base = 0; // index of the newest snapshot the destination already has (after the steps so far)
  let next = nextSelected(candidates.length, isSelected, 1);
  if (next < 0) return steps;
  if (!isSelected(0)) { // start is an excluded snapshot or a bookmark
    single(0, next);
    base = next;
    next = nextSelected(candidates.length, isSelected, base + 1);
  }
  while (next >= 0) {
    if (next > base + 1) { // excluded snapshots in between: jump over them
      single(base, next);
      base = next;
    } else {
      base = appendRun(base, runEnd(candidates.length, isSelected, next));
    }
    next = nextSelected(candidates.length, isSelected, base + 1);
  }
  return steps;

  /** Sends the run `candidates[from+1..end]` (all selected); returns the new base. */
  function appendRun(from: number, end: number): number {
    if (options.isResume === true && steps.length === 0) {
      single(from, from + 1);
      return from + 1;
    }
    if (end - from > 1 && !options.forceConvertIToI) {
      steps.push({
        flag: "-I",
        from: candidates[from],
        to: candidates[end],
        toSnapshots: candidates.slice(from + 1, end + 1),
      });
      return end;
    }
    for (let j = from; j < end; j++) single(j, j + 1);
    return end;
  }
}

function nextSelected(n: number, isSelected: (k: number) => boolean, from: number): number {
  for (let k = from; k < n; k++) if (isSelected(k)) return k;
  return -1;
}

function runEnd(n: number, isSelected: (k: number) => boolean, from: number): number {
  let k = from;
  while (k + 1 < n && isSelected(k + 1)) k++;
  return k;
}
