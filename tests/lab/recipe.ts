/**
 * The guest image recipe: its hash (the cache key) and the cached build.
 * The image lives in `<labHome>/<recipe-hash>/`; a changed build script or variant gives a new
 * hash, hence a rebuild, while an unchanged recipe reuses the image (also across CI runs).
 *
 * @module
 */

import { join } from "node:path";
import { fileURLToPath as fromFileUrl } from "node:url";
import { createHash } from "node:crypto";
import { labHome, type ZfsVariant } from "./paths.ts";
import { BUILD_TOOLS, ensureHostTools } from "./host_deps.ts";
import { runInherit } from "./run.ts";
import { removeTree } from "./safe_remove.ts";

const SCRIPT_URL = new URL("./recipe/build_image.sh", import.meta.url);
const RECIPE_FORMAT = "bzfs-deno-lab-recipe/1";
const SUITE = "bookworm";

/** Files of a finished image. */
export interface Image {
  /** The image directory. */
  dir: string;
  /** Kernel. */
  kernel: string;
  /** Initial ramdisk. */
  initrd: string;
  /** ext4 root file system (read-only base of each boot's qcow2 overlay). */
  rootfs: string;
  /** Private ssh key authorized for root, alice and bob. */
  key: string;
  /** The guest's pinned ed25519 host key (public). */
  hostKey: string;
  /** Values from `image.env`: KVER, ZFS_VERSION, VARIANT. */
  info: Record<string, string>;
}

/**
 * The recipe hash: covers the format, Debian suite, variant and the build script text.
 *
 * @example
 * ```ts
 * const h = await recipeHash("2.3"); // 16 hex digits
 * ```
 */
export async function recipeHash(variant: ZfsVariant): Promise<string> {
  const script = await Deno.readTextFile(fromFileUrl(SCRIPT_URL));
  const h = createHash("sha256");
  h.update(`${RECIPE_FORMAT}\nsuite=${SUITE}\nvariant=${variant}\n`);
  h.update(script);
  return h.digest("hex").slice(0, 16);
}

/**
 * The image directory for a variant (it may not exist yet).
 *
 * @example
 * ```ts
 * const dir = await imageDir("2.1");
 * ```
 */
export async function imageDir(variant: ZfsVariant): Promise<string> {
  return join(labHome(), await recipeHash(variant));
}

/**
 * The finished image of a variant, or undefined if it has not been built.
 *
 * @example
 * ```ts
 * const img = await findImage("2.3");
 * ```
 */
export async function findImage(variant: ZfsVariant): Promise<Image | undefined> {
  const dir = await imageDir(variant);
  let envText: string;
  try {
    envText = await Deno.readTextFile(join(dir, "image.env"));
  } catch {
    return undefined;
  }
  const info: Record<string, string> = {};
  for (const line of envText.split("\n")) {
    const m = /^([A-Z_]+)=(.*)$/.exec(line.trim());
    if (m) info[m[1]] = m[2];
  }
  return {
    dir,
    kernel: join(dir, "vmlinuz"),
    initrd: join(dir, "initrd.img"),
    rootfs: join(dir, "rootfs.ext4"),
    key: join(dir, "id_ed25519"),
    hostKey: join(dir, "ssh_host_ed25519_key.pub"),
    info,
  };
}

/**
 * Returns the cached image, building it first if needed (root required; ~10 minutes).
 * Concurrent builders of the same recipe wait for each other through a lock directory.
 *
 * @example
 * ```ts
 * const img = await ensureImage("2.3");
 * ```
 */
export async function ensureImage(variant: ZfsVariant, opts: { rebuild?: boolean } = {}) {
  const existing = await findImage(variant);
  if (existing && !opts.rebuild) return existing;
  const dir = await imageDir(variant);
  const release = await acquireLock(`${dir}.lock`);
  try {
    const again = await findImage(variant);
    if (again && !opts.rebuild) return again;
    await buildInto(dir, variant);
  } finally {
    await release();
  }
  const img = await findImage(variant);
  if (!img) throw new Error(`Image build left no image.env in ${dir}; see the build log`);
  return img;
}

async function buildInto(dir: string, variant: ZfsVariant): Promise<void> {
  if (Deno.uid() !== 0) {
    throw new Error("Building the lab image needs root (debootstrap, chroot); rerun as root");
  }
  await ensureHostTools(BUILD_TOOLS);
  const tmp = `${dir}.building`;
  await removeTree(tmp);
  const mirror = Deno.env.get("BZFS_LAB_MIRROR") || "http://deb.debian.org/debian";
  const started = performance.now();
  console.error(`lab: building OpenZFS ${variant} image into ${dir} (about 10 minutes)`);
  const code = await runInherit(["bash", fromFileUrl(SCRIPT_URL), tmp, variant, mirror]);
  if (code !== 0) {
    await removeTree(tmp);
    throw new Error(`Image build failed with exit code ${code}; see the output above`);
  }
  await removeTree(dir);
  await Deno.rename(tmp, dir);
  const secs = ((performance.now() - started) / 1000).toFixed(0);
  console.error(`lab: image built in ${secs} s`);
}

/** Takes a lock directory (atomic mkdir); breaks it if its owner pid is gone. */
async function acquireLock(path: string): Promise<() => Promise<void>> {
  await Deno.mkdir(join(path, ".."), { recursive: true });
  for (let waited = 0;; waited++) {
    try {
      await Deno.mkdir(path);
      await Deno.writeTextFile(join(path, "pid"), String(Deno.pid));
      return () => Deno.remove(path, { recursive: true });
    } catch (e) {
      if (!(e instanceof Deno.errors.AlreadyExists)) throw e;
    }
    const owner = Number(await Deno.readTextFile(join(path, "pid")).catch(() => "0"));
    if (owner > 0 && !pidAlive(owner)) {
      await Deno.remove(path, { recursive: true }).catch(() => {});
      continue;
    }
    if (waited % 30 === 0) console.error(`lab: waiting for another build (pid ${owner}) ...`);
    await new Promise((r) => setTimeout(r, 2000));
  }
}

/**
 * True if a process with this pid exists.
 *
 * @example
 * ```ts
 * pidAlive(Deno.pid); // true
 * ```
 */
export function pidAlive(pid: number): boolean {
  try {
    Deno.statSync(`/proc/${pid}`);
    return true;
  } catch {
    return false;
  }
}

/**
 * Removes cached images (and failed partial builds) whose recipe hash is no longer current
 * for any variant; returns the removed directories. Locked builds are left alone.
 *
 * @example
 * ```ts
 * const removed = await pruneImages(["2.3", "2.1"]);
 * ```
 */
export async function pruneImages(variants: readonly ZfsVariant[]): Promise<string[]> {
  const keep = new Set(await Promise.all(variants.map((v) => recipeHash(v))));
  const removed: string[] = [];
  for await (const entry of Deno.readDir(labHome())) {
    const m = /^([0-9a-f]{16})(\.building)?$/.exec(entry.name);
    if (!entry.isDirectory || !m || keep.has(m[1])) continue;
    if (await exists(join(labHome(), `${m[1]}.lock`))) continue;
    await removeTree(join(labHome(), entry.name));
    removed.push(join(labHome(), entry.name));
  }
  return removed;
}

async function exists(path: string): Promise<boolean> {
  try {
    await Deno.stat(path);
    return true;
  } catch {
    return false;
  }
}
