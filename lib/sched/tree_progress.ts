/**
 * Dependency bookkeeping of the parallel task tree: which nodes become runnable when a node
 * completes, including `~` barriers (jobrunner semantics 3.4). Pure and synchronous; the
 * scheduler owns the queue and the workers.
 *
 * Rules:
 * - A listed node is runnable once its nearest listed ancestor completed without asking to skip
 *   its subtree; unlisted (intermediate) ancestors pass the "runnable" signal straight through.
 * - A barrier child `P/~` is parked until every other child subtree of `P` has completed; then
 *   its contents become runnable as if `~` were an unlisted node. If `~` is the only child of
 *   `P` it does not wait.
 * - A skip (failure or "skip subtree") closes, for good, the parked barriers of the node and all
 *   its ancestors: whatever waits behind them never runs.
 *
 * Every node is counted at most once in each direction, so a whole run costs O(nodes).
 *
 * @module
 */

import { NO_NODE, type TaskTree } from "./task_tree.ts";

/** `parked` value of a node whose barrier (if any) can no longer open. */
const CLOSED = -2;

/**
 * Tracks completion of a {@linkcode TaskTree} and reports nodes that become runnable.
 *
 * @example Parent before child, barrier after siblings
 * ```ts
 * import { buildTaskTree } from "./task_tree.ts";
 * import { TreeProgress } from "./tree_progress.ts";
 * const tree = buildTaskTree(["h", "h/r1", "h/r2", "h/~/prune"]);
 * const ready: string[] = [];
 * const progress = new TreeProgress(tree, (node) => ready.push(tree.names[node]));
 * progress.start(); // ready: ["h"]
 * progress.complete(0, true); // ready: + "h/r1", "h/r2"
 * progress.complete(1, true);
 * progress.complete(2, true); // ready: + "h/~/prune"
 * console.log(ready);
 * ```
 */
export class TreeProgress {
  readonly #tree: TaskTree;
  readonly #ready: (node: number) => void;
  /** Per node: child subtrees made runnable whose work has not finished yet. */
  readonly #pending: Int32Array;
  /** Per node: the parked barrier child, NO_NODE, or CLOSED. */
  readonly #parked: Int32Array;

  /**

   * Creates the instance.
   * @param tree The dependency tree.
   * @param ready Called once for each listed node that becomes runnable.
   */
  constructor(tree: TaskTree, ready: (node: number) => void) {
    this.#tree = tree;
    this.#ready = ready;
    this.#pending = new Int32Array(tree.nodeCount);
    this.#parked = new Int32Array(tree.nodeCount).fill(NO_NODE);
  }

  /** Makes the top-level nodes runnable; call once before anything else. */
  start(): void {
    this.complete(this.#tree.root, true);
  }

  /**
   * Records that a listed node finished.
   *
   * @param node The node that finished.
   * @param proceed `true` to make its children runnable, `false` to skip its whole subtree
   *   (which also closes the barriers of all its ancestors).
   */
  complete(node: number, proceed: boolean): void {
    const parent = this.#tree.parent;
    const pending = this.#pending;
    const parked = this.#parked;
    if (proceed) {
      this.#openChildren(node);
    } else {
      for (let t = node; t !== NO_NODE && parked[t] !== CLOSED; t = parent[t]) parked[t] = CLOSED;
    }
    let u = node;
    while (pending[u] === 0) { // the whole subtree of u is done
      const barrier = parked[u];
      if (barrier >= 0) {
        parked[u] = NO_NODE;
        if (this.#open(barrier) > 0) {
          pending[u]++;
          break;
        }
      }
      u = parent[u];
      if (u === NO_NODE) break;
      pending[u]--;
    }
  }

  /** Makes `node` runnable if listed, else passes through to its children; returns how many. */
  #open(node: number): number {
    if (node < this.#tree.size) {
      this.#ready(node);
      return 1;
    }
    return this.#openChildren(node);
  }

  #openChildren(node: number): number {
    const { firstChild, nextSibling, barrierChild } = this.#tree;
    let opened = 0;
    for (let child = firstChild[node]; child !== NO_NODE; child = nextSibling[child]) {
      const k = this.#open(child);
      if (k > 0) this.#pending[node]++;
      opened += k;
    }
    const barrier = barrierChild[node];
    if (barrier !== NO_NODE) {
      if (opened > 0) {
        this.#parked[node] = barrier;
      } else {
        const k = this.#open(barrier);
        if (k > 0) this.#pending[node]++;
        opened += k;
      }
    }
    return opened;
  }
}
