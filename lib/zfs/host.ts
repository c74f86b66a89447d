/**
 * `ZfsHost`: the typed facade over one host's zfs. Every operation builds its argv with the pure
 * builders, runs it through the Executor (ssh and `sudo -n` where needed), and parses the output.
 *
 * @module
 */
import { CommandError } from "../errors.ts";
import type { CommandSpec, Executor, RunResult } from "../exec/executor.ts";
import { failureOf } from "../exec/failure.ts";
import { batchWords, toRetryable } from "./_host_util.ts";
import { isLocal, type Remote } from "../exec/remote.ts";
import { isAbsentMessage } from "./errors.ts";
import {
  getPropertiesArgv,
  type GetPropertiesOptions,
  getResumeTokenArgv,
  parseProperties,
} from "./get.ts";
import type { PropertyValue } from "./get.ts";
import { parseResumeToken } from "./get.ts";
import {
  listDatasetsArgv,
  type ListDatasetsOptions,
  listSnapshotsArgv,
  type ListSnapshotsOptions,
  parseDatasetList,
  parseSnapshotList,
} from "./list.ts";
import {
  type BatchOptions,
  batchSnapshotTargets,
  bookmarkArgv,
  createArgv,
  destroyArgv,
  type DestroyOptions,
  receiveAbortArgv,
  rollbackArgv,
  type RollbackOptions,
  snapshotArgv,
  type SnapshotOptions,
} from "./mutate.ts";
import { estimateSizeArgv, isDatasetBusy, parseSizeEstimate, psArgv } from "./send_recv.ts";
import type { DatasetRecord, SnapshotRecord } from "./types.ts";
import { parseZfsVersion, type ZfsVersion } from "./version.ts";

/** Options of {@linkcode ZfsHost}. */
export interface ZfsHostOptions extends BatchOptions {
  /** The zfs program (name or path). @default {"zfs"} */
  zfsProgram?: string;
  /** Timeout of every command (`--timeout`). */
  timeoutMs?: number;
  /** Aborts every running command (termination). */
  signal?: AbortSignal;
}

/** Per-call options of {@linkcode ZfsHost} methods: the builders' options without `zfsProgram`. */
export type Quiet<T> = Omit<T, "zfsProgram">;

/**
 * zfs operations on one host.
 *
 * @example List snapshots through a scripted executor
 * ```ts
 * import { ZfsHost } from "./host.ts";
 * import { FakeExecutor } from "../exec/fake_executor.ts";
 * import { createRemote } from "../exec/remote.ts";
 * const fake = new FakeExecutor().on("zfs list -t snapshot", { stdout: "1\t10\t1700000000\ttank/a@s1\n" });
 * const host = new ZfsHost(fake, createRemote({ host: "nas", sudo: ["sudo", "-n"] }));
 * const snaps = await host.listSnapshots("tank/a");
 * console.log(snaps?.[0].name); // "s1"
 * ```
 */
export class ZfsHost {
  /** The host. */
  readonly remote: Remote;
  readonly #executor: Executor;
  readonly #options: ZfsHostOptions;

  /**
   * Creates the instance.
   *
   * @param executor Runs the commands.
   * @param remote The host (its `sudo` prefix is used for state-changing commands).
   * @param options Program, timeout, abort, batching limits.
   */
  constructor(executor: Executor, remote: Remote, options: ZfsHostOptions = {}) {
    this.#executor = executor;
    this.remote = remote;
    this.#options = options;
  }

  get #zfs(): { zfsProgram: string } {
    return { zfsProgram: this.#options.zfsProgram ?? "zfs" };
  }

  /**
   * `zfs --version` on this host.
   * @example
   * ```ts
   * import { ZfsHost } from "./host.ts";
   * import { FakeExecutor } from "../exec/fake_executor.ts";
   * import { createRemote } from "../exec/remote.ts";
   * const host = new ZfsHost(new FakeExecutor().on("zfs --version", { stdout: "zfs-2.3.2-1\n" }), createRemote());
   * (await host.version()).minor; // 3
   * ```
   * @returns The version.
   * @throws {CommandError} When zfs cannot run.
   */
  async version(): Promise<ZfsVersion> {
    const r = await this.#run({
      argv: [this.#zfs.zfsProgram, "--version"],
      readOnly: true,
      check: false,
    });
    if (!/\d+\.\d+\.\d+/.test(r.stdout) && r.code !== 0) {
      throw new CommandError(`zfs is not available on ${this.remote.host ?? "localhost"}`, {
        argv: [this.#zfs.zfsProgram, "--version"],
        exitCode: r.code,
        stderr: r.stderr,
      });
    }
    return parseZfsVersion(r.stdout);
  }

  /**
   * Lists filesystems and volumes under `root`; undefined when `root` does not exist.
   * @example
   * ```ts
   * import { ZfsHost } from "./host.ts";
   * import { FakeExecutor } from "../exec/fake_executor.ts";
   * import { createRemote } from "../exec/remote.ts";
   * const host = new ZfsHost(new FakeExecutor().on("zfs list", { stdout: "tank\ntank/a\n" }), createRemote());
   * (await host.listDatasets("tank", { recursive: true }))?.length; // 2
   * ```
   * @param root The root dataset.
   * @param options Recursion and `snapshots_changed`.
   * @returns The datasets sorted by name, or undefined.
   * @throws {RetryableError} On other failures.
   */
  async listDatasets(
    root: string,
    options: Quiet<ListDatasetsOptions> = {},
  ): Promise<DatasetRecord[] | undefined> {
    const stdout = await this.#tryRead(listDatasetsArgv(root, { ...options, ...this.#zfs }));
    return stdout === undefined ? undefined : parseDatasetList(stdout, options);
  }

  /**
   * Lists the snapshots (and bookmarks) of one dataset, oldest first; undefined when the dataset
   * does not exist.
   * @example
   * ```ts
   * import { ZfsHost } from "./host.ts";
   * import { FakeExecutor } from "../exec/fake_executor.ts";
   * import { createRemote } from "../exec/remote.ts";
   * const fake = new FakeExecutor().on("zfs list", { code: 1, stderr: "cannot open 'x': dataset does not exist" });
   * await new ZfsHost(fake, createRemote()).listSnapshots("x"); // undefined
   * ```
   * @param dataset The dataset.
   * @param options Types and depth.
   * @returns The records, or undefined.
   * @throws {RetryableError} On other failures.
   */
  async listSnapshots(
    dataset: string,
    options: Quiet<ListSnapshotsOptions> = {},
  ): Promise<SnapshotRecord[] | undefined> {
    const stdout = await this.#tryRead(listSnapshotsArgv(dataset, { ...options, ...this.#zfs }));
    return stdout === undefined ? undefined : parseSnapshotList(stdout);
  }

  /**
   * Lists the snapshots (and bookmarks) of many datasets with few `zfs list` calls, batched by
   * count (`bzfs_max_datasets_per_batch_on_list_snaps`) and command length. Datasets that do not
   * exist are simply missing from the result.
   * @example
   * ```ts
   * import { ZfsHost } from "./host.ts";
   * import { FakeExecutor } from "../exec/fake_executor.ts";
   * import { createRemote } from "../exec/remote.ts";
   * const fake = new FakeExecutor().on("zfs list", { stdout: "1\t10\t1700000000\tt/a@s1\n2\t11\t1700000001\tt/b@s1\n" });
   * const m = await new ZfsHost(fake, createRemote()).listSnapshotsOfMany(["t/a", "t/b"]);
   * m.get("t/b")?.[0].guid; // "2"
   * ```
   * @param datasets The datasets.
   * @param options Types and batch size.
   * @returns Dataset name to its records (oldest first).
   * @throws {RetryableError} On failures other than "does not exist".
   */
  async listSnapshotsOfMany(
    datasets: readonly string[],
    options: Quiet<Omit<ListSnapshotsOptions, "depth1">> & { maxDatasetsPerBatch?: number } = {},
  ): Promise<Map<string, SnapshotRecord[]>> {
    const out = new Map<string, SnapshotRecord[]>();
    for (
      const batch of batchWords(
        datasets,
        options.maxDatasetsPerBatch ?? 1024,
        this.#options.maxChars ?? 100_000,
      )
    ) {
      const argv = listSnapshotsArgv(batch, { types: options.types, ...this.#zfs });
      const r = await this.#retryable(() => this.#run({ argv, readOnly: true, check: false }));
      const errors = r.stderr.split("\n").filter((l) => l.trim() !== "");
      if (r.code !== 0 && (errors.length === 0 || !errors.every(isAbsentMessage))) {
        throw toRetryable(failureOf(argv, r, { viaSsh: !isLocal(this.remote) }));
      }
      for (const rec of parseSnapshotList(r.stdout)) {
        const list = out.get(rec.dataset) ?? [];
        if (list.length === 0) out.set(rec.dataset, list);
        list.push(rec);
      }
    }
    return out;
  }

  /**
   * The `receive_resume_token` of a destination dataset, or undefined.
   * @example
   * ```ts
   * import { ZfsHost } from "./host.ts";
   * import { FakeExecutor } from "../exec/fake_executor.ts";
   * import { createRemote } from "../exec/remote.ts";
   * const host = new ZfsHost(new FakeExecutor().on("zfs get", { stdout: "-\n" }), createRemote());
   * await host.getResumeToken("bak/a"); // undefined
   * ```
   * @param dataset The destination dataset.
   * @returns The token, or undefined (also when the dataset does not exist).
   * @throws {RetryableError} On failure.
   */
  async getResumeToken(dataset: string): Promise<string | undefined> {
    const stdout = await this.#tryRead(getResumeTokenArgv(dataset, this.#zfs));
    return stdout === undefined ? undefined : parseResumeToken(stdout);
  }

  /**
   * Properties of a dataset with their sources (`zfs get -s sources`).
   * @example
   * ```ts
   * import { ZfsHost } from "./host.ts";
   * import { FakeExecutor } from "../exec/fake_executor.ts";
   * import { createRemote } from "../exec/remote.ts";
   * const host = new ZfsHost(new FakeExecutor().on("zfs get", { stdout: "atime\toff\tlocal\n" }), createRemote());
   * (await host.getProperties("tank/a", { sources: "local" })).get("atime")?.value; // "off"
   * ```
   * @param dataset The dataset.
   * @param options Sources and property names.
   * @returns Name to value and source (empty when the dataset does not exist).
   * @throws {RetryableError} On failure.
   */
  async getProperties(
    dataset: string,
    options: Quiet<GetPropertiesOptions> = {},
  ): Promise<Map<string, PropertyValue>> {
    const stdout = await this.#tryRead(getPropertiesArgv(dataset, { ...options, ...this.#zfs }));
    return parseProperties(stdout ?? "");
  }

  /**
   * Takes snapshots atomically per call (`zfs snapshot`), with sudo.
   * @example
   * ```ts
   * import { ZfsHost } from "./host.ts";
   * import { FakeExecutor } from "../exec/fake_executor.ts";
   * import { createRemote } from "../exec/remote.ts";
   * await new ZfsHost(new FakeExecutor([], { fallback: {} }), createRemote()).snapshot(["tank/a@s1"]);
   * ```
   * @param snapshots Full snapshot names.
   * @param options Recursion and properties.
   * @throws {CommandError} On failure.
   */
  async snapshot(
    snapshots: readonly string[],
    options: Quiet<SnapshotOptions> = {},
  ): Promise<void> {
    if (snapshots.length === 0) return;
    await this.#run({ argv: snapshotArgv(snapshots, { ...options, ...this.#zfs }), sudo: true });
  }

  /**
   * Creates a bookmark of a snapshot, with sudo.
   * @example
   * ```ts
   * import { ZfsHost } from "./host.ts";
   * import { FakeExecutor } from "../exec/fake_executor.ts";
   * import { createRemote } from "../exec/remote.ts";
   * await new ZfsHost(new FakeExecutor([], { fallback: {} }), createRemote()).bookmark("t/a@s1", "t/a#s1");
   * ```
   * @param snapshot Full snapshot name.
   * @param bookmark Full bookmark name.
   * @throws {RetryableError} On failure.
   */
  async bookmark(snapshot: string, bookmark: string): Promise<void> {
    await this.#retryable(() =>
      this.#run({ argv: bookmarkArgv(snapshot, bookmark, this.#zfs), sudo: true })
    );
  }

  /**
   * Destroys snapshots of one dataset in batches of `ds@a,b,c`, with sudo. With `dryRun` the
   * command runs for real with `-n` (zfs only reports), as upstream does.
   * @example
   * ```ts
   * import { ZfsHost } from "./host.ts";
   * import { FakeExecutor } from "../exec/fake_executor.ts";
   * import { createRemote } from "../exec/remote.ts";
   * const fake = new FakeExecutor([], { fallback: {} });
   * await new ZfsHost(fake, createRemote()).destroySnapshots("tank/a", ["s1", "s2"]);
   * fake.commands; // ["zfs destroy tank/a@s1,s2"]
   * ```
   * @param dataset The dataset.
   * @param names Short snapshot names.
   * @param options Flags (recursive is ignored).
   * @returns The concatenated standard output (the `-v` report).
   * @throws {RetryableError} On failure.
   */
  async destroySnapshots(
    dataset: string,
    names: readonly string[],
    options: Quiet<Omit<DestroyOptions, "recursive">> = {},
  ): Promise<string> {
    let out = "";
    for (const target of batchSnapshotTargets(dataset, names, this.#options)) {
      const argv = destroyArgv(target, { ...options, ...this.#zfs });
      const r = await this.#retryable(() =>
        this.#run({ argv, sudo: true, readOnly: options.dryRun === true })
      );
      out += r.stdout;
    }
    return out;
  }

  /**
   * Destroys a dataset (tree with `recursive`) or a bookmark, with sudo; `dryRun` runs `-n` for real.
   * @example
   * ```ts
   * import { ZfsHost } from "./host.ts";
   * import { FakeExecutor } from "../exec/fake_executor.ts";
   * import { createRemote } from "../exec/remote.ts";
   * await new ZfsHost(new FakeExecutor([], { fallback: {} }), createRemote()).destroy("bak/old", { recursive: true });
   * ```
   * @param target Dataset or `ds#bookmark`.
   * @param options Flags.
   * @returns The standard output.
   * @throws {RetryableError} On failure.
   */
  async destroy(target: string, options: Quiet<DestroyOptions> = {}): Promise<string> {
    const argv = destroyArgv(target, { ...options, ...this.#zfs });
    return (await this.#retryable(() =>
      this.#run({ argv, sudo: true, readOnly: options.dryRun === true })
    )).stdout;
  }

  /**
   * Rolls a dataset back to a snapshot, with sudo.
   * @example
   * ```ts
   * import { ZfsHost } from "./host.ts";
   * import { FakeExecutor } from "../exec/fake_executor.ts";
   * import { createRemote } from "../exec/remote.ts";
   * await new ZfsHost(new FakeExecutor([], { fallback: {} }), createRemote()).rollback("bak/a@s3", { destroyNewer: true });
   * ```
   * @param snapshot The snapshot.
   * @param options Flags.
   * @throws {RetryableError} On failure.
   */
  async rollback(snapshot: string, options: Quiet<RollbackOptions> = {}): Promise<void> {
    await this.#retryable(() =>
      this.#run({ argv: rollbackArgv(snapshot, { ...options, ...this.#zfs }), sudo: true })
    );
  }

  /**
   * Creates the missing ancestors of `dataset` (`zfs create -p <parent>`), with sudo, so that a
   * full receive into `dataset` can proceed. Nothing for a pool's root or a direct child of it.
   * @example
   * ```ts
   * import { ZfsHost } from "./host.ts";
   * import { FakeExecutor } from "../exec/fake_executor.ts";
   * import { createRemote } from "../exec/remote.ts";
   * const fake = new FakeExecutor([], { fallback: {} });
   * await new ZfsHost(fake, createRemote()).createAncestors("bak/a/b/c");
   * fake.commands; // ["zfs create -p bak/a/b"]
   * ```
   * @param dataset The dataset about to be received.
   * @throws {RetryableError} On failure.
   */
  async createAncestors(dataset: string): Promise<void> {
    const parent = dataset.slice(0, Math.max(0, dataset.lastIndexOf("/")));
    if (!parent.includes("/")) return;
    await this.#retryable(() => this.#run({ argv: createArgv(parent, this.#zfs), sudo: true }));
  }

  /**
   * Aborts an interrupted resumable receive (`zfs receive -A`), with sudo.
   * @example
   * ```ts
   * import { ZfsHost } from "./host.ts";
   * import { FakeExecutor } from "../exec/fake_executor.ts";
   * import { createRemote } from "../exec/remote.ts";
   * await new ZfsHost(new FakeExecutor([], { fallback: {} }), createRemote()).receiveAbort("bak/a");
   * ```
   * @param dataset The destination dataset.
   * @throws {RetryableError} On failure.
   */
  async receiveAbort(dataset: string): Promise<void> {
    await this.#retryable(() =>
      this.#run({ argv: receiveAbortArgv(dataset, this.#zfs), sudo: true })
    );
  }

  /**
   * Estimated size in bytes of a send stream (`zfs send -nvP`), with sudo, or undefined when zfs
   * printed no size. Read-only, so it also runs under `--dryrun`.
   * @example
   * ```ts
   * import { ZfsHost } from "./host.ts";
   * import { sendArgv } from "./send_recv.ts";
   * import { FakeExecutor } from "../exec/fake_executor.ts";
   * import { createRemote } from "../exec/remote.ts";
   * const host = new ZfsHost(new FakeExecutor().on("zfs send -nvP", { stdout: "size\t4096\n" }), createRemote());
   * await host.estimateSendSize(sendArgv({ kind: "full", snapshot: "tank/a@s1" })); // 4096
   * ```
   * @param send The `zfs send` argv (from `sendArgv`).
   * @returns Bytes, or undefined.
   * @throws {RetryableError} On failure.
   */
  async estimateSendSize(send: readonly string[]): Promise<number | undefined> {
    const r = await this.#retryable(() =>
      this.#run({ argv: estimateSizeArgv(send), sudo: true, readOnly: true })
    );
    return parseSizeEstimate(`${r.stdout}\n${r.stderr}`);
  }

  /**
   * Whether another `zfs receive` (or send) of `dataset` is running on this host (`ps -Ao args`);
   * always false with `--ps-program=-`.
   * @example
   * ```ts
   * import { ZfsHost } from "./host.ts";
   * import { FakeExecutor } from "../exec/fake_executor.ts";
   * import { createRemote } from "../exec/remote.ts";
   * const host = new ZfsHost(new FakeExecutor().on("ps", { stdout: "zfs receive -s bak/a\n" }), createRemote());
   * await host.isBusy("bak/a"); // true
   * ```
   * @param dataset The dataset.
   * @param options The ps program.
   * @returns True when busy.
   * @throws {RetryableError} When ps fails.
   */
  async isBusy(dataset: string, options: { psProgram?: string } = {}): Promise<boolean> {
    if (options.psProgram === "-") return false;
    const r = await this.#retryable(() => this.#run({ argv: psArgv(options), readOnly: true }));
    return isDatasetBusy(r.stdout, dataset);
  }

  #run(spec: Omit<CommandSpec, "remote" | "timeoutMs" | "signal">): Promise<RunResult> {
    return this.#executor.run({
      ...spec,
      remote: this.remote,
      timeoutMs: this.#options.timeoutMs,
      signal: this.#options.signal,
    });
  }

  /** Runs a read-only command: stdout, undefined when the object is absent, retryable otherwise. */
  async #tryRead(argv: string[]): Promise<string | undefined> {
    try {
      return (await this.#run({ argv, readOnly: true })).stdout;
    } catch (e) {
      if (e instanceof CommandError && e.exitCode !== null && isAbsentMessage(e.stderr)) {
        return undefined;
      }
      throw toRetryable(e);
    }
  }

  async #retryable(fn: () => Promise<RunResult>): Promise<RunResult> {
    try {
      return await fn();
    } catch (e) {
      throw toRetryable(e);
    }
  }
}
