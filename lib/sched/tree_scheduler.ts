/**
 * The parallel task tree (semantics 9.2, 9.3; jobrunner 3.4): runs one async task per listed
 * dataset, parents before children, the smallest runnable name first, at most N at a time,
 * with the `--skip-on-error` policies and optional `~` barriers.
 *
 * Built for a million datasets: the tree lives in typed arrays, runnable nodes in a numeric
 * heap, and N worker loops pull work, so there is no per-dataset object or closure.
 *
 * @module
 */

import { type Clock, systemClock } from "../clock.ts";
import { MinHeap } from "./min_heap.ts";
import { buildTaskTree, type TaskTree } from "./task_tree.ts";
import { TreeProgress } from "./tree_progress.ts";

/** What a finished task tells the scheduler: go on with its children, or skip them all. */
export type TaskOutcome = "continue" | "skip-subtree";

/** `--skip-on-error`: what a failed task does to the rest of the run (semantics 9.3). */
export type SkipOnError = "fail" | "tree" | "dataset";

/** Order among runnable tasks: by name (bzfs), or fewest `/` first then by name (jobrunner). */
export type TreePriority = "name" | "depth";

/** The work done for one dataset; throw to fail, resolve to continue or skip the subtree. */
export type TreeTask = (name: string, signal: AbortSignal) => Promise<TaskOutcome>;

/** A task that threw. */
export interface TaskFailure {
  /** The dataset (or sub-job) name. */
  readonly name: string;
  /** What it threw. */
  readonly error: unknown;
}

/** The result of {@linkcode runTree}. */
export interface TreeSummary {
  /** Tasks that ran and resolved (with either outcome). */
  readonly completed: number;
  /** Tasks that threw, in the order they failed; `failed[0]` is the error to re-raise. */
  readonly failed: readonly TaskFailure[];
  /** Datasets never started: below a failed or skipping task, behind a closed barrier, or
   * left over when the run was aborted. `completed + failed.length + skipped` is the total. */
  readonly skipped: number;
  /** Whether the run stopped early: a failure with `skipOnError: "fail"`, or `signal` aborted. */
  readonly aborted: boolean;
}

/** Options of {@linkcode runTree}. */
export interface RunTreeOptions {
  /** Maximum number of tasks running at once (at least 1). */
  workers: number;
  /** What a failed task does: `fail` aborts the run, `tree` skips its subtree, `dataset` skips
   * the subtree only when `dstExists(name)` says the destination does not exist. */
  skipOnError: SkipOnError;
  /** For `dataset`: whether the failed dataset's destination exists (then its children still
   * run). Without it children always run (as for `--delete-dst-snapshots`). */
  dstExists?: (name: string) => boolean;
  /** Aborting it stops new starts and aborts the signal passed to running tasks. */
  signal?: AbortSignal;
  /** Treat `~` path components as barriers (jobrunner). Default `true`; bzfs dataset names
   * cannot contain `~`, so this only matters for sub-job names. */
  barriers?: boolean;
  /** Which runnable task starts first. Default `"name"`. */
  priority?: TreePriority;
  /** Errors that abort the whole run whatever `skipOnError` says (semantics 9.5: anything
   * but the handled error kinds ends the run at once). Default: none. */
  abortOn?: (error: unknown) => boolean;
  /** Spread starts out (jobrunner `--work-period-seconds`, 3.5): each start pushes the
   * earliest next start back by `intervalMs`; the scheduler sleeps on `clock` until then. */
  pacing?: TreePacing;
}

/** Pacing of task starts, see {@linkcode RunTreeOptions.pacing}. */
export interface TreePacing {
  /** Milliseconds added to the earliest next start at each start (>= 0). */
  intervalMs: number;
  /** Time source and sleeper. Default: the system clock. */
  clock?: Clock;
}

/**
 * Runs `task` for every name in `datasets`, honouring parent-before-child order with respect to
 * the nearest listed ancestor, and waits until nothing runs any more. Task errors never make
 * this reject; they are collected in the summary (callers re-raise `failed[0].error`).
 *
 * @param datasets Sorted, unique names (`/`-separated).
 * @param task The work per name; receives the run's abort signal.
 * @param options Worker count, skip policy, abort signal, barrier mode and priority.
 * @returns Counts of completed and skipped tasks and the list of failures.
 * @throws {RangeError} When `datasets` is not sorted and unique or `workers` is not >= 1.
 *
 * @example Two workers over a small tree
 * ```ts
 * import { runTree } from "./tree_scheduler.ts";
 * const order: string[] = [];
 * const summary = await runTree(["a", "a/b", "a/b/c", "a/d", "e"], (name) => {
 *   order.push(name);
 *   return Promise.resolve("continue");
 * }, { workers: 2, skipOnError: "dataset" });
 * console.log(order[0], order[1], summary.completed); // a e 5
 * ```
 */
export async function runTree(
  datasets: readonly string[],
  task: TreeTask,
  options: RunTreeOptions,
): Promise<TreeSummary> {
  const { workers } = options;
  if (!Number.isInteger(workers) || workers < 1) {
    throw new RangeError(`Invalid worker count: ${workers}: must be an integer >= 1`);
  }
  const tree = buildTaskTree(datasets, { barriers: options.barriers });
  const run = new TreeRun(tree, task, options);
  return await run.run(Math.min(workers, Math.max(1, tree.size)));
}

/** Multiplier that puts depth above name order in a heap key (node numbers stay below it). */
const DEPTH_WEIGHT = 2 ** 31;

class TreeRun {
  readonly #tree: TaskTree;
  readonly #task: TreeTask;
  readonly #options: RunTreeOptions;
  readonly #heap: MinHeap;
  readonly #progress: TreeProgress;
  readonly #controller = new AbortController();
  #running = 0;
  #started = 0;
  #completed = 0;
  readonly #failed: TaskFailure[] = [];
  #stopped = false;
  #idle = 0;
  #wake: PromiseWithResolvers<void> | null = null;
  readonly #clock: Clock;
  readonly #intervalMs: number;
  #nextStartAt = 0;
  #gateBusy = false;

  constructor(tree: TaskTree, task: TreeTask, options: RunTreeOptions) {
    this.#tree = tree;
    this.#task = task;
    this.#options = options;
    this.#clock = options.pacing?.clock ?? systemClock;
    this.#intervalMs = options.pacing?.intervalMs ?? 0;
    this.#heap = new MinHeap(Math.min(tree.size, 1024));
    const heap = this.#heap;
    const names = tree.names;
    this.#progress = options.priority === "depth"
      ? new TreeProgress(tree, (node) => heap.push(depthOf(names[node]) * DEPTH_WEIGHT + node))
      : new TreeProgress(tree, (node) => heap.push(node));
  }

  async run(workerCount: number): Promise<TreeSummary> {
    if (this.#intervalMs > 0) this.#nextStartAt = this.#clock.now();
    const external = this.#options.signal;
    const onAbort = () => this.#stop(external?.reason);
    if (external?.aborted) this.#stop(external.reason);
    else {
      external?.addEventListener("abort", onAbort, { once: true });
      this.#progress.start();
    }
    try {
      const loops: Promise<void>[] = [];
      for (let i = 0; i < workerCount; i++) loops.push(this.#worker());
      await Promise.all(loops);
    } finally {
      external?.removeEventListener("abort", onAbort);
    }
    return {
      completed: this.#completed,
      failed: this.#failed,
      skipped: this.#tree.size - this.#started,
      aborted: this.#stopped,
    };
  }

  async #worker(): Promise<void> {
    const names = this.#tree.names;
    const signal = this.#controller.signal;
    while (true) {
      if (this.#intervalMs > 0 && this.#mustWaitAtGate()) {
        await this.#waitAtGate();
        continue;
      }
      const key = this.#stopped ? -1 : this.#heap.pop();
      if (key < 0) {
        if (this.#stopped || this.#running === 0) return this.#wakeAll();
        await this.#waitForWork();
        continue;
      }
      const node = key % DEPTH_WEIGHT;
      this.#running++;
      this.#started++;
      if (this.#intervalMs > 0) {
        this.#nextStartAt += this.#intervalMs;
        this.#wakeIdle();
      }
      let outcome: TaskOutcome;
      try {
        outcome = await this.#task(names[node], signal);
      } catch (error) {
        this.#running--;
        this.#onFailure(node, error);
        this.#wakeIdle();
        continue;
      }
      this.#running--;
      this.#completed++;
      if (!this.#stopped) this.#progress.complete(node, outcome !== "skip-subtree");
      this.#wakeIdle();
    }
  }

  async #waitForWork(): Promise<void> {
    this.#idle++;
    this.#wake ??= Promise.withResolvers<void>();
    await this.#wake.promise;
    this.#idle--;
  }

  /** With pacing: whether this worker must wait before it may start the next task. */
  #mustWaitAtGate(): boolean {
    if (this.#stopped || this.#heap.size === 0) return false;
    return this.#gateBusy || this.#nextStartAt > this.#clock.now();
  }

  /** Sleeps until the next start is allowed, or waits while another worker does so. */
  async #waitAtGate(): Promise<void> {
    if (this.#gateBusy) return await this.#waitForWork();
    this.#gateBusy = true;
    await this.#clock.sleep(this.#nextStartAt - this.#clock.now(), this.#controller.signal);
    this.#gateBusy = false;
  }

  #onFailure(node: number, error: unknown): void {
    const name = this.#tree.names[node];
    this.#failed.push({ name, error });
    if (this.#stopped) return;
    const mode = this.#options.skipOnError;
    if (mode === "fail" || this.#options.abortOn?.(error)) {
      return this.#stop(new DOMException(`Run aborted: task failed: ${name}`, "AbortError"));
    }
    this.#progress.complete(node, mode === "dataset" && this.#destinationExists(name));
  }

  #destinationExists(name: string): boolean {
    const dstExists = this.#options.dstExists;
    if (dstExists === undefined) return true;
    try {
      return dstExists(name);
    } catch {
      return false; // cannot tell: do not build on a destination that may be missing
    }
  }

  #stop(reason: unknown): void {
    if (this.#stopped) return;
    this.#stopped = true;
    this.#heap.clear();
    this.#controller.abort(reason);
    this.#wakeAll();
  }

  /** Wakes idle workers when there is work for them or when the run is over. */
  #wakeIdle(): void {
    if (this.#idle > 0 && (this.#heap.size > 0 || this.#running === 0 || this.#stopped)) {
      this.#wakeAll();
    }
  }

  #wakeAll(): void {
    const wake = this.#wake;
    if (wake !== null) {
      this.#wake = null;
      wake.resolve();
    }
  }
}

function depthOf(name: string): number {
  let depth = 0;
  for (let i = name.indexOf("/"); i >= 0; i = name.indexOf("/", i + 1)) depth++;
  return depth;
}
