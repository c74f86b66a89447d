/**
 * Transfer progress: every pipeline's pv appends its status lines to a `.pv` file next to the
 * log file (one file per concurrent transfer slot, see `pv_output.ts`). On a
 * terminal, a reporter tails the files of the active transfers about once a second and draws ONE
 * aggregated status line on stderr (bytes, elapsed time, recent and average throughput, and the
 * progress bar and ETA of the transfer that finishes last), as upstream's progress reporter does.
 * The line is overwritten in place with `\r`, never reaches the log file, and is cleared when no
 * transfer is active. The reporter starts with the first transfer and stops by itself.
 *
 * @module
 */
import { registerBeforeConsoleWrite } from "../log/console_hooks.ts";
import { humanReadableBytes } from "../monitor/human_readable.ts";
import { parsePvLine, progressIntervals, type PvStatus, splitPvRecords } from "./pv_output.ts";
import { envInt, type EnvReader } from "./size_estimate.ts";

export type { EnvReader };

// ---------------------------------------------------------------------------------------------
// Aggregating and rendering (pure)

/** What the status line shows. */
export interface StatusView {
  /** Bytes sent by all transfers since the reporter started. */
  readonly sentBytes: number;
  /** Milliseconds since the reporter started. */
  readonly elapsedMs: number;
  /** Bytes per second over the sliding window. */
  readonly recentRate: number;
  /** Bytes per second since the start. */
  readonly averageRate: number;
  /** Progress bar and ETAs of the transfer expected to finish last ("" when none). */
  readonly tail: string;
}

interface Active {
  bytes: number;
  finishAt: number;
  tail: string;
  readonly seq: number;
}

/**
 * Aggregates the pv status of parallel transfers: bytes of finished transfers plus the latest
 * bytes of the active ones, throughput since the start and over a sliding window, and the tail of
 * the transfer with the latest expected finish.
 *
 * @example
 * ```ts
 * import { ProgressStats } from "./progress.ts";
 * const stats = new ProgressStats(0, { windowMs: 30_000 });
 * stats.begin(1);
 * stats.update(1, { bytes: 2_000_000, etaSecs: 3, tail: "[=>  ] 40% ETA 0:00:03 ETA 12:00:03" }, 1000);
 * stats.view(1000).averageRate; // 2000000
 * ```
 */
export class ProgressStats {
  readonly #start: number;
  readonly #windowMs: number;
  readonly #active = new Map<number, Active>();
  #finishedBytes = 0;
  #seq = 0;
  #samples: { bytes: number; at: number }[];

  /**
   * Creates empty statistics.
   *
   * @param startMs When the first transfer started.
   * @param options The sliding window for the recent rate.
   */
  constructor(startMs: number, options: { windowMs: number }) {
    this.#start = startMs;
    this.#windowMs = options.windowMs;
    this.#samples = [{ bytes: 0, at: startMs }];
  }

  /** Number of active transfers. */
  get activeCount(): number {
    return this.#active.size;
  }

  /** A transfer starts. @param id Its id. */
  begin(id: number): void {
    this.#active.set(id, { bytes: 0, finishAt: 0, tail: "", seq: this.#seq++ });
  }

  /**
   * A transfer's latest pv status.
   * @param id The transfer.
   * @param status The parsed line.
   * @param nowMs The time it was read.
   */
  update(id: number, status: PvStatus, nowMs: number): void {
    const a = this.#active.get(id);
    if (!a) return;
    a.bytes = status.bytes;
    a.tail = status.tail;
    a.finishAt = nowMs + (status.etaSecs ?? 0) * 1000;
  }

  /** A transfer ended; its last bytes count as sent. @param id The transfer. */
  end(id: number): void {
    const a = this.#active.get(id);
    if (!a) return;
    this.#finishedBytes += a.bytes;
    this.#active.delete(id);
  }

  /**
   * The status at `nowMs`; also records a sample for the sliding window.
   * @param nowMs Now.
   * @returns The view.
   */
  view(nowMs: number): StatusView {
    let sent = this.#finishedBytes;
    let last: Active | undefined;
    for (const a of this.#active.values()) {
      sent += a.bytes;
      if (!last || a.finishAt > last.finishAt) last = a;
    }
    while (this.#samples.length > 1 && nowMs - this.#samples[1].at >= this.#windowMs) {
      this.#samples.shift();
    }
    const oldest = this.#samples[0];
    const elapsedMs = nowMs - this.#start;
    const rate = (bytes: number, ms: number) => Math.round(bytes * 1000 / Math.max(1, ms));
    const view = {
      sentBytes: sent,
      elapsedMs,
      recentRate: rate(sent - oldest.bytes, nowMs - oldest.at),
      averageRate: rate(sent, elapsedMs),
      tail: last?.tail ?? "",
    };
    this.#samples.push({ bytes: sent, at: nowMs });
    return view;
  }
}

/**
 * Formats milliseconds as `H:MM:SS`.
 *
 * @example
 * ```ts
 * import { formatElapsed } from "./progress.ts";
 * formatElapsed(3_725_000); // "1:02:05"
 * ```
 * @param ms The duration.
 * @returns The text.
 */
export function formatElapsed(ms: number): string {
  const total = Math.max(0, Math.round(ms / 1000));
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${Math.floor(total / 3600)}:${pad(Math.floor(total / 60) % 60)}:${pad(total % 60)}`;
}

function timestamp(d: Date): string {
  const p = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${
    p(d.getMinutes())
  }:${p(d.getSeconds())}`;
}

/**
 * Renders the status line, cut to `width - 1` columns so the terminal never wraps it:
 * `2025-01-17 01:23:04 [I] zfs sent 41.7 GiB 0:00:46 [963 MiB/s] [907 MiB/s] [====> ] 80% ETA ...`.
 *
 * @example
 * ```ts
 * import { renderStatusLine } from "./progress.ts";
 * const view = { sentBytes: 1048576, elapsedMs: 2000, recentRate: 524288, averageRate: 524288, tail: "" };
 * renderStatusLine(view, { width: 120, now: new Date(2025, 0, 17, 1, 23, 4) });
 * // "2025-01-17 01:23:04 [I] zfs sent 1 MiB 0:00:02 [512 KiB/s] [512 KiB/s]"
 * ```
 * @param view What to show.
 * @param options Terminal width and the wall-clock time to print.
 * @returns The line, without control characters.
 */
export function renderStatusLine(view: StatusView, options: { width: number; now: Date }): string {
  const line = `${timestamp(options.now)} [I] zfs sent ${humanReadableBytes(view.sentBytes)} ${
    formatElapsed(view.elapsedMs)
  } [${humanReadableBytes(view.recentRate)}/s] [${
    humanReadableBytes(view.averageRate)
  }/s] ${view.tail}`
    .trimEnd();
  return line.slice(0, Math.max(0, options.width - 1));
}

// ---------------------------------------------------------------------------------------------
// The reporter (I/O)

/** Options of {@linkcode ProgressReporter}. */
export interface ProgressReporterOptions {
  /** Writes terminal text (no newline). @default stderr */
  write?: (text: string) => void;
  /** Terminal width. @default {120} */
  columns?: number;
  /** Redraw interval. @default {1000} */
  intervalMs?: number;
  /** Sliding window of the recent rate. @default {30000} */
  windowMs?: number;
  /** Time source in milliseconds. @default {Date.now} */
  now?: () => number;
  /** After this long without transfers, the next transfer restarts the totals. @default {10000} */
  resetAfterIdleMs?: number;
}

/** An active transfer followed by a {@linkcode ProgressReporter}. */
export interface TrackedTransfer {
  /** Reads the pv file one last time, counts its bytes as sent, and stops following it. */
  finish(): Promise<void>;
}

interface Tail {
  readonly id: number;
  readonly path: string;
  offset: number;
  rest: string;
  readonly decoder: TextDecoder;
}

const encoder = new TextEncoder();

/**
 * Follows the pv files of active transfers and redraws one status line.
 *
 * @example
 * ```ts
 * import { ProgressReporter } from "./progress.ts";
 * const pvFile = Deno.makeTempFileSync({ suffix: ".pv" });
 * let screen = "";
 * const reporter = new ProgressReporter({ write: (t) => screen += t, columns: 80 });
 * const t = await reporter.track(pvFile);
 * Deno.writeTextFileSync(pvFile, "  1MiB: 512KiB 0:00:01 [512KiB/s] [512KiB/s]\r", { append: true });
 * await reporter.tick();
 * await t.finish();
 * ```
 */
export class ProgressReporter {
  readonly #write: (text: string) => void;
  readonly #columns: number;
  readonly #intervalMs: number;
  readonly #windowMs: number;
  readonly #now: () => number;
  readonly #resetAfterIdleMs: number;
  readonly #tails = new Map<number, Tail>();
  #stats?: ProgressStats;
  #timer?: ReturnType<typeof setInterval>;
  #nextId = 0;
  #shownLength = 0;
  #idleSince = 0;
  #queue: Promise<void> = Promise.resolve();

  /**
   * Creates an idle reporter.
   *
   * @param options Output, width, intervals and clock.
   */
  constructor(options: ProgressReporterOptions = {}) {
    this.#write = options.write ??
      ((text) => void Deno.stderr.writeSync(encoder.encode(text)));
    this.#columns = options.columns ?? 120;
    this.#intervalMs = options.intervalMs ?? 1000;
    this.#windowMs = options.windowMs ?? 30_000;
    this.#now = options.now ?? Date.now;
    this.#resetAfterIdleMs = options.resetAfterIdleMs ?? 10_000;
  }

  /** Whether a transfer is being followed. */
  get active(): boolean {
    return this.#tails.size > 0;
  }

  /**
   * Starts following a pv file from its current end (the file may not exist yet); starts the
   * redraw timer with the first transfer. Totals continue from earlier transfers unless none was
   * active for `resetAfterIdleMs`.
   * @param path The transfer's pv file.
   * @returns A handle to call when the transfer ended.
   */
  async track(path: string): Promise<TrackedTransfer> {
    const offset = await Deno.stat(path).then((s) => s.size, () => 0);
    const id = this.#nextId++;
    const now = this.#now();
    if (this.#tails.size === 0 && now - this.#idleSince >= this.#resetAfterIdleMs) {
      this.#stats = undefined;
    }
    this.#stats ??= new ProgressStats(now, { windowMs: this.#windowMs });
    this.#stats.begin(id);
    this.#tails.set(id, { id, path, offset, rest: "", decoder: new TextDecoder() });
    if (this.#timer === undefined) {
      const timer = setInterval(() => void this.tick(), this.#intervalMs);
      Deno.unrefTimer(timer);
      this.#timer = timer;
    }
    let done = false;
    return {
      finish: () => {
        if (done) return Promise.resolve();
        done = true;
        return this.#serial(async () => {
          const tail = this.#tails.get(id);
          if (tail) await this.#read(tail);
          this.#tails.delete(id);
          this.#stats?.end(id);
          if (this.#tails.size === 0) {
            this.stop();
            this.#idleSince = this.#now();
          }
        });
      },
    };
  }

  /**
   * Reads new pv output of every active transfer and redraws the status line.
   * @returns When done.
   */
  tick(): Promise<void> {
    return this.#serial(async () => {
      if (this.#tails.size === 0 || !this.#stats) return;
      for (const tail of this.#tails.values()) await this.#read(tail);
      const now = this.#now();
      const line = renderStatusLine(this.#stats.view(now), {
        width: this.#columns,
        now: new Date(now),
      });
      this.#write(`${line.padEnd(this.#shownLength)}\r`);
      this.#shownLength = line.length;
    });
  }

  /** Stops the timer and clears the line (also when transfers are still followed). */
  stop(): void {
    if (this.#timer !== undefined) clearInterval(this.#timer);
    this.#timer = undefined;
    this.clear();
  }

  /** Erases the status line if one is shown (the next tick redraws it). */
  clear(): void {
    if (this.#shownLength === 0) return;
    this.#write(`${" ".repeat(this.#shownLength)}\r`);
    this.#shownLength = 0;
  }

  #serial(fn: () => Promise<void>): Promise<void> {
    const next = this.#queue.then(fn);
    this.#queue = next.catch(() => {});
    return next;
  }

  async #read(tail: Tail): Promise<void> {
    let file: Deno.FsFile;
    try {
      file = await Deno.open(tail.path, { read: true });
    } catch {
      return; // pv has not written anything yet
    }
    let text = "";
    try {
      await file.seek(tail.offset, Deno.SeekMode.Start);
      const buf = new Uint8Array(64 * 1024);
      for (;;) {
        const n = await file.read(buf);
        if (n === null || n === 0) break;
        tail.offset += n;
        text += tail.decoder.decode(buf.subarray(0, n), { stream: true });
      }
    } finally {
      file.close();
    }
    const { records, rest } = splitPvRecords(tail.rest + text);
    tail.rest = rest;
    for (let i = records.length - 1; i >= 0; i--) {
      const status = parsePvLine(records[i]);
      if (status) {
        this.#stats?.update(tail.id, status, this.#now());
        break;
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Per-run wiring: pv file slots, the terminal check, one reporter per run

/**
 * Whether the status line is drawn: never with `-q` or `--pv-program=-`; otherwise
 * `bzfs_isatty` decides when set (`true`, case-insensitive, after trimming), else whether stderr
 * is a terminal.
 *
 * @example
 * ```ts
 * import { statusLineEnabled } from "./progress.ts";
 * statusLineEnabled({ quiet: false, pvProgram: "pv", env: () => "true", isTerminal: () => false }); // true
 * ```
 * @param options The run's `-q`, pv program, environment and terminal check.
 * @returns True to draw.
 */
export function statusLineEnabled(options: {
  quiet: boolean;
  pvProgram: string;
  env?: EnvReader;
  isTerminal?: () => boolean;
}): boolean {
  if (options.quiet || options.pvProgram === "-") return false;
  const raw = (options.env ?? ((n) => Deno.env.get(n)))("bzfs_isatty");
  if (raw !== undefined) return raw.trim().toLowerCase() === "true";
  return (options.isTerminal ?? (() => Deno.stderr.isTerminal()))();
}

/**
 * The status line width: `bzfs_terminal_columns`, else the terminal's width, else 120.
 *
 * @example
 * ```ts
 * import { terminalColumns } from "./progress.ts";
 * terminalColumns(() => "80"); // 80
 * ```
 * @param env Where to read the variable. @default {Deno.env.get}
 * @returns Columns.
 * @throws {BzfsError} When the variable is not an integer.
 */
export function terminalColumns(env?: EnvReader): number {
  let size = 120;
  try {
    size = Deno.consoleSize().columns || 120;
  } catch {
    // not a terminal
  }
  return envInt("bzfs_terminal_columns", size, env);
}

const reporters = new Map<string, ProgressReporter>();

/**
 * The run's reporter (one per pv file), created with the first transfer. It stops drawing
 * whenever no transfer is active, so it needs no explicit shutdown.
 *
 * @example
 * ```ts ignore
 * const reporter = reporterFor("/root/bzfs-logs/2025-01-17/zrun_x.pv", ["--interval=1"]);
 * ```
 * @param pvFile The run's pv file.
 * @param pvOpts The split pv options (for the intervals).
 * @param options Extra reporter options (tests).
 * @returns The reporter.
 * @throws {BzfsError} When `bzfs_terminal_columns` is not an integer.
 */
export function reporterFor(
  pvFile: string,
  pvOpts: readonly string[],
  options: ProgressReporterOptions = {},
): ProgressReporter {
  const existing = reporters.get(pvFile);
  if (existing) return existing;
  const reporter = new ProgressReporter({
    columns: terminalColumns(),
    ...progressIntervals(pvOpts),
    ...options,
  });
  reporters.set(pvFile, reporter);
  return reporter;
}

/**
 * Erases every status line on the terminal, so a log line printed next starts on a clean row
 * (the console log writer calls this before each line; the reporter redraws on its next tick).
 *
 * @example
 * ```ts
 * import { clearStatusLines } from "./progress.ts";
 * clearStatusLines();
 * ```
 */
export function clearStatusLines(): void {
  for (const r of reporters.values()) r.clear();
}

registerBeforeConsoleWrite(clearStatusLines);
