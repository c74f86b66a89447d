/**
 * One lab session at a time per state directory: an exclusive file lock (released by the OS
 * if the holder dies). Without it, two concurrent runs would reset each other's pools, or one
 * would stop the VM the other is still booting.
 *
 * @module
 */

import { join } from "node:path";

/** A held lock; release it with {@linkcode LabLock.release}. */
export interface LabLock {
  /** Releases the lock. */
  release(): void;
}

/**
 * Takes the lab lock of `dir`, waiting (with a message naming the holder) if another process
 * holds it.
 *
 * @example
 * ```ts
 * const lock = await lockLab(dir, "test:zfs");
 * try { /* use the lab *\/ } finally { lock.release(); }
 * ```
 */
export async function lockLab(dir: string, who: string): Promise<LabLock> {
  await Deno.mkdir(dir, { recursive: true });
  const file = await Deno.open(join(dir, "lock"), { create: true, read: true, write: true });
  const holderFile = join(dir, "lock.holder");
  if (!(await file.tryLock(true))) {
    const holder = await Deno.readTextFile(holderFile).catch(() => "another process");
    console.error(`${who}: waiting for the lab in ${dir}, in use by ${holder.trim()} ...`);
    await file.lock(true);
  }
  await Deno.writeTextFile(holderFile, `pid ${Deno.pid} (${who})\n`);
  let released = false;
  return {
    release() {
      if (released) return;
      released = true;
      try {
        Deno.removeSync(holderFile);
      } catch { /* already gone */ }
      file.close(); // closing drops the lock
    },
  };
}
