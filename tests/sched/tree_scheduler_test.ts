import assert from "node:assert/strict";
import {
  runTree,
  type RunTreeOptions,
  type TaskOutcome,
  type TreeSummary,
} from "../../lib/sched/tree_scheduler.ts";

/** Lets pending promise callbacks run (no time passes). */
function settle(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

/**
 * Fake tasks that stay running until the test finishes them by name; records start order,
 * running set, maximum concurrency and the signals the tasks received.
 */
class Harness {
  readonly started: string[] = [];
  readonly running = new Set<string>();
  readonly signals = new Map<string, AbortSignal>();
  maxRunning = 0;
  readonly #pending = new Map<string, PromiseWithResolvers<TaskOutcome>>();
  summary: TreeSummary | undefined;
  #done: Promise<TreeSummary> | undefined;

  task = (name: string, signal: AbortSignal): Promise<TaskOutcome> => {
    this.started.push(name);
    this.running.add(name);
    this.signals.set(name, signal);
    this.maxRunning = Math.max(this.maxRunning, this.running.size);
    const p = Promise.withResolvers<TaskOutcome>();
    this.#pending.set(name, p);
    return p.promise.finally(() => this.running.delete(name));
  };

  async start(datasets: string[], options: RunTreeOptions): Promise<void> {
    this.#done = runTree(datasets, this.task, options).then((s) => (this.summary = s));
    await settle();
  }

  /** Finishes a running task and returns what started as a consequence. */
  async finish(name: string, outcome: TaskOutcome = "continue"): Promise<string[]> {
    const before = this.started.length;
    this.#get(name).resolve(outcome);
    await settle();
    return this.started.slice(before);
  }

  async fail(name: string, error: unknown = new Error(`${name} broke`)): Promise<string[]> {
    const before = this.started.length;
    this.#get(name).reject(error);
    await settle();
    return this.started.slice(before);
  }

  /** Finishes whatever runs, smallest name first, until the run ends. */
  async drain(): Promise<TreeSummary> {
    while (this.summary === undefined) {
      const next = [...this.running].sort()[0];
      assert.ok(next !== undefined, "run is stuck: nothing running but not finished");
      await this.finish(next);
    }
    return await this.#done!;
  }

  #get(name: string): PromiseWithResolvers<TaskOutcome> {
    const p = this.#pending.get(name);
    assert.ok(p && this.running.has(name), `${name} is not running`);
    return p;
  }
}

function total(s: TreeSummary): number {
  return s.completed + s.failed.length + s.skipped;
}

Deno.test("runTree: semantics 9.2 example with 2 workers", async () => {
  const h = new Harness();
  await h.start(["a", "a/b", "a/b/c", "a/d", "e"], { workers: 2, skipOnError: "dataset" });
  assert.deepEqual(h.started, ["a", "e"]);
  assert.deepEqual(await h.finish("a"), ["a/b"]); // a/d waits: both workers busy
  assert.deepEqual(await h.finish("e"), ["a/d"]);
  assert.deepEqual(await h.finish("a/b"), ["a/b/c"]);
  const s = await h.drain();
  assert.deepEqual(s, { completed: 5, failed: [], skipped: 0, aborted: false });
  assert.equal(h.maxRunning, 2);
});

Deno.test("runTree: one worker runs a tree in sorted order", async () => {
  const names = ["p", "p/a", "p/a/x", "p/a/y", "p/b", "p/b/z", "q", "q/c"];
  const h = new Harness();
  await h.start(names, { workers: 1, skipOnError: "dataset" });
  await h.drain();
  assert.deepEqual(h.started, names);
  assert.equal(h.maxRunning, 1);
});

Deno.test("runTree: never more than N at once, and N is reached", async () => {
  const names = Array.from({ length: 40 }, (_, i) => `pool/ds${String(i).padStart(2, "0")}`);
  const h = new Harness();
  await h.start(names, { workers: 4, skipOnError: "dataset" });
  assert.deepEqual(h.started, names.slice(0, 4)); // unlisted "pool" imposes no wait
  const s = await h.drain();
  assert.equal(h.maxRunning, 4);
  assert.equal(s.completed, 40);
  assert.deepEqual(h.started, names); // smallest runnable name first
});

Deno.test("runTree: waits for the nearest listed ancestor only", async () => {
  const h = new Harness();
  await h.start(["a", "a-b", "a-b/c", "a/x/y", "z/w"], { workers: 8, skipOnError: "tree" });
  assert.deepEqual(h.started, ["a", "a-b", "z/w"]);
  assert.deepEqual(await h.finish("a-b"), ["a-b/c"]);
  assert.deepEqual(await h.finish("a"), ["a/x/y"]); // a/x is not listed: no wait for it
  await h.drain();
});

Deno.test("runTree: a 'skip-subtree' outcome skips descendants only", async () => {
  const h = new Harness();
  await h.start(["a", "a/b", "a/b/c", "a/d", "e"], { workers: 4, skipOnError: "fail" });
  assert.deepEqual(await h.finish("a"), ["a/b", "a/d"]);
  assert.deepEqual(await h.finish("a/b", "skip-subtree"), []);
  const s = await h.drain();
  assert.deepEqual(s, { completed: 4, failed: [], skipped: 1, aborted: false });
  assert.ok(!h.started.includes("a/b/c"));
});

Deno.test("runTree: skipOnError 'tree' skips the failed subtree and goes on", async () => {
  const h = new Harness();
  const boom = new Error("send failed");
  await h.start(["a", "a/b", "a/b/c", "a/b/d", "a/e", "f"], { workers: 8, skipOnError: "tree" });
  await h.finish("a");
  assert.deepEqual(await h.fail("a/b", boom), []);
  const s = await h.drain();
  assert.deepEqual(s.failed, [{ name: "a/b", error: boom }]);
  assert.equal(s.completed, 3);
  assert.equal(s.skipped, 2);
  assert.equal(s.aborted, false);
  assert.equal(total(s), 6);
  assert.equal(h.signals.get("a/e")!.aborted, false);
});

Deno.test("runTree: skipOnError 'dataset' consults dstExists", async () => {
  const names = ["a", "a/b", "a/b/c", "a/d", "a/d/e"];
  const h = new Harness();
  const asked: string[] = [];
  await h.start(names, {
    workers: 8,
    skipOnError: "dataset",
    dstExists: (name) => (asked.push(name), name === "a/b"),
  });
  await h.finish("a");
  assert.deepEqual(await h.fail("a/b"), ["a/b/c"]); // dst exists: children still run
  assert.deepEqual(await h.fail("a/d"), []); // dst missing: subtree skipped
  const s = await h.drain();
  assert.deepEqual(asked, ["a/b", "a/d"]);
  assert.deepEqual(s.failed.map((f) => f.name), ["a/b", "a/d"]);
  assert.equal(s.completed, 2);
  assert.equal(s.skipped, 1);
});

Deno.test("runTree: skipOnError 'dataset' without dstExists always runs children", async () => {
  const h = new Harness();
  await h.start(["a", "a/b", "a/b/c"], { workers: 2, skipOnError: "dataset" });
  await h.fail("a");
  assert.deepEqual(await h.fail("a/b"), ["a/b/c"]);
  const s = await h.drain();
  assert.equal(s.failed.length, 2);
  assert.equal(s.completed, 1);
});

Deno.test("runTree: skipOnError 'dataset' treats a throwing dstExists as 'missing'", async () => {
  const h = new Harness();
  await h.start(["a", "a/b"], {
    workers: 2,
    skipOnError: "dataset",
    dstExists: () => {
      throw new Error("cannot list");
    },
  });
  assert.deepEqual(await h.fail("a"), []);
  const s = await h.drain();
  assert.equal(s.skipped, 1);
});

Deno.test("runTree: skipOnError 'fail' aborts running tasks and starts nothing more", async () => {
  const names = ["a", "b", "c", "d", "e", "e/f"];
  const h = new Harness();
  const boom = new Error("zfs receive failed");
  await h.start(names, { workers: 3, skipOnError: "fail" });
  assert.deepEqual(h.started, ["a", "b", "c"]);
  assert.deepEqual(await h.fail("b", boom), []);
  assert.equal(h.summary, undefined, "must wait for running tasks to settle");
  assert.ok(h.signals.get("a")!.aborted);
  assert.ok(h.signals.get("c")!.aborted);
  const cancelled = new DOMException("aborted", "AbortError");
  await h.fail("a", cancelled);
  await h.finish("c");
  const s = h.summary!;
  assert.ok(s.aborted);
  assert.deepEqual(s.failed, [{ name: "b", error: boom }, { name: "a", error: cancelled }]);
  assert.equal(s.completed, 1);
  assert.equal(s.skipped, 3);
  assert.equal(total(s), names.length);
});

Deno.test("runTree: the external signal stops new starts and reaches running tasks", async () => {
  const controller = new AbortController();
  const h = new Harness();
  await h.start(["a", "a/b", "c", "d"], {
    workers: 2,
    skipOnError: "dataset",
    signal: controller.signal,
  });
  assert.deepEqual(h.started, ["a", "c"]);
  controller.abort(new Error("SIGTERM"));
  assert.equal(h.signals.get("a")!.reason.message, "SIGTERM");
  assert.deepEqual(await h.finish("a"), []);
  assert.deepEqual(await h.fail("c"), []);
  const s = h.summary!;
  assert.equal(s.aborted, true);
  assert.equal(s.completed, 1);
  assert.equal(s.failed.length, 1);
  assert.equal(s.skipped, 2);
});

Deno.test("runTree: an already aborted signal runs nothing", async () => {
  const h = new Harness();
  const s = await runTree(["a", "b"], h.task, {
    workers: 2,
    skipOnError: "dataset",
    signal: AbortSignal.abort(),
  });
  assert.deepEqual(s, { completed: 0, failed: [], skipped: 2, aborted: true });
  assert.deepEqual(h.started, []);
});

Deno.test("runTree: tasks that throw synchronously are failures, not crashes", async () => {
  const s = await runTree(["a", "a/b", "c"], (name) => {
    if (name === "a") throw new TypeError("bad");
    return Promise.resolve("continue");
  }, { workers: 2, skipOnError: "tree" });
  assert.deepEqual(s.failed.map((f) => f.name), ["a"]);
  assert.equal(s.completed, 1);
  assert.equal(s.skipped, 1);
});

Deno.test("runTree: empty input and invalid arguments", async () => {
  const h = new Harness();
  assert.deepEqual(await runTree([], h.task, { workers: 4, skipOnError: "fail" }), {
    completed: 0,
    failed: [],
    skipped: 0,
    aborted: false,
  });
  for (const workers of [0, -1, 1.5, NaN]) {
    await assert.rejects(runTree(["a"], h.task, { workers, skipOnError: "fail" }), RangeError);
  }
  await assert.rejects(
    runTree(["b", "a"], h.task, { workers: 1, skipOnError: "fail" }),
    RangeError,
  );
});

const JOBS = [
  "000000src-host/create-src-snapshots",
  "000000src-host/create-src-snapshots/000000replicate",
  "000000src-host/create-src-snapshots/000001replicate",
  "000000src-host/create-src-snapshots/~/prune-src-snapshots",
  "000000src-host/create-src-snapshots/~/prune-src-snapshots/000000prune-dst-snapshots",
  "000001src-host/create-src-snapshots",
  "000001src-host/create-src-snapshots/000000replicate",
  "000001src-host/create-src-snapshots/000001replicate",
  "000001src-host/create-src-snapshots/~/prune-src-snapshots",
];
const [C0, R00, R01, P0, PD0, C1, R10, R11, P1] = JOBS;

Deno.test("runTree barriers: pruning waits for all replications of its source", async () => {
  const h = new Harness();
  await h.start(JOBS, { workers: 8, skipOnError: "tree", priority: "depth" });
  assert.deepEqual(h.started, [C0, C1]);
  assert.deepEqual(await h.finish(C0), [R00, R01]);
  assert.deepEqual(await h.finish(C1), [R10, R11]);
  assert.deepEqual(await h.finish(R00), []);
  assert.deepEqual(await h.finish(R01), [P0]);
  assert.deepEqual(await h.finish(P0), [PD0]);
  const s = await h.drain();
  assert.equal(s.completed, JOBS.length);
});

Deno.test("runTree barriers: a failed replication skips its source's chain only", async () => {
  const h = new Harness();
  await h.start(JOBS, { workers: 8, skipOnError: "tree" });
  await h.finish(C0);
  await h.finish(C1);
  assert.deepEqual(await h.fail(R00), []);
  assert.deepEqual(await h.finish(R01), []); // barrier closed for good
  await h.finish(R10);
  assert.deepEqual(await h.finish(R11), [P1]); // the other host goes on
  const s = await h.drain();
  assert.deepEqual(s.failed.map((f) => f.name), [R00]);
  assert.equal(s.skipped, 2);
  assert.equal(s.completed, JOBS.length - 3);
});

Deno.test("runTree priority 'depth' starts the shallowest runnable job first", async () => {
  const names = ["a", "a/b", "a/b/c", "a/z", "b"];
  const byName = new Harness();
  await byName.start(names, { workers: 1, skipOnError: "tree" });
  await byName.drain();
  assert.deepEqual(byName.started, ["a", "a/b", "a/b/c", "a/z", "b"]);
  const byDepth = new Harness();
  await byDepth.start(names, { workers: 1, skipOnError: "tree", priority: "depth" });
  await byDepth.drain();
  assert.deepEqual(byDepth.started, ["a", "b", "a/b", "a/z", "a/b/c"]);
});

Deno.test("runTree barriers: false makes '~' an ordinary name component", async () => {
  const h = new Harness();
  await h.start(["h", "h/r1", "h/r2", "h/~/p"], {
    workers: 8,
    skipOnError: "tree",
    barriers: false,
  });
  assert.deepEqual(await h.finish("h"), ["h/r1", "h/r2", "h/~/p"]);
  await h.drain();
});

Deno.test("runTree: random trees keep parent-before-child and the worker limit", async () => {
  let seed = 12345;
  const random = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  const names: string[] = [];
  const grow = (name: string, depth: number) => {
    if (random() < 0.9) names.push(name); // some ancestors are not listed
    const fanout = depth >= 4 ? 0 : Math.floor(random() * 6);
    for (let i = 0; i < fanout; i++) grow(`${name}/${"abc-."[i % 5]}${i}`, depth + 1);
  };
  for (let p = 0; p < 5; p++) grow(`pool${p}`, 0);
  names.sort();
  const listed = new Set(names);
  const finished = new Set<string>();
  let running = 0;
  let maxRunning = 0;
  const s = await runTree(names, async (name) => {
    for (let cut = name.lastIndexOf("/"); cut > 0; cut = name.lastIndexOf("/", cut - 1)) {
      const ancestor = name.slice(0, cut);
      if (listed.has(ancestor)) {
        assert.ok(finished.has(ancestor), `${name} started before ${ancestor} finished`);
        break;
      }
    }
    maxRunning = Math.max(maxRunning, ++running);
    for (let i = Math.floor(random() * 4); i > 0; i--) await Promise.resolve();
    running--;
    finished.add(name);
    return "continue";
  }, { workers: 3, skipOnError: "fail" });
  assert.equal(s.completed, names.length);
  assert.equal(finished.size, names.length);
  assert.equal(maxRunning, 3);
});

Deno.test("runTree: abortOn errors end the run whatever skipOnError says", async () => {
  const h = new Harness();
  await h.start(["a", "b", "c"], {
    workers: 2,
    skipOnError: "dataset",
    abortOn: (e) => e instanceof TypeError,
  });
  await h.fail("a", new Error("tolerated"));
  assert.deepEqual(h.started, ["a", "b", "c"]);
  await h.fail("b", new TypeError("bug"));
  assert.ok(h.signals.get("c")!.aborted);
  await h.finish("c");
  assert.equal(h.summary!.aborted, true);
  assert.deepEqual(h.summary!.failed.map((f) => f.name), ["a", "b"]);
});

/** A clock whose sleeps end only when the test advances time past them (or on abort). */
class ManualClock {
  #now = 0;
  readonly #sleepers: { until: number; resolve: () => void }[] = [];
  now(): number {
    return this.#now;
  }
  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    const p = Promise.withResolvers<void>();
    this.#sleepers.push({ until: this.#now + ms, resolve: p.resolve });
    signal?.addEventListener("abort", () => p.resolve(), { once: true });
    return p.promise;
  }
  get sleeping(): number {
    return this.#sleepers.length;
  }
  /** Jumps to the earliest wake-up time and wakes those sleepers. */
  async tick(): Promise<void> {
    this.#now = Math.min(...this.#sleepers.map((s) => s.until));
    for (const s of this.#sleepers.splice(0)) {
      if (s.until <= this.#now) s.resolve();
      else this.#sleepers.push(s);
    }
    await settle();
  }
}

Deno.test("runTree pacing: starts are spread by the interval, smallest first", async () => {
  const clock = new ManualClock();
  const h = new Harness();
  const at = new Map<string, number>();
  const task = h.task;
  h.task = (name, signal) => (at.set(name, clock.now()), task(name, signal));
  await h.start(["a", "a/b", "z"], {
    workers: 2,
    skipOnError: "tree",
    pacing: { intervalMs: 1000, clock },
  });
  assert.deepEqual(h.started, ["a"]);
  assert.equal(clock.sleeping, 1);
  assert.deepEqual(await h.finish("a"), []); // a/b is runnable but must wait too
  await clock.tick();
  assert.deepEqual(h.started, ["a", "a/b"]); // a/b became runnable during the sleep and is smaller
  await clock.tick();
  assert.deepEqual(h.started, ["a", "a/b", "z"]);
  await h.drain();
  assert.deepEqual([...at.values()], [0, 1000, 2000]);
});

Deno.test("runTree pacing: abort wakes the sleeping scheduler", async () => {
  const clock = new ManualClock();
  const controller = new AbortController();
  const h = new Harness();
  await h.start(["a", "b", "c"], {
    workers: 3,
    skipOnError: "tree",
    signal: controller.signal,
    pacing: { intervalMs: 60_000, clock },
  });
  assert.deepEqual(h.started, ["a"]);
  controller.abort();
  await settle();
  await h.finish("a");
  assert.deepEqual(h.summary, { completed: 1, failed: [], skipped: 2, aborted: true });
});

Deno.test("runTree pacing: the system clock is the default", async () => {
  const s = await runTree(["a", "b"], () => Promise.resolve("continue"), {
    workers: 2,
    skipOnError: "tree",
    pacing: { intervalMs: 1 },
  });
  assert.equal(s.completed, 2);
});
