/**
 * Removing a build tree that may still hold mounts (an interrupted image build leaves
 * `rootfs/proc`, `rootfs/dev` ... mounted; a naive recursive delete would then delete the
 * host's /dev entries). Mounts below the tree are unmounted first, and the delete never
 * crosses into another file system.
 *
 * @module
 */

import { run } from "./run.ts";

/**
 * Mount points strictly below `dir`, deepest first (from /proc/self/mountinfo).
 *
 * @example
 * ```ts
 * mountsBelow("/root/.cache/bzfs-deno/lab/x.building", text); // ["/.../rootfs/dev/pts", ...]
 * ```
 */
export function mountsBelow(dir: string, mountinfo: string): string[] {
  const prefix = dir.endsWith("/") ? dir : dir + "/";
  const points = mountinfo.split("\n").filter((l) => l.trim()).map((line) =>
    // Field 5 is the mount point, with spaces etc. escaped as octal (\040).
    line.split(" ")[4].replace(/\\([0-7]{3})/g, (_, o) => String.fromCharCode(parseInt(o, 8)))
  );
  return points.filter((p) => p.startsWith(prefix)).sort((a, b) => b.length - a.length);
}

/**
 * Deletes a directory tree after unmounting anything mounted below it; refuses if a mount
 * remains. Missing directories are fine.
 *
 * @example
 * ```ts
 * await removeTree("/root/.cache/bzfs-deno/lab/0123456789abcdef.building");
 * ```
 */
export async function removeTree(dir: string): Promise<void> {
  for (const p of mountsBelow(dir, await Deno.readTextFile("/proc/self/mountinfo"))) {
    await run(["umount", "-l", p], { noThrow: true });
  }
  const left = mountsBelow(dir, await Deno.readTextFile("/proc/self/mountinfo"));
  if (left.length > 0) {
    throw new Error(`Cannot remove ${dir}: still mounted: ${left.join(", ")}; unmount them first`);
  }
  await run(["rm", "-rf", "--one-file-system", "--", dir]);
}
