/**
 * A tiny in-memory ZFS for job-level unit tests: answers the zfs commands the engine runs and
 * applies send/receive pipelines by copying snapshots (GUIDs preserved). Real behaviour is
 * proven against OpenZFS in tests/zfs; this only makes the driver testable in milliseconds.
 */
import { FakeExecutor } from "../../lib/exec/fake_executor.ts";
import type { CommandSpec } from "../../lib/exec/executor.ts";

interface Snap {
  name: string;
  guid: string;
  txg: number;
  kind: "@" | "#";
}

export class FakeZfs {
  readonly datasets = new Set<string>();
  readonly snaps = new Map<string, Snap[]>();
  #txg = 100;
  #guid = 1000;
  readonly executor: FakeExecutor;
  /** Local properties per dataset, returned by `zfs get -s local`. */
  readonly props = new Map<string, Record<string, string>>();
  /** Pipelines to fail (by index of the transfer) with the given code. */
  failTransfers = new Map<number, number>();
  #transfers = 0;

  constructor() {
    this.executor = new FakeExecutor([], {
      pipelineResult: (spec: CommandSpec) => this.#pipeline(spec.argv[2]),
    });
    this.executor
      .on((s) => s.argv[0] === "sh", {
        stdout: "tool\tcompression\nzfs\tzfs-2.3.2-1\ncpus\t2\nuid\t0\n",
      })
      .on(
        (s) => s.argv[1] === "list" && s.argv.includes("filesystem,volume"),
        (s) => this.#listDatasets(s),
      )
      .on(
        (s) => s.argv[1] === "list" && s.argv.includes("snapshot,bookmark"),
        (s) => this.#listSnaps(s),
      )
      .on((s) => s.argv[1] === "bookmark", (s) => this.#bookmark(s.argv[2], s.argv[3]))
      .on((s) => s.argv[1] === "rollback", (s) => this.#rollback(s.argv[s.argv.length - 1]))
      .on((s) => s.argv[1] === "destroy", (s) => this.#destroy(s.argv[s.argv.length - 1]))
      .on((s) => s.argv[1] === "create", (s) => this.#create(s.argv[s.argv.length - 1]))
      .on((s) => s.argv[1] === "receive" && s.argv[2] === "-A", {})
      .on((s) => s.argv[1] === "send" && s.argv[2] === "-nvP", { stdout: "size\t4096\n" })
      .on((s) => s.argv[1] === "get", (s) => this.#get(s.argv[s.argv.length - 1]));
  }

  /** Creates a dataset with snapshots. */
  add(ds: string, ...snapNames: string[]): this {
    this.datasets.add(ds);
    if (!this.snaps.has(ds)) this.snaps.set(ds, []);
    for (const n of snapNames) this.snapshot(ds, n);
    return this;
  }

  snapshot(ds: string, name: string): void {
    this.snaps.get(ds)!.push({ name, guid: String(this.#guid++), txg: this.#txg++, kind: "@" });
  }

  names(ds: string, kind: "@" | "#" = "@"): string[] {
    return (this.snaps.get(ds) ?? []).filter((s) => s.kind === kind).map((s) => s.name);
  }

  guids(ds: string): string[] {
    return (this.snaps.get(ds) ?? []).filter((s) => s.kind === "@").map((s) => s.guid);
  }

  #get(ds: string) {
    const lines = Object.entries(this.props.get(ds) ?? {}).map(([k, v]) => `${k}\t${v}\tlocal\n`);
    return { stdout: lines.join("") };
  }

  #listDatasets(spec: CommandSpec) {
    const root = spec.argv[spec.argv.length - 1];
    const recursive = spec.argv.includes("-r");
    const out = [...this.datasets].filter((d) =>
      d === root || (recursive && d.startsWith(root + "/"))
    )
      .sort();
    if (out.length === 0) {
      return { code: 1, stderr: `cannot open '${root}': dataset does not exist` };
    }
    return { stdout: out.map((d) => `${d}\t-\n`).join("") };
  }

  #listSnaps(spec: CommandSpec) {
    const i = spec.argv.indexOf("-d");
    const names = spec.argv.slice(i + 2);
    const lines: string[] = [];
    for (const ds of names) {
      for (const s of this.snaps.get(ds) ?? []) {
        lines.push(`${s.guid}\t${s.txg}\t${1_700_000_000 + s.txg}\t${ds}${s.kind}${s.name}`);
      }
    }
    return { stdout: lines.map((l) => l + "\n").join("") };
  }

  #split(full: string): [string, string, "@" | "#"] {
    const at = full.search(/[@#]/);
    return [full.slice(0, at), full.slice(at + 1), full[at] as "@" | "#"];
  }

  #find(full: string): Snap | undefined {
    const [ds, name, kind] = this.#split(full);
    return this.snaps.get(ds)?.find((s) => s.name === name && s.kind === kind);
  }

  #bookmark(snap: string, bm: string) {
    const s = this.#find(snap)!;
    const [ds, name] = this.#split(bm);
    this.snaps.get(ds)!.push({ ...s, name, kind: "#" });
    this.snaps.get(ds)!.sort((a, b) => a.txg - b.txg || (a.kind === "#" ? -1 : 1));
    return {};
  }

  #rollback(target: string) {
    const [ds] = this.#split(target);
    const t = this.#find(target)!;
    this.snaps.set(ds, this.snaps.get(ds)!.filter((s) => s.kind === "#" || s.txg <= t.txg));
    return {};
  }

  #destroy(arg: string) {
    const [ds, names] = this.#split(arg);
    const drop = new Set(names.split(","));
    this.snaps.set(ds, this.snaps.get(ds)!.filter((s) => s.kind === "#" || !drop.has(s.name)));
    return {};
  }

  #create(ds: string) {
    const parts = ds.split("/");
    for (let i = 1; i <= parts.length; i++) this.add(parts.slice(0, i).join("/"));
    return {};
  }

  #pipeline(display: string) {
    const n = this.#transfers++;
    if (this.failTransfers.has(n)) {
      return { code: this.failTransfers.get(n)!, stderr: "broken pipe" };
    }
    const send = /zfs send (.*?)(?: \||$)/.exec(display)![1].split(" ").map(unq);
    const recv = /zfs receive (.*?)(?:'|$)/.exec(display)![1].split(" ").map(unq);
    const dst = recv[recv.length - 1];
    if (recv.includes("-n")) return {};
    const to = send[send.length - 1];
    const flagIdx = send.findIndex((w) => w === "-i" || w === "-I");
    const [srcDs] = this.#split(to);
    const all = this.snaps.get(srcDs)!.filter((s) => s.kind === "@");
    const toSnap = this.#find(to)!;
    let moved: Snap[];
    if (flagIdx < 0) moved = [toSnap];
    else {
      const from = this.#find(send[flagIdx + 1])!;
      moved = send[flagIdx] === "-I"
        ? all.filter((s) => s.txg > from.txg && s.txg <= toSnap.txg)
        : [toSnap];
    }
    if (!this.datasets.has(dst)) this.add(dst);
    for (const s of moved) this.snaps.get(dst)!.push({ ...s, txg: this.#txg++ });
    return {};
  }
}

function unq(w: string): string {
  return w.replace(/^'(.*)'$/, "$1");
}
