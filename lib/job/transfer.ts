/**
 * One `zfs send | ... | zfs receive` transfer: the send and receive argv from the options, the
 * size estimate (`zfs send -nvP`), the pipeline rendered by the builder (compression and
 * buffering only where both ends have them and the stream is not tiny, pv with `--size` and
 * `--bwlimit` writing to the run's `.pv` file), and one spawned `sh -c` that streams the data
 * outside JavaScript. On a terminal the transfer is followed by the run's progress reporter.
 *
 * @module
 */
import type { BzfsOptionValues } from "../cli/option_values.ts";
import { RetryableError, UsageError } from "../errors.ts";
import { Pipeline } from "../exec/pipeline.ts";
import { createRemote } from "../exec/remote.ts";
import { FORBIDDEN_PV_OPTS, forbiddenToken } from "../cli/program_opts_check.ts";
import { detectTools } from "../zfs/detect.ts";
import { explicitNames, receivablePreserved, receivePropertyOptions } from "./recv_properties.ts";
import {
  isRawSendOpts,
  sanitizeRecvOpts,
  sanitizeSendOpts,
  splitProgramOpts,
} from "../zfs/program_opts.ts";
import { logger } from "../log/setup.ts";
import { psArgv, receiveArgv, sendArgv as zfsSendArgv, type SendWhat } from "../zfs/send_recv.ts";
import type { JobContext, PreparedHost } from "./context.ts";
import { reporterFor, statusLineEnabled } from "./progress.ts";
import { acquirePvSlot, type PvSlot } from "./pv_output.ts";
import { estimateSendSize, minPipeTransferSize, sizeLabel } from "./size_estimate.ts";

/** What to send (the `zfs send` builder's type). */
export type SendSpec = SendWhat;

/** The two ends of a transfer. */
export interface TransferEnds {
  /** The source host. */
  readonly src: PreparedHost;
  /** The destination host. */
  readonly dst: PreparedHost;
  /** The destination dataset. */
  readonly dstDataset: string;
}

/** Whether the send options ask for a raw stream (`-w` / `--raw`). */
export function isRawSend(o: BzfsOptionValues): boolean {
  return isRawSendOpts(o.zfsSendProgramOpts);
}

/**
 * The `zfs send` argv for a step.
 *
 * @example
 * ```ts ignore
 * sendArgv({ kind: "full", snapshot: "tank/a@s1" }, options); // ["zfs", "send", "--raw", "--compressed", "tank/a@s1"]
 * ```
 * @param spec What to send.
 * @param o The options.
 * @returns The argv.
 */
export function sendArgv(spec: SendSpec, o: BzfsOptionValues): string[] {
  if (spec.kind === "resume") return zfsSendArgv(spec);
  return zfsSendArgv(spec, { opts: sanitizeSendOpts(splitProgramOpts(o.zfsSendProgramOpts)) });
}

/**
 * The `zfs receive` argv for a step: `-s` unless `--no-resume-recv`, `-F` for a full stream,
 * `-n` under `--dryrun=recv`, then the user's sanitised options.
 *
 * @example
 * ```ts ignore
 * recvArgv("backup/a", { full: true, options }); // ["zfs", "receive", "-s", "-F", "-u", "backup/a"]
 * ```
 * @param dstDataset The destination.
 * @param options Whether the stream is full, and the run's options.
 * @returns The argv.
 */
export function recvArgv(
  dstDataset: string,
  options: { full: boolean; o: BzfsOptionValues; propertyOpts?: readonly string[] },
): string[] {
  const o = options.o;
  const tokens = [...splitProgramOpts(o.zfsRecvProgramOpts), ...o.zfsRecvProgramOpt];
  const user = sanitizeRecvOpts(tokens, { preserveProperties: receivablePreserved(o) }).opts;
  return receiveArgv(dstDataset, {
    resumable: !o.noResumeRecv && o.zpoolProgram !== "-",
    force: options.full,
    dryRun: o.dryrun === "recv",
    opts: [...user, ...(options.propertyOpts ?? [])],
  });
}

/**
 * The run's pv file, next to its log file (`<stem>.pv`), or undefined without a log file.
 *
 * @example
 * ```ts
 * import { pvFileOf } from "./transfer.ts";
 * pvFileOf("/root/bzfs-logs/2025-01-17/zrun_x.log"); // "/root/bzfs-logs/2025-01-17/zrun_x.pv"
 * ```
 * @param logFile The run's log file.
 * @returns The pv file.
 */
export function pvFileOf(logFile: string | undefined): string | undefined {
  return logFile === undefined ? undefined : `${logFile.replace(/\.log$/, "")}.pv`;
}

/**
 * The pv options of a run: `--pv-program-opts`, then `--rate-limit=<bwlimit>` with `--bwlimit`.
 *
 * @example
 * ```ts ignore
 * pvOptions(options); // ["--progress", ..., "--buffer-size=2M", "--rate-limit=100m"]
 * ```
 * @param o The options.
 * @returns The split options.
 * @throws {UsageError} For an option that writes files or changes the data (`-o`, `-f`, `-S`,
 * ...; normally rejected when the options are parsed already).
 */
export function pvOptions(o: BzfsOptionValues): string[] {
  const opts = splitProgramOpts(o.pvProgramOpts);
  const bad = forbiddenToken(opts, FORBIDDEN_PV_OPTS);
  if (bad !== undefined) {
    throw new UsageError("Option is disallowed for security reasons", {
      option: "--pv-program-opts",
      value: bad,
    });
  }
  return o.bwlimit ? [...opts, `--rate-limit=${o.bwlimit}`] : opts;
}

const BUSY_RECEIVE_RE =
  /^(?:(?:[^ ]*?\/)?(?:sudo|doas)(?: +-n)? +)?(?:[^ ]*?\/)?zfs (?:receive|recv) .*$/s;

/**
 * Whether `ps -Ao args` output shows another `zfs receive` (optionally under sudo/doas) into
 * `dataset`, as upstream checks before a replication step. A `zfs send` of the dataset does not
 * count: receiving into a dataset while it is sent elsewhere is fine (daisy chains).
 *
 * @example
 * ```ts
 * import { isReceiveBusy } from "./transfer.ts";
 * isReceiveBusy("COMMAND\nsudo -n zfs receive -s -u bak/a\n", "bak/a"); // true
 * isReceiveBusy("zfs send -I bak/a@s1 bak/a@s2\nzfs receive -u bak/ab\n", "bak/a"); // false
 * ```
 * @param psOutput Output of `ps -Ao args`.
 * @param dataset The destination dataset.
 * @returns True when busy.
 */
export function isReceiveBusy(psOutput: string, dataset: string): boolean {
  return psOutput.split("\n").map((l) => l.trimEnd()).some((p) =>
    (p.endsWith(` ${dataset}`) || p.includes(` ${dataset}@`)) && BUSY_RECEIVE_RE.test(p)
  );
}

const checkedNotBusy = new WeakMap<JobContext, Set<string>>();

/**
 * Declines (retryably) to receive into a dataset that another process is receiving into right
 * now: `ps -Ao args` on the destination, once per dataset and pair run; skipped with
 * `--ps-program=-` or when the destination has no ps.
 */
async function checkNotBusy(ends: TransferEnds, ctx: JobContext): Promise<void> {
  const o = ctx.config.options;
  if (o.psProgram === "-" || !ends.dst.info.tools.has("ps")) return;
  const seen = checkedNotBusy.get(ctx) ?? new Set<string>();
  checkedNotBusy.set(ctx, seen);
  if (seen.has(ends.dstDataset)) return;
  const r = await ctx.executor.run({
    argv: psArgv({ psProgram: o.psProgram }),
    remote: ends.dst.remote,
    readOnly: true,
    check: false,
    signal: ctx.signal,
  });
  if (r.code === 0 && isReceiveBusy(r.stdout, ends.dstDataset)) {
    const msg = "Cannot continue now: Destination is already busy with zfs receive operation " +
      `from another process: ${ends.dstDataset}`;
    logger("transfer").warn(msg);
    throw new RetryableError(msg);
  }
  seen.add(ends.dstDataset);
}

/**
 * Runs one transfer through a single `sh -c` pipeline.
 *
 * @example
 * ```ts ignore
 * await runTransfer({ kind: "full", snapshot: "tank/a@s1" }, { src, dst, dstDataset: "backup/a" }, ctx);
 * ```
 * @param spec What to send.
 * @param ends Source, destination and destination dataset.
 * @param ctx The run.
 * @throws {RetryableError} When the pipeline fails (wrapping the command error).
 */
export async function runTransfer(
  spec: SendSpec,
  ends: TransferEnds,
  ctx: JobContext,
): Promise<void> {
  const o = ctx.config.options;
  const full = spec.kind === "full";
  const propertyOpts = spec.kind === "resume" ? [] : await receivePropertyOptions(
    (spec.kind === "full" ? spec.snapshot : spec.to).split("@")[0],
    { full, src: ends.src, explicit: explicitNames(o) },
    ctx,
  );
  const local = await detectTools(ctx.executor, createRemote(), { cache: ctx.detectCache });
  const send = sendArgv(spec, o);
  await checkNotBusy(ends, ctx);
  const estimate = await estimateSendSize(send, ctx, {
    ...ends,
    resume: spec.kind === "resume",
  });
  let pipeline = Pipeline.create()
    .send(send)
    .receive(recvArgv(ends.dstDataset, { full, o, propertyOpts }))
    .from(ends.src.remote, { sudo: ends.src.elevate })
    .to(ends.dst.remote, { sudo: ends.dst.elevate })
    .r2r(o.r2r)
    .tools({ src: ends.src.info.tools, dst: ends.dst.info.tools, local: local.tools });
  if (o.compressionProgram !== "-") {
    pipeline = pipeline.compression(
      o.compressionProgram,
      splitProgramOpts(o.compressionProgramOpts),
    );
  }
  if (o.mbufferProgram !== "-") {
    pipeline = pipeline.buffer(o.mbufferProgram, splitProgramOpts(o.mbufferProgramOpts));
  }
  pipeline = pipeline.sizeEstimate(estimate, { minPipeTransferSize: minPipeTransferSize() });
  const pvFile = pvFileOf(ctx.logFile);
  // without a log file pv only rate-limits (its status goes nowhere)
  const usePv = o.pvProgram !== "-" && (pvFile !== undefined || o.bwlimit !== undefined);
  const slot: PvSlot | undefined = usePv && pvFile ? acquirePvSlot(pvFile) : undefined;
  if (usePv) {
    pipeline = pipeline.progress({
      program: o.pvProgram,
      opts: pvOptions(o),
      logFile: slot?.path ?? "/dev/null",
      name: sizeLabel(estimate),
    });
  }
  const leases = ctx.mux
    ? {
      src: ends.src.remote.host ? ctx.mux.acquire(ends.src.remote, "dedicated") : undefined,
      dst: ends.dst.remote.host ? ctx.mux.acquire(ends.dst.remote, "dedicated") : undefined,
    }
    : {};
  let tracked: { finish(): Promise<void> } | undefined;
  try {
    pipeline = pipeline.controlPaths({
      src: leases.src?.controlPath,
      dst: leases.dst?.controlPath,
    });
    const rendered = pipeline.render();
    for (const note of rendered.notes) logger("transfer").warn(note);
    const pvRuns = slot !== undefined && local.tools.has("pv") && !rendered.mode.startsWith("r2r");
    if (pvRuns && o.dryrun !== "send" && statusLineEnabled(o)) {
      tracked = await reporterFor(pvFile!, pvOptions(o)).track(slot.path);
    }
    await ctx.pipelineExecutor.runPipeline(rendered, { signal: ctx.signal });
  } finally {
    await tracked?.finish();
    slot?.release();
    leases.src?.release();
    leases.dst?.release();
  }
}
