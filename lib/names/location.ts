/**
 * Parsing of the `[[user@]host:]dataset` syntax of the SRC_DATASET / DST_DATASET arguments.
 *
 * - No `:` at all, or host `-`: the dataset is local (`-:tank/a:b` allows a `:` in a local name).
 * - Otherwise the text before the first `:` is `[user@]host`. IPv6 hosts write each `:` as `|`
 *   (`root@||1:tank` is host `::1`).
 * - The special dataset `dummy` stands for a virtual empty source (see {@linkcode isDummyDataset}).
 *
 * Every part is validated; nothing unsafe for a shell or ssh gets through.
 *
 * @module
 */

import { UsageError } from "../errors.ts";
import { validateDatasetName } from "./dataset.ts";
import { validateHostName, validateUserName } from "./host.ts";

/** The dataset name that means "a virtual source with no snapshots". */
export const DUMMY_DATASET = "dummy";

/** A parsed `[[user@]host:]dataset`. */
export interface Location {
  /** The ssh user, if one was given (never empty). */
  user?: string;
  /** The host, with IPv6 `|` turned back into `:`; absent for the local host. */
  host?: string;
  /** The dataset name. */
  dataset: string;
}

/**
 * Splits and validates `[[user@]host:]dataset`.
 *
 * @example Local and remote
 * ```ts
 * import { parseLocation } from "./location.ts";
 * parseLocation("tank/a", "SRC_DATASET"); // { dataset: "tank/a" }
 * parseLocation("root@nas:tank/a", "DST_DATASET"); // { user: "root", host: "nas", dataset: "tank/a" }
 * parseLocation("||1:tank", "DST_DATASET"); // { host: "::1", dataset: "tank" }
 * parseLocation("-:tank/a:b", "SRC_DATASET"); // { dataset: "tank/a:b" }
 * ```
 * @param spec The text as typed.
 * @param option The argument it came from, named in the error.
 * @returns The user and host (absent when local) and the dataset.
 * @throws {UsageError} If the user, host or dataset is invalid or the dataset is missing.
 */
export function parseLocation(spec: string, option: string): Location {
  const colon = spec.indexOf(":");
  let user = "";
  let host = "";
  let dataset = spec;
  if (colon < 0 && /^[^/@]+@[^/@]+$/.test(spec)) {
    throw new UsageError("Missing ':' between host and dataset", {
      option,
      value: spec,
      hint: "Write [[user@]host:]dataset, e.g. root@nas:tank/backup",
    });
  }
  if (colon > 0) {
    const userHost = spec.slice(0, colon);
    dataset = spec.slice(colon + 1);
    const at = userHost.indexOf("@");
    if (at >= 0) {
      user = userHost.slice(0, at);
      host = userHost.slice(at + 1);
    } else {
      host = userHost;
    }
    if (host === "") {
      throw new UsageError("Missing host name before ':'", {
        option,
        value: spec,
        hint: "Write [[user@]host:]dataset, or '-:dataset' for a local dataset",
      });
    }
    host = host.replaceAll("|", ":");
    if (host === "-") host = "";
  }
  validateUserName(user, option);
  validateHostName(host, option);
  if (dataset === "") {
    throw new UsageError("Missing dataset name", {
      option,
      value: spec,
      hint: "Write [[user@]host:]dataset, e.g. root@nas:tank/backup",
    });
  }
  validateDatasetName(dataset, option);
  const result: Location = { dataset };
  if (user) result.user = user;
  if (host) result.host = host;
  return result;
}

/**
 * True if `dataset` is the special `dummy` source (nothing is listed, it has no snapshots).
 *
 * @example
 * ```ts
 * import { isDummyDataset } from "./location.ts";
 * isDummyDataset("dummy"); // true
 * ```
 * @param dataset A dataset name.
 * @returns Whether it is `dummy`.
 */
export function isDummyDataset(dataset: string): boolean {
  return dataset === DUMMY_DATASET;
}
