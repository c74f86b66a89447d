/**
 * Plain parallel batches without parent/child ordering (semantics 9.2, last point: snapshot
 * creation, deleting empty datasets, compare and monitor): at most N calls in flight, results
 * in input order or in completion order, new calls started only as results are consumed.
 *
 * @module
 */

/** Options of {@linkcode parallelMap}. */
export interface ParallelMapOptions {
  /** Maximum number of calls in flight (at least 1). */
  workers: number;
  /** Yield results in input order (default) or as soon as each call finishes. */
  ordered?: boolean;
  /** Aborting stops new calls and aborts the signal given to running calls. */
  signal?: AbortSignal;
}

/**
 * Calls `fn` for each item with at most `workers` calls in flight and yields the results. The
 * window is refilled only as results are consumed, so a slow consumer applies back-pressure and
 * a huge input is never submitted at once. The first error (in yield order) is thrown from the
 * iterator; leaving the loop early (error, `break`, abort) aborts the calls still running.
 *
 * @param items The inputs; read lazily.
 * @param fn The work per item.
 * @param options Worker count, ordering and abort signal.
 * @returns An async iterator over the results.
 * @throws {RangeError} When `workers` is not an integer >= 1 (on first iteration).
 *
 * @example List snapshots of several datasets, four at a time, in input order
 * ```ts
 * import { parallelMap } from "./parallel_map.ts";
 * const list = (ds: string) => Promise.resolve(`${ds}@s1`);
 * const out: string[] = [];
 * for await (const line of parallelMap(["a", "b", "c"], list, { workers: 4 })) out.push(line);
 * console.log(out); // ["a@s1", "b@s1", "c@s1"]
 * ```
 */
export async function* parallelMap<T, R>(
  items: Iterable<T>,
  fn: (item: T, signal: AbortSignal) => Promise<R>,
  options: ParallelMapOptions,
): AsyncGenerator<R, void, undefined> {
  const { workers, ordered = true, signal: external } = options;
  if (!Number.isInteger(workers) || workers < 1) {
    throw new RangeError(`Invalid worker count: ${workers}: must be an integer >= 1`);
  }
  const controller = new AbortController();
  const onAbort = () => controller.abort(external?.reason);
  external?.addEventListener("abort", onAbort, { once: true });
  if (external?.aborted) onAbort();
  const window = new Window<R>(ordered);
  const source = items[Symbol.iterator]();
  const refill = () => {
    while (window.size < workers && !controller.signal.aborted) {
      const next = source.next();
      if (next.done) return;
      window.add(call(fn, next.value, controller.signal));
    }
  };
  try {
    refill();
    while (window.size > 0 && !controller.signal.aborted) {
      const result = await window.take();
      if (controller.signal.aborted) return;
      refill(); // keep the window full while the consumer handles this result
      yield result;
    }
  } finally {
    external?.removeEventListener("abort", onAbort);
    controller.abort();
  }
}

function call<T, R>(
  fn: (item: T, signal: AbortSignal) => Promise<R>,
  item: T,
  signal: AbortSignal,
) {
  try {
    return fn(item, signal);
  } catch (error) {
    return Promise.reject(error);
  }
}

/** The calls in flight: FIFO when ordered, else handed out in completion order. */
class Window<R> {
  readonly #ordered: boolean;
  readonly #fifo: Promise<R>[] = [];
  #head = 0;
  /** Completion order (unordered mode): settled promises not yet taken. */
  readonly #settled: Promise<R>[] = [];
  #inFlight = 0;
  #waiter: PromiseWithResolvers<void> | null = null;

  constructor(ordered: boolean) {
    this.#ordered = ordered;
  }

  get size(): number {
    return this.#ordered ? this.#fifo.length - this.#head : this.#inFlight;
  }

  add(promise: Promise<R>): void {
    promise.catch(() => {}); // rejections are re-thrown when taken, never "unhandled"
    if (this.#ordered) {
      this.#fifo.push(promise);
      return;
    }
    this.#inFlight++;
    const settle = () => {
      this.#settled.push(promise);
      this.#waiter?.resolve();
      this.#waiter = null;
    };
    promise.then(settle, settle);
  }

  /** The next result to yield, as a promise. */
  take(): Promise<R> {
    if (this.#ordered) {
      const next = this.#fifo[this.#head];
      this.#fifo[this.#head++] = undefined as unknown as Promise<R>;
      if (this.#head > 1024 && this.#head * 2 > this.#fifo.length) {
        this.#fifo.splice(0, this.#head);
        this.#head = 0;
      }
      return next;
    }
    this.#inFlight--;
    return this.#nextSettled();
  }

  async #nextSettled(): Promise<R> {
    while (this.#settled.length === 0) {
      this.#waiter ??= Promise.withResolvers<void>();
      await this.#waiter.promise;
    }
    return await this.#settled.shift()!;
  }
}
