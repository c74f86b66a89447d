/**
 * `--cache-snapshots` (semantics 9.6): a cache of snapshot facts kept in the timestamps of empty
 * files under `<log dir>/.cache/mods/`, compared with the ZFS `snapshots_changed` dataset
 * property (OpenZFS >= 2.2) so that unchanged datasets need no `zfs list -t snapshot`.
 *
 * Layout: `<root>/<hash(host key)>/<hash(dataset)>/=` (mtime = the last seen `snapshots_changed`)
 * and, beside it, one file per snapshot label `<hash(label)>` (atime = creation of the latest
 * snapshot with that label, mtime = the `snapshots_changed` it was read under). Hashes are
 * URL-safe base64 SHA-256 without padding.
 *
 * Every read that fails (missing file, symlink, foreign owner) reads as 0, which callers treat
 * as a miss, so deleting the cache tree is always safe. Writes take an exclusive `flock`, refuse
 * symlinks and files of another user, and never move an mtime backwards (concurrent runs).
 *
 * @module
 */
import { createHash } from "node:crypto";

/** A live `snapshots_changed` is trusted only when older than this (equal-second races). */
export const MATURITY_TIME_THRESHOLD_SECS = 1.1;

/** The dataset-level file name. */
export const DATASET_CACHE_FILE = "=";

/**
 * URL-safe base64 SHA-256 of a text, without padding.
 *
 * @example
 * ```ts
 * import { cacheHash } from "./snapshot_cache.ts";
 * cacheHash("tank/a").length; // 43
 * ```
 * @param text Any text.
 * @returns The 43-character hash.
 */
export function cacheHash(text: string): string {
  return createHash("sha256").update(text).digest("base64url");
}

/**
 * Whether a live `snapshots_changed` value may be trusted: non-zero and more than
 * {@linkcode MATURITY_TIME_THRESHOLD_SECS} before now.
 *
 * @example
 * ```ts
 * import { isMature } from "./snapshot_cache.ts";
 * isMature(1_700_000_000, 1_700_000_002_000); // true
 * isMature(1_700_000_001, 1_700_000_002_000); // false
 * isMature(0, 1_700_000_002_000); // false
 * ```
 * @param snapshotsChanged Unix seconds, 0 when unknown.
 * @param nowMs Now in epoch milliseconds.
 * @returns True when trustworthy.
 */
export function isMature(snapshotsChanged: number, nowMs: number): boolean {
  return snapshotsChanged > 0 && snapshotsChanged < nowMs / 1000 - MATURITY_TIME_THRESHOLD_SECS;
}

/** The (atime, mtime) pair of a cache file in Unix seconds; (0, 0) when absent or untrusted. */
export interface CacheTimes {
  /** Access time: a snapshot creation time (label files). */
  readonly atime: number;
  /** Modification time: a `snapshots_changed` value. */
  readonly mtime: number;
}

const ZERO: CacheTimes = Object.freeze({ atime: 0, mtime: 0 });

/** Options of {@linkcode SnapshotCache}. */
export interface SnapshotCacheOptions {
  /** Read only: `--dryrun` writes nothing. @default false */
  readOnly?: boolean;
}

/**
 * The cache under one root directory.
 *
 * @example Record and read back a dataset's `snapshots_changed`
 * ```ts
 * import { SnapshotCache } from "./snapshot_cache.ts";
 * const cache = new SnapshotCache(Deno.makeTempDirSync());
 * const file = cache.file("-", "tank/a");
 * cache.write(file, { atime: 1_700_000_000, mtime: 1_700_000_000 });
 * cache.read(file).mtime; // 1700000000
 * ```
 */
export class SnapshotCache {
  /** The root directory (`<log dir>/.cache/mods`). */
  readonly root: string;
  readonly #readOnly: boolean;
  readonly #uid: number | null;
  readonly #dirs = new Map<string, string>();

  /**
   * Creates the instance; nothing is touched on disk until a write.
   *
   * @param root The root directory.
   * @param options Read-only mode.
   */
  constructor(root: string, options: SnapshotCacheOptions = {}) {
    this.root = root.replace(/\/+$/, "");
    this.#readOnly = options.readOnly ?? false;
    this.#uid = Deno.uid();
  }

  /**
   * The path of a dataset's `=` file, or of one of its label files.
   *
   * @example
   * ```ts
   * import { SnapshotCache } from "./snapshot_cache.ts";
   * new SnapshotCache("/r").file("-", "tank/a", "prod_<timestamp>_daily").startsWith("/r/"); // true
   * ```
   * @param hostKey `remoteKey()` of the host (`-` for local).
   * @param dataset The dataset.
   * @param label The label text (hashed), or undefined for the `=` file.
   * @returns The path.
   */
  file(hostKey: string, dataset: string, label?: string): string {
    const key = `${hostKey}\0${dataset}`;
    let dir = this.#dirs.get(key);
    if (dir === undefined) {
      dir = `${this.root}/${cacheHash(hostKey)}/${cacheHash(dataset)}`;
      this.#dirs.set(key, dir);
    }
    return `${dir}/${label === undefined ? DATASET_CACHE_FILE : cacheHash(label)}`;
  }

  /**
   * The timestamps of a cache file; (0, 0) when it is missing, a symlink, not a regular file, or
   * owned by another user.
   *
   * @example
   * ```ts
   * import { SnapshotCache } from "./snapshot_cache.ts";
   * new SnapshotCache("/nonexistent").read("/nonexistent/x"); // { atime: 0, mtime: 0 }
   * ```
   * @param path The file.
   * @returns Its times in Unix seconds.
   */
  read(path: string): CacheTimes {
    let st: Deno.FileInfo;
    try {
      st = Deno.lstatSync(path);
    } catch {
      return ZERO;
    }
    if (!st.isFile || (this.#uid !== null && st.uid !== null && st.uid !== this.#uid)) return ZERO;
    return {
      atime: st.atime ? Math.round(st.atime.getTime() / 1000) : 0,
      mtime: st.mtime ? Math.round(st.mtime.getTime() / 1000) : 0,
    };
  }

  /**
   * Sets a file's timestamps under an exclusive lock, creating it (and its directories, mode
   * 0700) if needed. An existing file whose mtime is already at least `times.mtime` is left
   * alone, unless `force` (used to reset to zero). No-op in read-only mode.
   *
   * @example
   * ```ts
   * import { SnapshotCache } from "./snapshot_cache.ts";
   * const cache = new SnapshotCache(Deno.makeTempDirSync());
   * const f = cache.file("-", "tank/a");
   * cache.write(f, { atime: 20, mtime: 20 });
   * cache.write(f, { atime: 10, mtime: 10 }); // older: ignored
   * cache.read(f).mtime; // 20
   * ```
   * @param path The file.
   * @param times The new times.
   * @param options `force` skips the monotonic guard.
   * @returns True when the times were written.
   */
  write(path: string, times: CacheTimes, options: { force?: boolean } = {}): boolean {
    if (this.#readOnly) return false;
    let created = false;
    let file: Deno.FsFile;
    try {
      const st = Deno.lstatSync(path);
      if (!st.isFile) return false; // never follow a symlink
      file = Deno.openSync(path, { write: true });
    } catch (e) {
      if (!(e instanceof Deno.errors.NotFound)) return false;
      try {
        Deno.mkdirSync(path.slice(0, path.lastIndexOf("/")), { recursive: true, mode: 0o700 });
        file = Deno.openSync(path, { write: true, createNew: true, mode: 0o600 });
        created = true;
      } catch {
        return false; // lost a race or no permission: a later run retries
      }
    }
    try {
      file.lockSync(true);
      const st = file.statSync();
      if (this.#uid !== null && st.uid !== null && st.uid !== this.#uid) return false;
      const mtime = st.mtime ? Math.round(st.mtime.getTime() / 1000) : 0;
      if (!created && !options.force && times.mtime <= mtime) return false;
      file.utimeSync(times.atime, times.mtime);
      return true;
    } finally {
      file.close();
    }
  }

  /**
   * Resets every top-level file of a dataset (its `=` and label files) to (0, 0): an explicit
   * "do not trust" after a mismatch. No-op in read-only mode.
   *
   * @example
   * ```ts
   * import { SnapshotCache } from "./snapshot_cache.ts";
   * const cache = new SnapshotCache(Deno.makeTempDirSync());
   * cache.write(cache.file("-", "tank/a"), { atime: 5, mtime: 5 });
   * cache.invalidate("-", "tank/a");
   * cache.read(cache.file("-", "tank/a")).mtime; // 0
   * ```
   * @param hostKey `remoteKey()` of the host.
   * @param dataset The dataset.
   */
  invalidate(hostKey: string, dataset: string): void {
    if (this.#readOnly) return;
    const dir = this.file(hostKey, dataset).slice(0, -DATASET_CACHE_FILE.length - 1);
    try {
      for (const entry of Deno.readDirSync(dir)) {
        if (entry.isFile) this.write(`${dir}/${entry.name}`, ZERO, { force: true });
      }
    } catch {
      // nothing cached for this dataset
    }
  }
}
