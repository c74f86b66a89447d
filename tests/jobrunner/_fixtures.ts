/**
 * Shared inputs of the jobrunner tests: the worked example of the reference (section 4) as a
 * command line, a fixed local identity, and a fake runner that records concurrency.
 *
 * @module
 */
import { parseJobrunnerArgs } from "../../lib/cli/jobrunner_main.ts";
import type { LocalIdentity } from "../../lib/jobrunner/localhost.ts";
import { type PlannedRun, planSubJobs } from "../../lib/jobrunner/plan_run.ts";
import type { SubJobRunner } from "../../lib/jobrunner/runner.ts";
import type { SubJob } from "../../lib/jobrunner/subjobs.ts";

export const SRC_PLAN =
  "{'prod': {'onsite': {'hourly': 36, 'daily': 31}, 'offsite': {'daily': 31}}}";
export const DST_PLAN =
  "{'prod': {'onsite': {'hourly': 72, 'daily': 62}, 'offsite': {'daily': 62, 'weekly': 0}}}";
export const MONITOR_PLAN = "{'prod': {'onsite': {'hourly': {'warning': '30 minutes', " +
  "'critical': '300 minutes'}}, 'offsite': {'daily': {'warning': '4 hours', 'critical': " +
  "'8 hours', 'dst_snapshot_cycles': 40}}}}";

export const ALL_ACTIONS = [
  "--create-src-snapshots",
  "--replicate",
  "--prune-src-snapshots",
  "--prune-src-bookmarks",
  "--prune-dst-snapshots",
  "--monitor-src-snapshots",
  "--monitor-dst-snapshots",
];

/** The worked example's command line, with extra arguments before the pairs. */
export function workedExampleArgv(extra: string[] = [], actions = ALL_ACTIONS): string[] {
  return [
    "--job-id=myjob",
    "--job-run=run1",
    "--localhost=mgmt",
    "--src-hosts=['src1']",
    "--dst-hosts={'dstA': ['onsite'], 'dstB': ['offsite']}",
    "--retain-dst-targets={'dstA': ['onsite'], 'dstB': ['offsite']}",
    "--dst-root-datasets={'dstA': 'bak/^SRC_HOST', 'dstB': 'arch'}",
    `--src-snapshot-plan=${SRC_PLAN}`,
    `--src-bookmark-plan=${SRC_PLAN}`,
    `--dst-snapshot-plan=${DST_PLAN}`,
    `--monitor-snapshot-plan=${MONITOR_PLAN}`,
    ...actions,
    "--recursive",
    "--log-dir=/tmp/x",
    ...extra,
    "--root-dataset-pairs",
    "tank/data",
    "data",
  ];
}

/** An identity where `host` is this machine and the user is `root`. */
export function identity(host = "mgmt"): LocalIdentity {
  return {
    localhostName: host,
    loopbackIds: new Set(["localhost", "127.0.0.1", "::1", host]),
    username: "root",
    loopbackAddress: "127.0.0.1",
  };
}

/** Plans a command line without any I/O. */
export async function plan(
  argv: string[],
  options: { host?: string; pools?: string[]; warn?: (m: string) => void; random?: () => number } =
    {},
): Promise<PlannedRun> {
  const { options: o, forwarded } = parseJobrunnerArgs(argv);
  return await planSubJobs(o, forwarded, {
    identity: identity(options.host),
    defaultJobRun: "generated",
    probePools: options.pools ? () => Promise.resolve(new Set(options.pools)) : undefined,
    warn: options.warn,
    random: options.random,
  });
}

/** A fake runner: records start order and the highest concurrency; each job takes `ms`. */
export class RecordingRunner implements SubJobRunner {
  readonly started: string[] = [];
  readonly finished: string[] = [];
  /** Names that were running together at each start. */
  readonly overlaps: string[][] = [];
  readonly #running = new Set<string>();
  maxRunning = 0;
  constructor(
    readonly codes: Record<string, number> = {},
    readonly delay: (job: SubJob) => Promise<void> = () => new Promise((r) => setTimeout(r, 5)),
  ) {}
  async run(job: SubJob): Promise<number> {
    this.started.push(job.name);
    this.#running.add(job.name);
    this.overlaps.push([...this.#running]);
    this.maxRunning = Math.max(this.maxRunning, this.#running.size);
    await this.delay(job);
    this.#running.delete(job.name);
    this.finished.push(job.name);
    return this.codes[job.name] ?? 0;
  }
  close(): Promise<void> {
    return Promise.resolve();
  }
}
