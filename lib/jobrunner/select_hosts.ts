/**
 * `--src-host` / `--dst-host` selection and the cross-checks between hosts, targets and
 * destination roots (reference 1.3, rules 1-6).
 *
 * @module
 */
import type { Fleet } from "./fleet.ts";
import { FleetError } from "./fleet_error.ts";

/** The token replaced by the source hostname in a destination root. */
export const SRC_HOST_TOKEN = "^SRC_HOST";
/** The token replaced by the destination hostname in a destination root. */
export const DST_HOST_TOKEN = "^DST_HOST";

/** The hosts a run acts on. */
export interface SelectedHosts {
  /** Selected source hosts in `--src-hosts` order. */
  readonly srcHosts: readonly string[];
  /** Selected destination hosts -> targets, in `--dst-hosts` order. */
  readonly dstHosts: ReadonlyMap<string, readonly string[]>;
}

/** Filters of {@linkcode selectHosts}. */
export interface HostFilters {
  /** `--src-host` values; empty means all. */
  readonly srcHost: readonly string[];
  /** `--dst-host` values; empty means all. */
  readonly dstHost: readonly string[];
}

/**
 * Applies the host filters and checks the fleet's consistency.
 *
 * @example
 * ```ts ignore
 * const { srcHosts, dstHosts } = selectHosts(fleet, { srcHost: ["nas1"], dstHost: [] });
 * ```
 * @param fleet The parsed fleet.
 * @param filters `--src-host` and `--dst-host`.
 * @returns The selected hosts.
 * @throws {FleetError} When a filter names an unknown host, keys do not cover each other, or
 *   several sources could write into the same destination dataset.
 */
export function selectHosts(fleet: Fleet, filters: HostFilters): SelectedHosts {
  let srcHosts = fleet.srcHosts;
  if (filters.srcHost.length > 0) {
    checkSubset(filters.srcHost, srcHosts, "--src-host", "--src-hosts");
    const keep = new Set(filters.srcHost);
    srcHosts = srcHosts.filter((h) => keep.has(h));
  }
  let dstHosts = fleet.dstHosts;
  if (filters.dstHost.length > 0) {
    checkSubset(filters.dstHost, [...dstHosts.keys()], "--dst-host", "--dst-hosts.keys");
    const keep = new Set(filters.dstHost);
    dstHosts = new Map([...dstHosts].filter(([h]) => keep.has(h)));
  }
  const retainKeys = [...fleet.retainDstTargets.keys()];
  const rootKeys = [...fleet.dstRootDatasets.keys()];
  checkSubset([...dstHosts.keys()], retainKeys, "--dst-hosts.keys", "--retain-dst-targets.keys");
  checkSubset(rootKeys, retainKeys, "--dst-root-dataset.keys", "--retain-dst-targets.keys");
  checkSubset([...dstHosts.keys()], rootKeys, "--dst-hosts.keys", "--dst-root-dataset.keys");
  const lacking = [...dstHosts.keys()].sort().filter((h) =>
    !(fleet.dstRootDatasets.get(h) ?? "").includes(SRC_HOST_TOKEN)
  );
  if (srcHosts.length > 1 && lacking.length > 0) {
    throw new FleetError(
      "Cowardly refusing to proceed as multiple source hosts must not be configured to write " +
        `to the same destination dataset. Problematic subset of --dst-root-datasets: ${
          describeRoots(fleet, lacking)
        } for src_hosts: ${JSON.stringify([...srcHosts].sort())}`,
    );
  }
  const nonEmptyLacking = [...fleet.dstRootDatasets].filter(([, r]) =>
    r !== "" && !r.includes(SRC_HOST_TOKEN)
  ).map(([h]) => h).sort();
  if (fleet.srcHosts.length > 1 && nonEmptyLacking.length > 0) {
    throw new FleetError(
      "Cowardly refusing to proceed as multiple source hosts are defined in the configuration, " +
        `but not all non-empty root datasets in --dst-root-datasets contain the '${SRC_HOST_TOKEN}' ` +
        "substitution token to prevent collisions on writing destination datasets. Problematic " +
        `subset of --dst-root-datasets: ${describeRoots(fleet, nonEmptyLacking)} for src_hosts: ${
          JSON.stringify([...fleet.srcHosts].sort())
        }`,
    );
  }
  return { srcHosts, dstHosts };
}

function describeRoots(fleet: Fleet, hosts: readonly string[]): string {
  return JSON.stringify(Object.fromEntries(hosts.map((h) => [h, fleet.dstRootDatasets.get(h)])));
}

function checkSubset(
  x: readonly string[],
  y: readonly string[],
  xName: string,
  yName: string,
): void {
  const ys = new Set(y);
  const diff = [...new Set(x)].filter((v) => !ys.has(v)).sort();
  if (diff.length > 0) {
    throw new FleetError(
      `${xName} must be a subset of ${yName}. diff: ${JSON.stringify(diff)}, ${xName}: ${
        JSON.stringify([...x].sort())
      }, ${yName}: ${JSON.stringify([...y].sort())}`,
    );
  }
}

/**
 * The destination root of `dstHost` for source `srcHost`, with the tokens substituted.
 *
 * @example
 * ```ts
 * import { substituteRoot } from "./select_hosts.ts";
 * console.log(substituteRoot("archives/^SRC_HOST", "nas1", "bak")); // "archives/nas1"
 * ```
 * @param root The configured root (may be empty).
 * @param srcHost The current source hostname.
 * @param dstHost The current destination hostname.
 * @returns The root with `^SRC_HOST` and `^DST_HOST` replaced.
 */
export function substituteRoot(root: string, srcHost: string, dstHost: string): string {
  return root.replaceAll(SRC_HOST_TOKEN, srcHost).replaceAll(DST_HOST_TOKEN, dstHost);
}
