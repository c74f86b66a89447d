/**
 * Whether a destination's resume token can finish the first planned send, or must be aborted
 * with `zfs receive -A` (semantics 5.6).
 *
 * @module
 */

import type {
  AbortResumeReason,
  FullSendAction,
  IncrementalSendAction,
  ResumeAction,
  ResumeTokenInfo,
} from "./types.ts";

/** Options of {@linkcode resumeBlocker}. */
export interface ResumeBlockerOptions {
  /** `--no-resume-recv`. @default {false} */
  readonly noResumeRecv?: boolean;
  /** Whether the planned sends are raw. @default {true} */
  readonly rawSend?: boolean;
  /** Whether the plan rolls back with `-r` or destroys destination snapshots. @default {false} */
  readonly destroys?: boolean;
}

/**
 * Why a token cannot be used whatever the planned sends are, or `null` when it may be usable.
 * - `--no-resume-recv`: a receive without `-s` refuses a dataset with partial state;
 * - a raw token (`rawok`: raw send of encrypted data) while non-raw sends are planned:
 *   `zfs send -t` would produce the other mode;
 * - a planned `rollback -r` / `destroy` would fail on the hidden `%recv` clone.
 *
 * @example
 * ```ts
 * import { resumeBlocker } from "./resume.ts";
 * resumeBlocker({ token: "1-a", toGuid: "2", raw: true }, { rawSend: false }); // "raw-mismatch"
 * resumeBlocker({ token: "1-a", toGuid: "2", raw: false }, { rawSend: true }); // null
 * ```
 * @param token The decoded token.
 * @param options Flags from the options and the plan so far.
 * @returns The reason to abort, or `null`.
 */
export function resumeBlocker(
  token: ResumeTokenInfo,
  options: ResumeBlockerOptions = {},
): AbortResumeReason | null {
  if (options.noResumeRecv) return "no-resume-recv";
  // OpenZFS records `rawok` in a token only for a raw send of an ENCRYPTED dataset, so a token
  // without it may come from a raw send of plain data: only a raw token with non-raw sends
  // planned is a certain mismatch (resuming would keep the data encrypted against the options).
  if (token.raw && !(options.rawSend ?? true)) return "raw-mismatch";
  if (options.destroys) return "before-destroy";
  return null;
}

/**
 * Replaces the first planned send by `zfs send -t TOKEN` when the token delivers exactly that
 * send: the same target GUID, and the same origin GUID (none for a full send). The first
 * incremental step must already be a single-snapshot `-i` (plan it with `isResume`).
 *
 * @example
 * ```ts
 * import { resumeFirstSend } from "./resume.ts";
 * const s = { dataset: "t/a", name: "s1", kind: "snapshot" as const, guid: "7", createTxg: 7n, creation: 7 };
 * const full = { type: "full" as const, snapshot: s, dstDataset: "b/a", createAncestors: false, logOnly: false };
 * resumeFirstSend(full, { token: "1-x", toGuid: "7", raw: true })?.type; // "resume"
 * ```
 * @param send The first planned send.
 * @param token The decoded token.
 * @returns The resume action, or `null` when the token is stale for this plan.
 */
export function resumeFirstSend(
  send: FullSendAction | IncrementalSendAction,
  token: ResumeTokenInfo,
): ResumeAction | null {
  const base = { type: "resume" as const, token: token.token, dstDataset: send.dstDataset };
  if (send.type === "full") {
    if (token.fromGuid !== undefined || token.toGuid !== send.snapshot.guid) return null;
    return { ...base, from: null, to: send.snapshot, logOnly: send.logOnly };
  }
  if (send.toSnapshots.length !== 1 || token.toGuid !== send.to.guid) return null;
  if (token.fromGuid !== send.from.guid) return null;
  return { ...base, from: send.from, to: send.to, logOnly: send.logOnly };
}
