/**
 * Children in their own process group, so that a run can end everything they started
 * (deno test, our CLI, its ssh and sh pipelines), even grandchildren, and leave nothing behind.
 *
 * @module
 */

/** Options of {@linkcode spawnGroup}. */
export interface GroupOptions {
  /** Environment variables added to ours. */
  env?: Record<string, string>;
  /** Working directory. */
  cwd?: string;
}

/**
 * Spawns `argv` as the leader of a new session and process group (via `setsid`, which execs
 * without forking here, so the child's pid is the group id). Output is inherited, stdin null.
 *
 * @example
 * ```ts
 * const child = spawnGroup(["deno", "test"]);
 * await killGroup(child.pid);
 * ```
 */
export function spawnGroup(argv: readonly string[], options: GroupOptions = {}) {
  return new Deno.Command("setsid", {
    args: [...argv],
    env: options.env,
    cwd: options.cwd,
    stdin: "null",
    stdout: "inherit",
    stderr: "inherit",
  }).spawn();
}

/**
 * Pids of live processes whose process group is `pgid` (from /proc).
 *
 * @example
 * ```ts
 * groupMembers(child.pid).length; // 0 once everything ended
 * ```
 */
export function groupMembers(pgid: number): number[] {
  const members: number[] = [];
  for (const entry of Deno.readDirSync("/proc")) {
    if (!/^\d+$/.test(entry.name)) continue;
    try {
      const stat = Deno.readTextFileSync(`/proc/${entry.name}/stat`);
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      // fields[0] is the state, fields[2] the process group; zombies are already dead.
      if (Number(fields[2]) === pgid && fields[0] !== "Z") members.push(Number(entry.name));
    } catch {
      // The process ended while we looked.
    }
  }
  return members;
}

/**
 * Ends a process group: SIGTERM, up to `graceMs` for it to go, then SIGKILL.
 *
 * @example
 * ```ts
 * await killGroup(child.pid);
 * ```
 */
export async function killGroup(pgid: number, graceMs = 3000): Promise<void> {
  if (pgid <= 1 || groupMembers(pgid).length === 0) return;
  signalGroup(pgid, "SIGTERM");
  for (let waited = 0; waited < graceMs && groupMembers(pgid).length > 0; waited += 100) {
    await new Promise((r) => setTimeout(r, 100));
  }
  if (groupMembers(pgid).length > 0) signalGroup(pgid, "SIGKILL");
}

function signalGroup(pgid: number, sig: Deno.Signal): void {
  try {
    Deno.kill(-pgid, sig);
  } catch {
    // Already gone.
  }
}
