/**
 * How the compare and monitor phases name a root dataset pair in their log lines, in upstream's
 * wording, and the checks they share on the pair's roots.
 *
 * @module
 */
import type { DatasetPair, Endpoint } from "../cli/bzfs_config.ts";
import { BzfsError } from "../errors.ts";
import { isDummyDataset } from "../names/location.ts";

/**
 * An endpoint as the user typed it: `[user@]host:dataset`, or the dataset when local.
 *
 * @example
 * ```ts
 * import { endpointText } from "./pair_text.ts";
 * endpointText({ user: "root", host: "nas", dataset: "tank/a" }); // "root@nas:tank/a"
 * endpointText({ dataset: "tank/a" }); // "tank/a"
 * ```
 * @param ep The endpoint.
 * @returns Its text.
 */
export function endpointText(ep: Pick<Endpoint, "user" | "host" | "dataset">): string {
  return ep.host ? `${ep.user ? `${ep.user}@` : ""}${ep.host}:${ep.dataset}` : ep.dataset;
}

/**
 * Upstream's task description of a pair: `SRC [-r ]--> DST ...`.
 *
 * @example
 * ```ts
 * import { taskDescription } from "./pair_text.ts";
 * taskDescription({ src: { dataset: "tank/a" }, dst: { dataset: "bak/a" } }, true);
 * // "tank/a -r --> bak/a ..."
 * ```
 * @param pair The roots.
 * @param recursive `--recursive`.
 * @returns The description.
 */
export function taskDescription(pair: DatasetPair, recursive: boolean): string {
  return `${endpointText(pair.src)} ${recursive ? "-r " : ""}--> ${endpointText(pair.dst)} ...`;
}

/**
 * Fails for a `dummy` destination, which upstream allows only when exclusively creating source
 * snapshots.
 *
 * @example
 * ```ts
 * import { assertRealDestination } from "./pair_text.ts";
 * assertRealDestination({ src: { dataset: "dummy" }, dst: { dataset: "bak/a" } }); // ok
 * ```
 * @param pair The roots.
 * @throws {BzfsError} If the destination is `dummy`.
 */
export function assertRealDestination(pair: DatasetPair): void {
  if (isDummyDataset(pair.dst.dataset)) {
    throw new BzfsError(
      "Destination may be a dummy dataset only if exclusively creating snapshots on the source!",
    );
  }
}
