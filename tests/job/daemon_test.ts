import assert from "node:assert/strict";
import { buildBzfsConfig } from "../../lib/cli/bzfs_config.ts";
import { exitCodeOf } from "../../lib/cli/exit_codes.ts";
import { FakeClock } from "../../lib/clock.ts";
import {
  DaemonConfigError,
  type DaemonSchedule,
  jobTiming,
  nextWakeMs,
  runDaemon,
} from "../../lib/job/daemon.ts";
import { DEFAULT_PERIOD_ANCHORS, periodAnchors } from "../../lib/lifecycle/period_anchors.ts";

const quiet = { write: { out: () => {}, err: () => {} } };
const T = (iso: string) => Date.parse(iso);
const options = (...argv: string[]) =>
  buildBzfsConfig([...argv, "tank/a", "backup/a"], quiet).options;

function schedule(periods: DaemonSchedule["periods"], extra: Partial<DaemonSchedule> = {}) {
  return { periods, timeZone: "UTC", anchors: DEFAULT_PERIOD_ANCHORS, ...extra };
}

Deno.test("defaults: no daemon, minutely schedule, 300 s conf cache, no timeout", () => {
  const t = jobTiming(options(), { localTimeZone: "UTC" });
  assert.equal(t.lifetimeMs, 0);
  assert.equal(t.timeoutMs, undefined);
  assert.equal(t.remoteConfCacheTtlMs, 300_000);
  assert.deepEqual(t.schedule.periods, [{ amount: 1, unit: "minutely" }]);
});

Deno.test("durations and frequency are parsed", () => {
  const t = jobTiming(
    options(
      "--daemon-lifetime=60seconds",
      "--daemon-frequency=10secondly",
      "--timeout=90 minutes",
      "--daemon-remote-conf-cache-ttl=0 seconds",
    ),
    { localTimeZone: "UTC" },
  );
  assert.equal(t.lifetimeMs, 60_000);
  assert.equal(t.timeoutMs, 5_400_000);
  assert.equal(t.remoteConfCacheTtlMs, 0);
  assert.deepEqual(t.schedule.periods, [{ amount: 10, unit: "secondly" }]);
});

for (
  const [argv, pattern] of [
    [["--daemon-frequency=2seconds"], /Invalid --daemon-frequency: 2seconds/],
    [["--daemon-frequency=-2secondly"], /Invalid --daemon-frequency/],
    [["--daemon-frequency=2adhoc"], /Invalid --daemon-frequency/],
    [["--daemon-frequency=0secondly"], /Invalid --daemon-frequency/],
    [["--daemon-lifetime=1 fortnight"], /--daemon-lifetime/],
    [["--timeout=soon"], /--timeout/],
    [["--daemon-remote-conf-cache-ttl=-1seconds"], /--daemon-remote-conf-cache-ttl/],
  ] as const
) {
  Deno.test(`invalid ${argv.join(" ")} is a fatal error with exit status 3`, () => {
    assert.throws(() => jobTiming(options(...argv)), (e: unknown) => {
      assert.ok(e instanceof DaemonConfigError);
      assert.match(e.message, pattern);
      assert.equal(exitCodeOf(e), 3);
      return true;
    });
  });
}

Deno.test("with --create-src-snapshots the plan's periods are the schedule, frequency ignored", () => {
  const t = jobTiming(
    options(
      "--create-src-snapshots",
      "--create-src-snapshots-plan={'prod': {'onsite': {'hourly': 36, '10minutely': 2, 'daily': 0}}}",
      "--daemon-frequency=bogus",
    ),
    { localTimeZone: "UTC" },
  );
  assert.deepEqual(t.schedule.periods, [
    { amount: 1, unit: "hourly" },
    { amount: 10, unit: "minutely" },
  ]);
});

Deno.test("next wake: the boundary strictly after the iteration's start", () => {
  const minutely = schedule([{ amount: 1, unit: "minutely" }]);
  assert.equal(nextWakeMs(T("2025-01-01T12:00:30Z"), minutely), T("2025-01-01T12:01:00Z"));
  assert.equal(
    nextWakeMs(T("2025-01-01T12:01:00Z"), minutely),
    T("2025-01-01T12:02:00Z"),
    "an iteration that starts on a boundary waits for the next one (upstream adds 1 us)",
  );
  const twoHourly = schedule([{ amount: 2, unit: "hourly" }]);
  assert.equal(nextWakeMs(T("2025-01-01T13:10:00Z"), twoHourly), T("2025-01-01T14:00:00Z"));
});

Deno.test("next wake: the nearest of several periods; anchors shift the phase", () => {
  const s = schedule([{ amount: 1, unit: "daily" }, { amount: 1, unit: "hourly" }], {
    anchors: periodAnchors({ hourly_minute: 15 }),
  });
  assert.equal(nextWakeMs(T("2025-01-01T12:20:00Z"), s), T("2025-01-01T13:15:00Z"));
});

Deno.test("next wake: in the plan's time zone", () => {
  const s = schedule([{ amount: 1, unit: "daily" }], { timeZone: "+05:30" });
  assert.equal(nextWakeMs(T("2025-01-01T12:00:00Z"), s), T("2025-01-01T18:30:00Z"));
});

Deno.test("next wake: a period without duration (adhoc) wakes at once", () => {
  const s = schedule([{ amount: 0, unit: "millisecondly" }]);
  assert.equal(nextWakeMs(T("2025-01-01T12:00:00Z"), s), T("2025-01-01T12:00:00Z"));
});

Deno.test("lifetime 0 runs exactly once and never sleeps", async () => {
  const clock = new FakeClock(T("2025-01-01T00:00:00Z"));
  const n = await runDaemon(() => Promise.resolve(), {
    lifetimeMs: 0,
    schedule: schedule([{ amount: 1, unit: "minutely" }]),
  }, { clock });
  assert.equal(n, 1);
  assert.equal(clock.slept, 0);
});

Deno.test("FR-USA-006: 60 s lifetime, secondly: about one iteration per second, aligned", async () => {
  const clock = new FakeClock(T("2025-01-01T00:00:00.250Z"));
  const starts: number[] = [];
  const n = await runDaemon(
    async () => {
      starts.push(clock.now());
      clock.advance(100); // each iteration takes 100 ms
      await Promise.resolve();
    },
    { lifetimeMs: 60_000, schedule: schedule([{ amount: 1, unit: "secondly" }]) },
    { clock },
  );
  assert.equal(n, 61, "at 0.25 s, then on each of the 60 second boundaries up to 60 s");
  assert.equal(starts[0], T("2025-01-01T00:00:00.250Z"), "the first iteration starts at once");
  for (const s of starts.slice(1)) assert.equal(s % 1000, 0, "later ones start on a boundary");
  assert.equal(clock.now(), T("2025-01-01T00:01:00.250Z"), "stops when the lifetime has passed");
});

Deno.test("an iteration longer than the period runs the next one without sleeping", async () => {
  const clock = new FakeClock(T("2025-01-01T00:00:00Z"));
  const sleeps: number[] = [];
  const n = await runDaemon(
    async () => {
      clock.advance(2500);
      await Promise.resolve();
    },
    { lifetimeMs: 6000, schedule: schedule([{ amount: 1, unit: "secondly" }]) },
    {
      clock,
      onSleep: (ms) => sleeps.push(ms),
    },
  );
  assert.equal(n, 3);
  assert.deepEqual(sleeps, [0, 0]);
});

Deno.test("the last sleep is cut to the lifetime", async () => {
  const clock = new FakeClock(T("2025-01-01T00:00:00Z"));
  const sleeps: number[] = [];
  const n = await runDaemon(() => Promise.resolve(), {
    lifetimeMs: 90_000,
    schedule: schedule([{ amount: 1, unit: "minutely" }]),
  }, { clock, onSleep: (ms) => sleeps.push(ms) });
  assert.equal(n, 2);
  assert.deepEqual(sleeps, [60_000, 30_000]);
});

Deno.test("jitter adds a random delay within [0, jitterMs]", async () => {
  const clock = new FakeClock(T("2025-01-01T00:00:00Z"));
  const sleeps: number[] = [];
  await runDaemon(() => Promise.resolve(), {
    lifetimeMs: 150_000,
    schedule: schedule([{ amount: 1, unit: "minutely" }]),
  }, { clock, jitterMs: 1000, random: () => 0.5, onSleep: (ms) => sleeps.push(ms) });
  assert.deepEqual(sleeps, [60_500, 60_000, 29_500]);
});

Deno.test("an abort (signal) wakes the sleep and stops the loop", async () => {
  const controller = new AbortController();
  let n = 0;
  const started = performance.now();
  const done = runDaemon(
    () => {
      n++;
      return Promise.resolve();
    },
    { lifetimeMs: 3_600_000, schedule: schedule([{ amount: 1, unit: "hourly" }]) },
    {
      clock: {
        now: () => Date.now(),
        sleep: (ms, signal) =>
          new Promise((resolve) => {
            const id = setTimeout(resolve, ms);
            signal?.addEventListener("abort", () => {
              clearTimeout(id);
              resolve();
            });
          }),
      },
      signal: controller.signal,
    },
  );
  setTimeout(() => controller.abort(), 50);
  assert.equal(await done, 1);
  assert.equal(n, 1);
  assert.ok(performance.now() - started < 5000);
});
