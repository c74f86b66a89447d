/**
 * The default execution mode: sub-jobs run in-process, on a pool of Web Workers (threads of
 * this Deno process, one isolate each), each calling bzfs `main` for one sub-job at a time.
 * Separate isolates keep each sub-job's logging setup and log file apart, which a shared
 * isolate cannot (logging is configured globally per isolate).
 *
 * @module
 */
import type { WorkerReply, WorkerRequest } from "./_bzfs_worker.ts";
import type { SubJobRunner } from "./runner.ts";

/** Options of {@linkcode workerPoolRunner}. */
export interface WorkerPoolOptions {
  /** Maximum workers (the jobrunner's `--workers`). */
  readonly size: number;
  /** `--worker-timeout-seconds`: passed to bzfs as `--timeout=<ms>milliseconds`. */
  readonly timeoutSeconds?: number;
  /** The environment sub-jobs see. @default what this process may read */
  readonly env?: Readonly<Record<string, string>>;
  /** Module of the worker body. @default `./_bzfs_worker.ts` */
  readonly workerUrl?: URL;
}

interface PooledWorker {
  readonly worker: Worker;
  pending: ((code: number) => void) | null;
}

/**
 * Creates the pool; workers start lazily and are reused.
 *
 * @example
 * ```ts ignore
 * const runner = workerPoolRunner({ size: 4 });
 * const code = await runner.run(job, signal);
 * await runner.close();
 * ```
 * @param options Pool size, timeout and environment.
 * @returns The runner.
 */
export function workerPoolRunner(options: WorkerPoolOptions): SubJobRunner {
  const url = options.workerUrl ?? new URL("./_bzfs_worker.ts", import.meta.url);
  const env = options.env ?? readableEnv();
  const idle: PooledWorker[] = [];
  const all = new Set<PooledWorker>();
  const waiters: ((w: PooledWorker) => void)[] = [];
  let nextId = 0;

  const spawn = (): PooledWorker => {
    const pooled: PooledWorker = { worker: new Worker(url, { type: "module" }), pending: null };
    pooled.worker.onmessage = (e: MessageEvent<WorkerReply>) => {
      const done = pooled.pending;
      pooled.pending = null;
      done?.(e.data.code);
    };
    pooled.worker.onerror = (e) => {
      e.preventDefault();
      Deno.stderr.writeSync(
        new TextEncoder().encode(`bzfs_jobrunner: worker error: ${e.message}\n`),
      );
      const done = pooled.pending;
      pooled.pending = null;
      all.delete(pooled);
      pooled.worker.terminate();
      done?.(3);
    };
    all.add(pooled);
    return pooled;
  };
  const acquire = (): Promise<PooledWorker> => {
    const w = idle.pop();
    if (w) return Promise.resolve(w);
    if (all.size < options.size) return Promise.resolve(spawn());
    return new Promise((resolve) => waiters.push(resolve));
  };
  const release = (w: PooledWorker) => {
    if (!all.has(w)) return;
    const waiter = waiters.shift();
    if (waiter) waiter(w);
    else idle.push(w);
  };

  return {
    async run(job) {
      let args = job.argv.slice(1);
      if (options.timeoutSeconds !== undefined) {
        args = [`--timeout=${Math.round(1000 * options.timeoutSeconds)}milliseconds`, ...args];
      }
      const w = await acquire();
      try {
        return await new Promise<number>((resolve) => {
          w.pending = resolve;
          const request: WorkerRequest = { id: nextId++, args, env };
          w.worker.postMessage(request);
        });
      } finally {
        release(w);
      }
    },
    close() {
      for (const w of all) w.worker.terminate();
      all.clear();
      idle.length = 0;
      return Promise.resolve();
    },
  };
}

/**
 * Whether this process may start the pool's worker threads: a worker reads its module files,
 * so a local installation needs read access to it (a remote one, net access to its host).
 *
 * @example
 * ```ts
 * import { canStartWorkers } from "./worker_pool_runner.ts";
 * console.log(typeof canStartWorkers().ok); // "boolean"
 * ```
 * @returns Whether it may, and otherwise the flag that is missing.
 */
export function canStartWorkers(): { ok: boolean; missing?: string } {
  const root = new URL("../../", import.meta.url);
  if (root.protocol === "file:") {
    const ok =
      Deno.permissions.querySync({ name: "read", path: root.pathname }).state === "granted";
    return ok ? { ok } : { ok, missing: `--allow-read=${root.pathname.replace(/\/$/, "")}` };
  }
  const ok = Deno.permissions.querySync({ name: "net", host: root.host }).state === "granted";
  return ok ? { ok } : { ok, missing: `--allow-net=${root.host}` };
}

/** Variables sub-jobs may need, as far as this process is allowed to read them. */
const ENV_NAMES = ["HOME", "PATH", "USER", "LOGNAME", "TZ", "LANG", "TMPDIR", "SSH_AUTH_SOCK"];

/**
 * The environment this process may read: all of it with full `--allow-env`, else the
 * variables bzfs uses that are individually allowed.
 *
 * @example
 * ```ts
 * import { readableEnv } from "./worker_pool_runner.ts";
 * console.log(typeof readableEnv()); // "object"
 * ```
 * @returns The variables.
 */
export function readableEnv(): Record<string, string> {
  if (Deno.permissions.querySync({ name: "env" }).state === "granted") return Deno.env.toObject();
  const out: Record<string, string> = {};
  for (const name of ENV_NAMES) {
    if (Deno.permissions.querySync({ name: "env", variable: name }).state !== "granted") continue;
    const v = Deno.env.get(name);
    if (v !== undefined) out[name] = v;
  }
  return out;
}
