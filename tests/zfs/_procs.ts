/**
 * Process helpers for fault-injection tests: spawn our CLI and watch its log, find its process
 * tree on this host, kill it, and list processes on the host and in the guest.
 */
import type { CliOptions, Lab } from "../lab/helpers.ts";
import { repoRoot } from "../lab/paths.ts";

/** A running CLI whose stderr is collected as it arrives. */
export class CliProcess {
  readonly child: Deno.ChildProcess;
  #stderr = "";
  #stdout = "";
  readonly #pumps: Promise<void>[];
  readonly status: Promise<Deno.CommandStatus>;

  constructor(argv: readonly string[], env: Record<string, string>) {
    this.child = new Deno.Command(argv[0], {
      args: argv.slice(1),
      env,
      cwd: repoRoot(),
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
      detached: true, // a process group of its own, like a job started from cron
    }).spawn();
    this.#pumps = [
      pump(this.child.stderr, (t) => (this.#stderr += t)),
      pump(this.child.stdout, (t) => (this.#stdout += t)),
    ];
    this.status = this.child.status;
  }

  get pid(): number {
    return this.child.pid;
  }

  get stderr(): string {
    return this.#stderr;
  }

  /** Waits until stderr matches, or throws after `timeoutMs` (or if the process exits first). */
  async waitFor(re: RegExp, timeoutMs = 60_000): Promise<void> {
    const until = Date.now() + timeoutMs;
    let exited = false;
    this.status.then(() => (exited = true));
    while (!re.test(this.#stderr)) {
      if (exited) throw new Error(`CLI exited before ${re}:\n${this.#stderr}`);
      if (Date.now() > until) throw new Error(`Timed out waiting for ${re}:\n${this.#stderr}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /** Waits for exit; returns the code and all output. */
  async done(): Promise<
    { code: number; signal: Deno.Signal | null; stderr: string; stdout: string }
  > {
    const s = await this.status;
    await Promise.all(this.#pumps);
    return { code: s.code, signal: s.signal, stderr: this.#stderr, stdout: this.#stdout };
  }
}

async function pump(stream: ReadableStream<Uint8Array>, add: (t: string) => void): Promise<void> {
  const decoder = new TextDecoder();
  for await (const chunk of stream) add(decoder.decode(chunk, { stream: true }));
}

/** Starts our CLI against the lab (local sides through the zfs wrappers). */
export function spawnCli(l: Lab, opts: CliOptions): CliProcess {
  return new CliProcess(l.cliArgv(opts), { ...Deno.env.toObject(), ...l.localEnv() });
}

/** pid -> [ppid, args] of every process on this host. */
export function hostProcesses(): Map<number, { ppid: number; args: string }> {
  const out = new Map<number, { ppid: number; args: string }>();
  for (const e of Deno.readDirSync("/proc")) {
    if (!/^\d+$/.test(e.name)) continue;
    try {
      const stat = Deno.readTextFileSync(`/proc/${e.name}/stat`);
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      const args = Deno.readTextFileSync(`/proc/${e.name}/cmdline`).split("\0").join(" ").trim();
      out.set(Number(e.name), { ppid, args });
    } catch {
      // gone meanwhile
    }
  }
  return out;
}

/** The pids of every descendant of `pid` on this host (children first found, any depth). */
export function descendants(pid: number): number[] {
  const procs = hostProcesses();
  const found: number[] = [];
  const queue = [pid];
  while (queue.length > 0) {
    const p = queue.shift()!;
    for (const [child, info] of procs) {
      if (info.ppid === p && !found.includes(child)) {
        found.push(child);
        queue.push(child);
      }
    }
  }
  return found;
}

/** SIGKILLs a process and every descendant at once (like a power cut for this job). */
export function killTree(pid: number): number[] {
  const all = [pid, ...descendants(pid)];
  for (const p of all) {
    try {
      Deno.kill(p, "SIGKILL");
    } catch {
      // already gone
    }
  }
  return all;
}

/** Host processes whose command line matches. */
export function hostMatching(re: RegExp): string[] {
  return [...hostProcesses()].filter(([pid, p]) => pid !== Deno.pid && re.test(p.args)).map((
    [pid, p],
  ) => `${pid} ${p.args}`);
}

/** Guest processes whose command line matches (the ps itself excluded). */
export async function guestMatching(l: Lab, re: RegExp): Promise<string[]> {
  const r = await l.sh("ps -eo pid,args");
  return r.stdout.split("\n").filter((line) => re.test(line) && !/ps -eo/.test(line));
}

/** Polls `check` until it returns an empty list, or returns the last non-empty list. */
export async function settle(check: () => Promise<string[]> | string[], timeoutMs = 15_000) {
  const until = Date.now() + timeoutMs;
  let last = await check();
  while (last.length > 0 && Date.now() < until) {
    await new Promise((r) => setTimeout(r, 250));
    last = await check();
  }
  return last;
}

/** Fills a dataset in the guest with `mib` MiB of incompressible data (fast: made in the guest). */
export async function fillRandom(l: Lab, dataset: string, mib: number, file = "big.bin") {
  const mnt = await l.mountpoint(dataset);
  await l.sh(`head -c ${mib}M /dev/urandom > ${mnt}/${file} && sync`);
}
