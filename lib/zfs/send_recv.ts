/**
 * argv builders for `zfs send` / `zfs receive`, the size estimate (`zfs send -nvP`), the
 * "dataset busy with another receive" check from `ps` output, and the classification of
 * resume-related receive errors.
 *
 * @module
 */
import { lines } from "./list.ts";

/** What to send: a full stream, an incremental `-i`/`-I` step, or a resume token. */
export type SendWhat =
  | { readonly kind: "full"; readonly snapshot: string }
  | {
    readonly kind: "incremental";
    readonly flag: "-i" | "-I";
    readonly from: string;
    readonly to: string;
  }
  | { readonly kind: "resume"; readonly token: string };

/** Options of {@linkcode sendArgv}. */
export interface SendArgvOptions {
  /** Sanitised `--zfs-send-program-opts` (see `sanitizeSendOpts`). Not used with a resume token. */
  opts?: readonly string[];
  /** `-v` (at `-v -v`). @default {false} */
  verbose?: boolean;
  /** The zfs program. @default {"zfs"} */
  zfsProgram?: string;
}

/**
 * `zfs send [opts] [-v] <snapshot>`, `zfs send [opts] [-v] -i|-I <from> <to>` or
 * `zfs send [-v] -t <token>` (a resume stream carries its own options).
 *
 * @example
 * ```ts
 * import { sendArgv } from "./send_recv.ts";
 * sendArgv({ kind: "incremental", flag: "-I", from: "tank/a@s1", to: "tank/a@s5" }, { opts: ["--raw"] }).join(" ");
 * // "zfs send --raw -I tank/a@s1 tank/a@s5"
 * ```
 * @param what The stream.
 * @param options Program options.
 * @returns The argv (without sudo).
 */
export function sendArgv(what: SendWhat, options: SendArgvOptions = {}): string[] {
  const argv = [options.zfsProgram ?? "zfs", "send"];
  if (what.kind !== "resume") argv.push(...(options.opts ?? []));
  if (options.verbose) argv.push("-v");
  if (what.kind === "full") argv.push(what.snapshot);
  else if (what.kind === "incremental") argv.push(what.flag, what.from, what.to);
  else argv.push("-t", what.token);
  return argv;
}

/**
 * The size estimate command for a send argv: the same with `-n -v -P` right after `send`.
 *
 * @example
 * ```ts
 * import { estimateSizeArgv, sendArgv } from "./send_recv.ts";
 * estimateSizeArgv(sendArgv({ kind: "full", snapshot: "tank/a@s1" })).join(" "); // "zfs send -nvP tank/a@s1"
 * ```
 * @param send A `zfs send` argv from {@linkcode sendArgv}.
 * @returns The argv of the dry run that prints the size.
 */
export function estimateSizeArgv(send: readonly string[]): string[] {
  const rest = send.slice(2).filter((w) => w !== "-v");
  return [send[0], "send", "-nvP", ...rest];
}

/**
 * The byte count from `zfs send -nvP` output (its last `size<TAB>N` line), or undefined.
 *
 * @example
 * ```ts
 * import { parseSizeEstimate } from "./send_recv.ts";
 * parseSizeEstimate("full\ttank/a@s1\t1234\nsize\t1234\n"); // 1234
 * ```
 * @param output Standard output (and error) of the estimate.
 * @returns Bytes, or undefined when no size line was printed.
 */
export function parseSizeEstimate(output: string): number | undefined {
  let size: number | undefined;
  for (const line of lines(output)) {
    const m = line.match(/^size\s+(\d+)\s*$/);
    if (m) size = Number(m[1]);
  }
  return size;
}

/** Options of {@linkcode receiveArgv}. */
export interface ReceiveArgvOptions {
  /** Sanitised `--zfs-recv-program-opts` plus generated `-o`/`-x` (see `sanitizeRecvOpts`). */
  opts?: readonly string[];
  /** `-s`: resumable (unless `--no-resume-recv`). @default {false} */
  resumable?: boolean;
  /** `-F`: full sends into an existing or new dataset. @default {false} */
  force?: boolean;
  /** `-n` (`--dryrun=recv`). @default {false} */
  dryRun?: boolean;
  /** `-v` (at `-v -v`). @default {false} */
  verbose?: boolean;
  /** The zfs program. @default {"zfs"} */
  zfsProgram?: string;
}

/**
 * `zfs receive [-s] [-F] [-n] [-v] [opts] <dataset>`.
 *
 * @example
 * ```ts
 * import { receiveArgv } from "./send_recv.ts";
 * receiveArgv("bak/a", { opts: ["-u"], resumable: true, force: true }).join(" "); // "zfs receive -s -F -u bak/a"
 * ```
 * @param dataset The destination dataset.
 * @param options Flags and options.
 * @returns The argv (without sudo).
 */
export function receiveArgv(dataset: string, options: ReceiveArgvOptions = {}): string[] {
  const argv = [options.zfsProgram ?? "zfs", "receive"];
  if (options.resumable) argv.push("-s");
  if (options.force) argv.push("-F");
  if (options.dryRun) argv.push("-n");
  if (options.verbose) argv.push("-v");
  return [...argv, ...(options.opts ?? []), dataset];
}

/**
 * `ps -Ao args`: the command lines of all processes, for {@linkcode isDatasetBusy}.
 *
 * @example
 * ```ts
 * import { psArgv } from "./send_recv.ts";
 * psArgv().join(" "); // "ps -Ao args"
 * ```
 * @param options The ps program (`--ps-program`).
 * @returns The argv.
 */
export function psArgv(options: { psProgram?: string } = {}): string[] {
  return [options.psProgram ?? "ps", "-Ao", "args"];
}

/**
 * Whether `ps` output shows another `zfs receive` into `dataset` (or `zfs send` of it), so a
 * destructive step must wait.
 *
 * @example
 * ```ts
 * import { isDatasetBusy } from "./send_recv.ts";
 * isDatasetBusy("sh -c x\nsudo -n zfs receive -s -u bak/a\n", "bak/a"); // true
 * isDatasetBusy("zfs receive -u bak/ab\n", "bak/a"); // false
 * ```
 * @param psOutput Output of {@linkcode psArgv}.
 * @param dataset The dataset.
 * @returns True when busy.
 */
export function isDatasetBusy(psOutput: string, dataset: string): boolean {
  const quoted = dataset.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const re = new RegExp(`(^|\\s|/)zfs (receive|recv|send)( .*)? ${quoted}(@\\S*)?$`);
  return lines(psOutput).some((l) => re.test(l.trim()));
}

/** What to do about a failed receive, from its stderr. */
export type ResumeRecovery = "abort-and-retry" | "retry" | "none";

/**
 * Classifies a failed send/receive (or destroy/rollback) by its stderr, as upstream does:
 * a stale resume token, an incompatible resume stream, partial `receive -s` state blocking a
 * non-resumable receive, or a `%recv` clone blocking destroy/rollback need `zfs receive -A` and
 * an immediate retry; an interrupted resumable receive just retries (it will resume).
 *
 * @example
 * ```ts
 * import { resumeRecovery } from "./send_recv.ts";
 * resumeRecovery("cannot resume send: 'tank/a@s1' used in the initial send no longer exists", "bak/a");
 * // "abort-and-retry"
 * ```
 * @param stderr The command's standard error.
 * @param dstDataset The destination dataset.
 * @returns The recovery.
 */
export function resumeRecovery(stderr: string, dstDataset: string): ResumeRecovery {
  const has = (s: string) => stderr.includes(s);
  const recvClone = stderr.includes(`\n${dstDataset}/%recv\n`);
  if (
    has("cannot resume send") &&
    (has("is no longer the same snapshot used in the initial send") ||
      has("used in the initial send no longer exists") ||
      /incremental source [0-9a-fx]+ no longer exists/.test(stderr))
  ) return "abort-and-retry";
  if (
    has("cannot receive") &&
    (has(
      "cannot receive resume stream: incompatible embedded data stream feature with encrypted receive",
    ) ||
      has('contains partially-complete state from "zfs receive -s"'))
  ) return "abort-and-retry";
  if (
    has("cannot receive new filesystem stream: checksum mismatch or incomplete stream") &&
    has("Partially received snapshot is saved")
  ) return "retry";
  if (
    has("cannot destroy") && has("snapshot has dependent clone") &&
    has("use '-R' to destroy the following dataset") && recvClone
  ) return "abort-and-retry";
  if (
    has("cannot rollback to") && has("clones of previous snapshots exist") &&
    has("use '-R' to force deletion of the following clones and dependents") && recvClone
  ) return "abort-and-retry";
  return "none";
}
