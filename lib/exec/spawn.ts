/**
 * Spawning one child in a process group of its own (so the whole tree can be killed), with
 * timeout and abort, a registry of live groups for SIGINT/SIGTERM handling, and output collection
 * that never hangs on grandchildren holding a pipe open.
 *
 * @module
 */
import type { RunResult } from "./executor.ts";

/**
 * The live process groups started by one executor. `killAll` signals every one of them.
 *
 * @example
 * ```ts
 * import { ProcessGroups } from "./spawn.ts";
 * const groups = new ProcessGroups();
 * groups.killAll("SIGTERM"); // 0 groups signalled
 * ```
 */
export class ProcessGroups {
  readonly #live = new Set<number>();

  /** Number of live groups. */
  get size(): number {
    return this.#live.size;
  }

  /**
   * Registers a group leader's pid.
   * @example
   * ```ts
   * import { ProcessGroups } from "./spawn.ts";
   * new ProcessGroups().add(12345);
   * ```
   * @param pgid The leader's pid (equal to its process group id).
   */
  add(pgid: number): void {
    this.#live.add(pgid);
  }

  /**
   * Forgets a group whose leader has exited.
   * @example
   * ```ts
   * import { ProcessGroups } from "./spawn.ts";
   * new ProcessGroups().delete(12345);
   * ```
   * @param pgid The leader's pid.
   */
  delete(pgid: number): void {
    this.#live.delete(pgid);
  }

  /**
   * Sends `signal` to every live process group (leader and all its descendants).
   * @example
   * ```ts
   * import { ProcessGroups } from "./spawn.ts";
   * new ProcessGroups().killAll("SIGINT");
   * ```
   * @param signal The signal.
   * @returns How many groups were signalled.
   */
  killAll(signal: Deno.Signal): number {
    let n = 0;
    for (const pgid of this.#live) if (killGroup(pgid, signal)) n++;
    return n;
  }
}

/**
 * Signals a whole process group; a group that is already gone is not an error.
 *
 * @example
 * ```ts
 * import { killGroup } from "./spawn.ts";
 * killGroup(999999999, "SIGTERM"); // false
 * ```
 * @param pgid The group id.
 * @param signal The signal.
 * @returns Whether the signal was delivered.
 */
export function killGroup(pgid: number, signal: Deno.Signal): boolean {
  try {
    Deno.kill(-pgid, signal);
    return true;
  } catch {
    return false;
  }
}

/** Options of {@linkcode spawnCollect}. */
export interface SpawnOptions {
  /** Registry of live groups. */
  groups: ProcessGroups;
  /** Data for stdin; otherwise `/dev/null`. */
  stdin?: string | Uint8Array;
  /** Kill the group after this many milliseconds. */
  timeoutMs?: number;
  /** Kill the group when this aborts. */
  signal?: AbortSignal;
  /** After the leader exits, how long to wait for pipes held open by stray descendants. @default {250} */
  graceMs?: number;
  /** After SIGTERM, how long until SIGKILL. @default {3000} */
  killAfterMs?: number;
}

/** A finished child: its result plus why it was stopped, if it was. */
export interface SpawnResult extends RunResult {
  /** True when the timeout expired. */
  readonly timedOut: boolean;
  /** True when the abort signal fired. */
  readonly aborted: boolean;
}

/**
 * Spawns `argv` in a new process group (`setsid`), collects stdout/stderr, honours timeout and
 * abort by signalling the whole group (SIGTERM, then SIGKILL), and reads `status.signal`.
 * A program that cannot be started yields code 127 (not found) or 126 (not permitted).
 *
 * @example
 * ```ts
 * import { ProcessGroups, spawnCollect } from "./spawn.ts";
 * const r = await spawnCollect(["sh", "-c", "echo hi"], { groups: new ProcessGroups() });
 * console.log(r.stdout); // "hi\n"
 * ```
 * @param argv Program and arguments.
 * @param options Registry, stdin, timeout, abort.
 * @returns The result; never throws for a failing child.
 */
export async function spawnCollect(
  argv: readonly string[],
  options: SpawnOptions,
): Promise<SpawnResult> {
  let child: Deno.ChildProcess;
  try {
    child = new Deno.Command(argv[0], {
      args: argv.slice(1),
      stdin: options.stdin === undefined ? "null" : "piped",
      stdout: "piped",
      stderr: "piped",
      detached: true,
    }).spawn();
  } catch (e) {
    return spawnFailure(argv[0], e);
  }
  const pgid = child.pid;
  options.groups.add(pgid);
  const out = new Collector(child.stdout);
  const err = new Collector(child.stderr);
  if (options.stdin !== undefined) void feed(child.stdin, options.stdin);
  let timedOut = false;
  let aborted = false;
  const killer = new GroupKiller(pgid, options.killAfterMs ?? 3000);
  const timer = options.timeoutMs === undefined ? undefined : setTimeout(() => {
    timedOut = true;
    killer.kill();
  }, Math.max(0, options.timeoutMs));
  const onAbort = () => {
    aborted = true;
    killer.kill();
  };
  if (options.signal?.aborted) onAbort();
  else options.signal?.addEventListener("abort", onAbort, { once: true });
  try {
    const status = await child.status;
    const grace = options.graceMs ?? 250;
    const [stdout, stderr] = await Promise.all([out.finish(grace), err.finish(grace)]);
    return { code: status.code, signal: status.signal, stdout, stderr, timedOut, aborted };
  } finally {
    if (timer !== undefined) clearTimeout(timer);
    options.signal?.removeEventListener("abort", onAbort);
    killer.dispose();
    options.groups.delete(pgid);
  }
}

function spawnFailure(program: string, e: unknown): SpawnResult {
  const notFound = e instanceof Deno.errors.NotFound;
  const message = e instanceof Error ? e.message : String(e);
  return {
    code: notFound ? 127 : 126,
    signal: null,
    stdout: "",
    stderr: `${program}: ${notFound ? "command not found" : message}`,
    timedOut: false,
    aborted: false,
  };
}

async function feed(stream: WritableStream<Uint8Array>, data: string | Uint8Array): Promise<void> {
  const writer = stream.getWriter();
  try {
    await writer.write(typeof data === "string" ? new TextEncoder().encode(data) : data);
    await writer.close();
  } catch {
    // The child exited without reading all of its input; its exit status tells the story.
  }
}

/** SIGTERM to a group, then SIGKILL if it is still there after a delay. */
class GroupKiller {
  #timer: ReturnType<typeof setTimeout> | undefined;
  constructor(readonly pgid: number, readonly killAfterMs: number) {}
  kill(): void {
    if (this.#timer !== undefined) return;
    killGroup(this.pgid, "SIGTERM");
    this.#timer = setTimeout(() => killGroup(this.pgid, "SIGKILL"), this.killAfterMs);
  }
  /** Stops the delayed SIGKILL; if the group was being killed, stragglers get SIGKILL now. */
  dispose(): void {
    if (this.#timer === undefined) return;
    clearTimeout(this.#timer);
    killGroup(this.pgid, "SIGKILL");
  }
}

/**
 * Reads a stream to the end. After the child has exited, a stray descendant may still hold the
 * pipe open; reading then stops once the pipe has been idle for the grace period (never while
 * data is still arriving, so a large output is never cut short).
 */
class Collector {
  readonly #chunks: Uint8Array[] = [];
  readonly #reader: ReadableStreamDefaultReader<Uint8Array>;
  readonly #done: Promise<void>;
  #lastData = performance.now();

  constructor(stream: ReadableStream<Uint8Array>) {
    this.#reader = stream.getReader();
    this.#done = this.#pump();
  }

  async #pump(): Promise<void> {
    try {
      for (;;) {
        const { done, value } = await this.#reader.read();
        if (done) return;
        this.#chunks.push(value);
        this.#lastData = performance.now();
      }
    } catch {
      // cancelled after the grace period
    }
  }

  async finish(graceMs: number): Promise<string> {
    const done = this.#done.then(() => true);
    for (;;) {
      const wait = Math.max(0, this.#lastData + graceMs - performance.now());
      let timer: ReturnType<typeof setTimeout> | undefined;
      const idle = new Promise<false>((resolve) => timer = setTimeout(() => resolve(false), wait));
      const finished = await Promise.race([done, idle]);
      clearTimeout(timer);
      if (finished) break;
      if (performance.now() - this.#lastData >= graceMs) {
        await this.#reader.cancel().catch(() => {});
        await this.#done;
        break;
      }
    }
    return new TextDecoder().decode(concat(this.#chunks));
  }
}

function concat(chunks: Uint8Array[]): Uint8Array {
  if (chunks.length === 1) return chunks[0];
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}
