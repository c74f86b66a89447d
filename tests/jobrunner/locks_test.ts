import assert from "node:assert/strict";
import { buildBzfsConfig } from "../../lib/cli/bzfs_config.ts";
import { lockFilePath } from "../../lib/state/job_lock.ts";
import { plan, workedExampleArgv } from "./_fixtures.ts";

Deno.test("every sub-job of the worked example is a valid bzfs command line with its own lock", async () => {
  const argv = () =>
    workedExampleArgv().map((a) => a === "--log-dir=/tmp/x" ? "--log-dir=/tmp/x_bzfs-logs" : a);
  const { jobs } = await plan(argv());
  const locks = jobs.map((j) => lockFilePath(buildBzfsConfig(j.argv.slice(1)), "/tmp/x_bzfs-logs"));
  assert.equal(new Set(locks).size, jobs.length, "no two sub-jobs share a lock file");
  const again = await plan(argv());
  assert.deepEqual(
    again.jobs.map((j) => lockFilePath(buildBzfsConfig(j.argv.slice(1)), "/tmp/x_bzfs-logs")),
    locks,
    "the next run of the same job takes the same locks (so overlapping runs exit 4)",
  );
});
