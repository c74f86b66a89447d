import assert from "node:assert/strict";
import { MinHeap } from "../../lib/sched/min_heap.ts";

Deno.test("MinHeap pops keys in ascending order and grows past its capacity", () => {
  const heap = new MinHeap(2);
  const keys = [50, 3, 17, 3.5, 0, 99, 42, 8, 2 ** 40 + 7, 1, 23, 16];
  for (const k of keys) heap.push(k);
  assert.equal(heap.size, keys.length);
  const out: number[] = [];
  while (heap.size > 0) out.push(heap.pop());
  assert.deepEqual(out, [...keys].sort((a, b) => a - b));
  assert.equal(heap.pop(), -1);
});

Deno.test("MinHeap interleaves push and pop and can be cleared", () => {
  const heap = new MinHeap(0);
  heap.push(5);
  heap.push(2);
  assert.equal(heap.pop(), 2);
  heap.push(1);
  heap.push(9);
  assert.equal(heap.pop(), 1);
  assert.equal(heap.pop(), 5);
  heap.push(4);
  heap.clear();
  assert.equal(heap.size, 0);
  assert.equal(heap.pop(), -1);
});

Deno.test("MinHeap agrees with a sort on pseudo-random input", () => {
  let seed = 7;
  const next = () => (seed = (seed * 1103515245 + 12345) % 2147483648);
  const heap = new MinHeap(16);
  const all: number[] = [];
  for (let i = 0; i < 5000; i++) {
    const k = next() % 1000;
    all.push(k);
    heap.push(k);
  }
  all.sort((a, b) => a - b);
  for (const want of all) assert.equal(heap.pop(), want);
});
