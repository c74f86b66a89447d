/**
 * The size estimate before each transfer: `zfs send -nvP` on the source (skipped with
 * `--no-estimate-send-size`), and `bzfs_min_pipe_transfer_size`, the estimate below which no
 * compression or mbuffer stage is built. The estimate also becomes pv's `--size` and `--name`.
 *
 * @module
 */
import { BzfsError, CommandError, RetryableError } from "../errors.ts";
import { CommandTimeoutError, InterruptedCommandError } from "../exec/failure.ts";
import { logger } from "../log/setup.ts";
import { humanReadableBytes } from "../monitor/human_readable.ts";
import { estimateSizeArgv, parseSizeEstimate, resumeRecovery } from "../zfs/send_recv.ts";
import type { JobContext, PreparedHost } from "./context.ts";

/** Default of `bzfs_min_pipe_transfer_size` (1 MiB). */
export const DEFAULT_MIN_PIPE_TRANSFER_SIZE = 1024 * 1024;

/** Reads one environment variable; injectable for tests. */
export type EnvReader = (name: string) => string | undefined;

const processEnv: EnvReader = (name) => Deno.env.get(name);

/**
 * An integer `bzfs_*` environment variable, or the default when unset or blank.
 *
 * @example
 * ```ts
 * import { envInt } from "./size_estimate.ts";
 * envInt("bzfs_min_pipe_transfer_size", 1048576, () => "4096"); // 4096
 * envInt("bzfs_min_pipe_transfer_size", 1048576, () => undefined); // 1048576
 * ```
 * @param name The variable, e.g. `bzfs_terminal_columns`.
 * @param fallback The default.
 * @param env Where to read it. @default {Deno.env.get}
 * @returns The value.
 * @throws {BzfsError} When the value is not an integer (exit status 3, as upstream).
 */
export function envInt(name: string, fallback: number, env: EnvReader = processEnv): number {
  const raw = env(name)?.trim();
  if (raw === undefined || raw === "") return fallback;
  if (!/^[+-]?\d+$/.test(raw)) {
    throw new BzfsError(`Invalid environment variable ${name}: '${raw}' is not an integer`);
  }
  return Number(raw);
}

/**
 * `bzfs_min_pipe_transfer_size`: the estimated stream size below which a transfer gets no
 * compression or mbuffer stage.
 *
 * @example
 * ```ts
 * import { minPipeTransferSize } from "./size_estimate.ts";
 * minPipeTransferSize(() => undefined); // 1048576
 * minPipeTransferSize(() => "0"); // 0
 * ```
 * @param env Where to read it. @default {Deno.env.get}
 * @returns Bytes.
 * @throws {BzfsError} When the value is not an integer.
 */
export function minPipeTransferSize(env: EnvReader = processEnv): number {
  return envInt("bzfs_min_pipe_transfer_size", DEFAULT_MIN_PIPE_TRANSFER_SIZE, env);
}

/**
 * A byte count as pv's `--name` label: upstream's human-readable size without the space, or
 * `-` when unknown.
 *
 * @example
 * ```ts
 * import { sizeLabel } from "./size_estimate.ts";
 * sizeLabel(14_602_888_806); // "13.6GiB"
 * sizeLabel(undefined); // "-"
 * ```
 * @param bytes The estimate.
 * @returns The label (never contains `:`, which separates pv's name from its status).
 */
export function sizeLabel(bytes: number | undefined): string {
  return bytes === undefined ? "-" : humanReadableBytes(bytes).replace(" ", "");
}

/** Options of {@linkcode estimateSendSize}. */
export interface EstimateOptions {
  /** Where `zfs send` runs. */
  readonly src: PreparedHost;
  /** Where `zfs receive` runs (a stale resume token is cleared there). */
  readonly dst: PreparedHost;
  /** The destination dataset. */
  readonly dstDataset: string;
  /** The send resumes a token (`zfs send -t`). @default {false} */
  readonly resume?: boolean;
}

/**
 * Runs `zfs send -nvP ...` for a send argv on the source (with sudo if needed, also under
 * `--dryrun` since it changes nothing) and returns its byte count; undefined with
 * `--no-estimate-send-size` or when zfs printed no size. A resume token that can no longer be
 * used is cleared with `zfs receive -A` before the retryable failure is raised, as upstream does.
 *
 * @example
 * ```ts ignore
 * const bytes = await estimateSendSize(["zfs", "send", "tank/a@s1"], ctx, { src, dst, dstDataset: "bak/a" });
 * ```
 * @param send The `zfs send` argv (without sudo).
 * @param ctx The run.
 * @param options The two hosts, the destination dataset, and whether this is a resume.
 * @returns Bytes, or undefined.
 * @throws {RetryableError} When the estimate fails (wrapping the command error).
 */
export async function estimateSendSize(
  send: readonly string[],
  ctx: JobContext,
  options: EstimateOptions,
): Promise<number | undefined> {
  if (ctx.config.options.noEstimateSendSize) return undefined;
  try {
    const r = await ctx.executor.run({
      argv: estimateSizeArgv(send),
      remote: options.src.remote,
      sudo: options.src.elevate,
      readOnly: true,
      signal: ctx.signal,
    });
    return parseSizeEstimate(`${r.stdout}\n${r.stderr}`);
  } catch (e) {
    if (!(e instanceof CommandError) || e instanceof CommandTimeoutError) throw e;
    if (e instanceof InterruptedCommandError) throw e;
    if (options.resume && resumeRecovery(e.stderr, options.dstDataset) === "abort-and-retry") {
      await clearResumeState(options, ctx);
    }
    throw new RetryableError(`Cannot estimate the send size: ${e.message}`, { cause: e });
  }
}

async function clearResumeState(options: EstimateOptions, ctx: JobContext): Promise<void> {
  logger("transfer").warn(
    "Aborting an interrupted zfs receive -s, deleting partially received state: {dataset}",
    { dataset: options.dstDataset },
  );
  await ctx.executor.run({
    argv: ["zfs", "receive", "-A", options.dstDataset],
    remote: options.dst.remote,
    sudo: options.dst.elevate,
    signal: ctx.signal,
    check: false,
  });
}
