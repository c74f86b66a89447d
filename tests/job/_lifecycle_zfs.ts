/**
 * An in-memory ZFS for the lifecycle phase tests: answers the `zfs list` forms the create and
 * delete phases run, and applies `zfs snapshot [-r]` and `zfs destroy [-r] [-n]` (comma lists,
 * bookmarks, datasets). Times come from a FakeClock, so `creation` and `snapshots_changed` move
 * with the simulated time. Real behaviour is proven against OpenZFS in tests/zfs/lifecycle_test.ts.
 */
import type { FakeClock } from "../../lib/clock.ts";
import type { CommandSpec } from "../../lib/exec/executor.ts";
import { FakeExecutor } from "../../lib/exec/fake_executor.ts";

/** One snapshot or bookmark. */
export interface Entry {
  name: string;
  kind: "@" | "#";
  guid: string;
  txg: number;
  creation: number;
  userrefs: number;
}

const ABSENT = (ds: string) => ({
  code: 1,
  stderr: `cannot open '${ds}': dataset does not exist\n`,
});

export class LifecycleZfs {
  readonly datasets = new Map<string, { changed: number }>();
  readonly entries = new Map<string, Entry[]>();
  readonly executor: FakeExecutor;
  readonly clock: FakeClock;
  #txg = 100;
  #guid = 5000;

  constructor(clock: FakeClock, options: { version?: string } = {}) {
    this.clock = clock;
    const version = options.version ?? "zfs-2.3.2-1";
    this.executor = new FakeExecutor()
      .on((s) => s.argv[0] === "sh", {
        stdout: `zfs\t${version}\ncpus\t2\nuid\t0\nuname\tLinux x\n`,
      })
      .on((s) => s.argv[1] === "list" && s.argv[3] === "filesystem,volume", (s) => this.#list(s))
      .on((s) => s.argv[1] === "list", (s) => this.#listSnaps(s))
      .on((s) => s.argv[1] === "snapshot", (s) => this.#snapshot(s.argv.slice(2)))
      .on((s) => s.argv[1] === "destroy", (s) => this.#destroy(s.argv.slice(2)));
  }

  get nowSecs(): number {
    return Math.floor(this.clock.now() / 1000);
  }

  /** Creates datasets (parents implied only if listed). */
  add(...names: string[]): this {
    for (const n of names) {
      this.datasets.set(n, { changed: 0 });
      this.entries.set(n, []);
    }
    return this;
  }

  /** Adds a snapshot (or a bookmark with kind "#"); a given guid copies identity. */
  snap(ds: string, name: string, opts: Partial<Omit<Entry, "name">> = {}): Entry {
    const list = this.entries.get(ds);
    if (!list) throw new Error(`no dataset ${ds}`);
    const e: Entry = {
      name,
      kind: opts.kind ?? "@",
      guid: opts.guid ?? String(this.#guid++),
      txg: opts.txg ?? this.#txg++,
      creation: opts.creation ?? this.nowSecs,
      userrefs: opts.userrefs ?? 0,
    };
    list.push(e);
    list.sort((a, b) => a.txg - b.txg);
    if (e.kind === "@") this.datasets.get(ds)!.changed = this.nowSecs;
    return e;
  }

  /** Short names of a dataset's snapshots (or bookmarks), oldest first. */
  names(ds: string, kind: "@" | "#" = "@"): string[] {
    return (this.entries.get(ds) ?? []).filter((e) => e.kind === kind).map((e) => e.name);
  }

  /** Every object as `name guid`, for before/after comparisons. */
  dump(): string[] {
    const out: string[] = [];
    for (const [ds, list] of [...this.entries].sort()) {
      out.push(ds);
      for (const e of list) out.push(`${ds}${e.kind}${e.name} ${e.guid}`);
    }
    return out;
  }

  /** The commands that changed (or would have changed) state. */
  mutations(): string[] {
    return this.executor.commands.filter((c) => /^zfs (snapshot|destroy) /.test(c));
  }

  #under(root: string, recursive: boolean): string[] {
    return [...this.datasets.keys()].filter((d) =>
      d === root || (recursive && d.startsWith(`${root}/`))
    ).sort();
  }

  #list(spec: CommandSpec) {
    const a = spec.argv;
    const cols = a[a.indexOf("-o") + 1];
    const recursive = a.includes("-r");
    const roots = a.slice(a.indexOf("name", a.indexOf("-s")) + 1).filter((x) => x !== "-r");
    let out = "";
    let err = "";
    for (const root of roots) {
      const found = this.#under(root, recursive);
      if (found.length === 0) err += ABSENT(root).stderr;
      for (const d of found) {
        const changed = this.datasets.get(d)!.changed;
        out += cols === "snapshots_changed,name"
          ? `${changed || "-"}\t${d}\n`
          : cols === "name,receive_resume_token"
          ? `${d}\t-\n`
          : `${d}\n`;
      }
    }
    return { code: err ? 1 : 0, stdout: out, stderr: err };
  }

  #listSnaps(spec: CommandSpec) {
    const a = spec.argv;
    const types = a[a.indexOf("-t") + 1].split(",");
    const cols = a[a.indexOf("-o") + 1].split(",");
    const datasets = a.slice(a.indexOf("-d") + 2);
    let out = "";
    let err = "";
    for (const ds of datasets) {
      const list = this.entries.get(ds);
      if (!list) {
        err += ABSENT(ds).stderr;
        continue;
      }
      for (const e of list) {
        if (!types.includes(e.kind === "@" ? "snapshot" : "bookmark")) continue;
        const row: Record<string, string> = {
          guid: e.guid,
          createtxg: String(e.txg),
          creation: String(e.creation),
          name: `${ds}${e.kind}${e.name}`,
          userrefs: e.kind === "@" ? String(e.userrefs) : "-",
        };
        out += cols.map((c) => row[c]).join("\t") + "\n";
      }
    }
    return { code: err ? 1 : 0, stdout: out, stderr: err };
  }

  #snapshot(args: string[]) {
    const recursive = args[0] === "-r";
    const txg = this.#txg++;
    for (const target of args.slice(recursive ? 1 : 0)) {
      const [ds, name] = target.split("@");
      if (!this.datasets.has(ds)) return ABSENT(ds);
      for (const d of this.#under(ds, recursive)) this.snap(d, name, { txg });
    }
    return {};
  }

  #destroy(args: string[]) {
    const flags = new Set(args.filter((x) => x.startsWith("-")));
    const target = args[args.length - 1];
    const dry = flags.has("-n");
    if (target.includes("%")) throw new Error(`range destroy is not allowed here: ${target}`);
    const at = target.search(/[@#]/);
    if (at < 0) {
      const doomed = this.#under(target, flags.has("-r"));
      if (doomed.length === 0) return ABSENT(target);
      if (!flags.has("-r") && [...this.datasets.keys()].some((d) => d.startsWith(`${target}/`))) {
        return { code: 1, stderr: `cannot destroy '${target}': filesystem has children\n` };
      }
      if (!dry) {
        for (const d of doomed) {
          this.datasets.delete(d);
          this.entries.delete(d);
        }
      }
      return {
        stdout: doomed.map((d) => `${dry ? "would destroy" : "will destroy"} ${d}\n`).join(""),
      };
    }
    const ds = target.slice(0, at);
    const kind = target[at] as "@" | "#";
    const names = new Set(target.slice(at + 1).split(","));
    const list = this.entries.get(ds);
    if (!list) return ABSENT(ds);
    const held = list.filter((e) => e.kind === kind && names.has(e.name) && e.userrefs > 0);
    if (held.length > 0) return { code: 1, stderr: `cannot destroy snapshot: dataset is busy\n` };
    if (!dry) {
      this.entries.set(ds, list.filter((e) => !(e.kind === kind && names.has(e.name))));
      if (kind === "@") this.datasets.get(ds)!.changed = this.nowSecs;
    }
    return { stdout: "" };
  }
}
