/**
 * The state file of a running lab (`<stateDir>/lab.json`): what tests need to reach it.
 * Tests find it through `BZFS_LAB_STATE` (printed by `deno task lab env`).
 *
 * @module
 */

import { join } from "node:path";
import type { ZfsVariant } from "./paths.ts";

/** The ssh host alias of the lab guest, so datasets read like `root@zfsvm:src/a`. */
export const HOST_ALIAS = "zfsvm";

/** Basename of the generated ssh config; the bzfs CLI requires `bzfs_ssh_config` in it. */
export const SSH_CONFIG_NAME = "bzfs_ssh_config";

/** Everything a test needs to use a running lab. */
export interface LabState {
  /** "vm": qemu guest reached over ssh; "host": file-backed pools on this host. */
  mode: "vm" | "host";
  /** OpenZFS variant requested. */
  variant: ZfsVariant;
  /** This lab's state directory. */
  stateDir: string;
  /** Directory holding the `zfs`/`zpool` wrappers (vm mode) to put first on PATH. */
  wrapperDir?: string;
  /** ssh config file (vm mode); its basename is {@linkcode SSH_CONFIG_NAME}. */
  sshConfig?: string;
  /** ssh host alias (vm mode). */
  host?: string;
  /** Forwarded ssh port on 127.0.0.1 (vm mode). */
  port?: number;
  /** pid of the qemu we started (vm mode). */
  qemuPid?: number;
  /** Accelerator in use (vm mode). */
  accel?: "kvm" | "tcg";
  /** Name of the source pool. */
  srcPool: string;
  /** Name of the destination pool. */
  dstPool: string;
  /** Directory of the pool backing files (inside the guest in vm mode). */
  poolDir: string;
  /** `zfs version` of the userland, first line. */
  zfsVersion: string;
  /** Seconds from qemu start to ssh ready (vm mode). */
  bootSeconds?: number;
}

/**
 * Path of the state file in a state directory.
 *
 * @example
 * ```ts
 * stateFile("/tmp/x"); // "/tmp/x/lab.json"
 * ```
 */
export function stateFile(dir: string): string {
  return join(dir, "lab.json");
}

/**
 * Reads a lab's state, or undefined if there is none.
 *
 * @example
 * ```ts
 * const s = await readState("/root/.cache/bzfs-deno/lab/run-vm-zfs2.3");
 * ```
 */
export async function readState(dir: string): Promise<LabState | undefined> {
  try {
    return JSON.parse(await Deno.readTextFile(stateFile(dir))) as LabState;
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return undefined;
    throw new Error(`Corrupt lab state ${stateFile(dir)}: ${e}; run 'deno task lab stop'`);
  }
}

/**
 * Writes a lab's state atomically.
 *
 * @example
 * ```ts
 * await writeState(state);
 * ```
 */
export async function writeState(state: LabState): Promise<void> {
  const tmp = `${stateFile(state.stateDir)}.tmp`;
  await Deno.writeTextFile(tmp, JSON.stringify(state, null, 2) + "\n");
  await Deno.rename(tmp, stateFile(state.stateDir));
}

/**
 * The environment variables that point tests at a lab.
 *
 * @example
 * ```ts
 * labEnv(state); // { BZFS_LAB_STATE: "...", BZFS_LAB_MODE: "vm" }
 * ```
 */
export function labEnv(state: LabState): Record<string, string> {
  return { BZFS_LAB_STATE: state.stateDir, BZFS_LAB_MODE: state.mode };
}
