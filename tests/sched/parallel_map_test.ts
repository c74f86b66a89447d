import assert from "node:assert/strict";
import { parallelMap } from "../../lib/sched/parallel_map.ts";

function settle(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

/** Calls that finish when the test says so; tracks concurrency and signals. */
class Calls {
  readonly started: number[] = [];
  readonly signals: AbortSignal[] = [];
  readonly pending = new Map<number, PromiseWithResolvers<string>>();
  running = 0;
  maxRunning = 0;
  fn = (item: number, signal: AbortSignal): Promise<string> => {
    this.started.push(item);
    this.signals.push(signal);
    this.maxRunning = Math.max(this.maxRunning, ++this.running);
    const p = Promise.withResolvers<string>();
    this.pending.set(item, p);
    return p.promise.finally(() => this.running--);
  };
  resolve(item: number): void {
    this.pending.get(item)!.resolve(`r${item}`);
  }
  reject(item: number, error: Error): void {
    this.pending.get(item)!.reject(error);
  }
}

/** Collects an async iterator in the background. */
function collect<R>(it: AsyncIterable<R>) {
  const out: R[] = [];
  let error: unknown;
  let done = false;
  const finished = (async () => {
    try {
      for await (const r of it) out.push(r);
    } catch (e) {
      error = e;
    }
    done = true;
  })();
  return {
    out,
    finished,
    get error() {
      return error;
    },
    get done() {
      return done;
    },
  };
}

Deno.test("parallelMap ordered: input order, at most N in flight", async () => {
  const calls = new Calls();
  const c = collect(parallelMap([0, 1, 2, 3, 4], calls.fn, { workers: 2 }));
  await settle();
  assert.deepEqual(calls.started, [0, 1]);
  calls.resolve(1);
  await settle();
  assert.deepEqual(c.out, []); // 0 is still running: results stay in order
  assert.deepEqual(calls.started, [0, 1]);
  calls.resolve(0);
  await settle();
  assert.deepEqual(c.out, ["r0", "r1"]);
  assert.deepEqual(calls.started, [0, 1, 2, 3]);
  calls.resolve(3);
  calls.resolve(2);
  await settle();
  calls.resolve(4);
  await c.finished;
  assert.deepEqual(c.out, ["r0", "r1", "r2", "r3", "r4"]);
  assert.equal(calls.maxRunning, 2);
});

Deno.test("parallelMap unordered: completion order, at most N in flight", async () => {
  const calls = new Calls();
  const c = collect(parallelMap([0, 1, 2, 3], calls.fn, { workers: 2, ordered: false }));
  await settle();
  calls.resolve(1);
  await settle();
  assert.deepEqual(c.out, ["r1"]);
  assert.deepEqual(calls.started, [0, 1, 2]);
  calls.resolve(2);
  await settle();
  calls.resolve(3);
  await settle();
  calls.resolve(0);
  await c.finished;
  assert.deepEqual(c.out, ["r1", "r2", "r3", "r0"]);
  assert.equal(calls.maxRunning, 2);
});

Deno.test("parallelMap: the first error ends the iteration and aborts the rest", async () => {
  for (const ordered of [true, false]) {
    const calls = new Calls();
    const boom = new Error("zfs list failed");
    const c = collect(parallelMap([0, 1, 2, 3], calls.fn, { workers: 3, ordered }));
    await settle();
    calls.reject(0, boom);
    calls.reject(1, new Error("second")); // never surfaces, never unhandled
    await c.finished;
    assert.equal(c.error, boom);
    assert.deepEqual(c.out, []);
    assert.ok(calls.signals[2].aborted);
    assert.deepEqual(calls.started, [0, 1, 2]);
  }
});

Deno.test("parallelMap: a synchronous throw is an error like a rejection", async () => {
  const it = parallelMap([1], () => {
    throw new TypeError("bad");
  }, { workers: 1 });
  await assert.rejects(async () => {
    for await (const _ of it) { /* nothing */ }
  }, TypeError);
});

Deno.test("parallelMap: break stops new calls and aborts running ones", async () => {
  const started: number[] = [];
  const signals: AbortSignal[] = [];
  const items = [0, 1, 2, 3, 4, 5];
  for await (
    const r of parallelMap(items, (i, signal) => {
      started.push(i);
      signals.push(signal);
      return i === 0 ? Promise.resolve(i) : new Promise<number>(() => {});
    }, { workers: 2 })
  ) {
    assert.equal(r, 0);
    break;
  }
  assert.deepEqual(started, [0, 1, 2]);
  assert.ok(signals.every((s) => s.aborted));
});

Deno.test("parallelMap: the external signal stops the iteration", async () => {
  const controller = new AbortController();
  const calls = new Calls();
  const c = collect(parallelMap([0, 1, 2], calls.fn, { workers: 1, signal: controller.signal }));
  await settle();
  calls.resolve(0);
  await settle();
  controller.abort(new Error("SIGTERM"));
  assert.equal(calls.signals[1].reason.message, "SIGTERM");
  calls.resolve(1);
  await c.finished;
  assert.deepEqual(c.out, ["r0"]);
  assert.deepEqual(calls.started, [0, 1]);

  const none = collect(parallelMap([0], calls.fn, { workers: 1, signal: AbortSignal.abort() }));
  await none.finished;
  assert.deepEqual(none.out, []);
});

Deno.test("parallelMap: reads its input lazily and handles long inputs", async () => {
  let produced = 0;
  function* numbers() {
    for (let i = 0; i < 5000; i++) {
      produced++;
      yield i;
    }
  }
  let sum = 0;
  for await (const r of parallelMap(numbers(), (i) => Promise.resolve(i), { workers: 8 })) {
    assert.ok(produced <= r + 1 + 8, `read ahead too far: ${produced} at ${r}`);
    sum += r;
  }
  assert.equal(sum, (4999 * 5000) / 2);
});

Deno.test("parallelMap: invalid worker counts", async () => {
  for (const workers of [0, 2.5]) {
    await assert.rejects(async () => {
      for await (const _ of parallelMap([1], (i) => Promise.resolve(i), { workers })) {
        /* nothing */
      }
    }, RangeError);
  }
});
