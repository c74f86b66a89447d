/**
 * The dependency tree of a sorted dataset (or sub-job) list, in flat typed arrays indexed by
 * node number, so a million names cost a few typed arrays instead of a million objects.
 *
 * Node numbering: `0..size-1` are the listed names in input order (so for a sorted input a
 * smaller node number is a lexicographically smaller name); `size` is the virtual root; nodes
 * above `size` are intermediate path prefixes that are not listed themselves (for example
 * `pool` when only `pool/a` and `pool/b` are listed). Intermediate nodes impose no waiting.
 *
 * @module
 */

/** Marks "no node" in the index arrays. */
export const NO_NODE: number = -1;

/** The path component that marks a barrier in barrier mode. */
export const BARRIER = "~";

/** The dependency tree built by {@linkcode buildTaskTree}. */
export interface TaskTree {
  /** The listed names; node `i < size` is `names[i]`. */
  readonly names: readonly string[];
  /** Number of listed names. */
  readonly size: number;
  /** Index of the virtual root (equals `size`). */
  readonly root: number;
  /** Total number of nodes: listed, root and intermediate. */
  readonly nodeCount: number;
  /** Parent node of each node; the root's parent is {@linkcode NO_NODE}. */
  readonly parent: Int32Array;
  /** First non-barrier child of each node, or {@linkcode NO_NODE}. */
  readonly firstChild: Int32Array;
  /** Next non-barrier sibling of each node, or {@linkcode NO_NODE}. */
  readonly nextSibling: Int32Array;
  /** The `~` child of each node (barrier mode only), or {@linkcode NO_NODE}. */
  readonly barrierChild: Int32Array;
  /** Names of the intermediate nodes; node `root + 1 + k` is `intermediateNames[k]`. */
  readonly intermediateNames: readonly string[];
}

/** Options of {@linkcode buildTaskTree}. */
export interface BuildTaskTreeOptions {
  /** Treat a `~` path component as a barrier (see `tree_progress.ts`). Default `true`. */
  barriers?: boolean;
}

/**
 * Builds the dependency tree of a sorted, duplicate-free list of `/`-separated names.
 *
 * @param sortedNames Names in ascending code-unit order (JavaScript's default sort), unique.
 * @param options Whether `~` components are barriers.
 * @returns The tree; building takes O(total name length) time.
 * @throws {RangeError} When the list is not sorted, has duplicates, or has an empty name or
 *   empty path component.
 *
 * @example
 * ```ts
 * import { buildTaskTree, NO_NODE } from "./task_tree.ts";
 * const tree = buildTaskTree(["a", "a/b", "c/d"]);
 * console.log(tree.parent[1]); // 0: "a/b" waits for "a"
 * console.log(tree.intermediateNames); // ["c"]: "c" is not listed, "c/d" hangs below it
 * console.log(tree.parent[tree.root] === NO_NODE); // true
 * ```
 */
export function buildTaskTree(
  sortedNames: readonly string[],
  options: BuildTaskTreeOptions = {},
): TaskTree {
  const size = sortedNames.length;
  const root = size;
  const { parent, intermediateNames } = findParents(sortedNames);
  const nodeCount = parent.length;
  const links = linkChildren(parent, root, (node) =>
    options.barriers !== false &&
    isBarrierName(node < size ? sortedNames[node] : intermediateNames[node - root - 1]));
  return { names: sortedNames, size, root, nodeCount, parent, ...links, intermediateNames };
}

/**
 * One pass over the sorted names. It keeps a chain of names (listed or intermediate), each a
 * string prefix of the next. Every existing '/'-ancestor of the current name is on the chain:
 * the names sorting between an ancestor and the current name all start with that ancestor,
 * so they never pop it. Intermediate nodes are created for unlisted ancestors on the way.
 */
function findParents(
  sortedNames: readonly string[],
): { parent: Int32Array; intermediateNames: string[] } {
  const size = sortedNames.length;
  const root = size;
  const intermediateNames: string[] = [];
  const intermediateParents: number[] = [];
  const parents = new Int32Array(size);
  const chainNames: string[] = [];
  const chainNodes: number[] = [];
  for (let i = 0; i < size; i++) {
    const name = sortedNames[i];
    checkName(name, i > 0 ? sortedNames[i - 1] : undefined);
    while (chainNames.length > 0 && !name.startsWith(chainNames[chainNames.length - 1])) {
      chainNames.pop();
      chainNodes.pop();
    }
    let k = chainNames.length - 1;
    while (k >= 0 && name.charCodeAt(chainNames[k].length) !== 47) k--;
    let parent = k >= 0 ? chainNodes[k] : root;
    const parentEnd = name.lastIndexOf("/");
    for (
      let slash = name.indexOf("/", k >= 0 ? chainNames[k].length + 1 : 0);
      slash >= 0 && slash <= parentEnd;
      slash = name.indexOf("/", slash + 1)
    ) { // unlisted ancestors between the nearest existing one and the parent
      const node = root + 1 + intermediateNames.length;
      const prefix = name.slice(0, slash);
      intermediateNames.push(prefix);
      intermediateParents.push(parent);
      chainNames.push(prefix);
      chainNodes.push(node);
      parent = node;
    }
    parents[i] = parent;
    chainNames.push(name);
    chainNodes.push(i);
  }
  const parent = new Int32Array(root + 1 + intermediateNames.length);
  parent.set(parents);
  parent[root] = NO_NODE;
  parent.set(intermediateParents, root + 1);
  return { parent, intermediateNames };
}

function checkName(name: string, previous: string | undefined): void {
  if (previous !== undefined && !(previous < name)) {
    throw new RangeError(
      `Names must be sorted and unique: ${JSON.stringify(previous)} is followed by ${
        JSON.stringify(name)
      }`,
    );
  }
  if (
    name.length === 0 || name.charCodeAt(0) === 47 || name.charCodeAt(name.length - 1) === 47 ||
    name.includes("//")
  ) {
    throw new RangeError(`Invalid name: ${JSON.stringify(name)}: empty path component`);
  }
}

function isBarrierName(name: string): boolean {
  return name === BARRIER || name.endsWith("/" + BARRIER);
}

function linkChildren(
  parent: Int32Array,
  root: number,
  isBarrier: (node: number) => boolean,
): Pick<TaskTree, "firstChild" | "nextSibling" | "barrierChild"> {
  const nodeCount = parent.length;
  const firstChild = new Int32Array(nodeCount).fill(NO_NODE);
  const nextSibling = new Int32Array(nodeCount).fill(NO_NODE);
  const barrierChild = new Int32Array(nodeCount).fill(NO_NODE);
  for (let node = nodeCount - 1; node >= 0; node--) {
    if (node === root) continue;
    const up = parent[node];
    if (isBarrier(node)) {
      barrierChild[up] = node;
    } else {
      nextSibling[node] = firstChild[up];
      firstChild[up] = node;
    }
  }
  return { firstChild, nextSibling, barrierChild };
}
