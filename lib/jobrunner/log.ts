/**
 * The jobrunner's own log lines (`--jobrunner-log-level`), written to stderr. They do not go
 * through logtape: bzfs sub-jobs configure logtape for their own log files.
 *
 * @module
 */

/** `--jobrunner-log-level` values, most severe first. */
export type JobrunnerLogLevel = "CRITICAL" | "ERROR" | "WARN" | "INFO" | "DEBUG" | "TRACE";

const LEVELS: readonly JobrunnerLogLevel[] = [
  "CRITICAL",
  "ERROR",
  "WARN",
  "INFO",
  "DEBUG",
  "TRACE",
];
const TAGS: Record<JobrunnerLogLevel, string> = {
  CRITICAL: "C",
  ERROR: "E",
  WARN: "W",
  INFO: "I",
  DEBUG: "D",
  TRACE: "T",
};

/** A leveled line logger. */
export interface JobrunnerLog {
  /** Logs at a level (dropped when below the configured one). */
  log(level: JobrunnerLogLevel, message: string): void;
  /** Whether lines at this level are written. */
  enabled(level: JobrunnerLogLevel): boolean;
}

/**
 * Creates the logger.
 *
 * @example
 * ```ts
 * import { createJobrunnerLog } from "./log.ts";
 * const lines: string[] = [];
 * const log = createJobrunnerLog("INFO", (l) => lines.push(l), () => new Date(0));
 * log.log("DEBUG", "hidden");
 * log.log("INFO", "shown");
 * console.log(lines.length); // 1
 * ```
 * @param level The lowest level written.
 * @param write Writes one line (without newline).
 * @param now Time source for the timestamp.
 * @returns The logger.
 */
export function createJobrunnerLog(
  level: JobrunnerLogLevel,
  write: (line: string) => void,
  now: () => Date = () => new Date(),
): JobrunnerLog {
  const max = LEVELS.indexOf(level);
  const enabled = (l: JobrunnerLogLevel) => LEVELS.indexOf(l) <= max;
  return {
    enabled,
    log(l, message) {
      if (enabled(l)) write(`${timestamp(now())} [${TAGS[l]}] ${message}`);
    },
  };
}

function timestamp(d: Date): string {
  const p = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${
    p(d.getMinutes())
  }:${p(d.getSeconds())}`;
}
