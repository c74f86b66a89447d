/**
 * The `bzfs_jobrunner` command line: parses every option of upstream's jobrunner (unknown
 * options are kept for forwarding to bzfs; protected ones are rejected). The orchestration
 * itself is built in its own module; until then a parsed job fails naming what is missing.
 *
 * @module
 */
import { NotImplementedOptionError, UsageError } from "../errors.ts";
import { versionText } from "../version.ts";
import { exitCodeOf } from "./exit_codes.ts";
import { JOBRUNNER_OPTIONS } from "./jobrunner_options.ts";
import type { JobrunnerOptionValues } from "./option_values.ts";
import { HelpShown, parseArgs } from "./parse_args.ts";

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

/**
 * Runs `bzfs_jobrunner` and returns the exit status.
 *
 * @example
 * ```ts
 * import { jobrunnerMain } from "./jobrunner_main.ts";
 * console.log(await jobrunnerMain(["--version"])); // 0
 * ```
 * @param argv Arguments after the program name.
 * @param io Output seams.
 * @returns The exit status.
 */
export function jobrunnerMain(
  argv: readonly string[],
  io: { writeOut?: (s: string) => void; writeErr?: (s: string) => void } = {},
): Promise<number> {
  const enc = new TextEncoder();
  const out = io.writeOut ?? ((t: string) => Deno.stdout.writeSync(enc.encode(t)));
  const err = io.writeErr ?? ((t: string) => Deno.stderr.writeSync(enc.encode(t)));
  if (argv.includes("--version")) {
    out(versionText("bzfs_jobrunner") + "\n");
    return Promise.resolve(0);
  }
  try {
    parseJobrunnerArgs(argv, { out, err });
    throw new NotImplementedOptionError("bzfs_jobrunner sub-job execution");
  } catch (e) {
    if (e instanceof HelpShown) return Promise.resolve(0);
    if (e instanceof UsageError) {
      err(`bzfs_jobrunner: error: ${e.message}\nTry 'bzfs_jobrunner --help'.\n`);
      return Promise.resolve(exitCodeOf(e));
    }
    throw e;
  }
}
