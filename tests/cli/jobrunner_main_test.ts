import assert from "node:assert/strict";
import { jobrunnerMain, parseJobrunnerArgs } from "../../lib/cli/jobrunner_main.ts";

async function run(argv: string[]) {
  const c = { out: "", err: "", code: 0 };
  c.code = await jobrunnerMain(argv, {
    writeOut: (t) => (c.out += t),
    writeErr: (t) => (c.err += t),
  });
  return c;
}

Deno.test("jobrunner parses its options and keeps unknown ones for bzfs", () => {
  const a = parseJobrunnerArgs([
    "--replicate",
    "--job-id=nightly",
    "--workers=3",
    "--recursive",
    "--src-hosts=['a']",
    "--root-dataset-pairs",
    "tank/a",
    "backup/a",
  ]);
  assert.equal(a.options.replicate, true);
  assert.deepEqual(a.options.workers, { value: 3, percent: false });
  assert.equal(a.options.srcHosts, "['a']");
  assert.deepEqual(a.options.rootDatasetPairs, ["tank/a", "backup/a"]);
  assert.deepEqual(a.forwarded, ["--recursive"]);
});

Deno.test("jobrunner --version, --help, and usage errors", async () => {
  assert.match((await run(["--version"])).out, /^bzfs_jobrunner-\d/);
  const help = await run(["--help"]);
  assert.equal(help.code, 0);
  assert.match(help.out, /--work-period-seconds/);
  assert.doesNotMatch(help.out, /--include-snapshot-plan/, "protected options stay hidden");
  const noJob = await run(["--replicate"]);
  assert.equal(noJob.code, 2);
  assert.match(noJob.err, /--job-id: Missing required option/);
  const odd = await run(["--job-id=j", "--root-dataset-pairs", "a"]);
  assert.equal(odd.code, 2);
  assert.match(odd.err, /in pairs/);
  const prot = await run(["--job-id=j", "--timeout=1s"]);
  assert.equal(prot.code, 2);
  assert.match(prot.err, /--timeout: Overriding a protected argument/);
});

const FLEET = [
  "--job-id=j",
  "--job-run=r",
  "--localhost=mgmt",
  "--dst-hosts={'dstA': ['onsite']}",
  "--retain-dst-targets={'dstA': ['onsite']}",
  "--dst-root-datasets={'dstA': 'bak'}",
  "--dst-snapshot-plan={'prod': {'onsite': {'daily': 7}}}",
];

Deno.test("jobrunner runs the planned sub-jobs through its runner and folds exit codes", async () => {
  const seen: string[][] = [];
  const c = { out: "", err: "", code: 0 };
  c.code = await jobrunnerMain([
    ...FLEET,
    "--src-hosts=['src1', 'src1b']",
    "--dst-root-datasets={'dstA': 'bak/^SRC_HOST'}",
    "--replicate",
    "--recursive",
    "--root-dataset-pairs",
    "tank/a",
    "a",
  ], {
    writeErr: (t) => (c.err += t),
    handleSignals: false,
    runner: {
      run: (job) => {
        seen.push([...job.argv]);
        return Promise.resolve(job.srcHost === "src1b" ? 2 : 0);
      },
      close: () => Promise.resolve(),
    },
  });
  assert.equal(c.code, 2, "the monitor-critical code of one sub-job");
  assert.equal(seen.length, 2);
  assert.deepEqual(seen[0].slice(0, 3), ["bzfs", "--no-argument-file", "--recursive"]);
  assert.deepEqual(seen[0].slice(-3), ["--", "src1:tank/a", "dstA:bak/src1/a"]);
  assert.match(c.err, /Ready to run 2 subjobs using 2\/2 src hosts/);
  assert.match(c.err, /Worker job failed with exit code 2/);
});

Deno.test("jobrunner reads --src-hosts from stdin when absent; fleet errors exit 3", async () => {
  const c = { err: "" };
  const names: string[] = [];
  const code = await jobrunnerMain([
    ...FLEET,
    "--replicate",
    "--jobrunner-dryrun",
    "--root-dataset-pairs",
    "tank/a",
    "a",
  ], {
    writeErr: (t) => (c.err += t),
    handleSignals: false,
    readStdin: () => Promise.resolve("['src1']\n"),
    onPlanned: (jobs) => names.push(...jobs.map((j) => j.name)),
  });
  assert.equal(code, 0);
  assert.deepEqual(names, ["000000src-host/000000replicate"]);
  assert.match(c.err, /Succeeded\. Bye!/);
  const bad = await run([
    ...FLEET,
    "--src-hosts=['src1']",
    "--dst-host=dstZ",
    "--root-dataset-pairs",
    "a",
    "b",
  ]);
  assert.equal(bad.code, 3);
  assert.match(
    bad.err,
    /^bzfs_jobrunner: error: --dst-host must be a subset of --dst-hosts\.keys/m,
  );
  const empty = await jobrunnerMain([...FLEET, "--root-dataset-pairs", "a", "b"], {
    writeErr: (t) => (c.err += t),
    handleSignals: false,
    readStdin: () => Promise.resolve(""),
  });
  assert.equal(empty, 3);
  assert.match(c.err, /Missing --src-hosts/);
});

Deno.test("jobrunner --jobrunner-log-level=TRACE logs the name -> argv map as JSON", async () => {
  const c = { err: "" };
  const code = await jobrunnerMain([
    ...FLEET,
    "--src-hosts=['src1']",
    "--replicate",
    "--jobrunner-dryrun",
    "--jobrunner-log-level=TRACE",
    "--root-dataset-pairs",
    "tank/a",
    "a",
  ], { writeErr: (t) => (c.err += t), handleSignals: false });
  assert.equal(code, 0);
  const json = c.err.slice(c.err.indexOf("subjobs: \n") + 10, c.err.indexOf("\n}\n") + 2);
  const map = JSON.parse(json) as Record<string, string[]>;
  assert.deepEqual(Object.keys(map), ["000000src-host/000000replicate"]);
  assert.equal(map["000000src-host/000000replicate"].at(-1), "dstA:bak/a");
});
