import assert from "node:assert/strict";
import { BzfsError } from "../../lib/errors.ts";
import { compareFilesOf, comparePhase } from "../../lib/job/compare_phase.ts";
import {
  captureLogs,
  fakeExecutor,
  FakeHostTree,
  hostsFor,
  makeCtx,
  messages,
} from "./_phase_fixture.ts";

const NOW = 1_730_881_805_000; // 2024-11-06 08:30:05 UTC
const HEADER =
  "location\tcreation_iso\tcreatetxg\trel_name\tguid\troot_dataset\trel_dataset\tname\tcreation\twritten";

/** Semantics 7.6: src foo has @snapA, @snapB and #snapB; dst foo has @snapA and @snapC. */
function example(): FakeHostTree {
  return new FakeHostTree()
    .dataset("tank/src", "tank/dst")
    .add("tank/src/bar", { name: "snapBar", guid: "7", creation: 50, txg: 5 })
    .add("tank/src/foo", { name: "snapA", guid: "1", creation: 100, txg: 10, written: "1024" })
    .add("tank/src/foo", { name: "snapB", guid: "2", creation: 200, txg: 20, written: "2048" })
    .add("tank/src/foo", { name: "snapB", kind: "#", guid: "2", creation: 200, txg: 20 })
    .add("tank/dst/baz", { name: "snapBaz", guid: "8", creation: 60, txg: 6 })
    .add("tank/dst/foo", { name: "snapA", guid: "1", creation: 100, txg: 11, written: "512" })
    .add("tank/dst/foo", { name: "snapC", guid: "3", creation: 300, txg: 30, written: "4096" });
}

/** `location rel_name` of each data row. */
function rows(tsv: string | undefined): string[] {
  const lines = (tsv ?? "").split("\n").slice(1).filter((l) => l !== "");
  return lines.map((l) => `${l.split("\t")[0]} ${l.split("\t")[3]}`);
}

async function run(tree: FakeHostTree, args: string[], pair = ["tank/src", "tank/dst"]) {
  const dir = await Deno.makeTempDir();
  const logFile = `${dir}/bzfs-logs/2024-11-06/run.log`;
  const executor = fakeExecutor({ local: tree });
  const ctx = makeCtx([...pair, ...args], { executor, now: NOW, logFile });
  const out = await captureLogs(() => comparePhase(ctx.config.pairs[0], ctx, hostsFor(ctx.config)));
  const files = compareFilesOf(ctx.config.pairs[0], { logFile });
  const read = async (p: string) => {
    try {
      return await Deno.readTextFile(p);
    } catch {
      return undefined;
    }
  };
  return {
    ...out,
    executor,
    files,
    tsv: await read(files.snapshots),
    datasetsTsv: await read(files.datasets),
    msgs: messages(out.lines),
  };
}

Deno.test("compare: the semantics example, row by row, in the .cmp folder next to the log", async () => {
  const r = await run(example(), ["-r", "--compare-snapshot-lists"]);
  assert.equal(r.error, undefined);
  assert.match(r.files.snapshots, /\/2024-11-06\/run\.cmp\/tank~src%tank~dst\.tsv$/);
  assert.deepEqual(r.tsv?.split("\n"), [
    HEADER,
    "src\t1970-01-01_00:00:50+00:00\t5\t/bar@snapBar\t7\ttank/src\t/bar\ttank/src/bar@snapBar\t50\t4096",
    "dst\t1970-01-01_00:01:00+00:00\t6\t/baz@snapBaz\t8\ttank/dst\t/baz\ttank/dst/baz@snapBaz\t60\t4096",
    "all\t1970-01-01_00:01:40+00:00\t10\t/foo@snapA\t1\ttank/src\t/foo\ttank/src/foo@snapA\t100\t1024",
    "src\t1970-01-01_00:03:20+00:00\t20\t/foo@snapB\t2\ttank/src\t/foo\ttank/src/foo@snapB\t200\t2048",
    "dst\t1970-01-01_00:05:00+00:00\t30\t/foo@snapC\t3\ttank/dst\t/foo\ttank/dst/foo@snapC\t300\t4096",
    "",
  ]);
  assert.deepEqual(r.datasetsTsv?.split("\n"), [
    "location\trel_dataset\tsrc_dataset\tdst_dataset",
    "all\t\ttank/src\ttank/dst",
    "src\t/bar\ttank/src/bar\t",
    "dst\t/baz\t\ttank/dst/baz",
    "all\t/foo\ttank/src/foo\ttank/dst/foo",
    "",
  ]);
  const mode = (await Deno.stat(r.files.snapshots)).mode! & 0o777;
  assert.equal(mode, 0o600);
  await assert.rejects(Deno.stat(`${r.files.snapshots}.tmp`), Deno.errors.NotFound);
  const text = r.msgs.map((m) => m.text);
  assert.ok(text.includes("--compare-snapshot-lists: tank/src -r --> tank/dst ..."));
  assert.ok(
    text.includes(`Final TSV output file comparing tank/src vs. tank/dst is: ${r.files.snapshots}`),
  );
  const foo = text.find((t) => t.startsWith("Comparing /foo~ of "))!.split("\n");
  assert.equal(foo[0], "Comparing /foo~ of tank/src vs. tank/dst");
  assert.ok(foo.includes(
    "Comparing /foo~ Q: No src snapshots are missing on dst, and no dst snapshots are missing on src, " +
      "and there is a common snapshot? A: False",
  ));
  assert.ok(foo.includes("Comparing /foo~ Snapshots only in src since latest common snapshot: 1"));
  assert.ok(foo.includes("Comparing /foo~ Snapshot data written only in src: 2 KiB"));
  const summaries = text.filter((t) => t.startsWith("Comparing ")).map((t) => t.split("~")[0]);
  assert.deepEqual(summaries, ["Comparing ", "Comparing /bar", "Comparing /baz", "Comparing /foo"]);
});

Deno.test("compare: one zfs list per side for the whole tree, bookmarks on the source only", async () => {
  const r = await run(example(), ["-r", "--compare-snapshot-lists"]);
  assert.deepEqual(r.executor.commands, [
    "zfs list -t filesystem,volume,snapshot,bookmark -Hp -o creation,guid,createtxg,written,name -r tank/src",
    "zfs list -t filesystem,volume,snapshot -Hp -o creation,guid,createtxg,written,name -r tank/dst",
  ]);
  const nb = await run(example(), ["-r", "--compare-snapshot-lists", "--no-use-bookmark"]);
  assert.match(nb.executor.commands[0], /^zfs list -t filesystem,volume,snapshot -Hp/);
});

Deno.test("compare: a source bookmark matches a destination snapshot by GUID", async () => {
  const tree = new FakeHostTree()
    .dataset("tank/dst")
    .add("tank/src", { name: "b1", kind: "#", guid: "9", creation: 100, txg: 10 })
    .add("tank/dst", { name: "s1", guid: "9", creation: 100, txg: 12 });
  const r = await run(tree, ["--compare-snapshot-lists"]);
  assert.deepEqual(r.tsv?.split("\n").slice(1), [
    "all\t1970-01-01_00:01:40+00:00\t10\t#b1\t9\ttank/src\t\ttank/src#b1\t100\t-",
    "",
  ]);
  const nb = await run(tree, ["--compare-snapshot-lists", "--no-use-bookmark"]);
  assert.deepEqual(nb.tsv?.split("\n").slice(1).map((l) => l.split("\t")[0]), ["dst", ""]);
});

Deno.test("compare: the choice selects the categories written and summarised", async () => {
  const r = await run(example(), ["-r", "--compare-snapshot-lists=src"]);
  assert.deepEqual(rows(r.tsv), ["src /bar@snapBar", "src /foo@snapB"]);
  const foo = r.msgs.find((m) => m.text.startsWith("Comparing /foo~ of"))!.text;
  assert.match(foo, /common snapshot\? A: n\/a/);
  assert.doesNotMatch(foo, /only in dst/);
  assert.equal(r.datasetsTsv?.split("\n").length, 6, "the dataset TSV lists all categories");
});

Deno.test("compare: dataset and snapshot filters apply on both sides", async () => {
  const r = await run(example(), [
    "-r",
    "--compare-snapshot-lists",
    "--exclude-dataset=bar",
    "--include-snapshot-regex=snap[AC]",
  ]);
  assert.deepEqual(rows(r.tsv), ["all /foo@snapA", "dst /foo@snapC"]);
  assert.doesNotMatch(r.datasetsTsv ?? "", /\/bar/);
});

Deno.test("compare: without --recursive only the roots are compared", async () => {
  const tree = example()
    .add("tank/src", { name: "r1", guid: "50", creation: 10, txg: 1 })
    .add("tank/dst", { name: "r1", guid: "50", creation: 10, txg: 2 });
  const r = await run(tree, ["--compare-snapshot-lists"]);
  assert.match(r.executor.commands[0], / -d 1 tank\/src$/);
  assert.deepEqual(rows(r.tsv), ["all @r1"]);
  assert.deepEqual(r.datasetsTsv?.split("\n").slice(1), ["all\t\ttank/src\ttank/dst", ""]);
});

Deno.test("compare: --dryrun writes both files with only their header", async () => {
  const r = await run(example(), ["-r", "--compare-snapshot-lists", "--dryrun"]);
  assert.equal(r.error, undefined);
  assert.equal(r.tsv, `${HEADER}\n`);
  assert.equal(r.datasetsTsv, "location\trel_dataset\tsrc_dataset\tdst_dataset\n");
});

Deno.test("compare: a missing source is an error, a missing destination only a warning", async () => {
  const missingSrc = await run(new FakeHostTree().dataset("tank/dst"), [
    "--compare-snapshot-lists",
  ]);
  assert.ok(missingSrc.error instanceof BzfsError);
  assert.equal((missingSrc.error as Error).message, "Source dataset does not exist: tank/src");
  const tree = new FakeHostTree().add("tank/src", { name: "s", guid: "1", creation: 1, txg: 1 });
  const missingDst = await run(tree, ["--compare-snapshot-lists"]);
  assert.equal(missingDst.error, undefined);
  assert.ok(
    missingDst.msgs.some((m) =>
      m.level === "W" && m.text === "Destination dataset does not exist: tank/dst"
    ),
  );
  assert.deepEqual(missingDst.tsv?.split("\n").slice(1).map((l) => l.split("\t")[0]), ["src", ""]);
});

Deno.test("compare: a dummy source lists nothing there; every destination snapshot is dst-only", async () => {
  const r = await run(example(), ["-r", "--compare-snapshot-lists"], ["dummy", "tank/dst"]);
  assert.equal(r.error, undefined);
  assert.equal(r.executor.commands.length, 1);
  assert.deepEqual(rows(r.tsv), ["dst /baz@snapBaz", "dst /foo@snapA", "dst /foo@snapC"]);
  assert.match(r.files.snapshots, /dummy%tank~dst\.tsv$/);
  const dummyDst = await run(example(), ["--compare-snapshot-lists"], ["tank/src", "dummy"]);
  assert.match(String(dummyDst.error), /Destination may be a dummy dataset only/);
});

Deno.test("compare: without a log file the folder goes under the log dir", () => {
  const f = compareFilesOf({ src: { dataset: "a/b" }, dst: { dataset: "c" } }, {
    logDir: "/x/bzfs-logs",
    startedAt: 5,
  });
  assert.equal(f.snapshots, "/x/bzfs-logs/compare_5.cmp/a~b%c.tsv");
  assert.equal(f.datasets, "/x/bzfs-logs/compare_5.cmp/a~b%c.rel_datasets_tsv");
});
