/**
 * Replication of one dataset: plan from the listed state (pure, `lib/replicate`), then carry
 * out the planned actions in order.
 *
 * @module
 */
import { BzfsError } from "../errors.ts";
import { filterSnapshots } from "../filter/filter_snapshots.ts";
import type { SnapshotFilterGroup } from "../filter/snapshot_filter_types.ts";
import { logger } from "../log/setup.ts";
import { conflictError } from "../replicate/conflict.ts";
import { describeAction } from "../replicate/describe.ts";
import { planReplication } from "../replicate/plan.ts";
import type {
  PlanReplicationOptions,
  ReplicationAction,
  ReplicationPlan,
  ResumeTokenInfo,
} from "../replicate/types.ts";
import { fullName, type SnapshotRecord } from "../zfs/types.ts";
import type { JobContext, PreparedHost } from "./context.ts";
import { isRawSend, runTransfer, type TransferEnds } from "./transfer.ts";
import { zfsSetAfterReceive } from "./zfs_set.ts";

/** What is known about one dataset pair before planning. */
export interface DatasetState {
  /** Source dataset. */
  readonly srcDataset: string;
  /** Destination dataset. */
  readonly dstDataset: string;
  /** Source snapshots and bookmarks, oldest first. */
  readonly src: readonly SnapshotRecord[];
  /** Destination snapshots, or null when the destination does not exist. */
  readonly dst: readonly SnapshotRecord[] | null;
  /** Whether the destination's parent dataset exists (else it is created before a full send). */
  readonly dstParentExists: boolean;
  /** The decoded resume token on the destination, if any. */
  readonly resumeToken: ResumeTokenInfo | null;
}

/** What the scheduler should do after a dataset. */
export type DatasetOutcome = "continue" | "skip-subtree";

/**
 * The planner options from the run's options (force options may be spent by `--force-once`).
 *
 * @example
 * ```ts ignore
 * planOptions(ctx, { forceAvailable: true });
 * ```
 */
export function planOptions(ctx: JobContext, force: ForceState): PlanReplicationOptions {
  const o = ctx.config.options;
  return {
    noStream: o.noStream,
    force: o.force && force.available,
    forceRollbackToLatestSnapshot: o.forceRollbackToLatestSnapshot,
    forceRollbackToLatestCommonSnapshot: o.forceRollbackToLatestCommonSnapshot && force.available,
    forceOnce: o.forceOnce,
    // --zpool-program=-: pool features cannot be queried, so bookmarks and resumable receives
    // are treated as unavailable (upstream's rule); otherwise OpenZFS >= 2.1 has both
    noUseBookmark: o.noUseBookmark || o.zpoolProgram === "-",
    createBookmarks: o.zpoolProgram === "-" ? "none" : o.createBookmarks,
    skipMissingSnapshots: o.skipMissingSnapshots,
    noResumeRecv: o.noResumeRecv || o.zpoolProgram === "-",
    dryrun: o.dryrun ?? false,
    rawSend: isRawSend(o),
  };
}

/** Whether a force option may still be used (`--force-once` spends it on the first conflict). */
export interface ForceState {
  /** True until `--force-once` spent the force. */
  available: boolean;
}

/**
 * Plans one dataset from its listed state.
 *
 * @example
 * ```ts ignore
 * const plan = planDataset(state, ctx, { groups, force });
 * ```
 */
export function planDataset(
  state: DatasetState,
  ctx: JobContext,
  options: { groups: readonly SnapshotFilterGroup[]; force: ForceState },
): ReplicationPlan {
  const { groups, force } = options;
  const snapshots = state.src.filter((r) => r.kind === "snapshot");
  const selected = filterSnapshots(snapshots, groups, { now: ctx.startedAt });
  const plan = planReplication({
    srcDataset: state.srcDataset,
    dstDataset: state.dstDataset,
    src: state.src,
    selectedGuids: new Set(selected.map((r) => r.guid)),
    dst: state.dst,
    dstParentExists: state.dstParentExists,
    resumeToken: state.resumeToken,
  }, planOptions(ctx, force));
  if ("forceUsed" in plan && plan.forceUsed && ctx.config.options.forceOnce) {
    force.available = false;
  }
  return plan;
}

/**
 * Carries out a plan. Conflicts and `fail` plans throw; skips are logged.
 *
 * @example
 * ```ts ignore
 * const outcome = await executePlan(plan, ends, ctx);
 * ```
 * @returns Whether the scheduler may continue with the dataset's children.
 * @throws {ReplicationConflictError} On a conflict the options do not resolve.
 * @throws {BzfsError} On a `fail` plan (`--skip-missing-snapshots=fail`).
 */
export async function executePlan(
  plan: ReplicationPlan,
  ends: TransferEnds & { srcDataset: string },
  ctx: JobContext,
): Promise<DatasetOutcome> {
  const log = logger("replicate");
  switch (plan.kind) {
    case "conflict":
      throw conflictError(plan.conflict, plan.message);
    case "fail":
      throw new BzfsError(plan.message);
    case "skip":
      log.warn(plan.message);
      return plan.skipDescendants ? "skip-subtree" : "continue";
    default:
      break;
  }
  for (const action of plan.actions) {
    if (ctx.signal.aborted) break;
    log.info("{prefix}{what}", {
      prefix: ctx.config.options.dryrun ? "Dry " : "",
      what: describeAction(action),
    });
    await executeAction(action, ends, ctx);
  }
  if (plan.kind === "up-to-date") {
    log.info("Already up-to-date: {dst}", { dst: ends.dstDataset });
  }
  return "continue";
}

function destroyFlags(ctx: JobContext): string[] {
  const o = ctx.config.options;
  return [...(o.forceDestroyDependents ? ["-R"] : []), ...(o.forceUnmount ? ["-f"] : [])];
}

async function runZfs(host: PreparedHost, argv: string[], ctx: JobContext): Promise<void> {
  await ctx.executor.run({ argv, remote: host.remote, sudo: host.elevate, signal: ctx.signal });
}

async function executeAction(
  action: ReplicationAction,
  ends: TransferEnds & { srcDataset: string },
  ctx: JobContext,
): Promise<void> {
  switch (action.type) {
    case "abortResume":
      return await runZfs(ends.dst, ["zfs", "receive", "-A", action.dataset], ctx);
    case "rollback": {
      const flags = [...(action.recursive ? ["-r"] : []), ...destroyFlags(ctx)];
      return await runZfs(ends.dst, ["zfs", "rollback", ...flags, fullName(action.to)], ctx);
    }
    case "destroyDstSnapshots": {
      if (action.snapshots.length === 0) return;
      const names = action.snapshots.map((s) => s.name).join(",");
      return await runZfs(
        ends.dst,
        ["zfs", "destroy", ...destroyFlags(ctx), `${action.dataset}@${names}`],
        ctx,
      );
    }
    case "full":
      if (action.logOnly) return;
      if (action.createAncestors) await createParent(ends, ctx);
      await runTransfer({ kind: "full", snapshot: fullName(action.snapshot) }, ends, ctx);
      return await zfsSetAfterReceive(ends, { full: true }, ctx);
    case "resume":
      if (action.logOnly) return;
      return await runTransfer({ kind: "resume", token: action.token }, ends, ctx);
    case "incremental":
      if (action.logOnly) return;
      await runTransfer(
        {
          kind: "incremental",
          flag: action.flag,
          from: fullName(action.from),
          to: fullName(action.to),
        },
        ends,
        ctx,
      );
      return await zfsSetAfterReceive(ends, { full: false }, ctx);
    case "bookmarks":
      for (const b of action.bookmarks) await createBookmark(ends.src, b.snapshot, b.name, ctx);
      return;
  }
}

async function createParent(ends: TransferEnds, ctx: JobContext): Promise<void> {
  const slash = ends.dstDataset.lastIndexOf("/");
  if (slash <= 0) return;
  const parent = ends.dstDataset.slice(0, slash);
  await runZfs(ends.dst, ["zfs", "create", "-p", parent], ctx);
}

async function createBookmark(
  host: PreparedHost,
  snapshot: SnapshotRecord,
  name: string,
  ctx: JobContext,
): Promise<void> {
  const r = await ctx.executor.run({
    argv: ["zfs", "bookmark", fullName(snapshot), `${snapshot.dataset}#${name}`],
    remote: host.remote,
    sudo: host.elevate,
    signal: ctx.signal,
    check: false,
  });
  if (r.code !== 0 && !/exists/.test(r.stderr)) {
    logger("replicate").warn("Cannot create bookmark {name}: {err}", {
      name: `${snapshot.dataset}#${name}`,
      err: r.stderr.trim(),
    });
  }
}
