/**
 * `SshMux`: ControlPath sockets for multiplexed ssh connections, in a private 0700 directory with
 * short names (Unix socket paths are limited to about 104 bytes), handed out as leases so that no
 * master carries more sessions than sshd's `MaxSessions` allows, and send/receive pipelines get a
 * connection of their own (`bzfs_dedicated_tcp_connection_per_zfs_send`).
 *
 * @module
 */
import type { ControlPathPool, PooledControlPath } from "./control_path_pool.ts";
import { type Remote, remoteKey } from "./remote.ts";

/** Which kind of connection a lease is for. */
export type ConnectionKind = "shared" | "dedicated";

/** A leased control path; give it back with `release()` when the command has finished. */
export interface SshLease {
  /** The socket path to pass as `sshArgv(remote, { controlPath })`. */
  readonly controlPath: string;
  /** Returns the session slot; idempotent. */
  release(): void;
}

/** Options of {@linkcode SshMux.create}. */
export interface SshMuxOptions {
  /** Parent of the private directory. @default {"/tmp"} (short, unlike macOS `$TMPDIR`) */
  parentDir?: string;
  /** `--max-concurrent-ssh-sessions-per-tcp-connection`. @default {8} */
  maxSessionsPerConnection?: number;
  /** `bzfs_dedicated_tcp_connection_per_zfs_send`: dedicated leases get a master of their own. @default {true} */
  dedicatedPerSend?: boolean;
  /**
   * Sockets that outlive the run (masters reused by later runs); without it every socket lives
   * in the private per-run directory. @default undefined
   */
  pool?: ControlPathPool;
}

interface Slot {
  readonly path: string;
  readonly remote: Remote;
  readonly pooled?: PooledControlPath;
  busy: number;
}

/**
 * Hands out ControlPath sockets. One instance per run; `close()` removes the directory.
 *
 * @example Lease a shared and a dedicated connection
 * ```ts
 * import { SshMux } from "./ssh_mux.ts";
 * import { createRemote, sshArgv } from "./remote.ts";
 * const mux = await SshMux.create();
 * const nas = createRemote({ host: "nas" });
 * const lease = mux.acquire(nas, "dedicated");
 * console.log(sshArgv(nas, { controlPath: lease.controlPath }));
 * lease.release();
 * await mux.close();
 * ```
 */
export class SshMux {
  /** The private directory holding the sockets. */
  readonly dir: string;
  readonly #maxSessions: number;
  readonly #dedicatedPerSend: boolean;
  readonly #pool: ControlPathPool | undefined;
  #poolError: string | undefined;
  readonly #ids = new Map<string, number>();
  readonly #slots = new Map<string, Slot[]>();

  /**
   * Creates the instance.
   *
   * @param dir An existing private (0700) directory; prefer {@linkcode SshMux.create}.
   * @param options Session limits.
   */
  constructor(dir: string, options: SshMuxOptions = {}) {
    this.dir = dir;
    this.#maxSessions = Math.max(1, options.maxSessionsPerConnection ?? 8);
    this.#dedicatedPerSend = options.dedicatedPerSend ?? true;
    this.#pool = options.pool;
  }

  /**
   * Creates the private directory (mode 0700) and the mux.
   *
   * @example
   * ```ts
   * import { SshMux } from "./ssh_mux.ts";
   * const mux = await SshMux.create({ maxSessionsPerConnection: 4 });
   * await mux.close();
   * ```
   * @param options Where and how many sessions.
   * @returns The mux.
   */
  static async create(options: SshMuxOptions = {}): Promise<SshMux> {
    const dir = await Deno.makeTempDir({ dir: options.parentDir ?? "/tmp", prefix: "bzfs." });
    await Deno.chmod(dir, 0o700);
    return new SshMux(dir, options);
  }

  /**
   * Leases a control path for one command on `remote`: the least busy existing master with a
   * free session (shared), or a master of its own (dedicated, one session per master).
   *
   * @example
   * ```ts
   * import { SshMux } from "./ssh_mux.ts";
   * import { createRemote } from "./remote.ts";
   * const mux = new SshMux("/tmp/x");
   * mux.acquire(createRemote({ host: "nas" }), "shared").controlPath; // "/tmp/x/1s0"
   * ```
   * @param remote The endpoint.
   * @param kind Shared (multiplexed) or dedicated (send/receive).
   * @returns The lease.
   */
  acquire(remote: Remote, kind: ConnectionKind = "shared"): SshLease {
    const dedicated = kind === "dedicated" && this.#dedicatedPerSend;
    const capacity = dedicated ? 1 : this.#maxSessions;
    const tag = `${this.#idOf(remote)}${dedicated ? "d" : "s"}`;
    const slots = this.#slots.get(tag) ?? [];
    this.#slots.set(tag, slots);
    let slot = slots.filter((s) => s.busy < capacity).sort((a, b) => a.busy - b.busy)[0];
    if (!slot) {
      const pooled = this.#pooled(remote, dedicated ? "d" : "s");
      const path = pooled?.controlPath ?? `${this.dir}/${tag}${slots.length}`;
      slot = pooled ? { path, remote, pooled, busy: 0 } : { path, remote, busy: 0 };
      slots.push(slot);
    }
    slot.busy++;
    const taken = slot;
    let released = false;
    return {
      controlPath: taken.path,
      release: () => {
        if (released) return;
        released = true;
        taken.busy--;
      },
    };
  }

  /**
   * Every control path handed out so far, with its endpoint (for `ssh -O exit` at shutdown).
   *
   * @example
   * ```ts
   * import { SshMux } from "./ssh_mux.ts";
   * const mux = new SshMux("/tmp/x");
   * mux.controlPaths(); // []
   * ```
   * @returns Endpoint, socket path, and whether the socket is pooled (outlives the run).
   */
  controlPaths(): { remote: Remote; controlPath: string; pooled: boolean }[] {
    return [...this.#slots.values()].flat().map((s) => ({
      remote: s.remote,
      controlPath: s.path,
      pooled: s.pooled !== undefined,
    }));
  }

  /**
   * Gives pooled sockets back (their masters stay for the next run) and removes the private
   * directory. Masters of per-run sockets notice their socket is gone and exit when idle for
   * `ControlPersist`; send them `ssh -O exit` first for an immediate stop.
   *
   * @example
   * ```ts
   * import { SshMux } from "./ssh_mux.ts";
   * const mux = await SshMux.create();
   * await mux.close();
   * ```
   */
  async close(): Promise<void> {
    for (const slot of [...this.#slots.values()].flat()) slot.pooled?.release();
    await Deno.remove(this.dir, { recursive: true }).catch(() => {});
  }

  /** A socket from the pool, or undefined (no pool, or it cannot be used: per-run socket). */
  #pooled(remote: Remote, tag: "s" | "d"): PooledControlPath | undefined {
    if (!this.#pool) return undefined;
    try {
      return this.#pool.acquire(`${remoteKey(remote)}|${tag}`, tag);
    } catch (e) {
      this.#poolError ??= e instanceof Error ? e.message : String(e);
      return undefined;
    }
  }

  /** Why the pool could not be used (first failure), if it failed. */
  get poolError(): string | undefined {
    return this.#poolError;
  }

  #idOf(remote: Remote): number {
    const key = remoteKey(remote);
    let id = this.#ids.get(key);
    if (id === undefined) {
      id = this.#ids.size + 1;
      this.#ids.set(key, id);
    }
    return id;
  }
}
