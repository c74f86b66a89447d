import assert from "node:assert/strict";
import { compareSnapshotLists } from "../../lib/monitor/compare.ts";
import {
  COMPARE_DATASETS_TSV_HEADER,
  COMPARE_TSV_COLUMNS,
  COMPARE_TSV_HEADER,
  compareDatasetRows,
  compareFileNames,
  compareOutputDir,
  compareTsvLines,
  formatCompareRow,
  formatCompareSummary,
  isoTimeFromUnixTime,
} from "../../lib/monitor/compare_output.ts";
import type { CompareChoice, DatasetComparison } from "../../lib/monitor/compare_types.ts";
import { writeLinesAtomically } from "../../lib/monitor/atomic_write.ts";
import { collect, rec, T0, tree } from "./_records.ts";

const ROOTS = { srcRoot: "tank/src", dstRoot: "tank/dst" };
const TASK = "tank/src vs. tank/dst";

async function fooExample(choice: CompareChoice = "src+dst+all"): Promise<DatasetComparison[]> {
  const src = tree([
    rec("tank/src/foo@snapA", "1", 100),
    rec("tank/src/foo@snapB", "2", 200),
  ], ["tank/src"]);
  const dst = tree([rec("tank/dst/foo@snapA", "1", 100), rec("tank/dst/foo@snapC", "3", 300)], [
    "tank/dst",
  ]);
  return await collect(compareSnapshotLists(src, dst, { ...ROOTS, choice }));
}

const FOO_A =
  "all\t2024-11-06_08:31:45+00:00\t1100\t/foo@snapA\t1\ttank/src\t/foo\ttank/src/foo@snapA\t1730881905\t102400";
const FOO_B =
  "src\t2024-11-06_08:33:25+00:00\t1200\t/foo@snapB\t2\ttank/src\t/foo\ttank/src/foo@snapB\t1730882005\t204800";
const FOO_C =
  "dst\t2024-11-06_08:35:05+00:00\t1300\t/foo@snapC\t3\ttank/dst\t/foo\ttank/dst/foo@snapC\t1730882105\t307200";
const NOW = T0 + 100 + 5 * 3600; // 5h after the common snapshot

Deno.test("formatCompareSummary: every line of a dataset with all three categories", async () => {
  const [, foo] = await fooExample();
  const p = "Comparing /foo~";
  assert.deepEqual(formatCompareSummary(foo.summary, { task: TASK, nowSeconds: NOW }), [
    `${p} of tank/src vs. tank/dst`,
    `${p} Q: No src snapshots are missing on dst, and no dst snapshots are missing on src, and there is a common snapshot? A: False`,
    `${p} Latest snapshot only in all: ${FOO_A}`,
    `${p} Oldest snapshot only in all: ${FOO_A}`,
    `${p} Snapshots only in all: 1`,
    `${p} Snapshot data written only in all: 100 KiB`,
    `${p} Time diff between now and latest snapshot only in all: 5h`,
    `${p} Time diff between now and oldest snapshot only in all: 5h`,
    `${p} Latest snapshot only in src: ${FOO_B}`,
    `${p} Oldest snapshot only in src: ${FOO_B}`,
    `${p} Snapshots only in src: 1`,
    `${p} Snapshot data written only in src: 200 KiB`,
    `${p} Snapshots only in src since latest common snapshot: 1`,
    `${p} Snapshot data written only in src since latest common snapshot: 200 KiB`,
    `${p} Time diff between latest common snapshot and latest snapshot only in src: -1.67m`,
    `${p} Time diff between latest common snapshot and oldest snapshot only in src: -1.67m`,
    `${p} Time diff between now and latest snapshot only in src: 4.97h`,
    `${p} Time diff between now and oldest snapshot only in src: 4.97h`,
    `${p} Latest snapshot only in dst: ${FOO_C}`,
    `${p} Oldest snapshot only in dst: ${FOO_C}`,
    `${p} Snapshots only in dst: 1`,
    `${p} Snapshot data written only in dst: 300 KiB`,
    `${p} Snapshots only in dst since latest common snapshot: 1`,
    `${p} Snapshot data written only in dst since latest common snapshot: 300 KiB`,
    `${p} Time diff between latest common snapshot and latest snapshot only in dst: -3.33m`,
    `${p} Time diff between latest common snapshot and oldest snapshot only in dst: -3.33m`,
    `${p} Time diff between now and latest snapshot only in dst: 4.94h`,
    `${p} Time diff between now and oldest snapshot only in dst: 4.94h`,
  ]);
});

Deno.test("formatCompareSummary: the root dataset without snapshots", async () => {
  const [root] = await fooExample();
  const lines = formatCompareSummary(root.summary, { task: TASK, nowSeconds: NOW });
  assert.equal(lines.length, 28);
  assert.ok(lines.every((l) => l.startsWith("Comparing ~ ")));
  assert.equal(lines[1].endsWith("A: False"), true);
  assert.deepEqual(lines.slice(2, 8), [
    "Comparing ~ Latest snapshot only in all: n/a",
    "Comparing ~ Oldest snapshot only in all: n/a",
    "Comparing ~ Snapshots only in all: 0",
    "Comparing ~ Snapshot data written only in all: 0 B",
    "Comparing ~ Time diff between now and latest snapshot only in all: n/a",
    "Comparing ~ Time diff between now and oldest snapshot only in all: n/a",
  ]);
  assert.equal(lines[12], "Comparing ~ Snapshots only in src since latest common snapshot: n/a");
  assert.equal(
    lines[13],
    "Comparing ~ Snapshot data written only in src since latest common snapshot: n/a",
  );
  assert.equal(
    lines[14],
    "Comparing ~ Time diff between latest common snapshot and latest snapshot only in src: n/a",
  );
});

Deno.test("formatCompareSummary: Q/A is True only with all three selected and nothing missing", async () => {
  const src = tree([rec("tank/src@a", "1", 1)]);
  const dst = tree([rec("tank/dst@a", "1", 1)]);
  const [same] = await collect(compareSnapshotLists(src, dst, ROOTS));
  assert.match(formatCompareSummary(same.summary, { task: TASK, nowSeconds: NOW })[1], /A: True$/);
  const [partial] = await collect(compareSnapshotLists(src, dst, { ...ROOTS, choice: "src+all" }));
  assert.match(
    formatCompareSummary(partial.summary, { task: TASK, nowSeconds: NOW })[1],
    /A: n\/a$/,
  );
});

Deno.test("formatCompareSummary: without 'all', the since-common lines are n/a and only src lines follow", async () => {
  const [, foo] = await fooExample("src");
  const lines = formatCompareSummary(foo.summary, { task: TASK, nowSeconds: NOW });
  assert.equal(lines.length, 12);
  assert.deepEqual(lines.slice(2).map((l) => l.slice("Comparing /foo~ ".length)), [
    `Latest snapshot only in src: ${FOO_B}`,
    `Oldest snapshot only in src: ${FOO_B}`,
    "Snapshots only in src: 1",
    "Snapshot data written only in src: 200 KiB",
    "Snapshots only in src since latest common snapshot: n/a",
    "Snapshot data written only in src since latest common snapshot: n/a",
    "Time diff between latest common snapshot and latest snapshot only in src: n/a",
    "Time diff between latest common snapshot and oldest snapshot only in src: n/a",
    "Time diff between now and latest snapshot only in src: 4.97h",
    "Time diff between now and oldest snapshot only in src: 4.97h",
  ]);
});

Deno.test("since latest common snapshot counts only rows after the last 'all' row", async () => {
  const src = tree([
    rec("tank/src@a", "1", 1),
    rec("tank/src@b", "2", 2),
    rec("tank/src@c", "3", 3),
    rec("tank/src@d", "4", 4),
  ]);
  const dst = tree([rec("tank/dst@c", "3", 3)]);
  const [c] = await collect(compareSnapshotLists(src, dst, ROOTS));
  assert.equal(c.summary.stats.src.count, 3);
  assert.equal(c.summary.stats.src.written, (1n + 2n + 4n) * 1024n);
  assert.equal(c.summary.stats.src.countSinceCommon, 1);
  assert.equal(c.summary.stats.src.writtenSinceCommon, 4096n);
  const lines = formatCompareSummary(c.summary, { task: TASK, nowSeconds: T0 + 3 });
  assert.ok(
    lines.includes(
      "Comparing ~ Time diff between latest common snapshot and latest snapshot only in src: -1s",
    ),
  );
  assert.ok(
    lines.includes(
      "Comparing ~ Time diff between latest common snapshot and oldest snapshot only in src: 2s",
    ),
  );
  assert.ok(
    lines.includes("Comparing ~ Time diff between now and latest snapshot only in src: -1s"),
  );
});

Deno.test("compareTsvLines: header before the first dataset, none without datasets, header only on dry run", async () => {
  assert.deepEqual(await collect(compareTsvLines([])), []);
  const seen: string[] = [];
  const lines = await collect(
    compareTsvLines(await fooExample(), { onDataset: (c) => seen.push(c.relDataset) }),
  );
  assert.deepEqual(lines, [COMPARE_TSV_HEADER, FOO_A, FOO_B, FOO_C]);
  assert.deepEqual(seen, ["", "/foo"]);
  assert.deepEqual(await collect(compareTsvLines(await fooExample(), { dryRun: true })), [
    COMPARE_TSV_HEADER,
  ]);
});

Deno.test("TSV header, row format and ISO times", () => {
  assert.equal(
    COMPARE_TSV_HEADER,
    "location\tcreation_iso\tcreatetxg\trel_name\tguid\troot_dataset\trel_dataset\tname\tcreation\twritten",
  );
  assert.equal(COMPARE_TSV_COLUMNS.length, 10);
  assert.equal(
    formatCompareRow({
      location: "src",
      creation: 1730881805,
      createTxg: 17435050n,
      relName: "/foo@test_2024-11-06_08:30:05_daily",
      guid: "2406491805272097867",
      rootDataset: "tank1/src",
      relDataset: "/foo",
      name: "tank1/src/foo@test_2024-11-06_08:30:05_daily",
      written: "24576",
    }),
    "src\t2024-11-06_08:30:05+00:00\t17435050\t/foo@test_2024-11-06_08:30:05_daily\t2406491805272097867\t" +
      "tank1/src\t/foo\ttank1/src/foo@test_2024-11-06_08:30:05_daily\t1730881805\t24576",
  );
  assert.equal(isoTimeFromUnixTime(0), "1970-01-01_00:00:00+00:00");
  assert.equal(isoTimeFromUnixTime(1769261405), "2026-01-24_13:30:05+00:00");
});

Deno.test("output folder and file names", () => {
  assert.equal(
    compareOutputDir("/root/bzfs-logs/2024-11-06/2024-11-06_08:30:05-abc123.log"),
    "/root/bzfs-logs/2024-11-06/2024-11-06_08:30:05-abc123.cmp",
  );
  assert.equal(compareOutputDir("/x/run"), "/x/run.cmp");
  assert.deepEqual(compareFileNames("tank1/src", "tank2/dst"), {
    snapshots: "tank1~src%tank2~dst.tsv",
    datasets: "tank1~src%tank2~dst.rel_datasets_tsv",
  });
});

Deno.test("compareDatasetRows: union sorted by rel_dataset, all categories", () => {
  assert.equal(COMPARE_DATASETS_TSV_HEADER, "location\trel_dataset\tsrc_dataset\tdst_dataset");
  assert.deepEqual(
    compareDatasetRows(["tank/src", "tank/src/foo", "tank/src/bar"], [
      "tank/dst",
      "tank/dst/baz",
      "tank/dst/foo",
    ], {
      srcRoot: "tank/src",
      dstRoot: "tank/dst",
    }),
    [
      "all\t\ttank/src\ttank/dst",
      "src\t/bar\ttank/src/bar\t",
      "dst\t/baz\t\ttank/dst/baz",
      "all\t/foo\ttank/src/foo\ttank/dst/foo",
    ],
  );
});

Deno.test("writeLinesAtomically: the TSV appears complete under its final name", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const path = `${dir}/${compareFileNames("tank/src", "tank/dst").snapshots}`;
    await writeLinesAtomically(path, compareTsvLines(await fooExample()));
    assert.equal(
      await Deno.readTextFile(path),
      [COMPARE_TSV_HEADER, FOO_A, FOO_B, FOO_C, ""].join("\n"),
    );
    assert.equal((await Deno.stat(path)).mode! & 0o777, 0o600);
    assert.deepEqual([...Deno.readDirSync(dir)].map((e) => e.name), ["tank~src%tank~dst.tsv"]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
