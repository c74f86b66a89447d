/**
 * A fixed-capacity binary min-heap of numbers, stored in one `Float64Array` so a million
 * entries cost 8 MB and no per-entry objects.
 *
 * @module
 */

/**
 * A min-heap of numeric keys (non-negative integers up to 2^53 in practice). The scheduler
 * pushes dataset indices, or a depth-weighted key, and pops the smallest.
 *
 * @example
 * ```ts
 * import { MinHeap } from "./min_heap.ts";
 * const heap = new MinHeap(4);
 * heap.push(7);
 * heap.push(2);
 * heap.push(5);
 * console.log(heap.pop(), heap.pop(), heap.size); // 2 5 1
 * ```
 */
export class MinHeap {
  #keys: Float64Array;
  #size = 0;

  /**

   * Creates the instance.

   * @param capacity Initial capacity; the heap grows by doubling when full.

   */
  constructor(capacity: number) {
    this.#keys = new Float64Array(Math.max(1, capacity));
  }

  /** Number of keys in the heap. */
  get size(): number {
    return this.#size;
  }

  /** Adds a key. */
  push(key: number): void {
    if (this.#size === this.#keys.length) {
      const bigger = new Float64Array(this.#keys.length * 2);
      bigger.set(this.#keys);
      this.#keys = bigger;
    }
    const keys = this.#keys;
    let i = this.#size++;
    while (i > 0) {
      const up = (i - 1) >> 1;
      if (keys[up] <= key) break;
      keys[i] = keys[up];
      i = up;
    }
    keys[i] = key;
  }

  /** Removes and returns the smallest key, or `-1` when the heap is empty. */
  pop(): number {
    if (this.#size === 0) return -1;
    const keys = this.#keys;
    const top = keys[0];
    const last = keys[--this.#size];
    const size = this.#size;
    let i = 0;
    while (true) {
      let child = 2 * i + 1;
      if (child >= size) break;
      if (child + 1 < size && keys[child + 1] < keys[child]) child++;
      if (keys[child] >= last) break;
      keys[i] = keys[child];
      i = child;
    }
    keys[i] = last;
    return top;
  }

  /** Removes every key. */
  clear(): void {
    this.#size = 0;
  }
}
