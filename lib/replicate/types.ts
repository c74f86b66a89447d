/**
 * Data shapes of the replication planner: what goes in (listed snapshots, options) and what comes
 * out (a plan made of actions, or a typed conflict). Nothing here runs a command.
 *
 * @module
 */

import type { SnapshotRecord } from "../zfs/types.ts";

/** `--create-bookmarks` choices. */
export type CreateBookmarksPolicy = "all" | "hourly" | "minutely" | "secondly" | "none";

/** `--skip-missing-snapshots` choices. */
export type SkipMissingSnapshotsPolicy = "fail" | "dataset" | "continue";

/** `--dryrun` mode: `false` (real run), `"send"` (nothing is sent) or `"recv"` (`zfs receive -n`). */
export type DryRunMode = false | "send" | "recv";

/**
 * The `receive_resume_token` of the destination dataset, decoded by the caller (`zfs send -nvt`).
 *
 * @example
 * ```ts
 * import type { ResumeTokenInfo } from "./types.ts";
 * const t: ResumeTokenInfo = { token: "1-abc-def", toGuid: "12", fromGuid: "11", raw: true };
 * ```
 */
export interface ResumeTokenInfo {
  /** The opaque token, passed to `zfs send -t`. */
  readonly token: string;
  /** GUID of the snapshot the interrupted stream was sending. */
  readonly toGuid: string;
  /** GUID of the incremental source of the interrupted stream; absent for a full stream. */
  readonly fromGuid?: string;
  /** Name of the snapshot the interrupted stream was sending (`toname`), for messages only. */
  readonly toName?: string;
  /** Whether the interrupted stream was a raw (`--raw`/`-w`) stream. */
  readonly raw: boolean;
}

/**
 * Listed state of one source/destination dataset pair.
 *
 * @example
 * ```ts
 * import type { ReplicationInput } from "./types.ts";
 * const input: ReplicationInput = {
 *   srcDataset: "tank/a", dstDataset: "backup/a", src: [], selectedGuids: new Set(), dst: null,
 * };
 * ```
 */
export interface ReplicationInput {
  /** Source dataset name. */
  readonly srcDataset: string;
  /** Destination dataset name. */
  readonly dstDataset: string;
  /**
   * ALL source snapshots and bookmarks (unfiltered), oldest first by `createTxg`. The planner
   * re-sorts defensively (stable, by `createTxg`, a bookmark before the snapshot of the same txg).
   */
  readonly src: readonly SnapshotRecord[];
  /**
   * GUIDs of the source SNAPSHOTS selected by the snapshot filters. Pass snapshot GUIDs only: a
   * bookmark has the GUID of its snapshot, so a bookmark's GUID here selects that snapshot.
   */
  readonly selectedGuids: ReadonlySet<string>;
  /** ALL destination snapshots (bookmarks are ignored), or `null` when the dataset does not exist. */
  readonly dst: readonly SnapshotRecord[] | null;
  /**
   * Whether the parent of the destination dataset exists (only read when `dst` is `null`).
   * @default {true}
   */
  readonly dstParentExists?: boolean;
  /** The destination's resume token, if it has one. */
  readonly resumeToken?: ResumeTokenInfo | null;
}

/**
 * Options of {@linkcode planReplication}; each mirrors the bzfs CLI option of the same name.
 *
 * @example
 * ```ts
 * import type { PlanReplicationOptions } from "./types.ts";
 * const o: PlanReplicationOptions = { force: true, createBookmarks: "hourly" };
 * ```
 */
export interface PlanReplicationOptions {
  /** `--no-stream`: send only the newest selected snapshot. @default {false} */
  readonly noStream?: boolean;
  /** `--force`: resolve both conflict kinds, destroying destination snapshots. @default {false} */
  readonly force?: boolean;
  /** `--force-rollback-to-latest-snapshot`. @default {false} */
  readonly forceRollbackToLatestSnapshot?: boolean;
  /** `--force-rollback-to-latest-common-snapshot`. @default {false} */
  readonly forceRollbackToLatestCommonSnapshot?: boolean;
  /**
   * `--force-once`. The caller owns the "already used" state and passes `force` /
   * `forceRollbackToLatestCommonSnapshot` as `false` once consumed; the planner only uses this
   * flag to explain such a conflict in its message. @default {false}
   */
  readonly forceOnce?: boolean;
  /** `--no-use-bookmark`: never use a source bookmark as incremental origin. @default {false} */
  readonly noUseBookmark?: boolean;
  /**
   * `--create-bookmarks`. Pass `"none"` when the source pool does not support bookmarks.
   * @default {"all"}
   */
  readonly createBookmarks?: CreateBookmarksPolicy;
  /** `--skip-missing-snapshots`. @default {"dataset"} */
  readonly skipMissingSnapshots?: SkipMissingSnapshotsPolicy;
  /** `--no-resume-recv`. @default {false} */
  readonly noResumeRecv?: boolean;
  /** `--dryrun`. @default {false} */
  readonly dryrun?: DryRunMode;
  /**
   * Whether the effective `--zfs-send-program-opts` produce a raw stream (`--raw` or `-w`);
   * compared with a resume token's mode. @default {true} (upstream's default is `--raw --compressed`)
   */
  readonly rawSend?: boolean;
  /**
   * Turn every `-I` run into a chain of `-i` steps (upstream's workaround for
   * openzfs/zfs#16394 under `zfs allow` delegation). @default {false}
   */
  readonly forceConvertIToI?: boolean;
}

/**
 * The most recent snapshot (or source bookmark) that source and destination have in common.
 *
 * @example
 * ```ts
 * import type { CommonSnapshot } from "./types.ts";
 * const s = { dataset: "tank/a", name: "s1", kind: "snapshot" as const, guid: "1", createTxg: 1n, creation: 1 };
 * const c: CommonSnapshot = { src: s, dst: { ...s, dataset: "backup/a" } };
 * ```
 */
export interface CommonSnapshot {
  /** The source entry: a snapshot, or a bookmark when no source snapshot has that GUID. */
  readonly src: SnapshotRecord;
  /** The destination snapshot with the same GUID. */
  readonly dst: SnapshotRecord;
}

/** The destination has snapshots, but none shares a GUID with the source. */
export interface NoCommonSnapshotConflict {
  /** Discriminant. */
  readonly type: "no-common-snapshot";
  /** Source dataset. */
  readonly srcDataset: string;
  /** Destination dataset. */
  readonly dstDataset: string;
  /** All destination snapshots, oldest first (what `--force` would destroy). */
  readonly dstSnapshots: readonly SnapshotRecord[];
}

/** The destination has snapshots newer than the latest common snapshot. */
export interface DivergedConflict {
  /** Discriminant. */
  readonly type: "diverged";
  /** Source dataset. */
  readonly srcDataset: string;
  /** Destination dataset. */
  readonly dstDataset: string;
  /** The latest common snapshot (source side may be a bookmark). */
  readonly common: CommonSnapshot;
  /** Destination snapshots newer than the common one, oldest first; the last is the newest. */
  readonly conflicting: readonly SnapshotRecord[];
}

/**
 * Why replication cannot proceed without destroying destination data.
 *
 * @example
 * ```ts
 * import type { ReplicationConflict } from "./types.ts";
 * const c: ReplicationConflict = {
 *   type: "no-common-snapshot", srcDataset: "tank/a", dstDataset: "backup/a", dstSnapshots: [],
 * };
 * ```
 */
export type ReplicationConflict = NoCommonSnapshotConflict | DivergedConflict;

/**
 * Which force option resolved which conflict, for `--force-once` bookkeeping. As upstream, the
 * caller then clears `force` and `forceRollbackToLatestCommonSnapshot` after a `diverged`
 * resolution, and `force` after a `no-common-snapshot` one.
 */
export interface ForceUsed {
  /** The option that resolved it. */
  readonly option: "--force" | "--force-rollback-to-latest-common-snapshot";
  /** The conflict it resolved. */
  readonly conflict: ReplicationConflict;
}

/** Why an {@linkcode AbortResumeAction} is planned. */
export type AbortResumeReason =
  | "no-resume-recv"
  | "raw-mismatch"
  | "stale"
  | "before-destroy";

/** `zfs receive -A DST`: discard the partially received state of an interrupted `receive -s`. */
export interface AbortResumeAction {
  /** Discriminant. */
  readonly type: "abortResume";
  /** Destination dataset. */
  readonly dataset: string;
  /** Why the token cannot be used. */
  readonly reason: AbortResumeReason;
  /** The token being discarded. */
  readonly token: string;
}

/** Why a {@linkcode RollbackAction} is planned. */
export type RollbackReason =
  | "--force-rollback-to-latest-snapshot"
  | "--force-rollback-to-latest-common-snapshot"
  | "--force";

/**
 * `zfs rollback [-r] DST@snap`. With `recursive` (`-r`), ZFS destroys every destination snapshot
 * (and bookmark) newer than `to`; `destroys` lists the snapshots that go. The caller adds `-f`
 * (`--force-unmount`) and `-R` (`--force-destroy-dependents`).
 */
export interface RollbackAction {
  /** Discriminant. */
  readonly type: "rollback";
  /** The destination snapshot to roll back to. */
  readonly to: SnapshotRecord;
  /** Whether `-r` is passed. */
  readonly recursive: boolean;
  /** Destination snapshots destroyed by this rollback, oldest first (empty without `-r`). */
  readonly destroys: readonly SnapshotRecord[];
  /** The option that asked for it. */
  readonly reason: RollbackReason;
}

/** `zfs destroy DST@a,b,...` of all destination snapshots (`--force` without a common snapshot). */
export interface DestroyDstSnapshotsAction {
  /** Discriminant. */
  readonly type: "destroyDstSnapshots";
  /** Destination dataset. */
  readonly dataset: string;
  /** The snapshots to destroy, oldest first. */
  readonly snapshots: readonly SnapshotRecord[];
}

/** `zfs send SRC@snap | zfs receive -F DST`. */
export interface FullSendAction {
  /** Discriminant. */
  readonly type: "full";
  /** The source snapshot to send. */
  readonly snapshot: SnapshotRecord;
  /** Destination dataset. */
  readonly dstDataset: string;
  /** Whether the destination's missing parent (and ancestors) must be created first. */
  readonly createAncestors: boolean;
  /** Dry run: only log the pipeline, never run it (see semantics 9.9). */
  readonly logOnly: boolean;
}

/** `zfs send -t TOKEN | zfs receive -s DST`: finish an interrupted stream of exactly one snapshot. */
export interface ResumeAction {
  /** Discriminant. */
  readonly type: "resume";
  /** The resume token. */
  readonly token: string;
  /** Incremental origin of the stream; `null` when a full send is resumed. */
  readonly from: SnapshotRecord | null;
  /** The snapshot the stream delivers. */
  readonly to: SnapshotRecord;
  /** Destination dataset. */
  readonly dstDataset: string;
  /** Dry run: only log the pipeline, never run it. */
  readonly logOnly: boolean;
}

/** One `zfs send -i|-I FROM TO | zfs receive DST` step. */
export interface IncrementalSendAction {
  /** Discriminant. */
  readonly type: "incremental";
  /** `-I` sends every snapshot between `from` and `to`; `-i` only `to`. */
  readonly flag: "-i" | "-I";
  /** Origin: a source snapshot or a source bookmark. */
  readonly from: SnapshotRecord;
  /** Target source snapshot. */
  readonly to: SnapshotRecord;
  /** The snapshots this step delivers, oldest first (ends with `to`). */
  readonly toSnapshots: readonly SnapshotRecord[];
  /** Destination dataset. */
  readonly dstDataset: string;
  /** Dry run: only log the pipeline, never run it. */
  readonly logOnly: boolean;
}

/** One source bookmark to create after the preceding send succeeded. */
export interface BookmarkToCreate {
  /** The source snapshot to bookmark. */
  readonly snapshot: SnapshotRecord;
  /** Final bookmark short name (after `#`), see {@linkcode bookmarkName}. */
  readonly name: string;
}

/** `zfs bookmark SRC@snap SRC#name` for each entry, after the preceding send. */
export interface CreateBookmarksAction {
  /** Discriminant. */
  readonly type: "bookmarks";
  /** Source dataset. */
  readonly dataset: string;
  /** The bookmarks, oldest first. */
  readonly bookmarks: readonly BookmarkToCreate[];
}

/**
 * One planned step; a plan lists them in execution order.
 *
 * @example
 * ```ts
 * import type { ReplicationAction } from "./types.ts";
 * const describe = (a: ReplicationAction) => a.type;
 * ```
 */
export type ReplicationAction =
  | AbortResumeAction
  | RollbackAction
  | DestroyDstSnapshotsAction
  | FullSendAction
  | ResumeAction
  | IncrementalSendAction
  | CreateBookmarksAction;

/** Nothing to send. `actions` may still hold requested rollbacks (and the resume abort before them). */
export interface UpToDatePlan {
  /** Discriminant. */
  readonly kind: "up-to-date";
  /** Actions to run anyway (rollbacks), in order; often empty. */
  readonly actions: readonly ReplicationAction[];
  /** Set when a force option resolved a conflict. */
  readonly forceUsed: ForceUsed | null;
}

/** `--skip-missing-snapshots=dataset` and no snapshot selected: warn and skip. */
export interface SkipPlan {
  /** Discriminant. */
  readonly kind: "skip";
  /** Why. */
  readonly reason: "no-selected-snapshots";
  /** The warning to log. */
  readonly message: string;
  /** Whether descendants are skipped too when recursive (the destination does not exist). */
  readonly skipDescendants: boolean;
}

/** `--skip-missing-snapshots=fail` and no snapshot selected: an error (exit 3). */
export interface FailPlan {
  /** Discriminant. */
  readonly kind: "fail";
  /** Why. */
  readonly reason: "no-selected-snapshots";
  /** The error message. */
  readonly message: string;
}

/** A conflict that no given force option resolves. */
export interface ConflictPlan {
  /** Discriminant. */
  readonly kind: "conflict";
  /** The typed conflict. */
  readonly conflict: ReplicationConflict;
  /** Names the dataset, the conflicting snapshot and the option that would resolve it. */
  readonly message: string;
}

/** Replication work to do, in execution order. */
export interface ReplicatePlan {
  /** Discriminant. */
  readonly kind: "replicate";
  /** Actions in execution order. */
  readonly actions: readonly ReplicationAction[];
  /** Set when a force option resolved a conflict. */
  readonly forceUsed: ForceUsed | null;
}

/**
 * Result of {@linkcode planReplication}.
 *
 * @example
 * ```ts
 * import type { ReplicationPlan } from "./types.ts";
 * const done = (p: ReplicationPlan) => p.kind === "up-to-date" && p.actions.length === 0;
 * ```
 */
export type ReplicationPlan = UpToDatePlan | SkipPlan | FailPlan | ConflictPlan | ReplicatePlan;
