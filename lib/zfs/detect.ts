/**
 * `detectTools`: one round trip per host that finds which helper programs exist (zstd/lz4,
 * mbuffer, pv, sh, sudo, ps, zpool, ssh), the zfs version, CPU count, OS and uid; cached per host.
 *
 * @module
 */
import type { Clock } from "../clock.ts";
import { systemClock } from "../clock.ts";
import type { Executor } from "../exec/executor.ts";
import { RetryableError } from "../errors.ts";
import { failureOf } from "../exec/failure.ts";
import { shellQuote } from "../exec/quote.ts";
import { type Remote, remoteKey } from "../exec/remote.ts";
import { TOOL_ROLES, type ToolRole, type ToolSet } from "../exec/tools.ts";
import { lines } from "./list.ts";
import { parseZfsVersion, type ZfsVersion } from "./version.ts";

/** The configured program per role (`-` disables a role). */
export type ToolPrograms = Readonly<Partial<Record<ToolRole, string>>> & { readonly zfs?: string };

/** The upstream defaults of `--shell-program`, `--sudo-program`, `--compression-program`, ... */
export const DEFAULT_TOOL_PROGRAMS: ToolPrograms = Object.freeze({
  shell: "sh",
  sudo: "sudo",
  compression: "zstd",
  mbuffer: "mbuffer",
  pv: "pv",
  ps: "ps",
  zpool: "zpool",
  ssh: "ssh",
  zfs: "zfs",
});

/** What was found on one host. */
export interface HostInfo {
  /** The available helper roles. */
  readonly tools: ToolSet;
  /** The zfs version, if `zfs --version` printed one. */
  readonly zfsVersion?: ZfsVersion;
  /** `getconf _NPROCESSORS_ONLN`, if known. */
  readonly cpuCount?: number;
  /** First word of `uname -a`: `Linux`, `FreeBSD`, `Darwin`. */
  readonly os?: string;
  /** `id -u` on that host (of the ssh user). */
  readonly uid?: number;
  /** `$SHELL` of that user (ssh hands remote commands to it); csh-like shells are flagged in notes. */
  readonly loginShell?: string;
  /** Why detection was partial (e.g. no shell), for warnings. */
  readonly notes: readonly string[];
}

/**
 * The POSIX sh script that reports everything in one go, as `key<TAB>value` lines. It uses `if`
 * and `printf` (not `&&` and `echo`) to work in every shell.
 *
 * @example
 * ```ts
 * import { detectScript } from "./detect.ts";
 * detectScript({ compression: "lz4", mbuffer: "-" }).includes("command -v lz4"); // true
 * ```
 * @param programs The configured programs (missing ones take the defaults).
 * @returns The script.
 */
export function detectScript(programs: ToolPrograms = {}): string {
  const p = { ...DEFAULT_TOOL_PROGRAMS, ...programs };
  const cmds: string[] = [];
  for (const role of TOOL_ROLES) {
    const program = p[role];
    if (role === "shell" || !program || program === "-") continue;
    cmds.push(
      `if command -v ${
        shellQuote(program)
      } >/dev/null 2>&1; then printf "tool\\t%s\\n" ${role}; fi`,
    );
  }
  cmds.push(
    `printf "zfs\\t%s\\n" "$(${shellQuote(p.zfs ?? "zfs")} --version 2>/dev/null | head -n 1)"`,
  );
  cmds.push(`printf "cpus\\t%s\\n" "$(getconf _NPROCESSORS_ONLN 2>/dev/null)"`);
  cmds.push(`printf "uname\\t%s\\n" "$(uname -a 2>/dev/null)"`);
  cmds.push(`printf "uid\\t%s\\n" "$(id -u 2>/dev/null)"`);
  cmds.push(`printf "login_shell\\t%s\\n" "$SHELL"`);
  return cmds.join("; ");
}

/**
 * Parses the output of {@linkcode detectScript} (run by a working shell, so `shell` is added).
 *
 * @example
 * ```ts
 * import { parseDetectOutput } from "./detect.ts";
 * const info = parseDetectOutput("tool\tcompression\nzfs\tzfs-2.3.2-1\ncpus\t8\nuname\tLinux h 6.1\nuid\t0\n");
 * info.tools.has("compression"); // true
 * info.zfsVersion?.minor; // 3
 * ```
 * @param stdout The script's output.
 * @returns The host info.
 */
export function parseDetectOutput(stdout: string): HostInfo {
  const tools = new Set<ToolRole>(["shell"]);
  let zfsVersion: ZfsVersion | undefined;
  let cpuCount: number | undefined;
  let os: string | undefined;
  let uid: number | undefined;
  let loginShell: string | undefined;
  for (const line of lines(stdout)) {
    const tab = line.indexOf("\t");
    const key = tab < 0 ? line : line.slice(0, tab);
    const value = tab < 0 ? "" : line.slice(tab + 1).trim();
    if (key === "tool" && (TOOL_ROLES as readonly string[]).includes(value)) {
      tools.add(value as ToolRole);
    } else if (key === "zfs" && /\d+\.\d+\.\d+/.test(value)) zfsVersion = parseZfsVersion(value);
    else if (key === "cpus" && /^\d+$/.test(value)) cpuCount = Number(value);
    else if (key === "uname" && value) os = value.split(" ", 1)[0];
    else if (key === "uid" && /^\d+$/.test(value)) uid = Number(value);
    else if (key === "login_shell" && value) loginShell = value;
  }
  const notes = loginShell && /(^|\/)t?csh$/.test(loginShell)
    ? [
      `The login shell ${loginShell} is not POSIX; remote pipelines need sh, bash, dash, ksh or zsh`,
    ]
    : [];
  return { tools, zfsVersion, cpuCount, os, uid, loginShell, notes };
}

/**
 * Caches HostInfo per host and program configuration, for `ttlMs`
 * (`--daemon-remote-conf-cache-ttl`); concurrent callers share one round trip.
 *
 * @example
 * ```ts
 * import { DetectCache } from "./detect.ts";
 * const cache = new DetectCache({ ttlMs: 300_000 });
 * cache.clear();
 * ```
 */
export class DetectCache {
  readonly #entries = new Map<string, { at: number; info: Promise<HostInfo> }>();
  readonly #clock: Clock;
  readonly #ttlMs: number;

  /**
   * Creates the instance.
   *
   * @param options Clock and time to live (default: forever).
   */
  constructor(options: { clock?: Clock; ttlMs?: number } = {}) {
    this.#clock = options.clock ?? systemClock;
    this.#ttlMs = options.ttlMs ?? Infinity;
  }

  /**
   * The cached info for `key`, or the result of `load()` (stored; dropped again if it fails).
   * @example
   * ```ts
   * import { DetectCache } from "./detect.ts";
   * const info = await new DetectCache().get("-", () => Promise.resolve({ tools: new Set(), notes: [] }));
   * ```
   * @param key The host and configuration key.
   * @param load Detects when not cached.
   * @returns The info.
   */
  get(key: string, load: () => Promise<HostInfo>): Promise<HostInfo> {
    const hit = this.#entries.get(key);
    const now = this.#clock.now();
    if (hit && now - hit.at < this.#ttlMs) return hit.info;
    const info = load();
    this.#entries.set(key, { at: now, info });
    info.catch(() => {
      if (this.#entries.get(key)?.info === info) this.#entries.delete(key);
    });
    return info;
  }

  /**
   * Forgets everything.
   * @example
   * ```ts
   * import { DetectCache } from "./detect.ts";
   * new DetectCache().clear();
   * ```
   */
  clear(): void {
    this.#entries.clear();
  }
}

/** Options of {@linkcode detectTools}. */
export interface DetectToolsOptions {
  /** The configured programs. @default {DEFAULT_TOOL_PROGRAMS} */
  programs?: ToolPrograms;
  /** Where results are kept; without one, every call detects afresh. */
  cache?: DetectCache;
  /** Timeout of the round trip. */
  timeoutMs?: number;
}

/**
 * Detects the tools of one host with one (remote) `sh -c` round trip, cached per host. Without
 * a shell (`--shell-program=-`, or sh missing), falls back to `zfs --version` alone and assumes
 * only sudo, as upstream does.
 *
 * @example
 * ```ts
 * import { detectTools, DetectCache } from "./detect.ts";
 * import { FakeExecutor } from "../exec/fake_executor.ts";
 * import { createRemote } from "../exec/remote.ts";
 * const fake = new FakeExecutor().on("sh -c", { stdout: "tool\tmbuffer\nzfs\tzfs-2.1.11-1\n" });
 * const info = await detectTools(fake, createRemote({ host: "nas" }), { cache: new DetectCache() });
 * info.tools.has("mbuffer"); // true
 * ```
 * @param executor Runs the detection (read-only, so it also runs under --dryrun).
 * @param remote The host.
 * @param options Programs, cache, timeout.
 * @returns What the host has.
 * @throws {CommandError} When even `zfs --version` cannot run (other than "not found").
 * @throws {RetryableError} On an ssh transport failure.
 */
export function detectTools(
  executor: Executor,
  remote: Remote,
  options: DetectToolsOptions = {},
): Promise<HostInfo> {
  const programs = { ...DEFAULT_TOOL_PROGRAMS, ...options.programs };
  const load = () => detectOnce(executor, remote, programs, options.timeoutMs);
  if (!options.cache) return load();
  return options.cache.get(`${remoteKey(remote)}|${JSON.stringify(programs)}`, load);
}

async function detectOnce(
  executor: Executor,
  remote: Remote,
  programs: ToolPrograms,
  timeoutMs: number | undefined,
): Promise<HostInfo> {
  const shell = programs.shell ?? "sh";
  let note = `${shell} is disabled by --shell-program=-`;
  if (shell !== "-") {
    const argv = [shell, "-c", detectScript(programs)];
    const r = await executor.run({ argv, remote, readOnly: true, check: false, timeoutMs });
    if (r.code === 0) return parseDetectOutput(r.stdout);
    const failure = failureOf(argv, r, { viaSsh: remote.host !== undefined });
    if (failure instanceof RetryableError) throw failure; // ssh transport error, not a missing shell
    note = `Failed to run ${shell} (exit ${r.code}); continuing with minimal assumptions`;
  }
  const zfs = programs.zfs ?? "zfs";
  const v = await executor.run({
    argv: [zfs, "--version"],
    remote,
    readOnly: true,
    check: false,
    timeoutMs,
  });
  const zfsVersion = /\d+\.\d+\.\d+/.test(v.stdout) ? parseZfsVersion(v.stdout) : undefined;
  return { tools: new Set<ToolRole>(["sudo"]), zfsVersion, notes: [note] };
}
