import assert from "node:assert/strict";
import { buildBzfsConfig } from "../../lib/cli/bzfs_config.ts";
import { FakeClock } from "../../lib/clock.ts";
import { RetryableError, UsageError } from "../../lib/errors.ts";
import { datasetRetryOptions, retryPolicyOf } from "../../lib/job/job_retry.ts";
import { withRetries } from "../../lib/sched/retry.ts";

Deno.test("retryPolicyOf maps the --retry* options", () => {
  const o = buildBzfsConfig([
    "--retries=5",
    "--retry-min-sleep-secs=1",
    "--retry-initial-max-sleep-secs=2",
    "--retry-max-sleep-secs=30",
    "--retry-max-elapsed-secs=60",
    "a",
    "b",
  ]).options;
  assert.deepEqual(retryPolicyOf(o), {
    retries: 5,
    minSleepSecs: 1,
    initialMaxSleepSecs: 2,
    maxSleepSecs: 30,
    maxElapsedSecs: 60,
  });
});

Deno.test("datasetRetryOptions retries RetryableError only, on the job's clock", async () => {
  const clock = new FakeClock(0);
  const options = datasetRetryOptions(
    { clock, signal: new AbortController().signal },
    "test",
    "a/b",
  );
  assert.equal(options.isRetryable?.(new RetryableError("x")), true);
  assert.equal(options.isRetryable?.(new UsageError("x")), false);
  let calls = 0;
  const policy = { ...retryPolicyOf(buildBzfsConfig(["a", "b"]).options), retries: 2 };
  const result = await withRetries(
    () => {
      calls++;
      if (calls < 3) throw new RetryableError("flaky");
      return Promise.resolve("done");
    },
    policy,
    options,
  );
  assert.equal(result, "done");
  assert.equal(calls, 3);
  await assert.rejects(
    withRetries(() => Promise.reject(new UsageError("bad")), policy, options),
    UsageError,
  );
});
