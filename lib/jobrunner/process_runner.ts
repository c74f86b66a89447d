/**
 * `--spawn-process-per-job`: each sub-job runs as its own `deno run ... cli.ts` child process
 * (stdin closed, output inherited). With `--worker-timeout-seconds` an overrunning child gets
 * SIGTERM, then SIGKILL after min(1 s, timeout).
 *
 * @module
 */
import type { SubJobRunner } from "./runner.ts";

/** Options of {@linkcode processRunner}. */
export interface ProcessRunnerOptions {
  /** `--worker-timeout-seconds`. */
  readonly timeoutSeconds?: number;
  /** The command that starts bzfs, before its arguments. @default {@linkcode bzfsCommand}() */
  readonly command?: readonly string[];
  /** Told when a child is terminated or killed. */
  readonly onKill?: (message: string) => void;
}

const SIGNALS: Partial<Record<Deno.Signal, number>> = { SIGINT: 2, SIGKILL: 9, SIGTERM: 15 };

/**
 * Creates the runner.
 *
 * @example
 * ```ts ignore
 * const runner = processRunner({ timeoutSeconds: 3600 });
 * ```
 * @param options Timeout and command.
 * @returns The runner.
 */
export function processRunner(options: ProcessRunnerOptions = {}): SubJobRunner {
  const command = options.command ?? bzfsCommand();
  return {
    async run(job, signal) {
      const child = new Deno.Command(command[0], {
        args: [...command.slice(1), ...job.argv.slice(1)],
        stdin: "null",
        stdout: "inherit",
        stderr: "inherit",
      }).spawn();
      const timers: ReturnType<typeof setTimeout>[] = [];
      const kill = (sig: Deno.Signal) => {
        try {
          child.kill(sig);
        } catch {
          // already gone
        }
      };
      const terminate = (why: string) => {
        options.onKill?.(`Terminating worker job (${why}): ${job.name}`);
        kill("SIGTERM");
        const grace = Math.min(1000, 1000 * (options.timeoutSeconds ?? 1));
        timers.push(setTimeout(() => kill("SIGKILL"), grace));
      };
      const onAbort = () => terminate("jobrunner is stopping");
      if (signal.aborted) onAbort();
      else signal.addEventListener("abort", onAbort, { once: true });
      if (options.timeoutSeconds !== undefined) {
        const s = options.timeoutSeconds;
        timers.push(setTimeout(() => terminate(`did not complete within ${s}s`), 1000 * s));
      }
      try {
        const status = await child.status;
        return status.signal ? -(SIGNALS[status.signal] ?? 15) : status.code;
      } finally {
        signal.removeEventListener("abort", onAbort);
        for (const t of timers) clearTimeout(t);
      }
    },
    close: () => Promise.resolve(),
  };
}

/**
 * The command that starts bzfs as a child: this Deno with the permissions this process has
 * (fully granted kinds as `--allow-<kind>`, partially granted run/env/sys as the allowed
 * entries bzfs uses), this module's `cli.ts`, and for a local checkout its `deno.json`.
 *
 * @example
 * ```ts
 * import { bzfsCommand } from "./process_runner.ts";
 * console.log(bzfsCommand()[1]); // "run"
 * ```
 * @returns The argv prefix.
 */
export function bzfsCommand(): string[] {
  const cli = new URL("../../cli.ts", import.meta.url);
  const argv = [Deno.execPath(), "run", "--no-prompt"];
  if (cli.protocol === "file:") {
    const config = new URL("../../deno.json", import.meta.url);
    argv.push(`--config=${config.pathname}`, "--frozen");
  }
  argv.push(...permissionFlags());
  argv.push(cli.protocol === "file:" ? cli.pathname : cli.href);
  return argv;
}

const PARTIAL: Record<"run" | "env" | "sys", readonly string[]> = {
  run: [
    "zfs",
    "zpool",
    "ssh",
    "sudo",
    "doas",
    "sh",
    "zstd",
    "mbuffer",
    "pv",
    "lz4",
    "pigz",
    "gzip",
    "hostname",
  ],
  env: ["HOME", "PATH", "USER", "LOGNAME", "TZ", "LANG", "TMPDIR", "SSH_AUTH_SOCK"],
  sys: ["hostname", "osRelease", "uid", "gid", "loadavg"],
};

function permissionFlags(): string[] {
  const flags: string[] = [];
  for (const name of ["read", "write", "net", "env", "run", "sys", "ffi"] as const) {
    if (Deno.permissions.querySync({ name }).state === "granted") {
      flags.push(`--allow-${name}`);
      continue;
    }
    if (name === "run" || name === "env" || name === "sys") {
      const allowed = PARTIAL[name].filter((v) => granted(name, v));
      if (allowed.length > 0) flags.push(`--allow-${name}=${allowed.join(",")}`);
    }
  }
  const paths = [Deno.env.get("HOME") ?? "", "/tmp"].filter((p) => p !== "");
  for (const name of ["read", "write"] as const) {
    if (flags.includes(`--allow-${name}`)) continue;
    const ok = paths.filter((p) =>
      Deno.permissions.querySync({ name, path: p }).state === "granted"
    );
    if (ok.length > 0) flags.push(`--allow-${name}=${ok.join(",")}`);
  }
  return flags;
}

function granted(name: "run" | "env" | "sys", value: string): boolean {
  const desc: Deno.PermissionDescriptor = name === "run"
    ? { name, command: value }
    : name === "env"
    ? { name, variable: value }
    : { name, kind: value as "hostname" };
  return Deno.permissions.querySync(desc).state === "granted";
}
