/**
 * The replication planner for one dataset pair: listed state and options in, a plan (or a typed
 * conflict) out. Pure; `--dryrun` prints the same plan a real run executes.
 *
 * @module
 */

import type { SnapshotRecord } from "../zfs/types.ts";
import { bookmarksForStep } from "./bookmarks.ts";
import { latestCommonSnapshot, sortByTxg } from "./common_snapshot.ts";
import { conflictMessage } from "./conflict.ts";
import { incrementalSendSteps } from "./incremental_steps.ts";
import { resumeBlocker, resumeFirstSend } from "./resume.ts";
import type {
  AbortResumeReason,
  CommonSnapshot,
  ForceUsed,
  FullSendAction,
  IncrementalSendAction,
  PlanReplicationOptions,
  ReplicationAction,
  ReplicationConflict,
  ReplicationInput,
  ReplicationPlan,
} from "./types.ts";

/** Listing after defaults, sorting and the bookmark rule. */
interface State {
  readonly input: ReplicationInput;
  readonly options: PlanReplicationOptions;
  /** Source candidates: snapshots, plus bookmarks when they may be used. Oldest first. */
  readonly basis: readonly SnapshotRecord[];
  /** Selected source snapshots, oldest first. */
  readonly selected: readonly SnapshotRecord[];
  /** Destination snapshots, oldest first. */
  readonly dst: readonly SnapshotRecord[];
}

/** The destination after the rollback/destroy decisions. */
interface Resolution {
  readonly actions: ReplicationAction[];
  readonly common: CommonSnapshot | null;
  readonly forceUsed: ForceUsed | null;
  /** Whether a `rollback -r` or a destroy is planned. */
  readonly destroys: boolean;
}

/**
 * Plans the replication of one source dataset to one destination dataset (semantics 5).
 *
 * Order of decisions, as upstream:
 * 1. Source bookmarks are candidates unless `noUseBookmark` or the destination has no snapshot.
 *    No selected snapshot and no bookmark: `skipMissingSnapshots` gives `fail`, `skip` (with
 *    `skipDescendants` when the destination does not exist), or goes on (`continue`).
 * 2. `forceRollbackToLatestSnapshot` and a destination snapshot: `rollback` to it first.
 * 3. Latest common snapshot by GUID ({@linkcode latestCommonSnapshot}). If the destination has
 *    newer snapshots: a `diverged` conflict, or with `forceRollbackToLatestCommonSnapshot` /
 *    `force` a `rollback -r` to the common snapshot. No common snapshot while the destination has
 *    snapshots: a `no-common-snapshot` conflict, or with `force` a `destroyDstSnapshots` of all of
 *    them, then a full send.
 * 4. The newest selected snapshot is the common one: `up-to-date` (still carrying rollbacks).
 * 5. No common snapshot: `full` send of the oldest selected snapshot (the newest with
 *    `noStream`); it becomes the start. Then incremental steps from the start
 *    ({@linkcode incrementalSendSteps}), or one `-i start newest` with `noStream`; each send is
 *    followed by the `bookmarks` that `createBookmarks` asks for (none in dry-run, semantics 5.7).
 * 6. A resume token finishes the first send when it delivers exactly that send; otherwise
 *    (stale, raw mismatch, `noResumeRecv`, or a planned destroy) `abortResume` comes first.
 *
 * Choices where the reference is silent, always the one that destroys nothing unasked:
 * - a conflict result carries no actions: not even the requested rollback to the latest
 *   snapshot runs when the dataset is then refused (upstream runs it before failing);
 * - dry run (`recv` mode): sends after a dry rollback `-r`, a dry destroy, a dry creation of
 *   ancestors or a dry full send are `logOnly`, as the receive could not succeed (semantics 9.9);
 * - a token is left alone when nothing is sent and nothing destroyed;
 * - with `noStream`, the `-i` step is planned only if a selected snapshot is newer than the start.
 *
 * @example Incremental from the latest common snapshot
 * ```ts
 * import { planReplication } from "./plan.ts";
 * const rec = (dataset: string, name: string, n: number) =>
 *   ({ dataset, name, kind: "snapshot" as const, guid: String(n), createTxg: BigInt(n), creation: n });
 * const plan = planReplication({
 *   srcDataset: "tank/a", dstDataset: "backup/a",
 *   src: [rec("tank/a", "s1", 1), rec("tank/a", "s2", 2)],
 *   selectedGuids: new Set(["1", "2"]),
 *   dst: [rec("backup/a", "s1", 1)],
 * }, { createBookmarks: "none" });
 * plan.kind; // "replicate" with one "-i tank/a@s1 tank/a@s2" step
 * ```
 * @param input The listed state of the pair.
 * @param options The replication options.
 * @returns The plan, a skip, a failure, or a conflict.
 */
export function planReplication(
  input: ReplicationInput,
  options: PlanReplicationOptions = {},
): ReplicationPlan {
  const state = prepare(input, options);
  const nothingSelected = state.selected.length === 0 &&
    !state.basis.some((s) => s.kind === "bookmark");
  if (nothingSelected) {
    const early = missingSnapshots(state);
    if (early !== null) return early;
  }
  const resolved = resolveDestination(state);
  if ("kind" in resolved) return resolved;
  const newest = state.selected[state.selected.length - 1];
  const upToDate = (input.dst !== null && state.dst.length === 0 && newest === undefined) ||
    (newest !== undefined && resolved.common?.src.guid === newest.guid);
  const sends = upToDate ? [] : planSendsWithResume(state, resolved);
  const actions = [...resolved.actions, ...sends];
  const abort = abortIfNeeded(state, resolved, sends);
  if (abort !== null) actions.unshift(abort);
  const hasSend = sends.some((a) => a.type !== "bookmarks");
  return { kind: hasSend ? "replicate" : "up-to-date", actions, forceUsed: resolved.forceUsed };
}

function prepare(input: ReplicationInput, options: PlanReplicationOptions): State {
  const dst = sortByTxg((input.dst ?? []).filter((s) => s.kind === "snapshot"));
  const useBookmarks = !options.noUseBookmark && dst.length > 0;
  const basis = sortByTxg(input.src).filter((s) => useBookmarks || s.kind === "snapshot");
  const selected = basis.filter((s) => s.kind === "snapshot" && input.selectedGuids.has(s.guid));
  return { input, options, basis, selected, dst };
}

function missingSnapshots(state: State): ReplicationPlan | null {
  const { srcDataset } = state.input;
  const policy = state.options.skipMissingSnapshots ?? "dataset";
  if (policy === "fail") {
    return {
      kind: "fail",
      reason: "no-selected-snapshots",
      message: `Source dataset includes no snapshot: ${srcDataset}. ` +
        "Consider using --skip-missing-snapshots=dataset",
    };
  }
  if (policy === "dataset") {
    return {
      kind: "skip",
      reason: "no-selected-snapshots",
      message: `Skipping source dataset because it includes no snapshot: ${srcDataset}`,
      skipDescendants: state.input.dst === null,
    };
  }
  return null;
}

function resolveDestination(state: State): Resolution | ReplicationPlan {
  const { options, dst } = state;
  const { srcDataset, dstDataset } = state.input;
  const actions: ReplicationAction[] = [];
  const latestDst = dst[dst.length - 1];
  if (latestDst !== undefined && options.forceRollbackToLatestSnapshot) {
    actions.push({
      type: "rollback",
      to: latestDst,
      recursive: false,
      destroys: [],
      reason: "--force-rollback-to-latest-snapshot",
    });
  }
  const common = latestCommonSnapshot(state.basis, dst);
  if (common !== null && common.dst.guid !== latestDst.guid) {
    const at = dst.findIndex((d) => d.guid === common.dst.guid);
    const conflicting = dst.slice(at + 1);
    const conflict: ReplicationConflict = {
      type: "diverged",
      srcDataset,
      dstDataset,
      common,
      conflicting,
    };
    const byCommon = options.forceRollbackToLatestCommonSnapshot === true;
    if (!byCommon && !options.force) return conflictPlan(conflict, options);
    const option = byCommon ? "--force-rollback-to-latest-common-snapshot" : "--force";
    actions.push({
      type: "rollback",
      to: common.dst,
      recursive: true,
      destroys: conflicting,
      reason: option,
    });
    return { actions, common, forceUsed: { option, conflict }, destroys: true };
  }
  if (common === null && latestDst !== undefined) {
    const conflict: ReplicationConflict = {
      type: "no-common-snapshot",
      srcDataset,
      dstDataset,
      dstSnapshots: dst,
    };
    if (!options.force) return conflictPlan(conflict, options);
    actions.push({ type: "destroyDstSnapshots", dataset: dstDataset, snapshots: dst });
    return { actions, common, forceUsed: { option: "--force", conflict }, destroys: true };
  }
  return { actions, common, forceUsed: null, destroys: false };
}

function conflictPlan(
  conflict: ReplicationConflict,
  options: PlanReplicationOptions,
): ReplicationPlan {
  const forceOnceUsed = options.forceOnce === true && !options.force &&
    (conflict.type === "no-common-snapshot" || !options.forceRollbackToLatestCommonSnapshot);
  return { kind: "conflict", conflict, message: conflictMessage(conflict, { forceOnceUsed }) };
}

/** Plans the sends, finishing the first one with the resume token when it fits. */
function planSendsWithResume(state: State, resolved: Resolution): ReplicationAction[] {
  const token = usableToken(state, resolved);
  if (token === null) return planSends(state, resolved, false);
  const sends = planSends(state, resolved, true);
  const first = sends.findIndex((a) => a.type === "full" || a.type === "incremental");
  const send = sends[first] as FullSendAction | IncrementalSendAction | undefined;
  const resume = send === undefined ? null : resumeFirstSend(send, token);
  if (resume === null) return planSends(state, resolved, false);
  sends[first] = resume;
  return sends;
}

function usableToken(state: State, resolved: Resolution) {
  const token = state.input.resumeToken;
  if (token == null || state.input.dst === null) return null;
  return resumeBlocker(token, { ...state.options, destroys: resolved.destroys }) === null
    ? token
    : null;
}

/** `abortResume` when a token exists, is not used, and sends or destroys are planned. */
function abortIfNeeded(
  state: State,
  resolved: Resolution,
  sends: readonly ReplicationAction[],
): ReplicationAction | null {
  const token = state.input.resumeToken;
  if (token == null || state.input.dst === null) return null;
  if (sends.some((a) => a.type === "resume")) return null;
  const hasSend = sends.some((a) => a.type === "full" || a.type === "incremental");
  if (!hasSend && !resolved.destroys) return null;
  const blocker = resumeBlocker(token, { ...state.options, destroys: resolved.destroys });
  const reason: AbortResumeReason = blocker ?? "stale";
  return { type: "abortResume", dataset: state.input.dstDataset, reason, token: token.token };
}

/** Full send (when there is no common snapshot) then incremental steps, each with its bookmarks. */
function planSends(state: State, resolved: Resolution, isResume: boolean): ReplicationAction[] {
  const { input, options, selected } = state;
  const dry = options.dryrun ?? false;
  const actions: ReplicationAction[] = [];
  let noSend = dry === "send" || (dry !== false && resolved.destroys);
  let start = resolved.common?.src;
  if (start === undefined) {
    const target = options.noStream ? selected[selected.length - 1] : selected[0];
    if (target === undefined) return actions;
    const createAncestors = input.dst === null && input.dstParentExists === false;
    noSend ||= dry !== false && createAncestors;
    actions.push({
      type: "full",
      snapshot: target,
      dstDataset: input.dstDataset,
      createAncestors,
      logOnly: noSend,
    });
    actions.push(...bookmarksAction(state, [target], true));
    noSend ||= dry !== false;
    start = target;
  }
  actions.push(
    ...planIncrementals(state, start, { isResume: isResume && actions.length === 0, noSend }),
  );
  return actions;
}

function planIncrementals(
  state: State,
  start: SnapshotRecord,
  flags: { isResume: boolean; noSend: boolean },
): ReplicationAction[] {
  const { input, options, basis } = state;
  const at = basis.indexOf(start);
  const candidates = [start, ...basis.slice(at + 1).filter((s) => s.kind === "snapshot")];
  const newest = state.selected[state.selected.length - 1];
  const steps = options.noStream
    ? (candidates.slice(1).includes(newest)
      ? [{ flag: "-i" as const, from: start, to: newest, toSnapshots: [newest] }]
      : [])
    : incrementalSendSteps(candidates, input.selectedGuids, {
      isResume: flags.isResume,
      forceConvertIToI: options.forceConvertIToI,
    });
  const actions: ReplicationAction[] = [];
  steps.forEach((step, i) => {
    const send: IncrementalSendAction = {
      type: "incremental",
      ...step,
      dstDataset: input.dstDataset,
      logOnly: flags.noSend,
    };
    actions.push(send, ...bookmarksAction(state, step.toSnapshots, i === steps.length - 1));
  });
  return actions;
}

function bookmarksAction(
  state: State,
  delivered: readonly SnapshotRecord[],
  isLast: boolean,
): ReplicationAction[] {
  if (state.options.dryrun) return [];
  const bookmarks = bookmarksForStep(delivered, { policy: state.options.createBookmarks, isLast });
  if (bookmarks.length === 0) return [];
  return [{ type: "bookmarks", dataset: state.input.srcDataset, bookmarks }];
}
