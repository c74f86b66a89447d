/**
 * The lab's file-backed `src` and `dst` pools: (re)created per test file, and only ever
 * destroyed when their backing file is the lab's own.
 *
 * @module
 */

import type { LabState } from "./lab_state.ts";
import type { Target } from "./target.ts";
import { shellQuote } from "./shell_quote.ts";

/** Size of each sparse backing file. */
const POOL_SIZE = "1G";

/**
 * Path of a pool's backing file.
 *
 * @example
 * ```ts
 * poolFile(state, "src"); // "/var/tmp/pools/src.img"
 * ```
 */
export function poolFile(state: LabState, pool: string): string {
  return `${state.poolDir}/${pool}.img`;
}

/**
 * Destroys a lab pool if it exists, refusing when it is not backed by the lab's own file.
 *
 * @example
 * ```ts
 * await destroyPool(target, state, "src");
 * ```
 */
export async function destroyPool(t: Target, state: LabState, pool: string): Promise<void> {
  const exists = await t.exec(["zpool", "list", "-H", "-o", "name", pool], { noThrow: true });
  if (exists.code === 0) {
    const vdevs = await t.exec(["zpool", "list", "-H", "-v", "-P", pool]);
    if (!vdevs.stdout.includes(poolFile(state, pool))) {
      throw new Error(
        `Pool '${pool}' exists but is not backed by ${poolFile(state, pool)}; ` +
          `refusing to destroy it. Export or rename that pool, or use another lab mode`,
      );
    }
    await t.exec(["zpool", "destroy", "-f", pool]);
  }
  await t.exec(["rm", "-f", poolFile(state, pool)]);
}

/**
 * Recreates the empty `src` and `dst` pools (fresh sparse files).
 *
 * @example
 * ```ts
 * await resetPools(target, state);
 * ```
 */
export async function resetPools(t: Target, state: LabState): Promise<void> {
  for (const pool of [state.srcPool, state.dstPool]) {
    await destroyPool(t, state, pool);
    await createPool(t, state, pool);
  }
}

/**
 * Creates the `src` and `dst` pools when they do not exist yet and leaves existing ones alone
 * (`deno task lab start`, so the lab is ready for trying the CLI by hand).
 *
 * @example
 * ```ts
 * await ensurePools(target, state); // ["src", "dst"] on a fresh lab, [] later
 * ```
 * @returns The pools it created.
 */
export async function ensurePools(t: Target, state: LabState): Promise<string[]> {
  const created: string[] = [];
  for (const pool of [state.srcPool, state.dstPool]) {
    const exists = await t.exec(["zpool", "list", "-H", "-o", "name", pool], { noThrow: true });
    if (exists.code === 0) continue;
    await createPool(t, state, pool);
    created.push(pool);
  }
  return created;
}

async function createPool(t: Target, state: LabState, pool: string): Promise<void> {
  const file = poolFile(state, pool);
  await t.sh(
    `mkdir -p ${shellQuote(state.poolDir)} && truncate -s ${POOL_SIZE} ${shellQuote(file)}`,
  );
  const mount = state.mode === "host" ? ["-m", `${state.poolDir}/mnt/${pool}`] : [];
  await t.exec(["zpool", "create", "-f", ...mount, pool, file]);
}
