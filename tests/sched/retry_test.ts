import assert from "node:assert/strict";
import { type Clock, FakeClock } from "../../lib/clock.ts";
import { RetryableError } from "../../lib/errors.ts";
import {
  DEFAULT_RETRY_POLICY,
  NO_RETRIES,
  type RetryEvent,
  type RetryPolicy,
  unwrapRetryable,
  withRetries,
} from "../../lib/sched/retry.ts";

/** A FakeClock that records each sleep and lets a test act during it. */
class RecordingClock implements Clock {
  readonly fake = new FakeClock(1_000_000);
  readonly sleeps: number[] = [];
  duringSleep: (() => void) | undefined;
  now(): number {
    return this.fake.now();
  }
  sleep(ms: number): Promise<void> {
    this.sleeps.push(ms);
    this.duringSleep?.();
    return this.fake.sleep(ms);
  }
}

/** A function failing `failures` times with a retryable error wrapping `cause`, then "ok". */
function flaky(failures: number, cause: Error = new Error("exit 255")) {
  const calls: number[] = [];
  const fn = ({ count }: { count: number }): Promise<string> => {
    calls.push(count);
    if (calls.length <= failures) throw new RetryableError("ssh dropped", { cause });
    return Promise.resolve("ok");
  };
  return { fn, calls, cause };
}

const policy = (p: Partial<RetryPolicy>): RetryPolicy => ({ ...DEFAULT_RETRY_POLICY, ...p });

Deno.test("withRetries returns at once when the first attempt succeeds", async () => {
  const clock = new RecordingClock();
  const { fn, calls } = flaky(0);
  assert.equal(await withRetries(fn, DEFAULT_RETRY_POLICY, { clock }), "ok");
  assert.deepEqual(calls, [0]);
  assert.deepEqual(clock.sleeps, []);
});

Deno.test("withRetries: full jitter in [min, curMax], curMax doubling up to max", async () => {
  const clock = new RecordingClock();
  const { fn, calls } = flaky(6);
  const events: RetryEvent[] = [];
  const result = await withRetries(
    fn,
    policy({ retries: 10, initialMaxSleepSecs: 0.125, maxSleepSecs: 0.6 }),
    { clock, random: () => 0.999999999, onRetry: (e) => events.push(e) },
  );
  assert.equal(result, "ok");
  assert.deepEqual(calls, [0, 1, 2, 3, 4, 5, 6]);
  // random near 1 picks the current max: 125 ms, 250, 500, then capped at 600
  assert.deepEqual(clock.sleeps, [125, 250, 500, 600, 600, 600]);
  assert.deepEqual(events.map((e) => [e.retry, e.retries, e.sleepMs]), [
    [1, 10, 125],
    [2, 10, 250],
    [3, 10, 500],
    [4, 10, 600],
    [5, 10, 600],
    [6, 10, 600],
  ]);
  assert.equal(events[1].elapsedMs, 125);
  assert.ok(events[0].error instanceof RetryableError);
});

Deno.test("withRetries: the sleep lower bound is min, in whole nanoseconds", async () => {
  const clock = new RecordingClock();
  const { fn } = flaky(2);
  await withRetries(fn, policy({ minSleepSecs: 0.1, initialMaxSleepSecs: 0.3 }), {
    clock,
    random: () => 0,
  });
  assert.deepEqual(clock.sleeps, [100, 100]);
  const half = new RecordingClock();
  await withRetries(flaky(1).fn, policy({ initialMaxSleepSecs: 0.000000003 }), {
    clock: half,
    random: () => 0.5,
  });
  assert.deepEqual(half.sleeps, [0.000002]); // randint(0, 3 ns) with 0.5 -> 2 ns
});

Deno.test("withRetries: min > initial max and max < min are normalised like upstream", async () => {
  const clock = new RecordingClock();
  await withRetries(
    flaky(2).fn,
    policy({ minSleepSecs: 2, initialMaxSleepSecs: 1, maxSleepSecs: 0.5 }),
    { clock, random: () => 0.7 },
  );
  assert.deepEqual(clock.sleeps, [2000, 2000]);
});

Deno.test("withRetries: once retries are used up the cause surfaces", async () => {
  const clock = new RecordingClock();
  const { fn, calls, cause } = flaky(99);
  await assert.rejects(withRetries(fn, DEFAULT_RETRY_POLICY, { clock, random: () => 0.5 }), (e) => {
    assert.equal(e, cause);
    return true;
  });
  assert.deepEqual(calls, [0, 1, 2]); // 1 attempt + 2 retries
  assert.deepEqual(clock.sleeps, [62.5, 125]);
});

Deno.test("withRetries: a RetryableError without cause surfaces itself", async () => {
  const err = new RetryableError("busy");
  await assert.rejects(
    withRetries(() => Promise.reject(err), NO_RETRIES, { clock: new RecordingClock() }),
    (e) => e === err,
  );
});

Deno.test("withRetries: non-retryable errors surface at once, unchanged", async () => {
  const clock = new RecordingClock();
  let calls = 0;
  const err = new Error("dataset does not exist");
  await assert.rejects(
    withRetries(() => (calls++, Promise.reject(err)), DEFAULT_RETRY_POLICY, { clock }),
    (e) => e === err,
  );
  assert.equal(calls, 1);
  assert.deepEqual(clock.sleeps, []);
});

Deno.test("withRetries: isRetryable decides what is retried", async () => {
  const clock = new RecordingClock();
  let calls = 0;
  const err = new Error("exit 255");
  const result = await withRetries(
    () => {
      if (++calls < 3) throw err;
      return Promise.resolve(calls);
    },
    DEFAULT_RETRY_POLICY,
    { clock, isRetryable: (e) => e === err, random: () => 0 },
  );
  assert.equal(result, 3);
  await assert.rejects(
    withRetries(() => Promise.reject(new RetryableError("x")), DEFAULT_RETRY_POLICY, {
      clock,
      isRetryable: () => false,
    }),
    RetryableError,
  );
});

Deno.test("withRetries: stops once elapsed time reaches max elapsed", async () => {
  const clock = new RecordingClock();
  let calls = 0;
  const cause = new Error("slow failure");
  await assert.rejects(
    withRetries(
      async () => {
        calls++;
        await clock.fake.sleep(1500); // each attempt takes 1.5 s
        throw new RetryableError("x", { cause });
      },
      policy({ retries: 100, maxElapsedSecs: 3, initialMaxSleepSecs: 0 }),
      { clock },
    ),
    (e) => e === cause,
  );
  assert.equal(calls, 2); // after the 2nd attempt 3 s have passed
});

Deno.test("withRetries: stops when elapsed plus the chosen sleep would reach max elapsed", async () => {
  const clock = new RecordingClock();
  const { fn, calls } = flaky(99);
  await assert.rejects(
    withRetries(fn, policy({ retries: 100, initialMaxSleepSecs: 1, maxElapsedSecs: 2.5 }), {
      clock,
      random: () => 0.999999999, // sleeps 1 s, then would sleep 2 s: 1 + 2 >= 2.5
    }),
  );
  assert.deepEqual(clock.sleeps, [1000]);
  assert.deepEqual(calls, [0, 1]);
});

Deno.test("withRetries: max sleep 0 retries without sleeping", async () => {
  const clock = new RecordingClock();
  const { fn, calls } = flaky(3);
  const p = policy({ retries: 3, initialMaxSleepSecs: 0, maxSleepSecs: 0 });
  assert.equal(await withRetries(fn, p, { clock, random: () => 0.9 }), "ok");
  assert.deepEqual(calls, [0, 1, 2, 3]);
  assert.deepEqual(clock.sleeps, []);
});

Deno.test("withRetries: an immediate-retry error skips the sleep on the first retry only", async () => {
  const clock = new RecordingClock();
  let calls = 0;
  const immediate = () =>
    Object.assign(new RetryableError("stale resume token"), { retryImmediatelyOnce: true });
  const result = await withRetries(
    () => {
      if (++calls < 4) throw immediate();
      return Promise.resolve("ok");
    },
    policy({ retries: 5 }),
    { clock, random: () => 0.999999999 },
  );
  assert.equal(result, "ok");
  // first retry immediate and curMax untouched, then 125 ms, 250 ms
  assert.deepEqual(clock.sleeps, [125, 250]);

  const custom = new RecordingClock();
  await withRetries(flaky(1).fn, DEFAULT_RETRY_POLICY, {
    clock: custom,
    retryImmediately: () => true,
  });
  assert.deepEqual(custom.sleeps, []);
});

Deno.test("withRetries: abort during the sleep gives up with the last cause", async () => {
  const controller = new AbortController();
  const clock = new RecordingClock();
  clock.duringSleep = () => controller.abort();
  const { fn, calls, cause } = flaky(99);
  await assert.rejects(
    withRetries(fn, DEFAULT_RETRY_POLICY, { clock, signal: controller.signal, random: () => 0.5 }),
    (e) => e === cause,
  );
  assert.deepEqual(calls, [0]);
});

Deno.test("withRetries: abort during an attempt gives up without sleeping", async () => {
  const controller = new AbortController();
  const clock = new RecordingClock();
  const cause = new Error("killed");
  await assert.rejects(
    withRetries(
      ({ signal }) => {
        controller.abort();
        assert.ok(signal?.aborted);
        throw new RetryableError("x", { cause });
      },
      DEFAULT_RETRY_POLICY,
      { clock, signal: controller.signal },
    ),
    (e) => e === cause,
  );
  assert.deepEqual(clock.sleeps, []);
});

Deno.test("withRetries: an already aborted signal runs nothing", async () => {
  let calls = 0;
  const reason = new Error("SIGTERM");
  await assert.rejects(
    withRetries(() => (calls++, Promise.resolve(1)), DEFAULT_RETRY_POLICY, {
      signal: AbortSignal.abort(reason),
    }),
    (e) => e === reason,
  );
  assert.equal(calls, 0);
});

Deno.test("withRetries: rejects invalid policies", async () => {
  const ok = () => Promise.resolve(1);
  for (
    const bad of [{ retries: -1 }, { retries: 1.5 }, { minSleepSecs: -1 }, {
      maxElapsedSecs: NaN,
    }]
  ) {
    await assert.rejects(withRetries(ok, policy(bad)), RangeError);
  }
});

Deno.test("withRetries uses the system clock and Math.random by default", async () => {
  const { fn } = flaky(1);
  const p = policy({ initialMaxSleepSecs: 0.001, maxSleepSecs: 0.001 });
  assert.equal(await withRetries(fn, p), "ok");
});

Deno.test("unwrapRetryable returns the cause of a RetryableError, else the error", () => {
  const cause = new Error("c");
  assert.equal(unwrapRetryable(new RetryableError("r", { cause })), cause);
  const plain = new Error("p");
  assert.equal(unwrapRetryable(plain), plain);
  assert.equal(unwrapRetryable("text"), "text");
});
