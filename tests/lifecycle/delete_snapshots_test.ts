import assert from "node:assert/strict";
import {
  destroyArgs,
  type DstEntry,
  type SelectDstSnapshotsOptions,
  selectDstSnapshotsToDelete,
} from "../../lib/lifecycle/delete_snapshots.ts";
import { latestCommonSnapshot } from "../../lib/replicate/common_snapshot.ts";
import type { SnapshotRecord } from "../../lib/zfs/types.ts";

/**
 * Entries from short strings: `@name:guid` snapshot, `#name:guid` bookmark, a trailing `!` marks a
 * hold (userrefs 1). createtxg follows list order.
 */
function entries(dataset: string, ...specs: string[]): DstEntry[] {
  return specs.map((spec, i) => {
    const held = spec.endsWith("!");
    const [name, guid] = spec.slice(1, held ? -1 : undefined).split(":");
    return {
      dataset,
      name,
      kind: spec[0] === "@" ? "snapshot" : "bookmark",
      guid,
      createTxg: BigInt(i + 1),
      creation: 1000 + i,
      userrefs: held ? "1" : "0",
    };
  });
}
const dstOf = (...s: string[]) => entries("bak/a", ...s);
const srcOf = (...s: string[]) => entries("tank/a", ...s);
const sel = (...names: string[]) =>
  names.map((n) => ({
    name: n.slice(1),
    kind: n[0] === "@" ? "snapshot" as const : "bookmark" as const,
  }));

interface Case {
  title: string;
  dst: DstEntry[];
  src: SnapshotRecord[] | undefined;
  selected: string[];
  options?: Omit<SelectDstSnapshotsOptions, "selected">;
  del: string[];
  held?: string[];
  kept?: string;
}

const DST = dstOf("@d1:1", "@h1:2", "@d2:3", "@h2:4", "@d3:5");
const CASES: Case[] = [
  {
    title: "normal: all selected, only d3 on src",
    dst: DST,
    src: srcOf("@d3:5"),
    selected: ["@d1", "@h1", "@d2", "@h2", "@d3"],
    del: ["d1", "h1", "d2", "h2"],
  },
  {
    title: "normal: only hourlies selected",
    dst: DST,
    src: srcOf("@d3:5"),
    selected: ["@h1", "@h2"],
    del: ["h1", "h2"],
  },
  {
    title: "normal: GUID on src wins over selection",
    dst: DST,
    src: srcOf("@d1:1", "@h1:2", "@d2:3", "@h2:4", "@d3:5"),
    selected: ["@d1", "@h1", "@d2", "@h2", "@d3"],
    del: [],
  },
  {
    title: "normal: names are irrelevant, GUIDs count",
    dst: DST,
    src: srcOf("@renamed:2", "@d1:999"),
    selected: ["@d1", "@h1"],
    del: ["d1"],
  },
  {
    title: "crosscheck: a src bookmark keeps the dst snapshot",
    dst: DST,
    src: srcOf("#h2:4", "@d3:5"),
    selected: ["@h2", "@d2"],
    del: ["d2"],
  },
  {
    title: "no-crosscheck, upstream-exact: a src bookmark does not count",
    dst: DST,
    src: srcOf("#h2:4"),
    selected: ["@h2", "@d2"],
    options: { crosscheck: false, protectLatestCommon: false },
    del: ["d2", "h2"],
  },
  {
    title: "no-crosscheck: the latest common snapshot (via a src bookmark) stays protected",
    dst: DST,
    src: srcOf("#h2:4"),
    selected: ["@h2", "@d2"],
    options: { crosscheck: false },
    del: ["d2"],
    kept: "h2",
  },
  {
    title: "dummy source: delete by the filters alone",
    dst: DST,
    src: srcOf("@d3:5"),
    selected: ["@d3", "@h1"],
    options: { dummySource: true },
    del: ["h1", "d3"],
  },
  {
    title: "missing source dataset: everything selected",
    dst: DST,
    src: undefined,
    selected: ["@d1", "@d3"],
    del: ["d1", "d3"],
  },
  { title: "src without snapshots", dst: DST, src: [], selected: ["@d2"], del: ["d2"] },
  { title: "nothing selected deletes nothing", dst: DST, src: undefined, selected: [], del: [] },
  {
    title: "except, real source: keep selected AND on src",
    dst: DST,
    src: srcOf("@d1:1", "@d2:3", "@h2:4", "@d3:5"),
    selected: ["@d1", "@d2", "@d3"],
    options: { except: true },
    del: ["h1", "h2"],
  },
  {
    title: "except, real source: the unselected latest common snapshot is protected",
    dst: DST,
    src: srcOf("@d1:1", "@d2:3", "@h2:4", "@d3:5"),
    selected: ["@d1", "@d2"],
    options: { except: true },
    del: ["h1", "h2"],
    kept: "d3",
  },
  {
    title: "except, real source, upstream-exact: the unselected latest common goes too",
    dst: DST,
    src: srcOf("@d1:1", "@d2:3", "@h2:4", "@d3:5"),
    selected: ["@d1", "@d2"],
    options: { except: true, protectLatestCommon: false },
    del: ["h1", "h2", "d3"],
  },
  {
    title: "except, real source: selected but not on src is deleted",
    dst: DST,
    src: srcOf("@d3:5"),
    selected: ["@d1", "@d2", "@d3"],
    options: { except: true },
    del: ["d1", "h1", "d2", "h2"],
  },
  {
    title: "except, dummy source: delete what is not selected",
    dst: DST,
    src: srcOf("@d1:1"),
    selected: ["@d1", "@d2", "@d3"],
    options: { except: true, dummySource: true },
    del: ["h1", "h2"],
  },
  {
    title: "except, missing source dataset: upstream deletes everything (no keep possible)",
    dst: DST,
    src: undefined,
    selected: ["@d1", "@d2", "@d3"],
    options: { except: true },
    del: ["d1", "h1", "d2", "h2", "d3"],
  },
  {
    title: "holds are skipped silently; '-', '0' and '' are no hold",
    dst: [...dstOf("@a:1!", "@b:2", "@c:3!"), { ...dstOf("@d:4")[0], userrefs: "-" }, {
      ...dstOf("@e:5")[0],
      userrefs: undefined,
    }],
    src: [],
    selected: ["@a", "@b", "@c", "@d", "@e"],
    del: ["b", "d", "e"],
    held: ["a", "c"],
  },
  {
    title: "bookmark mode: bookmarks only, tmp bookmarks are not candidates",
    dst: dstOf("@s1:1", "#s1:1", "#b2:2", "#.TMPBZFS.s3.x.y.z:3"),
    src: undefined,
    selected: ["@s1", "#s1", "#b2", "#.TMPBZFS.s3.x.y.z"],
    options: { kind: "bookmarks" },
    del: ["s1", "b2"],
  },
  {
    title: "bookmark mode: --force-delete-dst-tmp-bookmarks includes them",
    dst: dstOf("#b2:2", "#.TMPBZFS.s3.x.y.z:3"),
    src: undefined,
    selected: ["#b2", "#.TMPBZFS.s3.x.y.z"],
    options: { kind: "bookmarks", includeTmpBookmarks: true },
    del: ["b2", ".TMPBZFS.s3.x.y.z"],
  },
  {
    title: "bookmark mode crosscheck: a src snapshot keeps the dst bookmark",
    dst: dstOf("#b1:1", "#b2:2"),
    src: srcOf("@s1:1"),
    selected: ["#b1", "#b2"],
    options: { kind: "bookmarks" },
    del: ["b2"],
  },
  {
    title: "bookmark mode no-crosscheck: only src bookmarks count; bookmarks are never 'held'",
    dst: dstOf("#b1:1!", "#b2:2"),
    src: srcOf("@s1:1", "#x:2"),
    selected: ["#b1", "#b2"],
    options: { kind: "bookmarks", crosscheck: false },
    del: ["b1"],
  },
  {
    title: "latest common is chosen by source createtxg, not by destination order",
    dst: dstOf("@x:7", "@y:8"),
    src: srcOf("@y:8", "@x:7"),
    selected: ["@x", "@y"],
    options: { except: true, crosscheck: false },
    del: [],
  },
];

Deno.test("selectDstSnapshotsToDelete: table of modes (semantics 6.1)", () => {
  for (const c of CASES) {
    const got = selectDstSnapshotsToDelete(c.dst, c.src, {
      selected: sel(...c.selected),
      ...c.options,
    });
    assert.deepEqual(got.toDelete.map((e) => e.name), c.del, c.title);
    assert.deepEqual(got.held.map((e) => e.name), c.held ?? [], c.title);
    assert.equal(got.protectedCommon?.name, c.kept, c.title);
  }
});

Deno.test("selectDstSnapshotsToDelete: a selection that is not from dst is a programming error", () => {
  for (const selected of [["@zz"], ["#d1"], ["@d1", "@h9"]]) {
    for (const except of [false, true]) {
      assert.throws(
        () => selectDstSnapshotsToDelete(DST, [], { selected: sel(...selected), except }),
        (e: unknown) => e instanceof TypeError && /not in the destination listing/.test(e.message),
      );
    }
  }
  // bookmark mode with bookmarks rewritten to snapshots and not restored
  const dst = dstOf("#b1:1", "#b2:2");
  assert.throws(
    () =>
      selectDstSnapshotsToDelete(dst, [], {
        selected: sel("@b1"),
        kind: "bookmarks",
        except: true,
      }),
    TypeError,
  );
  // a selection naming both kinds of one name, where dst has only the snapshot
  const both = dstOf("@d1:1", "@d2:2");
  assert.throws(
    () => selectDstSnapshotsToDelete(both, [], { selected: sel("@d1", "#d1") }),
    /not in the destination listing: bookmark d1/,
  );
  // a duplicate selection entry is still a subset
  assert.deepEqual(
    selectDstSnapshotsToDelete(both, [], { selected: sel("@d1", "@d1") }).toDelete.map((e) =>
      e.name
    ),
    ["d1"],
  );
});

Deno.test("latestCommonSnapshot on delete listings: newest source entry a dst snapshot shares", () => {
  const common = (dst: DstEntry[], src: SnapshotRecord[]) =>
    latestCommonSnapshot(src, dst)?.dst.name;
  assert.equal(common(dstOf("@a:1", "@b:2"), srcOf("@a:1", "#b:2")), "b");
  assert.equal(common(dstOf("@a:1", "#b:2"), srcOf("@a:1", "@b:2")), "a"); // dst bookmarks do not count
  assert.equal(common(dstOf("@a:1"), srcOf("@z:9")), undefined);
  assert.equal(common([], []), undefined);
});

/** Deterministic PRNG (mulberry32). */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

Deno.test("property: never an unselected entry (normal mode), never a GUID on the source, never a hold", () => {
  for (let seed = 1; seed <= 3000; seed++) {
    const r = rng(seed);
    const pick = <T>(xs: readonly T[]) => xs[Math.floor(r() * xs.length)];
    const n = Math.floor(r() * 25);
    const dst: DstEntry[] = [];
    const src: SnapshotRecord[] = [];
    for (let i = 0; i < n; i++) {
      const guid = String(1 + Math.floor(r() * 40));
      const kind = r() < 0.75 ? "snapshot" : "bookmark";
      const name = `${pick(["prod_", "test_", ".TMPBZFS."])}${i}_${pick(["daily", "hourly"])}`;
      dst.push({
        dataset: "bak/a",
        name,
        kind,
        guid,
        createTxg: BigInt(i + 1),
        creation: i,
        userrefs: pick(["", "-", "0", "1", "2"]),
      });
    }
    for (let i = 0; i < Math.floor(r() * 25); i++) {
      const guid = String(1 + Math.floor(r() * 40));
      src.push({
        dataset: "tank/a",
        name: `s${i}`,
        kind: r() < 0.6 ? "snapshot" : "bookmark",
        guid,
        createTxg: BigInt(i + 1),
        creation: i,
      });
    }
    const selected = dst.filter(() => r() < 0.6);
    const options: SelectDstSnapshotsOptions = {
      selected,
      except: r() < 0.4,
      crosscheck: r() < 0.7,
      kind: r() < 0.7 ? "snapshots" : "bookmarks",
      dummySource: r() < 0.15,
      includeTmpBookmarks: r() < 0.2,
      protectLatestCommon: r() < 0.8,
    };
    const srcArg = r() < 0.1 ? undefined : src;
    const { toDelete, held } = selectDstSnapshotsToDelete(dst, srcArg, options);
    const kind = options.kind === "bookmarks" ? "bookmark" : "snapshot";
    const realSrc = options.dummySource ? [] : srcArg ?? [];
    const sameKindGuids = new Set(realSrc.filter((s) => s.kind === kind).map((s) => s.guid));
    const anyKindGuids = new Set(realSrc.map((s) => s.guid));
    const selectedSet = new Set(selected);
    const ctx = `seed ${seed} ${JSON.stringify({ ...options, selected: selected.length })}`;
    const common = latestCommonSnapshot(realSrc, dst)?.dst;
    for (const e of toDelete) {
      assert.ok(dst.includes(e), ctx);
      assert.equal(e.kind, kind, ctx);
      if (kind === "snapshot") assert.ok(["", "-", "0"].includes(e.userrefs ?? ""), ctx);
      if (kind === "bookmark" && !options.includeTmpBookmarks) {
        assert.ok(!e.name.startsWith(".TMPBZFS."), ctx);
      }
      if (!options.except) {
        assert.ok(selectedSet.has(e), `unselected entry deleted: ${ctx}`);
        assert.ok(!sameKindGuids.has(e.guid), `GUID on source deleted: ${ctx}`);
        if (options.crosscheck) {
          assert.ok(!anyKindGuids.has(e.guid), `crosscheck GUID deleted: ${ctx}`);
        }
      } else if (options.dummySource) {
        assert.ok(!selectedSet.has(e), `kept entry deleted: ${ctx}`);
      } else {
        const keepGuids = options.crosscheck ? anyKindGuids : sameKindGuids;
        assert.ok(!(selectedSet.has(e) && keepGuids.has(e.guid)), `kept entry deleted: ${ctx}`);
      }
      if (options.protectLatestCommon && !options.dummySource && kind === "snapshot" && common) {
        assert.notEqual(e.guid, common.guid, `latest common deleted: ${ctx}`);
      }
    }
    for (const e of held) {
      assert.ok(kind === "snapshot" && !["", "-", "0"].includes(e.userrefs ?? ""), ctx);
    }
    assert.equal(new Set(toDelete).size, toDelete.length, ctx);
  }
});

Deno.test("destroyArgs: comma batches, bookmarks one per command, flags, byte budget", () => {
  assert.deepEqual(destroyArgs("bak/a", ["s1", "s2", "s3"]), [[
    "zfs",
    "destroy",
    "bak/a@s1,s2,s3",
  ]]);
  assert.deepEqual(destroyArgs("bak/a", ["s1", "s2", "s3"], { maxPerCommand: 2 }), [
    ["zfs", "destroy", "bak/a@s1,s2"],
    ["zfs", "destroy", "bak/a@s3"],
  ]);
  assert.deepEqual(destroyArgs("bak/a", ["s1", "s2"], { maxPerCommand: 0 }), [
    ["zfs", "destroy", "bak/a@s1"],
    ["zfs", "destroy", "bak/a@s2"],
  ]);
  assert.deepEqual(destroyArgs("bak/a", ["b1", "b2", "b1"], { kind: "bookmark" }), [
    ["zfs", "destroy", "bak/a#b1"],
    ["zfs", "destroy", "bak/a#b2"],
  ]);
  assert.deepEqual(
    destroyArgs("bak/a", ["s1"], { destroy: { dryRun: true, verbose: true, dependents: true } }),
    [
      ["zfs", "destroy", "-R", "-n", "-v", "bak/a@s1"],
    ],
  );
  assert.deepEqual(destroyArgs("bak/a", []), []);
  // "zfs destroy bak/a@" is 18 bytes; a budget of 18 + 6 fits two 2-char tags with separators
  assert.deepEqual(destroyArgs("bak/a", ["s1", "s2", "s3"], { maxCommandLineBytes: 24 }), [
    ["zfs", "destroy", "bak/a@s1,s2"],
    ["zfs", "destroy", "bak/a@s3"],
  ]);
  // a single argument never exceeds 128 KiB - 1 bytes even on Linux
  const many = Array.from({ length: 20_000 }, (_, i) => `prod_2025-01-01_00:00:${i}_hourly`);
  const argv = destroyArgs("bak/a", many);
  assert.ok(argv.length > 1);
  for (const a of argv) assert.ok(new TextEncoder().encode(a.join(" ")).length <= 128 * 1024 - 1);
  assert.deepEqual(argv.flatMap((a) => a[2].slice("bak/a@".length).split(",")), many);
});

Deno.test("destroyArgs: % ranges only over runs that are wholly selected", () => {
  const ordered = ["s1", "s2", "s3", "s4", "s5", "s6", "s7"];
  const cases: [string[], string][] = [
    [["s1", "s2", "s3"], "s1%s3"],
    [["s1", "s2", "s3", "s5", "s6"], "s1%s3,s5,s6"],
    [["s1", "s3", "s5", "s7"], "s1,s3,s5,s7"],
    [["s7", "s6", "s5", "s4"], "s4%s7"], // creation order, whatever the input order
    [["s2", "s3", "s4", "s6", "x9", "s2"], "s2%s4,s6,x9"], // unknown names last, duplicates once
    [ordered, "s1%s7"],
  ];
  for (const [names, target] of cases) {
    assert.deepEqual(destroyArgs("bak/a", names, { ordered }), [[
      "zfs",
      "destroy",
      `bak/a@${target}`,
    ]], target);
  }
  assert.deepEqual(destroyArgs("bak/a", ["a", "b", "c"], { ordered: ["a", "b", "b", "c"] }), [
    ["zfs", "destroy", "bak/a@a,b,c"],
  ]);
});

Deno.test("property: expanding % ranges like OpenZFS yields exactly the names to destroy", () => {
  for (let seed = 1; seed <= 1000; seed++) {
    const r = rng(seed);
    const ordered = Array.from({ length: Math.floor(r() * 40) }, (_, i) => `s${i}`);
    const names = ordered.filter(() => r() < 0.6);
    const argv = destroyArgs("bak/a", names, { ordered, maxPerCommand: 1 + Math.floor(r() * 5) });
    const destroyed: string[] = [];
    for (const a of argv) {
      for (const tag of a[2].slice("bak/a@".length).split(",")) {
        const [from, to] = tag.split("%");
        if (to === undefined) destroyed.push(from);
        else destroyed.push(...ordered.slice(ordered.indexOf(from), ordered.indexOf(to) + 1));
      }
    }
    assert.deepEqual(destroyed, names, `seed ${seed}`);
  }
});
