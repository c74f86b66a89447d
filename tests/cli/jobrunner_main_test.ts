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
  const notYet = await run(["--job-id=j", "--replicate"]);
  assert.equal(notYet.code, 2);
  assert.match(notYet.err, /not implemented yet/);
});
