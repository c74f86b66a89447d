/**
 * The error a bad fleet definition raises (upstream's "die": exit status 3).
 *
 * @module
 */
import { BzfsError } from "../errors.ts";

/**
 * The fleet definition (hosts, targets, roots, plans) is inconsistent or malformed. Raised
 * before any sub-job runs; exit status 3 as in upstream.
 *
 * @example
 * ```ts
 * import { FleetError } from "./fleet_error.ts";
 * const e = new FleetError("--dst-host must be a subset of --dst-hosts.keys");
 * console.log(e.name); // "FleetError"
 * ```
 */
export class FleetError extends BzfsError {}
