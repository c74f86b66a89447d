/**
 * `ControlPathPool`: ssh ControlPath sockets that outlive the process, so the next bzfs run to
 * the same endpoint attaches to the ssh master the previous run left behind (kept alive by
 * `ControlPersist`) instead of paying TCP, key exchange and authentication again.
 *
 * Layout: `<root>/<namespace>/c/<name>` is a socket, `<root>/<namespace>/l/<name>` its lease
 * file. The namespace is a SHA-256 of the endpoint identity (user, host, port, ssh config file,
 * connection kind): ssh attaches to whatever master listens on a ControlPath without checking
 * the destination, so two endpoints must never share a name. A process owns a socket while it
 * holds an exclusive `flock` on the lease file; the lock ends with the process, so a crash leaves
 * nothing to clean up, and concurrent runs never share a master (sshd's `MaxSessions` stays a
 * per-process budget). Every directory is created 0700 and must be ours and not a symlink: when
 * that does not hold, {@linkcode ControlPathPool.acquire} throws; when the socket path would
 * exceed the Unix socket limit, {@linkcode ControlPathPool.open} returns undefined. Either way
 * the caller uses per-run sockets instead.
 *
 * @module
 */
import { createHash } from "node:crypto";

/** Longest socket path we hand out (sun_path is 104 bytes on macOS/BSD, 108 on Linux). */
export const MAX_SOCKET_PATH_BYTES = 100;

/** Options of {@linkcode ControlPathPool.open}. */
export interface ControlPathPoolOptions {
  /** The pool's root, e.g. `~/.ssh/bzfs`; created 0700 if missing. */
  rootDir: string;
  /** `--ssh-control-persist-secs`: a socket idle for longer belongs to a master that is gone. */
  controlPersistSecs: number;
}

/** A socket owned by this process until `release()`. */
export interface PooledControlPath {
  /** The socket path for `ssh -S` / `ControlPath`. */
  readonly controlPath: string;
  /** Marks the socket as just used (for the idle check of later runs) and unlocks it; idempotent. */
  release(): void;
}

/** A pool of reusable ControlPath sockets below one root directory. */
export class ControlPathPool {
  readonly #root: string;
  readonly #persistMs: number;

  private constructor(root: string, persistSecs: number) {
    this.#root = root;
    this.#persistMs = persistSecs * 1000;
  }

  /**
   * A pool below `rootDir`, or undefined when its socket paths would be too long. Nothing is
   * created until the first {@linkcode ControlPathPool.acquire}, which checks that every
   * directory is ours, private and not a symlink.
   *
   * @example
   * ```ts
   * import { ControlPathPool } from "./control_path_pool.ts";
   * const pool = ControlPathPool.open({ rootDir: Deno.makeTempDirSync() + "/p", controlPersistSecs: 600 });
   * pool?.acquire("root@nas#22#", "s").controlPath; // ".../p/<namespace>/c/s<random>"
   * ```
   * @param options Root and idle lifetime.
   * @returns The pool, or undefined.
   */
  static open(options: ControlPathPoolOptions): ControlPathPool | undefined {
    const root = options.rootDir.replace(/\/+$/, "");
    // namespace (22) + "/c/" + name (12) + separators
    if (new TextEncoder().encode(root).length + 40 > MAX_SOCKET_PATH_BYTES) return undefined;
    return new ControlPathPool(root, Math.max(1, options.controlPersistSecs));
  }

  /**
   * Leases a socket of an endpoint: an unlocked name whose master may still be alive (reuse), or
   * a new name. Never blocks.
   *
   * @example
   * ```ts
   * import { ControlPathPool } from "./control_path_pool.ts";
   * const pool = ControlPathPool.open({ rootDir: Deno.makeTempDirSync() + "/p", controlPersistSecs: 600 })!;
   * const a = pool.acquire("nas");
   * a.release();
   * pool.acquire("nas").controlPath === a.controlPath; // true: released names are reused
   * ```
   * @param namespace The endpoint identity (hashed; any text).
   * @param tag One letter starting the socket name, e.g. `s` shared, `d` dedicated (for logs).
   * @returns The lease.
   * @throws {Error} When a directory cannot be created, is not ours, is accessible to group or
   * world, or is a symlink (the caller then uses a per-run socket).
   */
  acquire(namespace: string, tag = "s"): PooledControlPath {
    if (!/^[a-z]$/.test(tag)) throw new TypeError(`Bad socket tag: ${tag}`);
    ensurePrivateDir(this.#root);
    const ns = `${this.#root}/${namespaceDir(namespace)}`;
    ensurePrivateDir(ns);
    ensurePrivateDir(`${ns}/c`);
    ensurePrivateDir(`${ns}/l`);
    for (const entry of Deno.readDirSync(`${ns}/l`)) {
      if (!entry.isFile || !entry.name.startsWith(tag)) continue;
      const lease = this.#tryLease(ns, entry.name, false);
      if (lease) return lease;
    }
    for (;;) {
      const lease = this.#tryLease(ns, tag + randomName(), true);
      if (lease) return lease;
    }
  }

  #tryLease(ns: string, name: string, create: boolean): PooledControlPath | undefined {
    let file: Deno.FsFile;
    try {
      file = Deno.openSync(`${ns}/l/${name}`, { write: true, createNew: create, mode: 0o600 });
    } catch (e) {
      if (e instanceof Deno.errors.AlreadyExists || e instanceof Deno.errors.NotFound) {
        return undefined;
      }
      throw e;
    }
    if (!file.tryLockSync(true)) {
      file.close();
      return undefined;
    }
    const controlPath = `${ns}/c/${name}`;
    this.#dropIfStale(controlPath);
    let released = false;
    return {
      controlPath,
      release: () => {
        if (released) return;
        released = true;
        try {
          const now = new Date();
          Deno.utimeSync(controlPath, now, now);
        } catch {
          // no socket (no master was started, or it exited): nothing to mark
        }
        file.close(); // closing the descriptor ends the flock
      },
    };
  }

  /** A socket idle for longer than ControlPersist has no live master: remove the leftover. */
  #dropIfStale(controlPath: string): void {
    try {
      const st = Deno.lstatSync(controlPath);
      const idleMs = Date.now() - (st.mtime?.getTime() ?? 0);
      if (idleMs > this.#persistMs || !st.isSocket) Deno.removeSync(controlPath);
    } catch {
      // no socket yet
    }
  }
}

/** Creates `dir` 0700 if missing; throws unless it is a real directory of ours, private. */
function ensurePrivateDir(dir: string): void {
  try {
    Deno.mkdirSync(dir, { recursive: true, mode: 0o700 });
  } catch (e) {
    if (!(e instanceof Deno.errors.AlreadyExists)) throw e;
  }
  const st = Deno.lstatSync(dir);
  if (st.isSymlink || !st.isDirectory) throw new Error(`Not a directory: ${dir}`);
  if (st.uid !== null && st.uid !== Deno.uid()) throw new Error(`Not ours: ${dir}`);
  if (st.mode !== null && (st.mode & 0o077) !== 0) {
    throw new Error(`Group or world can access ${dir}`);
  }
}

/** 22 url-safe base64 characters of the SHA-256 of the endpoint identity (132 bits). */
function namespaceDir(namespace: string): string {
  return createHash("sha256").update(namespace).digest("base64url").slice(0, 22);
}

/** 11 random url-safe characters (66 bits). */
function randomName(): string {
  const alphabet = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-_";
  let s = "";
  for (const b of crypto.getRandomValues(new Uint8Array(11))) s += alphabet[b & 63];
  return s;
}
