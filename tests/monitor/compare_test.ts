import assert from "node:assert/strict";
import { SnapshotFilterBuilder } from "../../lib/filter/snapshot_filter.ts";
import {
  comparableEntries,
  type CompareOptions,
  compareSnapshotLists,
  relativeDataset,
  selectedLocations,
} from "../../lib/monitor/compare.ts";
import type { CompareChoice, DatasetSnapshots } from "../../lib/monitor/compare_types.ts";
import { compareTsvLines } from "../../lib/monitor/compare_output.ts";
import { collect, rec, tree } from "./_records.ts";

const ROOTS = { srcRoot: "tank/src", dstRoot: "tank/dst" };

/** Semantics 7.6, with realistic times. */
function example() {
  const src = tree([
    rec("tank/src/bar@snapBar", "10", 50),
    rec("tank/src/foo@snapA", "1", 100),
    rec("tank/src/foo@snapB", "2", 200),
    rec("tank/src/foo#snapB", "2", 200),
  ], ["tank/src"]);
  const dst = tree([
    rec("tank/dst/baz@snapBaz", "20", 60),
    rec("tank/dst/foo@snapA", "1", 100, { written: "0" }),
    rec("tank/dst/foo@snapC", "3", 300),
  ], ["tank/dst"]);
  return { src, dst };
}

const HEADER =
  "location\tcreation_iso\tcreatetxg\trel_name\tguid\troot_dataset\trel_dataset\tname\tcreation\twritten";
const ROW = {
  bar:
    "src\t2024-11-06_08:30:55+00:00\t1050\t/bar@snapBar\t10\ttank/src\t/bar\ttank/src/bar@snapBar\t1730881855\t51200",
  baz:
    "dst\t2024-11-06_08:31:05+00:00\t1060\t/baz@snapBaz\t20\ttank/dst\t/baz\ttank/dst/baz@snapBaz\t1730881865\t61440",
  fooA:
    "all\t2024-11-06_08:31:45+00:00\t1100\t/foo@snapA\t1\ttank/src\t/foo\ttank/src/foo@snapA\t1730881905\t102400",
  fooB:
    "src\t2024-11-06_08:33:25+00:00\t1200\t/foo@snapB\t2\ttank/src\t/foo\ttank/src/foo@snapB\t1730882005\t204800",
  fooC:
    "dst\t2024-11-06_08:35:05+00:00\t1300\t/foo@snapC\t3\ttank/dst\t/foo\ttank/dst/foo@snapC\t1730882105\t307200",
};

async function tsv(
  src: Iterable<DatasetSnapshots>,
  dst: Iterable<DatasetSnapshots>,
  options: Partial<CompareOptions> = {},
): Promise<string[]> {
  return await collect(compareTsvLines(compareSnapshotLists(src, dst, { ...ROOTS, ...options })));
}

Deno.test("compareSnapshotLists: semantics 7.6 example, row by row", async () => {
  const { src, dst } = example();
  assert.deepEqual(await tsv(src, dst), [HEADER, ROW.bar, ROW.baz, ROW.fooA, ROW.fooB, ROW.fooC]);
});

Deno.test("compareSnapshotLists: one comparison per relative dataset in the union, with both names", async () => {
  const { src, dst } = example();
  const cs = await collect(compareSnapshotLists(src, dst, ROOTS));
  assert.deepEqual(
    cs.map((c) => [c.relDataset, c.srcDataset, c.dstDataset, c.rows.length]),
    [
      ["", "tank/src", "tank/dst", 0],
      ["/bar", "tank/src/bar", undefined, 1],
      ["/baz", undefined, "tank/dst/baz", 1],
      ["/foo", "tank/src/foo", "tank/dst/foo", 3],
    ],
  );
  const foo = cs[3].summary;
  assert.deepEqual(foo.selected, ["all", "src", "dst"]);
  assert.equal(foo.stats.all.count, 1);
  assert.equal(foo.stats.src.count, 1);
  assert.equal(foo.stats.src.countSinceCommon, 1);
  assert.equal(foo.stats.src.writtenSinceCommon, 204800n);
  assert.equal(foo.stats.dst.written, 307200n);
  assert.equal(foo.stats.all.latest?.name, "tank/src/foo@snapA");
  assert.equal(foo.stats.dst.oldest?.name, "tank/dst/foo@snapC");
});

Deno.test("compareSnapshotLists: each choice emits only its locations", async () => {
  const { src, dst } = example();
  const expected: Record<CompareChoice, string[]> = {
    "src": [ROW.bar, ROW.fooB],
    "dst": [ROW.baz, ROW.fooC],
    "all": [ROW.fooA],
    "src+dst": [ROW.bar, ROW.baz, ROW.fooB, ROW.fooC],
    "src+all": [ROW.bar, ROW.fooA, ROW.fooB],
    "dst+all": [ROW.baz, ROW.fooA, ROW.fooC],
    "src+dst+all": [ROW.bar, ROW.baz, ROW.fooA, ROW.fooB, ROW.fooC],
  };
  for (const [choice, rows] of Object.entries(expected) as [CompareChoice, string[]][]) {
    assert.deepEqual(await tsv(src, dst, { choice }), [HEADER, ...rows], choice);
  }
});

Deno.test("compareSnapshotLists: only on src, only on dst, on both", async () => {
  const onlySrc = tree([rec("tank/src@a", "1", 1), rec("tank/src@b", "2", 2)]);
  const onlyDst = tree([rec("tank/dst@c", "3", 3)]);
  assert.deepEqual((await tsv(onlySrc, tree([], ["tank/dst"]))).slice(1), [
    "src\t2024-11-06_08:30:06+00:00\t1001\t@a\t1\ttank/src\t\ttank/src@a\t1730881806\t1024",
    "src\t2024-11-06_08:30:07+00:00\t1002\t@b\t2\ttank/src\t\ttank/src@b\t1730881807\t2048",
  ]);
  assert.deepEqual((await tsv(tree([], ["tank/src"]), onlyDst)).slice(1), [
    "dst\t2024-11-06_08:30:08+00:00\t1003\t@c\t3\ttank/dst\t\ttank/dst@c\t1730881808\t3072",
  ]);
  const both = tree([rec("tank/dst@renamed", "1", 1, { written: "7" })]);
  assert.deepEqual((await tsv(onlySrc, both)).slice(1), [
    "all\t2024-11-06_08:30:06+00:00\t1001\t@a\t1\ttank/src\t\ttank/src@a\t1730881806\t1024",
    "src\t2024-11-06_08:30:07+00:00\t1002\t@b\t2\ttank/src\t\ttank/src@b\t1730881807\t2048",
  ]);
});

Deno.test("compareSnapshotLists: a src bookmark counts as present unless useBookmark is false", async () => {
  const src = tree([rec("tank/src/x#a", "1", 1), rec("tank/src/x#lonely", "9", 9)]);
  const dst = tree([rec("tank/dst/x@a", "1", 1)]);
  assert.deepEqual((await tsv(src, dst)).slice(1), [
    "all\t2024-11-06_08:30:06+00:00\t1001\t/x#a\t1\ttank/src\t/x\ttank/src/x#a\t1730881806\t-",
    "src\t2024-11-06_08:30:14+00:00\t1009\t/x#lonely\t9\ttank/src\t/x\ttank/src/x#lonely\t1730881814\t-",
  ]);
  assert.deepEqual((await tsv(src, dst, { useBookmark: false })).slice(1), [
    "dst\t2024-11-06_08:30:06+00:00\t1001\t/x@a\t1\ttank/dst\t/x\ttank/dst/x@a\t1730881806\t1024",
  ]);
});

Deno.test("compareSnapshotLists: the snapshot wins over its bookmark, in either listing order", async () => {
  for (const order of [["@", "#"], ["#", "@"]]) {
    const src = tree(order.map((sep) => rec(`tank/src${sep}s`, "5", 5)));
    const lines = await tsv(src, tree([], ["tank/dst"]));
    assert.deepEqual(lines.slice(1).map((l) => l.split("\t")[3]), ["@s"], order.join());
  }
});

Deno.test("compareSnapshotLists: dst bookmarks never take part", async () => {
  const dst = tree([rec("tank/dst#a", "1", 1)]);
  assert.deepEqual(await tsv(tree([], ["tank/src"]), dst), [HEADER]);
});

Deno.test("compareSnapshotLists: temporary bookmarks", async () => {
  const src = tree([
    rec("tank/src#.TMPBZFS.matched", "1", 1),
    rec("tank/src#.TMPBZFS.unmatched", "2", 2),
    rec("tank/src@shadow", "3", 3),
    rec("tank/src#.TMPBZFS.shadowed", "3", 3),
  ]);
  const dst = tree([rec("tank/dst@m", "1", 1)]);
  assert.deepEqual((await tsv(src, dst)).slice(1).map((l) => l.split("\t").slice(0, 4).join(" ")), [
    "all 2024-11-06_08:30:06+00:00 1001 #.TMPBZFS.matched",
    "src 2024-11-06_08:30:08+00:00 1003 @shadow",
  ]);
});

Deno.test("compareSnapshotLists: filters apply per dataset, to bookmarks too; temp bookmarks bypass", async () => {
  const groups = new SnapshotFilterBuilder()
    .addIncludeRegex([".*_daily"], "--include-snapshot-regex")
    .build();
  const src = tree([
    rec("tank/src@a_daily", "1", 1),
    rec("tank/src@b_hourly", "2", 2),
    rec("tank/src#c_hourly", "3", 3),
    rec("tank/src#d_daily", "4", 4),
    rec("tank/src#.TMPBZFS.e_hourly", "5", 5),
  ]);
  // dst is filtered too: its b_hourly is dropped, so neither side reports guid 2
  const dst = tree([rec("tank/dst@b_hourly", "2", 2), rec("tank/dst@e_daily", "5", 5)]);
  const lines = await tsv(src, dst, { filter: { groups, now: 0 } });
  assert.deepEqual(lines.slice(1).map((l) => `${l.split("\t")[0]} ${l.split("\t")[3]}`), [
    "src @a_daily",
    "src #d_daily",
    "all #.TMPBZFS.e_hourly",
  ]);
});

Deno.test("compareSnapshotLists: rows sort by creation, then createtxg, then tag (categories interleaved)", async () => {
  const src = tree([
    rec("tank/src@z", "1", 10, { txg: 5n }),
    rec("tank/src@y", "2", 10, { txg: 5n }),
    rec("tank/src@x", "3", 10, { txg: 4n }),
    rec("tank/src@w", "4", 9, { txg: 99n }),
  ]);
  const dst = tree([
    rec("tank/dst@v", "5", 10, { txg: 5n }),
    rec("tank/dst@y", "2", 10, { txg: 5n }),
  ]);
  const lines = await tsv(src, dst);
  assert.deepEqual(lines.slice(1).map((l) => `${l.split("\t")[0]} ${l.split("\t")[3]}`), [
    "src @w",
    "src @x",
    "dst @v",
    "all @y",
    "src @z",
  ]);
});

Deno.test("compareSnapshotLists: async inputs are consumed lazily, one dataset at a time", async () => {
  const pulled: string[] = [];
  async function* side(root: string, names: string[]): AsyncGenerator<DatasetSnapshots> {
    for (const n of names) {
      pulled.push(`${root}${n}`);
      await Promise.resolve();
      yield { dataset: `${root}${n}`, records: [rec(`${root}${n}@s`, n, 1)] };
    }
  }
  const it = compareSnapshotLists(
    side("tank/src", ["/a", "/c"]),
    side("tank/dst", ["/b", "/c"]),
    ROOTS,
  );
  const first = await it.next();
  assert.equal(first.done, false);
  assert.equal(first.value?.relDataset, "/a");
  assert.deepEqual(pulled, ["tank/src/a", "tank/dst/b"]);
  const rest = await collect(it);
  assert.deepEqual(rest.map((c) => [c.relDataset, c.rows.map((r) => r.location)]), [
    ["/b", ["dst"]],
    ["/c", ["all"]], // same GUID "/c" on both sides
  ]);
});

Deno.test("compareSnapshotLists: unsorted or foreign datasets are programming errors", async () => {
  const unsorted = [{ dataset: "tank/src/b", records: [] }, { dataset: "tank/src/a", records: [] }];
  await assert.rejects(() => collect(compareSnapshotLists(unsorted, [], ROOTS)), RangeError);
  const foreign = [{ dataset: "tank/srcx", records: [] }];
  await assert.rejects(() => collect(compareSnapshotLists(foreign, [], ROOTS)), /not under root/);
});

Deno.test("compareSnapshotLists: 100,000 snapshots over 100 datasets", async () => {
  const side = (root: string, offset: number) =>
    (function* () {
      for (let d = 0; d < 100; d++) {
        const dataset = `${root}/d${String(d).padStart(3, "0")}`;
        const records = Array.from({ length: 1000 }, (_, i) => ({
          dataset,
          name: `s${i}`,
          kind: "snapshot" as const,
          guid: String(d * 10_000 + i + offset),
          createTxg: BigInt(i),
          creation: 1_700_000_000 + i,
          written: "1",
        }));
        yield { dataset, records };
      }
    })();
  const t = performance.now();
  let rows = 0;
  let all = 0;
  for await (const c of compareSnapshotLists(side("tank/src", 0), side("tank/dst", 500), ROOTS)) {
    rows += c.rows.length;
    all += c.summary.stats.all.count;
  }
  assert.equal(all, 100 * 500);
  assert.equal(rows, 100 * 1500);
  assert.ok(performance.now() - t < 10_000);
});

Deno.test("comparableEntries, selectedLocations, relativeDataset", () => {
  const m = comparableEntries([rec("t#b", "1", 1), rec("t#b2", "1", 2), rec("t@c", "2", 3)], {
    bookmarks: true,
  });
  assert.deepEqual([...m.entries()].map(([g, r]) => `${g}:${r.name}`), ["1:b", "2:c"]);
  assert.deepEqual([...comparableEntries([rec("t#b", "1", 1)], { bookmarks: false }).keys()], []);
  assert.deepEqual(selectedLocations("src+dst+all"), ["all", "src", "dst"]);
  assert.deepEqual(selectedLocations("dst"), ["dst"]);
  assert.equal(relativeDataset("tank/src/a/b", "tank/src"), "/a/b");
  assert.equal(relativeDataset("tank/src", "tank/src"), "");
  assert.throws(() => relativeDataset("tank/srcx", "tank/src"), RangeError);
});
