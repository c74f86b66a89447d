/**
 * The `bzfs` command: argv in, exit status out. Parses the options into a config, sets up
 * logging and the log file, runs the job, and maps any error to an exit status in one place.
 *
 * @module
 */
import { UsageError } from "../errors.ts";
import { createLogFiles, planLogFile } from "../log/log_files.ts";
import { Redactor } from "../log/redact.ts";
import { logger, setupLogging } from "../log/setup.ts";
import { versionText } from "../version.ts";
import { buildBzfsConfig, type BzfsConfig } from "./bzfs_config.ts";
import { exitCodeOf } from "./exit_codes.ts";
import { HelpShown } from "./parse_args.ts";
import { checkImplemented } from "./unimplemented.ts";

/** What {@linkcode main} tells the job runner about the run it set up. */
export interface JobRunInfo {
  /** The run's log file. */
  readonly logFile: string;
}

/** Runs a parsed job; injected so tests and the jobrunner can supply their own. */
export type JobRunner = (config: BzfsConfig, info?: JobRunInfo) => Promise<void>;

/** Seams of {@linkcode main}. */
export interface MainOptions {
  /** Environment (for secrets and HOME). @default Deno.env.toObject() */
  env?: Readonly<Record<string, string>>;
  /** Writes to standard output. */
  writeOut?: (text: string) => void;
  /** Writes to standard error. */
  writeErr?: (text: string) => void;
  /** Runs the job. */
  runJob: JobRunner;
  /** Start time of the run. @default new Date() */
  now?: Date;
}

function randomSuffix(): string {
  const alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
  const bytes = crypto.getRandomValues(new Uint8Array(8));
  return Array.from(bytes, (b) => alphabet[b % alphabet.length]).join("");
}

/**
 * Runs `bzfs` with the given arguments and returns the exit status (it never exits itself).
 *
 * @example
 * ```ts
 * import { main } from "./main.ts";
 * const code = await main(["--version"], { runJob: async () => {} });
 * console.log(code); // 0
 * ```
 * @param argv The arguments after the program name.
 * @param options The job runner and I/O seams.
 * @returns The exit status.
 */
export async function main(argv: readonly string[], options: MainOptions): Promise<number> {
  const enc = new TextEncoder();
  const out = options.writeOut ?? ((t: string) => Deno.stdout.writeSync(enc.encode(t)));
  const err = options.writeErr ?? ((t: string) => Deno.stderr.writeSync(enc.encode(t)));
  const dashDash = argv.indexOf("--");
  if ((dashDash < 0 ? argv : argv.slice(0, dashDash)).includes("--version")) {
    out(versionText("bzfs") + "\n");
    return 0;
  }
  let config: BzfsConfig;
  try {
    config = buildBzfsConfig(argv, { write: { out, err } });
    checkImplemented(config.given);
  } catch (e) {
    if (e instanceof HelpShown) return 0;
    if (e instanceof UsageError) {
      err(`bzfs: error: ${e.message}\nTry 'bzfs --help' for more information.\n`);
      return exitCodeOf(e);
    }
    throw e;
  }
  return await runWithLogging(config, options, err);
}

async function runWithLogging(
  config: BzfsConfig,
  options: MainOptions,
  err: (text: string) => void,
): Promise<number> {
  const env = options.env ?? readableEnv();
  const o = config.options;
  const redactor = new Redactor();
  redactor.addFromEnv(env);
  const logDir = o.logDir ?? `${env.HOME ?? "/tmp"}/bzfs-logs`;
  const plan = planLogFile({
    logDir,
    prefix: o.logFilePrefix,
    infix: o.logFileInfix,
    suffix: o.logFileSuffix,
    subdir: o.logSubdir,
    now: options.now ?? new Date(),
    random: randomSuffix(),
  });
  try {
    createLogFiles(logDir, plan);
  } catch (e) {
    err(`bzfs: error: Cannot create log file under ${logDir}: ${(e as Error).message}\n`);
    return exitCodeOf(e);
  }
  const handle = setupLogging({
    verbose: o.verbose,
    quiet: o.quiet,
    logFile: plan.logFile,
    redactor,
    writeConsole: options.writeErr ? (line) => err(line + "\n") : undefined,
    syslog: o.logSyslogAddress === undefined ? undefined : {
      address: o.logSyslogAddress,
      socktype: o.logSyslogSocktype,
      facility: o.logSyslogFacility,
      prefix: o.logSyslogPrefix,
      level: o.logSyslogLevel,
    },
  });
  const log = logger();
  log.info("Log file is: {file}", { file: plan.logFile });
  let code = 0;
  try {
    await options.runJob(config, { logFile: plan.logFile });
    log.info("Success. Goodbye!");
  } catch (e) {
    code = exitCodeOf(e);
    const cause = e instanceof Error ? e.message : String(e);
    log.error("Exiting bzfs with status code {code}. Cause: {cause}", { code, cause });
  } finally {
    log.info("Log file was: {file}", { file: plan.logFile });
    await handle.drain();
    handle.close();
  }
  return code;
}

/**
 * The environment as far as the permissions allow: all of it with `--allow-env`, else just the
 * variables we were granted (a job config may run with `--allow-env=HOME,...`).
 */
function readableEnv(): Record<string, string> {
  try {
    return Deno.env.toObject();
  } catch {
    const out: Record<string, string> = {};
    for (const name of ["HOME", "USER", "LOGNAME", "TZ", "PATH"]) {
      try {
        const v = Deno.env.get(name);
        if (v !== undefined) out[name] = v;
      } catch {
        // not granted: leave it out
      }
    }
    return out;
  }
}
