import assert from "node:assert/strict";
import { DEFAULT_CPUS, resolveThreads } from "../../lib/sched/threads.ts";

Deno.test("resolveThreads: percentages of the host's CPUs (semantics 9.1 examples)", () => {
  assert.equal(resolveThreads({ number: 75, isPercent: true }, 16), 12);
  assert.equal(resolveThreads({ number: 200, isPercent: true }, 8), 16);
  assert.equal(resolveThreads({ number: 100, isPercent: true }, 4), 4);
  assert.equal(resolveThreads({ number: 1600, isPercent: true }, 2), 32);
});

Deno.test("resolveThreads: percentages round half to even, never below 1", () => {
  assert.equal(resolveThreads({ number: 25, isPercent: true }, 2), 1); // round(0.5) = 0 -> 1
  assert.equal(resolveThreads({ number: 50, isPercent: true }, 3), 2); // round(1.5) = 2
  assert.equal(resolveThreads({ number: 50, isPercent: true }, 5), 2); // round(2.5) = 2, not 3
  assert.equal(resolveThreads({ number: 50, isPercent: true }, 7), 4); // round(3.5) = 4
  assert.equal(resolveThreads({ number: 30, isPercent: true }, 5), 2); // round(1.5) = 2
  assert.equal(resolveThreads({ number: 1, isPercent: true }, 8), 1); // round(0.08) = 0 -> 1
});

Deno.test("resolveThreads: absolute counts ignore the CPU count", () => {
  assert.equal(resolveThreads({ number: 4, isPercent: false }, 64), 4);
  assert.equal(resolveThreads({ number: 4, isPercent: false }, 1), 4);
  assert.equal(resolveThreads({ number: 2.5, isPercent: false }, 8), 2);
  assert.equal(resolveThreads({ number: 1.5, isPercent: false }, 8), 2);
  assert.equal(resolveThreads({ number: 0.5, isPercent: false }, 8), 1);
});

Deno.test("resolveThreads: unknown CPU count means 8", () => {
  assert.equal(DEFAULT_CPUS, 8);
  for (const cpus of [undefined, NaN, 0, -1]) {
    assert.equal(resolveThreads({ number: 100, isPercent: true }, cpus), 8);
    assert.equal(resolveThreads({ number: 50, isPercent: true }, cpus), 4);
  }
});

Deno.test("resolveThreads: rejects non-positive or non-finite numbers", () => {
  for (const number of [0, -1, NaN, Infinity]) {
    assert.throws(() => resolveThreads({ number, isPercent: false }, 8), RangeError);
    assert.throws(() => resolveThreads({ number, isPercent: true }, 8), RangeError);
  }
});
