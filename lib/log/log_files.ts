/**
 * Where a run's log file lives (upstream's layout):
 * `<log-dir>/<subdir>/<prefix><YYYY-MM-DD_HH:MM:SS><infix><suffix>-<random>.log`, with
 * `<log-dir>/current` pointing at `.current/<stem>/` that holds `current.log`, `current.pv` and
 * `current.dir` links to the newest run.
 *
 * @module
 */
import { UsageError } from "../errors.ts";

/** Inputs of {@linkcode planLogFile}. */
export interface LogFileOptions {
  /** The log directory; its basename must contain `bzfs-logs`. */
  logDir: string;
  /** `--log-file-prefix`. @default "zrun_" */
  prefix?: string;
  /** `--log-file-infix`. @default "" */
  infix?: string;
  /** `--log-file-suffix`. @default "" */
  suffix?: string;
  /** `--log-subdir`. @default "daily" */
  subdir?: "daily" | "hourly" | "minutely";
  /** The run's start, in local time. */
  now: Date;
  /** Random part of the name (8 characters). */
  random: string;
}

/** Paths of one run's log files. */
export interface LogFilePlan {
  /** The time-named sub directory. */
  readonly dir: string;
  /** The log file. */
  readonly logFile: string;
  /** The progress (pv) file next to it. */
  readonly pvFile: string;
  /** The file stem, without extension. */
  readonly stem: string;
}

function pad(n: number): string {
  return String(n).padStart(2, "0");
}

/**
 * Computes the log file paths of a run (pure).
 *
 * @example
 * ```ts
 * import { planLogFile } from "./log_files.ts";
 * const p = planLogFile({ logDir: "/tmp/bzfs-logs", now: new Date(2024, 8, 3, 12, 26, 15), random: "bl4i1fth" });
 * console.log(p.logFile); // "/tmp/bzfs-logs/2024-09-03/zrun_2024-09-03_12:26:15-bl4i1fth.log"
 * ```
 * @param options The directory, name parts, time and random part.
 * @returns The paths.
 */
export function planLogFile(options: LogFileOptions): LogFilePlan {
  const d = options.now;
  const day = `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
  const time = `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
  const subdir = options.subdir ?? "daily";
  const sub = subdir === "daily"
    ? day
    : subdir === "hourly"
    ? `${day}_${pad(d.getHours())}`
    : `${day}_${pad(d.getHours())}:${pad(d.getMinutes())}`;
  const dir = `${options.logDir.replace(/\/+$/, "")}/${sub}`;
  const stem = `${options.prefix ?? "zrun_"}${day}_${time}${options.infix ?? ""}${
    options.suffix ?? ""
  }-${options.random}`;
  return { dir, stem, logFile: `${dir}/${stem}.log`, pvFile: `${dir}/${stem}.pv` };
}

/**
 * Creates the log directories (mode 0700), the empty log file, and the `current` links.
 *
 * @example
 * ```ts
 * import { createLogFiles, planLogFile } from "./log_files.ts";
 * const logDir = Deno.makeTempDirSync({ suffix: "_bzfs-logs" });
 * const plan = planLogFile({ logDir, now: new Date(), random: "abcdefgh" });
 * createLogFiles(logDir, plan);
 * ```
 * @param logDir The log directory.
 * @param plan The paths from {@linkcode planLogFile}.
 * @throws {UsageError} When the log directory is a symlink.
 */
export function createLogFiles(logDir: string, plan: LogFilePlan): void {
  try {
    if (Deno.lstatSync(logDir).isSymlink) {
      throw new UsageError("Log directory must not be a symlink", {
        option: "--log-dir",
        value: logDir,
      });
    }
  } catch (e) {
    if (!(e instanceof Deno.errors.NotFound)) throw e;
  }
  Deno.mkdirSync(plan.dir, { recursive: true, mode: 0o700 });
  Deno.chmodSync(logDir, 0o700);
  Deno.writeFileSync(plan.logFile, new Uint8Array(), { mode: 0o600 });
  try {
    linkCurrent(logDir, plan);
  } catch (e) {
    // symlinks need unscoped --allow-read/--allow-write; without them the links are skipped
    if (!(e instanceof Deno.errors.NotCapable || e instanceof Deno.errors.PermissionDenied)) {
      throw e;
    }
  }
}

function linkCurrent(logDir: string, plan: LogFilePlan): void {
  const currentDir = `${logDir}/.current/${plan.stem}`;
  Deno.mkdirSync(currentDir, { recursive: true, mode: 0o700 });
  const links: [string, string][] = [
    [plan.logFile, `${currentDir}/current.log`],
    [plan.pvFile, `${currentDir}/current.pv`],
    [plan.dir, `${currentDir}/current.dir`],
  ];
  for (const [target, link] of links) Deno.symlinkSync(target, link);
  const current = `${logDir}/current`;
  const tmp = `${current}.${plan.stem}.tmp`;
  Deno.symlinkSync(`.current/${plan.stem}`, tmp);
  Deno.renameSync(tmp, current);
}
