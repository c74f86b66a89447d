/**
 * Fixture for the compare and monitor phase unit tests: an in-memory tree of datasets,
 * snapshots and bookmarks per host that answers the one-per-side tree listing
 * (`zfs list -t filesystem,volume,snapshot[,bookmark] -Hp -o PROPS (-r | -d 1) ROOT`), a job
 * context at a fixed instant, and log capture.
 */
import { buildBzfsConfig } from "../../lib/cli/bzfs_config.ts";
import { FakeClock } from "../../lib/clock.ts";
import type { CommandSpec } from "../../lib/exec/executor.ts";
import { FakeExecutor } from "../../lib/exec/fake_executor.ts";
import { createRemote } from "../../lib/exec/remote.ts";
import { toolSet } from "../../lib/exec/tools.ts";
import type { JobContext, PreparedHost } from "../../lib/job/context.ts";
import type { PairHosts } from "../../lib/job/phase.ts";
import { Redactor } from "../../lib/log/redact.ts";
import { setupLogging } from "../../lib/log/setup.ts";
import { DetectCache } from "../../lib/zfs/detect.ts";

/** One snapshot or bookmark of the fake tree. */
export interface FakeEntry {
  readonly name: string;
  readonly kind: "@" | "#";
  readonly guid: string;
  readonly txg: number;
  readonly creation: number;
  readonly written: string;
  readonly userrefs: number;
}

/** Datasets and their entries on one host. */
export class FakeHostTree {
  readonly entries = new Map<string, FakeEntry[]>();
  #txg = 100;

  /** Adds datasets (and their parents need not exist: the fake does not care). */
  dataset(...names: string[]): this {
    for (const n of names) if (!this.entries.has(n)) this.entries.set(n, []);
    return this;
  }

  /** Adds a snapshot (`@`) or bookmark (`#`). */
  add(
    dataset: string,
    spec: { name: string; kind?: "@" | "#"; guid: string; creation: number; txg?: number } & {
      written?: string;
      userrefs?: number;
    },
  ): this {
    this.dataset(dataset);
    const kind = spec.kind ?? "@";
    this.entries.get(dataset)!.push({
      name: spec.name,
      kind,
      guid: spec.guid,
      txg: spec.txg ?? this.#txg++,
      creation: spec.creation,
      written: spec.written ?? (kind === "#" ? "-" : "4096"),
      userrefs: spec.userrefs ?? 0,
    });
    return this;
  }

  /** Answers one tree listing. */
  list(spec: CommandSpec): { code?: number; stdout?: string; stderr?: string } {
    const argv = spec.argv;
    const types = argv[argv.indexOf("-t") + 1].split(",");
    const props = argv[argv.indexOf("-o") + 1].split(",");
    const root = argv[argv.length - 1];
    if (!this.entries.has(root)) {
      return { code: 1, stderr: `cannot open '${root}': dataset does not exist\n` };
    }
    const recursive = argv.includes("-r");
    const lines: string[] = [];
    const names = [...this.entries.keys()].filter((d) =>
      d === root ||
      (d.startsWith(`${root}/`) && (recursive || !d.slice(root.length + 1).includes("/")))
    );
    for (const ds of names) {
      const isRootOrRecursive = recursive || ds === root;
      lines.push(
        row(props, { name: ds, guid: "1", txg: 1, creation: 1, written: "0", userrefs: "-" }),
      );
      if (!isRootOrRecursive) continue;
      for (const e of this.entries.get(ds)!) {
        if (!types.includes(e.kind === "@" ? "snapshot" : "bookmark")) continue;
        lines.push(row(props, {
          name: `${ds}${e.kind}${e.name}`,
          guid: e.guid,
          txg: e.txg,
          creation: e.creation,
          written: e.written,
          userrefs: e.kind === "#" ? "-" : String(e.userrefs),
        }));
      }
    }
    return { stdout: lines.map((l) => `${l}\n`).join("") };
  }
}

function row(
  props: string[],
  v: {
    name: string;
    guid: string;
    txg: number;
    creation: number;
    written: string;
    userrefs: string;
  },
): string {
  const col: Record<string, string> = {
    name: v.name,
    guid: v.guid,
    createtxg: String(v.txg),
    creation: String(v.creation),
    written: v.written,
    userrefs: v.userrefs,
  };
  return props.map((p) => col[p]).join("\t");
}

/** A fake executor answering tree listings for local (`src`) and remote (`dst`) sides. */
export function fakeExecutor(trees: { local: FakeHostTree; remote?: FakeHostTree }): FakeExecutor {
  return new FakeExecutor([
    {
      match: (s) => s.argv[0] === "zfs" && s.argv[1] === "list",
      result: (s) => (s.remote?.host ? trees.remote ?? trees.local : trees.local).list(s),
    },
  ]);
}

/** A prepared host without ssh (or with `host`). */
export function preparedHost(host?: string): PreparedHost {
  return {
    remote: createRemote(host ? { host } : {}),
    info: { tools: toolSet(), notes: [] },
    elevate: false,
  };
}

/** Hosts for a pair: local unless the endpoint names a host. */
export function hostsFor(
  config: { pairs: readonly { src: { host?: string }; dst: { host?: string } }[] },
): PairHosts {
  const p = config.pairs[0];
  return { src: preparedHost(p.src.host), dst: preparedHost(p.dst.host) };
}

/** A job context at a fixed instant. */
export function makeCtx(
  argv: string[],
  options: { executor: FakeExecutor; now: number; logFile?: string },
): JobContext {
  const config = buildBzfsConfig(argv, { write: { out: () => {}, err: () => {} } });
  return {
    config,
    executor: options.executor,
    pipelineExecutor: options.executor,
    clock: new FakeClock(options.now),
    signal: new AbortController().signal,
    detectCache: new DetectCache(),
    startedAt: options.now,
    localUid: 0,
    ...(options.logFile ? { logFile: options.logFile } : {}),
  };
}

/** Captures log lines (all levels) while `fn` runs. */
export async function captureLogs<T>(
  fn: () => Promise<T>,
): Promise<{ lines: string[]; result?: T; error?: unknown }> {
  const lines: string[] = [];
  const handle = setupLogging({
    verbose: 2,
    quiet: false,
    redactor: new Redactor(),
    writeConsole: (line) => lines.push(line),
  });
  try {
    return { lines, result: await fn() };
  } catch (error) {
    return { lines, error };
  } finally {
    handle.close();
  }
}

/** The message part of captured lines (after `[X] `), with the level letter. */
export function messages(lines: readonly string[]): { level: string; text: string }[] {
  return lines.map((l) => {
    const m = /^\S+ \S+ \[(.)\] ([\s\S]*)$/.exec(l);
    return m ? { level: m[1], text: m[2] } : { level: "?", text: l };
  });
}
