/**
 * Host-ZFS mode: when this host has a working `zfs` and we are root, the lab uses
 * file-backed pools on the host instead of a VM. Pool names are prefixed so they never
 * collide with real pools.
 *
 * @module
 */

import { join } from "node:path";
import { type LabState, readState, stateFile, writeState } from "./lab_state.ts";
import { stateDir, type ZfsVariant } from "./paths.ts";
import { run } from "./run.ts";
import { targetFor } from "./target.ts";
import { destroyPool } from "./pools.ts";

/**
 * True if we are root and `zfs list` works on this host.
 *
 * @example
 * ```ts
 * if (await hostZfsWorks()) console.log("host mode available");
 * ```
 */
export async function hostZfsWorks(): Promise<boolean> {
  if (Deno.uid() !== 0) return false;
  try {
    const r = await run(["zfs", "list", "-H", "-o", "name"], { noThrow: true });
    return r.code === 0;
  } catch {
    return false; // no zfs binary
  }
}

/**
 * Prepares host mode and writes its state (pools are created per test file).
 *
 * @example
 * ```ts
 * const state = await startHost("2.3");
 * ```
 */
export async function startHost(variant: ZfsVariant): Promise<LabState> {
  if (!(await hostZfsWorks())) {
    throw new Error("Host ZFS mode needs root and a working 'zfs list'; drop --host-zfs");
  }
  const dir = stateDir("host", variant);
  await Deno.mkdir(dir, { recursive: true });
  const ver = await run(["zfs", "version"], { noThrow: true });
  const state: LabState = {
    mode: "host",
    variant,
    stateDir: dir,
    srcPool: "bzfslab_src",
    dstPool: "bzfslab_dst",
    poolDir: join(dir, "pools"),
    zfsVersion: ver.stdout.split("\n")[0].trim() || "unknown",
  };
  await writeState(state);
  return state;
}

/**
 * Destroys the host-mode pools (only the lab's own) and removes the state file.
 *
 * @example
 * ```ts
 * await stopHost(state);
 * ```
 */
export async function stopHost(state: LabState): Promise<void> {
  const t = targetFor(state);
  for (const pool of [state.srcPool, state.dstPool]) await destroyPool(t, state, pool);
  await Deno.remove(stateFile(state.stateDir)).catch(() => {});
}

/**
 * The host-mode state if host mode is set up.
 *
 * @example
 * ```ts
 * const s = await readHostState("2.3");
 * ```
 */
export function readHostState(variant: ZfsVariant): Promise<LabState | undefined> {
  return readState(stateDir("host", variant));
}
