/**
 * pv's output and files: parsing its status lines (`NAME: BYTES TIMER [RATE] [AVG] [BAR] ETA`),
 * its update interval from the options, the per-transfer pv file slots next to the log file
 * (`<stem>.pv`, `<stem>.pv_0001`, ...), and the bytes counted in them.
 *
 * @module
 */

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
 * import { parsePvSize } from "./pv_output.ts";
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
 * import { parsePvLine } from "./pv_output.ts";
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
 * import { splitPvRecords } from "./pv_output.ts";
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
 * import { progressIntervals } from "./pv_output.ts";
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

/**
 * Bytes pv counted in a `.pv` file and its per-slot siblings (`<file>_0001`, ...): the final
 * status of every transfer, plus the latest status of one that was cut off. For the end-of-run
 * "zfs sent" statistics, as upstream's `count_num_bytes_transferred_by_zfs_send`.
 *
 * @example
 * ```ts
 * import { countBytesSent } from "./pv_output.ts";
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
 * import { acquirePvSlot } from "./pv_output.ts";
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
