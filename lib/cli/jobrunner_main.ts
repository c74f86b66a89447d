/**
 * The `bzfs_jobrunner` command line: parses every option of upstream's jobrunner (unknown
 * options are kept for forwarding to bzfs; protected ones are rejected), then plans and runs
 * the sub-jobs (`lib/jobrunner`).
 *
 * @module
 */
import { BzfsError, UsageError } from "../errors.ts";
import { runJobrunner } from "../jobrunner/run_jobrunner.ts";
import { versionText } from "../version.ts";
import { exitCodeOf } from "./exit_codes.ts";
import { JOBRUNNER_OPTIONS } from "./jobrunner_options.ts";
import type { JobrunnerOptionValues } from "./option_values.ts";
import { HelpShown, parseArgs } from "./parse_args.ts";
import type { JobrunnerSeams } from "../jobrunner/run_jobrunner.ts";

/** A parsed jobrunner command line. */
export interface JobrunnerArgs {
  /** Every jobrunner option value. */
  readonly options: JobrunnerOptionValues;
  /** Arguments the jobrunner does not know, forwarded verbatim to every bzfs sub-job. */
  readonly forwarded: readonly string[];
}

/**
 * Parses `bzfs_jobrunner` argv.
 *
 * @example
 * ```ts
 * import { parseJobrunnerArgs } from "./jobrunner_main.ts";
 * const a = parseJobrunnerArgs(["--replicate", "--job-id=j", "--recursive", "--root-dataset-pairs", "a", "b"]);
 * console.log(a.options.replicate, a.forwarded); // true ["--recursive"]
 * ```
 * @param argv Arguments after the program name.
 * @param write Output overrides for help.
 * @returns Options and forwarded arguments.
 * @throws {UsageError} On bad input.
 */
export function parseJobrunnerArgs(
  argv: readonly string[],
  write?: { out: (s: string) => void; err: (s: string) => void },
): JobrunnerArgs {
  const parsed = parseArgs(argv, JOBRUNNER_OPTIONS, {
    name: "bzfs_jobrunner",
    description: "Run bzfs sub-jobs (create, replicate, prune, monitor) across a fleet of " +
      "source and destination hosts defined by a job config.",
    allowUnknown: true,
    write,
  });
  const options = parsed.values as unknown as JobrunnerOptionValues;
  if (options.jobId === undefined) {
    throw new UsageError("Missing required option", {
      option: "--job-id",
      hint: "Give a stable name for this job, e.g. --job-id=nightly-backup",
    });
  }
  const pairs = options.rootDatasetPairs;
  if (pairs && pairs.length % 2 !== 0) {
    throw new UsageError("Source and destination datasets must be given in pairs", {
      option: "--root-dataset-pairs",
      value: pairs.join(" "),
    });
  }
  return { options, forwarded: parsed.unknown };
}

/** Seams of {@linkcode jobrunnerMain}. */
export interface JobrunnerMainOptions extends Omit<JobrunnerSeams, "writeErr"> {
  /** Writes to standard output. */
  writeOut?: (s: string) => void;
  /** Writes to standard error. */
  writeErr?: (s: string) => void;
}

/**
 * Runs `bzfs_jobrunner` and returns the exit status.
 *
 * @example
 * ```ts
 * import { jobrunnerMain } from "./jobrunner_main.ts";
 * console.log(await jobrunnerMain(["--version"])); // 0
 * ```
 * @param argv Arguments after the program name.
 * @param io Output seams (and the jobrunner's, for tests and embedding).
 * @returns The exit status.
 */
export async function jobrunnerMain(
  argv: readonly string[],
  io: JobrunnerMainOptions = {},
): Promise<number> {
  const enc = new TextEncoder();
  const out = io.writeOut ?? ((t: string) => Deno.stdout.writeSync(enc.encode(t)));
  const err = io.writeErr ?? ((t: string) => Deno.stderr.writeSync(enc.encode(t)));
  if (argv.includes("--version")) {
    out(versionText("bzfs_jobrunner") + "\n");
    return 0;
  }
  let parsed: JobrunnerArgs;
  try {
    parsed = parseJobrunnerArgs(argv, { out, err });
  } catch (e) {
    if (e instanceof HelpShown) return 0;
    if (e instanceof UsageError) {
      err(`bzfs_jobrunner: error: ${e.message}\nTry 'bzfs_jobrunner --help'.\n`);
      return exitCodeOf(e);
    }
    throw e;
  }
  try {
    return await runJobrunner(parsed.options, parsed.forwarded, { ...io, writeErr: err });
  } catch (e) {
    if (e instanceof Deno.errors.NotCapable || e instanceof Deno.errors.PermissionDenied) {
      err(`bzfs_jobrunner: error: Missing permission: ${e.message}\n`);
      return 3;
    }
    if (e instanceof BzfsError) {
      err(`bzfs_jobrunner: error: ${e.message}\n`);
      return exitCodeOf(e);
    }
    throw e;
  }
}
