/**
 * Logging for a run, on logtape: one console sink (stderr) and one file sink, both passing
 * through the {@linkcode Redactor}. Levels: `-q` warnings and errors only; default info; `-v`
 * debug; `-v -v` trace, which includes every command exactly as it runs.
 *
 * @module
 */
import {
  configureSync,
  getLogger,
  type Logger,
  type LogLevel,
  type LogRecord,
  resetSync,
  type Sink,
} from "@logtape/logtape";
import type { Redactor } from "./redact.ts";
import { runBeforeConsoleWrite } from "./console_hooks.ts";
import {
  createSyslogSink,
  SyslogAddressError,
  syslogLogLevel,
  type SyslogSettings,
  type SyslogSink,
} from "./syslog.ts";

/** Root category of every bzfs logger. */
export const LOG_ROOT = "bzfs";

/**
 * A logger under the bzfs root category.
 *
 * @example
 * ```ts
 * import { logger } from "./setup.ts";
 * logger("replicate").info("Replicating {dataset}", { dataset: "tank/a" });
 * ```
 * @param sub Sub category, e.g. `replicate`.
 * @returns The logger.
 */
export function logger(...sub: string[]): Logger {
  return getLogger([LOG_ROOT, ...sub]);
}

/** Inputs of {@linkcode setupLogging}. */
export interface LoggingOptions {
  /** Number of `-v`. */
  verbose: number;
  /** `-q`. */
  quiet: boolean;
  /** Path of the run's log file, if any. */
  logFile?: string;
  /** Secrets to mask. */
  redactor: Redactor;
  /** Console writer. @default stderr */
  writeConsole?: (line: string) => void;
  /** `--log-syslog-*`: also forward records to syslog. @default no syslog */
  syslog?: SyslogSettings;
}

/** An active logging configuration. */
export interface LoggingHandle {
  /** Flushes and closes the log file, and resets logtape. */
  close(): void;
  /** Resolves when asynchronous sinks (syslog) sent what they queued; call before close. */
  drain(): Promise<void>;
}

/**
 * The console level for a verbosity.
 *
 * @example
 * ```ts
 * import { consoleLevel } from "./setup.ts";
 * consoleLevel(2, false); // "trace"
 * ```
 * @param verbose Count of `-v`.
 * @param quiet `-q`.
 * @returns The lowest level printed.
 */
export function consoleLevel(verbose: number, quiet: boolean): LogLevel {
  if (quiet) return "warning";
  return verbose >= 2 ? "trace" : verbose === 1 ? "debug" : "info";
}

const LEVEL_TAG: Record<LogLevel, string> = {
  trace: "T",
  debug: "D",
  info: "I",
  warning: "W",
  error: "E",
  fatal: "E",
};

const ORDER: LogLevel[] = ["trace", "debug", "info", "warning", "error", "fatal"];

function pad(n: number): string {
  return String(n).padStart(2, "0");
}

/**
 * Formats one log record as `YYYY-MM-DD HH:MM:SS [I] message`.
 *
 * @example
 * ```ts
 * import { formatRecord } from "./setup.ts";
 * formatRecord({ level: "info", message: ["hello"], timestamp: 0 } as never);
 * ```
 * @param record The logtape record.
 * @returns The line, without a newline.
 */
export function formatRecord(record: LogRecord): string {
  const d = new Date(record.timestamp);
  const ts = `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${
    pad(d.getHours())
  }:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
  const text = record.message.map((part) => typeof part === "string" ? part : String(part))
    .join("");
  return `${ts} [${LEVEL_TAG[record.level]}] ${text}`;
}

function levelSink(level: LogLevel, redactor: Redactor, write: (line: string) => void): Sink {
  const min = ORDER.indexOf(level);
  return (record) => {
    if (ORDER.indexOf(record.level) >= min) write(redactor.redact(formatRecord(record)));
  };
}

/**
 * Configures logtape for one run (console, log file, and syslog when `options.syslog` is set).
 *
 * @example
 * ```ts
 * import { setupLogging } from "./setup.ts";
 * import { Redactor } from "./redact.ts";
 * const handle = setupLogging({ verbose: 0, quiet: false, redactor: new Redactor() });
 * handle.close();
 * ```
 * @param options Verbosity, log file and redactor.
 * @returns A handle to close the log file.
 */
export function setupLogging(options: LoggingOptions): LoggingHandle {
  const encoder = new TextEncoder();
  const writeConsole = options.writeConsole ??
    ((line: string) => Deno.stderr.writeSync(encoder.encode(line + "\n")));
  const level = consoleLevel(options.verbose, options.quiet);
  const file = options.logFile
    ? Deno.openSync(options.logFile, { append: true, create: true, mode: 0o600 })
    : undefined;
  const fileLevel: LogLevel = ORDER.indexOf(level) < ORDER.indexOf("info") ? level : "info";
  const sinks: Record<string, Sink> = {
    console: levelSink(level, options.redactor, (line) => {
      runBeforeConsoleWrite();
      writeConsole(line);
    }),
  };
  if (file) {
    sinks.file = levelSink(
      fileLevel,
      options.redactor,
      (line) => file.writeSync(encoder.encode(line + "\n")),
    );
  }
  const syslog = options.syslog ? syslogSink(options, level, writeConsole) : undefined;
  if (syslog) sinks.syslog = syslog;
  resetSync();
  configureSync({
    reset: true,
    sinks,
    loggers: [
      { category: [LOG_ROOT], lowestLevel: "trace", sinks: Object.keys(sinks) },
      { category: ["logtape", "meta"], lowestLevel: "warning", sinks: ["console"] },
    ],
  });
  const syslogLevel = options.syslog?.level ?? "ERROR";
  if (syslog && ORDER.indexOf(syslogLogLevel(syslogLevel)) < ORDER.indexOf(level)) {
    const overall = level.toUpperCase();
    getLogger([LOG_ROOT]).warn(
      `No messages with priority lower than ${overall} will be sent to syslog because syslog ` +
        `log level ${syslogLevel} is lower than overall log level ${overall}.`,
    );
  }
  return {
    close() {
      resetSync();
      file?.close();
      syslog?.close();
    },
    drain: async () => await syslog?.drain(),
  };
}

function syslogSink(
  options: LoggingOptions,
  level: LogLevel,
  writeConsole: (line: string) => void,
): (Sink & { drain(): Promise<void>; close(): void }) | undefined {
  const min = ORDER.indexOf(level);
  const tag = (r: LogRecord) => formatRecord(r).replace(/^\S+ \S+ /, "");
  const onError = (msg: string) => writeConsole(options.redactor.redact(`[E] ${msg}`));
  let sink: SyslogSink;
  try {
    sink = createSyslogSink(options.syslog!, {
      render: (r) => options.redactor.redact(tag(r)),
      onError,
    });
  } catch (e) {
    if (!(e instanceof SyslogAddressError)) throw e;
    onError(e.message);
    return undefined;
  }
  const filtered = (r: LogRecord) => {
    if (ORDER.indexOf(r.level) >= min) sink(r);
  };
  return Object.assign(filtered, { drain: sink.drain, close: sink.close });
}
