/**
 * zfs and zpool: plain records, argv builders, output parsers, version and tool detection,
 * send/receive option sanitising, and the typed `ZfsHost` facade.
 *
 * @example List snapshots of a dataset on a remote host
 * ```ts
 * import { ZfsHost } from "./mod.ts";
 * import { createRemote, RealExecutor } from "../exec/mod.ts";
 * const host = new ZfsHost(new RealExecutor(), createRemote({ host: "nas", sudo: ["sudo", "-n"] }));
 * const snaps = await host.listSnapshots("tank/a", { types: "snapshot,bookmark" });
 * console.log(snaps?.map((s) => s.name));
 * ```
 *
 * @module
 */
export * from "./types.ts";
export * from "./errors.ts";
export * from "./list.ts";
export * from "./get.ts";
export * from "./version.ts";
export * from "./mutate.ts";
export * from "./program_opts.ts";
export * from "./send_recv.ts";
export * from "./recv_props.ts";
export * from "./detect.ts";
export * from "./host.ts";
