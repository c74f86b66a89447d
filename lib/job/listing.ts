/**
 * The listings replication needs, each one `zfs list` per side: the datasets of a tree (with
 * resume tokens on the destination) and the snapshots and bookmarks of many datasets at once.
 *
 * @module
 */
import { BzfsError } from "../errors.ts";
import type { Executor } from "../exec/executor.ts";
import { isAbsentMessage } from "../zfs/errors.ts";
import { lines, listSnapshotsArgv, parseSnapshotList } from "../zfs/list.ts";
import type { SnapshotRecord } from "../zfs/types.ts";
import type { PreparedHost } from "./context.ts";

/** One listed dataset with its pending resume token, if any. */
export interface ListedDataset {
  /** Full dataset name. */
  readonly name: string;
  /** `receive_resume_token`, when an interrupted receive left one. */
  readonly resumeToken?: string;
}

/**
 * Lists a dataset (and with `recursive` its subtree), sorted by name, with resume tokens.
 * A missing root yields an empty list.
 *
 * @example
 * ```ts ignore
 * const datasets = await listDatasets(host, "tank/a", { executor, recursive: true });
 * ```
 * @param host Where.
 * @param root The root dataset.
 * @param options The executor (read-only commands) and recursion.
 * @returns The datasets, parents before children.
 * @throws {CommandError} When listing fails for another reason than a missing dataset.
 */
export async function listDatasets(
  host: PreparedHost,
  root: string,
  options: { executor: Executor; recursive: boolean },
): Promise<ListedDataset[]> {
  const executor = options.executor;
  const argv = ["zfs", "list", "-t", "filesystem,volume", "-Hp", "-o", "name,receive_resume_token"];
  argv.push("-s", "name", ...(options.recursive ? ["-r"] : []), root);
  const r = await executor.run({ argv, remote: host.remote, readOnly: true, check: false });
  if (r.code !== 0) {
    if (isAbsentMessage(r.stderr)) return [];
    throw new BzfsError(`Cannot list datasets of ${root}: ${r.stderr.trim()}`);
  }
  const out: ListedDataset[] = [];
  for (const line of lines(r.stdout)) {
    const [name, token] = line.split("\t");
    out.push(token && token !== "-" ? { name, resumeToken: token } : { name });
  }
  // zfs sorts by name already, but in locale order; we need plain byte order (parents first)
  return out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** Most datasets named in one `zfs list` of snapshots (`bzfs_max_datasets_per_batch_on_list_snaps`). */
export const MAX_DATASETS_PER_LIST = 1024;

/**
 * Lists the snapshots and bookmarks of many datasets, one `zfs list` per batch, grouped by
 * dataset and sorted oldest first.
 *
 * @example
 * ```ts ignore
 * const byDataset = await listSnapshots(host, ["tank/a", "tank/a/b"], { executor });
 * ```
 * @param host Where.
 * @param datasets The datasets.
 * @param options The executor (read-only commands).
 * @returns Records per dataset (datasets without any are absent from the map).
 * @throws {CommandError} When listing fails.
 */
export async function listSnapshots(
  host: PreparedHost,
  datasets: readonly string[],
  options: { executor: Executor },
): Promise<Map<string, SnapshotRecord[]>> {
  const executor = options.executor;
  const byDataset = new Map<string, SnapshotRecord[]>();
  for (let i = 0; i < datasets.length; i += MAX_DATASETS_PER_LIST) {
    const batch = datasets.slice(i, i + MAX_DATASETS_PER_LIST);
    const argv = [
      ...listSnapshotsArgv(batch[0], { types: "snapshot,bookmark" }),
      ...batch.slice(1),
    ];
    const r = await executor.run({ argv, remote: host.remote, readOnly: true, check: false });
    if (r.code !== 0) {
      throw new BzfsError(`Cannot list snapshots of ${batch[0]}: ${r.stderr.trim()}`);
    }
    for (const rec of parseSnapshotList(r.stdout)) {
      const list = byDataset.get(rec.dataset);
      if (list) list.push(rec);
      else byDataset.set(rec.dataset, [rec]);
    }
  }
  for (const list of byDataset.values()) {
    list.sort((a, b) =>
      a.createTxg < b.createTxg
        ? -1
        : a.createTxg > b.createTxg
        ? 1
        : a.kind === b.kind
        ? 0
        : a.kind === "bookmark"
        ? -1
        : 1
    );
  }
  return byDataset;
}
