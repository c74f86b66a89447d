/**
 * Test helpers for real-ZFS tests (tests/zfs/**): reach the running lab named by
 * `BZFS_LAB_STATE` (set by `deno task test:zfs`, or `eval "$(deno task lab env)"`), reset
 * its pools once per test file, make datasets with known content, inspect snapshots and
 * bookmarks, and run our CLI in local, push, pull and pull-push modes.
 *
 * @example A test file
 * ```ts
 * import { labFile } from "../lab/helpers.ts";
 * const lab = labFile();
 * lab.test("[smoke] snapshot", async (l) => {
 *   await l.createDataset(`${l.src}/a`);
 *   await l.zfs("snapshot", `${l.src}/a@s1`);
 * });
 * ```
 *
 * @module
 */

import { statSync } from "node:fs";
import { join } from "node:path";
import { type LabState, readState, stateFile } from "./lab_state.ts";
import { repoRoot } from "./paths.ts";
import { resetPools } from "./pools.ts";
import { run, type RunOptions, type RunResult } from "./run.ts";
import { shellQuote } from "./shell_quote.ts";
import { type Target, targetFor } from "./target.ts";
import { defaultFiles, deterministicBytes, type FileSpec } from "./data.ts";

export type { RunResult } from "./run.ts";

/** How our CLI reaches the datasets. */
export type CliMode = "local" | "push" | "pull" | "pull-push";

/** A snapshot or bookmark with its identity. */
export interface SnapInfo {
  /** Full name (`pool/ds@snap` or `pool/ds#bm`). */
  name: string;
  /** ZFS GUID (decimal string). */
  guid: string;
  /** Creation transaction group. */
  createtxg: number;
}

/** Options of {@linkcode Lab.createDataset}. */
export interface DatasetOptions {
  /** Files to write; default 2 files of 1 MiB. */
  files?: FileSpec[];
  /** Seed prefix for the content; default the dataset name. */
  seed?: string;
  /** Extra `zfs create -o` properties. */
  props?: Record<string, string>;
}

/** Options of {@linkcode Lab.runCli}. */
export interface CliOptions {
  /** Where src and dst live; default "local". */
  mode?: CliMode;
  /** Source dataset (plain name, e.g. `src/a`). */
  src: string;
  /** Destination dataset (plain name). */
  dst: string;
  /** Options placed before the positional datasets. */
  args?: string[];
  /** ssh user for remote sides. @default "root" */
  user?: string;
  /** Return a failed result instead of throwing. @default true */
  noThrow?: boolean;
}

/**
 * True if `BZFS_LAB_STATE` names a lab with a state file (tests are ignored otherwise).
 *
 * @example
 * ```ts
 * Deno.test({ name: "x", ignore: !labAvailable(), fn() {} });
 * ```
 */
export function labAvailable(): boolean {
  const dir = Deno.env.get("BZFS_LAB_STATE");
  if (!dir) return false;
  try {
    return statSync(stateFile(dir)).isFile();
  } catch {
    return false;
  }
}

/**
 * Connects to the lab whose state directory is given, else the one named by `BZFS_LAB_STATE`.
 *
 * @example
 * ```ts
 * const lab = await connectLab();
 * ```
 */
export async function connectLab(stateDir?: string): Promise<Lab> {
  const dir = stateDir ?? Deno.env.get("BZFS_LAB_STATE");
  if (!dir) {
    throw new Error("BZFS_LAB_STATE is not set; run 'deno task test:zfs' or 'deno task lab env'");
  }
  const state = await readState(dir);
  if (!state) throw new Error(`No lab state in ${dir}; run 'deno task lab start'`);
  return new Lab(state);
}

/** A connected lab. */
export class Lab {
  /** The lab's recorded state. */
  readonly state: LabState;
  /** Where commands run. */
  readonly target: Target;

  /** @param state The lab's state (see {@linkcode connectLab}). */
  constructor(state: LabState) {
    this.state = state;
    this.target = targetFor(state);
  }

  /** Source pool name (`src` in the VM). */
  get src(): string {
    return this.state.srcPool;
  }

  /** Destination pool name (`dst` in the VM). */
  get dst(): string {
    return this.state.dstPool;
  }

  /** True if push/pull/pull-push over ssh can be tested (vm mode). */
  get sshAvailable(): boolean {
    return this.state.mode === "vm";
  }

  /** Destroys and recreates the empty src and dst pools. */
  resetPools(): Promise<void> {
    return resetPools(this.target, this.state);
  }

  /** Runs `zfs <args>` where the pools are; returns stdout; throws on failure. */
  async zfs(...args: string[]): Promise<string> {
    return (await this.target.exec(["zfs", ...args])).stdout;
  }

  /** Runs any argv where the pools are. */
  exec(argv: readonly string[], options?: RunOptions): Promise<RunResult> {
    return this.target.exec(argv, options);
  }

  /** Runs a shell script where the pools are (pipelines such as send | receive). */
  sh(script: string, options?: RunOptions): Promise<RunResult> {
    return this.target.sh(script, options);
  }

  /** Environment for host processes in local mode: the zfs/zpool wrappers first on PATH. */
  localEnv(): Record<string, string> {
    const path = Deno.env.get("PATH") ?? "/usr/bin:/bin";
    return this.state.wrapperDir ? { PATH: `${this.state.wrapperDir}:${path}` } : { PATH: path };
  }

  /** Runs a shell script on this host with {@linkcode localEnv} (local mode via wrappers). */
  localSh(script: string, options: RunOptions = {}): Promise<RunResult> {
    return run(["sh", "-c", script], { ...options, env: { ...this.localEnv(), ...options.env } });
  }

  /** `user@zfsvm:dataset`, for push/pull arguments. */
  remote(dataset: string, user = "root"): string {
    if (!this.state.host) throw new Error("Remote datasets need vm mode; skip this test");
    return `${user}@${this.state.host}:${dataset}`;
  }

  /** Creates a dataset (and parents) and fills it with deterministic content. */
  async createDataset(name: string, opts: DatasetOptions = {}): Promise<void> {
    const props = Object.entries(opts.props ?? {}).flatMap(([k, v]) => ["-o", `${k}=${v}`]);
    await this.target.exec(["zfs", "create", "-p", ...props, name]);
    await this.writeFiles(name, opts.files ?? defaultFiles(2, 1 << 20), opts.seed ?? name);
  }

  /** Writes (or overwrites) files in a mounted dataset with content derived from `seed`. */
  async writeFiles(dataset: string, files: FileSpec[], seed: string): Promise<void> {
    const mnt = await this.mountpoint(dataset);
    for (const f of files) {
      if (f.path.split("/").includes("..")) throw new Error(`Bad test file path ${f.path}`);
      const path = `${mnt}/${f.path}`;
      const dir = path.slice(0, path.lastIndexOf("/"));
      await this.target.sh(`mkdir -p ${shellQuote(dir)} && cat > ${shellQuote(path)}`, {
        stdin: deterministicBytes(`${seed}:${f.path}`, f.size),
      });
    }
  }

  /** The mountpoint of a dataset, mounting it first if needed. */
  async mountpoint(dataset: string): Promise<string> {
    const out = await this.zfs("get", "-H", "-o", "value", "mountpoint,mounted", dataset);
    const [mnt, mounted] = out.trim().split("\n");
    if (!mnt.startsWith("/")) throw new Error(`Dataset ${dataset} has no mountpoint (${mnt})`);
    if (mounted !== "yes") await this.zfs("mount", dataset);
    return mnt;
  }

  /**
   * Checksum of all file names and contents of a dataset or snapshot (`ds@snap`): equal
   * checksums mean equal content.
   */
  async checksum(datasetOrSnapshot: string): Promise<string> {
    const [ds, snap] = datasetOrSnapshot.split("@");
    const mnt = await this.mountpoint(ds);
    const dir = snap === undefined ? mnt : `${mnt}/.zfs/snapshot/${snap}`;
    const r = await this.target.sh(
      `cd ${shellQuote(dir)} && find . -type f -print0 | LC_ALL=C sort -z | ` +
        `xargs -0 -r sha256sum | sha256sum`,
    );
    return r.stdout.split(" ")[0];
  }

  /**
   * Snapshots (only; bookmarks with {@linkcode bookmarks} or `types`) of one dataset, or of
   * its subtree with `recursive`, oldest first.
   */
  async snapshots(dataset: string, opts: { recursive?: boolean; types?: string } = {}) {
    const depth = opts.recursive ? ["-r"] : ["-d", "1"];
    const out = await this.zfs(
      "list",
      "-H",
      "-p",
      "-t",
      opts.types ?? "snapshot",
      "-o",
      "name,guid,createtxg",
      "-s",
      "createtxg",
      ...depth,
      dataset,
    );
    return parseSnapInfo(out);
  }

  /** Bookmarks only, oldest first. */
  bookmarks(dataset: string, opts: { recursive?: boolean } = {}): Promise<SnapInfo[]> {
    return this.snapshots(dataset, { ...opts, types: "bookmark" });
  }

  /** Snapshots and bookmarks together, oldest first. */
  snapshotsAndBookmarks(dataset: string, opts: { recursive?: boolean } = {}) {
    return this.snapshots(dataset, { ...opts, types: "snapshot,bookmark" });
  }

  /** Dataset names (no snapshots) under and including `root`; empty if it does not exist. */
  async datasets(root: string): Promise<string[]> {
    const r = await this.target.exec(["zfs", "list", "-H", "-o", "name", "-r", root], {
      noThrow: true,
    });
    return r.code === 0 ? r.stdout.split("\n").filter((l) => l) : [];
  }

  /** `zfs list -t all -o name,guid -r root` as text (for printing). */
  async listAll(root: string): Promise<string> {
    return await this.zfs("list", "-t", "all", "-o", "name,guid", "-r", root);
  }

  /** The argv that runs our CLI with these options (see {@linkcode runCli}). */
  cliArgv(opts: CliOptions): string[] {
    const mode = opts.mode ?? "local";
    const user = opts.user ?? "root";
    const srcRemote = mode === "pull" || mode === "pull-push";
    const dstRemote = mode === "push" || mode === "pull-push";
    const cfg = this.state.sshConfig ?? "";
    const argv = [Deno.execPath(), "run", "--frozen", "--allow-all", join(repoRoot(), "cli.ts")];
    argv.push(...(opts.args ?? []));
    if (srcRemote) argv.push("--ssh-src-config-file", cfg);
    if (dstRemote) argv.push("--ssh-dst-config-file", cfg);
    argv.push(srcRemote ? this.remote(opts.src, user) : opts.src);
    argv.push(dstRemote ? this.remote(opts.dst, user) : opts.dst);
    return argv;
  }

  /**
   * Runs our CLI (`deno run --frozen --allow-all <repo>/cli.ts ...`) against the lab; local
   * sides go through the zfs/zpool wrappers. Does not throw on failure unless asked.
   */
  runCli(opts: CliOptions): Promise<RunResult> {
    if (opts.mode && opts.mode !== "local" && !this.sshAvailable) {
      throw new Error(`Mode ${opts.mode} needs the VM lab; skip it in host mode`);
    }
    return run(this.cliArgv(opts), {
      env: this.localEnv(),
      noThrow: opts.noThrow ?? true,
      cwd: repoRoot(),
    });
  }
}

/**
 * Parses `zfs list -H -p -o name,guid,createtxg` output.
 *
 * @example
 * ```ts
 * parseSnapInfo("src/a@s1\t123\t9\n"); // [{ name: "src/a@s1", guid: "123", createtxg: 9 }]
 * ```
 */
export function parseSnapInfo(text: string): SnapInfo[] {
  return text.split("\n").filter((l) => l.trim()).map((line) => {
    const [name, guid, txg] = line.split("\t");
    return { name, guid, createtxg: Number(txg) };
  });
}

/** Per-file lab access: connects and resets the pools once, before the first test. */
export interface LabFile {
  /** Registers a test that runs only when a lab is available (and ssh, if asked). */
  test(name: string, fn: (lab: Lab) => Promise<void>, opts?: { ssh?: boolean }): void;
}

/**
 * Creates the per-file fixture; call once at the top of each tests/zfs file.
 *
 * @example
 * ```ts
 * const lab = labFile();
 * lab.test("[smoke] list", async (l) => { await l.zfs("list"); });
 * ```
 */
export function labFile(): LabFile {
  let ready: Promise<Lab> | undefined;
  const get = () => {
    ready ??= connectLab().then(async (lab) => {
      await lab.resetPools();
      return lab;
    });
    return ready;
  };
  const available = labAvailable();
  const mode = Deno.env.get("BZFS_LAB_MODE");
  return {
    test(name, fn, opts = {}) {
      Deno.test({
        name,
        ignore: !available || (opts.ssh === true && mode !== "vm"),
        fn: async () => await fn(await get()),
      });
    },
  };
}
