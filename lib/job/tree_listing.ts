/**
 * One `zfs list` per side for a whole dataset tree: the datasets and their snapshots (and, if
 * asked, bookmarks) in a single call, `zfs list -t filesystem,volume,snapshot[,bookmark] -Hp -o
 * PROPS -r ROOT` (`-d 1` without `--recursive`). Used by `--compare-snapshot-lists` and
 * `--monitor-snapshots`, which need every selected dataset including those without snapshots.
 *
 * @module
 */
import { BzfsError } from "../errors.ts";
import type { Executor } from "../exec/executor.ts";
import { isAbsentMessage } from "../zfs/errors.ts";
import type { PreparedHost } from "./context.ts";

/** Options of {@linkcode treeListArgv} and {@linkcode listTree}. */
export interface TreeListOptions {
  /** The whole subtree (`-r`), else only the root (`-d 1`, children dropped). */
  readonly recursive: boolean;
  /** Also list bookmarks. @default {false} */
  readonly bookmarks?: boolean;
  /** The `-o` columns; must contain `name` as its first or last entry. */
  readonly props: readonly string[];
}

/** A listed tree. */
export interface TreeListing {
  /** False when the root dataset does not exist (everything else is then empty). */
  readonly exists: boolean;
  /** The datasets (root and, if recursive, descendants), sorted by plain string order. */
  readonly datasets: readonly string[];
  /** The snapshot and bookmark lines as listed, in listing order. */
  readonly snapshotLines: readonly string[];
}

/**
 * The argv of the tree listing.
 *
 * @example
 * ```ts
 * import { treeListArgv } from "./tree_listing.ts";
 * treeListArgv("tank/a", { recursive: true, props: ["name", "createtxg", "creation"] }).join(" ");
 * // "zfs list -t filesystem,volume,snapshot -Hp -o name,createtxg,creation -r tank/a"
 * ```
 * @param root The root dataset.
 * @param options Recursion, bookmarks and columns.
 * @returns The argv.
 */
export function treeListArgv(root: string, options: TreeListOptions): string[] {
  const types = options.bookmarks
    ? "filesystem,volume,snapshot,bookmark"
    : "filesystem,volume,snapshot";
  const depth = options.recursive ? ["-r"] : ["-d", "1"];
  return ["zfs", "list", "-t", types, "-Hp", "-o", options.props.join(","), ...depth, root];
}

/**
 * Splits tree listing output into datasets and snapshot/bookmark lines. A line is a dataset when
 * its name has neither `@` nor `#`. Without `recursive`, only the root dataset is kept.
 *
 * @example
 * ```ts
 * import { splitTreeListing } from "./tree_listing.ts";
 * const out = "tank/a\t5\t100\ntank/a@s1\t6\t101\ntank/a/b\t7\t102\n";
 * const t = splitTreeListing(out, "tank/a", { recursive: true, props: ["name", "createtxg", "creation"] });
 * console.log(t.datasets, t.snapshotLines); // ["tank/a", "tank/a/b"] ["tank/a@s1\t6\t101"]
 * ```
 * @param stdout The command's output.
 * @param root The root dataset.
 * @param options As given to {@linkcode treeListArgv}.
 * @returns The listing.
 * @throws {BzfsError} If `props` does not start or end with `name`.
 */
export function splitTreeListing(
  stdout: string,
  root: string,
  options: TreeListOptions,
): TreeListing {
  const nameOf = nameExtractor(options.props);
  const datasets: string[] = [];
  const snapshotLines: string[] = [];
  for (const line of stdout.split("\n")) {
    if (line === "") continue;
    const name = nameOf(line);
    if (name.includes("@") || name.includes("#")) snapshotLines.push(line);
    else if (options.recursive || name === root) datasets.push(name);
  }
  datasets.sort(byString);
  return { exists: true, datasets, snapshotLines };
}

/**
 * Lists a tree with one read-only `zfs list`. A missing root yields `exists: false`.
 *
 * @example
 * ```ts ignore
 * const t = await listTree(hosts.src, "tank/a", { executor: ctx.executor, recursive: true, props: ["name"] });
 * ```
 * @param host Where.
 * @param root The root dataset.
 * @param options The executor (runs also under `--dryrun`), recursion, bookmarks and columns.
 * @returns The listing.
 * @throws {BzfsError} When listing fails for another reason than a missing root.
 */
export async function listTree(
  host: PreparedHost,
  root: string,
  options: TreeListOptions & { executor: Executor },
): Promise<TreeListing> {
  const executor = options.executor;
  const argv = treeListArgv(root, options);
  const r = await executor.run({ argv, remote: host.remote, readOnly: true, check: false });
  if (r.code !== 0) {
    if (isAbsentMessage(r.stderr)) return { exists: false, datasets: [], snapshotLines: [] };
    throw new BzfsError(`Cannot list ${root}: ${r.stderr.trim()}`);
  }
  return splitTreeListing(r.stdout, root, options);
}

/**
 * The snapshot lines of the given datasets only, joined as `zfs list` output (for the parsers in
 * `lib/monitor/zfs_list.ts`).
 *
 * @example
 * ```ts
 * import { snapshotTextOf } from "./tree_listing.ts";
 * const t = { exists: true, datasets: ["a", "a/b"], snapshotLines: ["a@s\t1", "a/b@t\t2"] };
 * snapshotTextOf(t, new Set(["a/b"]), { props: ["name", "createtxg"] }); // "a/b@t\t2\n"
 * ```
 * @param listing The tree.
 * @param selected The datasets to keep.
 * @param options The columns the tree was listed with.
 * @returns The lines of the selected datasets, each ending in a newline.
 */
export function snapshotTextOf(
  listing: TreeListing,
  selected: ReadonlySet<string>,
  options: Pick<TreeListOptions, "props">,
): string {
  const nameOf = nameExtractor(options.props);
  const out: string[] = [];
  for (const line of listing.snapshotLines) {
    const name = nameOf(line);
    const at = name.search(/[@#]/);
    if (selected.has(name.slice(0, at))) out.push(line, "\n");
  }
  return out.join("");
}

function nameExtractor(props: readonly string[]): (line: string) => string {
  if (props[0] === "name") {
    return (line) => {
      const tab = line.indexOf("\t");
      return tab < 0 ? line : line.slice(0, tab);
    };
  }
  if (props[props.length - 1] === "name") return (line) => line.slice(line.lastIndexOf("\t") + 1);
  throw new BzfsError(`The tree listing needs 'name' as its first or last column: ${props}`);
}

function byString(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
