import assert from "node:assert/strict";
import { parseJobrunnerArgs } from "../../lib/cli/jobrunner_main.ts";
import { jobConfigArgv, runJobConfig } from "../../lib/jobrunner/job_config.ts";
import { config as dr } from "../../examples/dr_two_sites.ts";
import { config as usb } from "../../examples/usb_backup.ts";
import { config as raw } from "../../examples/raw_encrypted_offsite.ts";
import { config as standby } from "../../examples/db_standby_10s.ts";
import { config as compare } from "../../examples/daily_compare_report.ts";
import { config as clone } from "../../examples/pull_push_clone_no_pii.ts";
import { planSubJobs } from "../../lib/jobrunner/plan_run.ts";
import { identity } from "./_fixtures.ts";

Deno.test("jobConfigArgv: fleet as Python literals, script args before --root-dataset-pairs", () => {
  const argv = jobConfigArgv(usb, ["--replicate", "--dryrun"]);
  assert.deepEqual(argv, [
    "--job-id=usb-backup",
    "--src-hosts=['nas']",
    "--dst-hosts={'nas': ['']}",
    "--retain-dst-targets={'nas': ['']}",
    "--dst-root-datasets={'nas': ''}",
    "--src-snapshot-plan={'bzfs': {'': {'daily': 31, 'weekly': 12}}}",
    "--src-bookmark-plan={'bzfs': {'': {'daily': 31, 'weekly': 12}}}",
    "--dst-snapshot-plan={'bzfs': {'': {'daily': 90, 'weekly': 52}}}",
    "--monitor-snapshot-plan={'bzfs': {'': {'daily': {'warning': '8 days', 'critical': '15 days'}}}}",
    "--localhost=nas",
    "--replicate",
    "--dryrun",
    "--root-dataset-pairs",
    "tank/media",
    "usb/backups/media",
    "tank/documents",
    "usb/backups/documents",
  ]);
  const parsed = parseJobrunnerArgs(argv);
  assert.equal(parsed.options.replicate, true);
  assert.deepEqual(parsed.forwarded, ["--dryrun"]);
});

Deno.test("every example parses and plans (all actions), with the expected sub-job counts", async () => {
  const all = [
    "--create-src-snapshots",
    "--replicate",
    "--prune-src-snapshots",
    "--prune-src-bookmarks",
    "--prune-dst-snapshots",
    "--monitor-src-snapshots",
    "--monitor-dst-snapshots",
  ];
  const expected: [string, typeof dr, number][] = [
    ["dr_two_sites", dr, 100 * (1 + 2 + 1 + 1 + 2 + 1 + 2)],
    ["usb_backup", usb, 7],
    ["raw_encrypted_offsite", raw, 7],
    ["db_standby_10s", standby, 7],
    ["daily_compare_report", compare, 6], // empty monitor plan: monitor jobs still run; no src plan
    ["pull_push_clone_no_pii", clone, 1 + 2 + 1 + 1 + 2 + 1 + 2],
  ];
  for (const [name, config, count] of expected) {
    const { options, forwarded } = parseJobrunnerArgs(jobConfigArgv(config, all));
    const { jobs } = await planSubJobs(options, forwarded, {
      identity: identity("mgmt"),
      defaultJobRun: "r",
      probePools: () => Promise.resolve(new Set(["usb"])),
    });
    if (name === "daily_compare_report") {
      assert.equal(jobs.filter((j) => j.action === "replicate").length, 1, name);
      continue;
    }
    assert.equal(jobs.length, count, name);
  }
});

Deno.test("examples: per-destination plans follow the targets", async () => {
  const { options, forwarded } = parseJobrunnerArgs(
    jobConfigArgv(dr, ["--replicate", "--src-host=prod001"]),
  );
  const { jobs } = await planSubJobs(options, forwarded, {
    identity: identity("mgmt"),
    defaultJobRun: "r",
  });
  const plans = jobs.map((
    j,
  ) => [j.dstHost, j.argv.find((a) => a.startsWith("--include-snapshot-plan="))]);
  assert.deepEqual(plans.sort(), [
    [
      "dr-cloud",
      "--include-snapshot-plan={'prod': {'cloud': {'daily': 90, 'weekly': 365, 'monthly': 84}}}",
    ],
    ["dr-onsite", "--include-snapshot-plan={'prod': {'onsite': {'daily': 90, 'weekly': 13}}}"],
  ]);
  assert.ok(jobs.every((j) => j.argv.at(-1)?.endsWith("/prod001/home")));
});

Deno.test("runJobConfig: no arguments -> usage and status 5; otherwise runs the argv", async () => {
  let err = "";
  const code = await runJobConfig(usb, { args: [], writeErr: (t) => (err += t) });
  assert.equal(code, 5);
  assert.match(err, /^usage: /);
  let seen: readonly string[] = [];
  const ran = await runJobConfig(usb, {
    args: ["--replicate"],
    run: (argv) => {
      seen = argv;
      return Promise.resolve(7);
    },
  });
  assert.equal(ran, 7);
  assert.deepEqual(seen, jobConfigArgv(usb, ["--replicate"]));
});

Deno.test("db_standby_10s: a daemon run forwards --daemon-lifetime; replication repeats every 10 s", async () => {
  const argv = jobConfigArgv(standby, ["--replicate", "--daemon-lifetime=86400seconds"]);
  const { options, forwarded } = parseJobrunnerArgs(argv);
  const { jobs } = await planSubJobs(options, forwarded, {
    identity: identity("standby-db"),
    defaultJobRun: "r",
    probePools: () => Promise.resolve(new Set(["data"])),
  });
  assert.equal(jobs.length, 1);
  const a = jobs[0].argv;
  assert.ok(a.includes("--daemon-lifetime=86400seconds"));
  assert.ok(a.includes("--daemon-frequency=10secondly"));
  assert.ok(
    a.includes(
      "--include-snapshot-plan={'prod': {'standby': {'10secondly': 2160, 'minutely': 360}}}",
    ),
  );
  assert.deepEqual(
    a.slice(-3),
    ["--", "primary-db:data/postgres", "-:data/postgres"],
    "pull on the standby",
  );
});
