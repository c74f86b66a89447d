/**
 * Transfer progress: every pipeline's pv appends its status lines to a `.pv` file next to the
 * log file (one file per concurrent transfer slot: `<stem>.pv`, `<stem>.pv_0001`, ...). On a
 * terminal, a reporter tails the files of the active transfers about once a second and draws ONE
 * aggregated status line on stderr (bytes, elapsed time, recent and average throughput, and the
 * progress bar and ETA of the transfer that finishes last), as upstream's progress reporter does.
 * The line is overwritten in place with `\r`, never reaches the log file, and is cleared when no
 * transfer is active. The reporter starts with the first transfer and stops by itself.
 *
 * @module
 */
import { humanReadableBytes } from "../monitor/human_readable.ts";
import { envInt, type EnvReader } from "./size_estimate.ts";

export type { EnvReader };

// ---------------------------------------------------------------------------------------------
// Parsing pv output (pure)

/** One pv status line, parsed. */
export interface PvStatus {
  /** Bytes transferred so far (pv `--bytes`). */
  readonly bytes: number;
  /** Seconds remaining (pv `--eta`, when followed by a `--fineta` column), if shown. */
  readonly etaSecs?: number;
  /** The line after the rates: progress bar, percentage and ETAs. */
  readonly tail: string;
}

const SIZE_RE = /^(\d+[.,\u066b]?\d*)\s*([KMGTPEZYRQ]?)(i?)([Bb])(.*)$/s;
const UNITS = "KMGTPEZYRQ";

/**
 * Converts a pv size (`800B`, `4.12 KiB`, `510MB`, `4Gb`) to bytes and returns the text after it.
 *
 * @example
 * ```ts
 * import { parsePvSize } from "./progress.ts";
 * parsePvSize("1.50MiB 0:00:01"); // { bytes: 1572864, rest: " 0:00:01" }
 * parsePvSize("oops"); // undefined
 * ```
 * @param text Text starting with the size.
 * @returns Bytes and the rest, or undefined when the text does not start with a size.
 */
export function parsePvSize(text: string): { bytes: number; rest: string } | undefined {
  const m = SIZE_RE.exec(text);
  if (!m || m[5].startsWith("/s")) return undefined; // a rate, not a size
  const number = Number(m[1].replace(/[,\u066b]/, "."));
  const power = m[2] ? UNITS.indexOf(m[2]) + 1 : 0;
  const base = m[3] === "i" ? 1024 : 1000;
  const bits = m[4] === "b" ? 8 : 1;
  return { bytes: Math.round(number * base ** power / bits), rest: m[5] };
}

const RATES_RE = /^.*\/s\s*[)\]]?\s*/s;
const ETA_RE = /^.*?ETA\s*(?:(\d+)[+:])?(\d\d?):(\d\d):(\d\d).*(?:ETA|FIN).*$/s;

/**
 * Parses one pv status line written with `--name` (`NAME: BYTES [TIMER] [RATES] [BAR] [ETAS]`).
 *
 * @example
 * ```ts
 * import { parsePvLine } from "./progress.ts";
 * const s = parsePvLine("  4.8MiB: 2.00MiB 0:00:01 [1.98MiB/s] [1.98MiB/s] [===>  ] 41% ETA 0:00:01 ETA 14:54:17");
 * s?.bytes; // 2097152
 * s?.etaSecs; // 1
 * s?.tail; // "[===>  ] 41% ETA 0:00:01 ETA 14:54:17"
 * ```
 * @param line The line, without its `\r` or `\n`.
 * @returns The status, or undefined for a partial or foreign line.
 */
export function parsePvLine(line: string): PvStatus | undefined {
  const colon = line.indexOf(":");
  if (colon < 0) return undefined;
  const size = parsePvSize(line.slice(colon + 1).trim());
  if (!size) return undefined;
  const tail = size.rest.trimStart().replace(RATES_RE, "").trimEnd();
  const m = ETA_RE.exec(tail);
  if (!m) return { bytes: size.bytes, tail };
  const etaSecs = Number(m[1] ?? 0) * 86400 + Number(m[2]) * 3600 + Number(m[3]) * 60 +
    Number(m[4]);
  return { bytes: size.bytes, etaSecs, tail };
}

/**
 * Splits pv output into complete status lines (pv ends intermediate lines with `\r` and the last
 * one with `\n` or `\r\n`) and the incomplete rest.
 *
 * @example
 * ```ts
 * import { splitPvRecords } from "./progress.ts";
 * splitPvRecords("a: 1B\rb: 2B\r\nc: 3"); // { records: ["a: 1B", "b: 2B"], rest: "c: 3" }
 * ```
 * @param text Output read so far (after the previous rest).
 * @returns Non-empty complete lines, and the trailing incomplete text.
 */
export function splitPvRecords(text: string): { records: string[]; rest: string } {
  const parts = text.split(/\r\n|\r|\n/);
  const rest = parts.pop() ?? "";
  return { records: parts.filter((p) => p.trim() !== ""), rest };
}

/**
 * pv's update interval and average-rate window from `--pv-program-opts`, in milliseconds:
 * `--interval`/`-i` (default 1 s, 0.1 s..1 h) and `--average-rate-window`/`-m` (default 30 s, at
 * least the interval, at most 1 h). The status line is redrawn at the same interval.
 *
 * @example
 * ```ts
 * import { progressIntervals } from "./progress.ts";
 * progressIntervals(["--interval=0.5", "-m", "10"]); // { intervalMs: 500, windowMs: 10000 }
 * ```
 * @param pvOpts The split pv options.
 * @returns The intervals.
 */
export function progressIntervals(
  pvOpts: readonly string[],
): { intervalMs: number; windowMs: number } {
  const value = (long: string, short: string, fallback: number): number => {
    let v = fallback;
    pvOpts.forEach((t, i) => {
      const raw = t.startsWith(`${long}=`)
        ? t.slice(long.length + 1)
        : t === long || t === short
        ? pvOpts[i + 1]
        : t.startsWith(short) && t.length > short.length && !t.startsWith("--")
        ? t.slice(short.length)
        : undefined;
      const n = raw === undefined ? NaN : Number(raw);
      if (Number.isFinite(n)) v = n;
    });
    return v;
  };
  const interval = Math.min(3600, Math.max(value("--interval", "-i", 1), 0.1));
  const window = Math.min(3600, Math.max(value("--average-rate-window", "-m", 30), interval));
  return { intervalMs: Math.round(interval * 1000), windowMs: Math.round(window * 1000) };
}

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

/**
 * Bytes pv counted in a `.pv` file and its per-slot siblings (`<file>_0001`, ...): the final
 * status of every transfer, plus the latest status of one that was cut off. For the end-of-run
 * "zfs sent" statistics, as upstream's `count_num_bytes_transferred_by_zfs_send`.
 *
 * @example
 * ```ts
 * import { countBytesSent } from "./progress.ts";
 * const f = Deno.makeTempFileSync({ suffix: ".pv" });
 * Deno.writeTextFileSync(f, "x: 1.00KiB 0:00:01\rx: 2.00KiB 0:00:02\r\ny: 3.00KiB 0:00:01\r");
 * await countBytesSent(f); // 5120
 * ```
 * @param pvFile The run's pv file.
 * @returns Bytes (0 when there are no files).
 */
export async function countBytesSent(pvFile: string): Promise<number> {
  const slash = pvFile.lastIndexOf("/");
  const dir = slash < 0 ? "." : pvFile.slice(0, slash) || "/";
  const base = pvFile.slice(slash + 1);
  const files = [pvFile];
  try {
    for await (const e of Deno.readDir(dir)) {
      if (
        e.isFile && e.name.startsWith(`${base}_`) && /^\d+$/.test(e.name.slice(base.length + 1))
      ) {
        files.push(`${dir}/${e.name}`);
      }
    }
  } catch {
    return 0;
  }
  let total = 0;
  for (const file of files) {
    const text = await Deno.readTextFile(file).catch(() => "");
    for (const transfer of text.split("\n")) {
      const records = transfer.split("\r").filter((r) => r.trim() !== "");
      for (let i = records.length - 1; i >= 0; i--) {
        const status = parsePvLine(records[i]);
        if (status) {
          total += status.bytes;
          break;
        }
      }
    }
  }
  return total;
}

const busySlots = new Map<string, Set<number>>();

/** A pv file reserved for one transfer. */
export interface PvSlot {
  /** The file pv appends to. */
  readonly path: string;
  /** Frees the slot for the next transfer. */
  release(): void;
}

/**
 * Reserves the pv file of one transfer: the run's `.pv` file for the first concurrent transfer,
 * `<file>_0001`, `<file>_0002`, ... for the others (upstream names them by worker thread), so
 * parallel pv processes never interleave their lines in one file.
 *
 * @example
 * ```ts
 * import { acquirePvSlot } from "./progress.ts";
 * const a = acquirePvSlot("/tmp/x.pv"), b = acquirePvSlot("/tmp/x.pv");
 * [a.path, b.path]; // ["/tmp/x.pv", "/tmp/x.pv_0001"]
 * a.release(); b.release();
 * ```
 * @param pvFile The run's pv file.
 * @returns The reserved file.
 */
export function acquirePvSlot(pvFile: string): PvSlot {
  const busy = busySlots.get(pvFile) ?? new Set<number>();
  busySlots.set(pvFile, busy);
  let slot = 0;
  while (busy.has(slot)) slot++;
  busy.add(slot);
  let released = false;
  return {
    path: slot === 0 ? pvFile : `${pvFile}_${String(slot).padStart(4, "0")}`,
    release() {
      if (released) return;
      released = true;
      busy.delete(slot);
      if (busy.size === 0) busySlots.delete(pvFile);
    },
  };
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
