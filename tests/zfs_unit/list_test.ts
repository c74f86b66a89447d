import assert from "node:assert/strict";
import {
  lines,
  listDatasetsArgv,
  listSnapshotsArgv,
  parseDatasetList,
  parseSnapshotList,
} from "../../lib/zfs/list.ts";
import { ZfsParseError } from "../../lib/zfs/errors.ts";

Deno.test("listDatasetsArgv", () => {
  assert.deepEqual(listDatasetsArgv("tank"), [
    "zfs",
    "list",
    "-t",
    "filesystem,volume",
    "-Hp",
    "-o",
    "name",
    "-s",
    "name",
    "tank",
  ]); // prettier-ignore
  assert.deepEqual(
    listDatasetsArgv("tank/a", {
      recursive: true,
      snapshotsChanged: true,
      zfsProgram: "/sbin/zfs",
    }),
    [
      "/sbin/zfs",
      "list",
      "-t",
      "filesystem,volume",
      "-Hp",
      "-o",
      "snapshots_changed,name",
      "-s",
      "name",
      "-r",
      "tank/a",
    ],
  ); // prettier-ignore
});

Deno.test("parseDatasetList with and without snapshots_changed", () => {
  assert.deepEqual(parseDatasetList("tank\ntank/a b\n"), [{ name: "tank" }, { name: "tank/a b" }]);
  assert.deepEqual(parseDatasetList(""), []);
  assert.deepEqual(
    parseDatasetList("1700000000\ttank\n-\ttank/a\n0\ttank/b\n", { snapshotsChanged: true }),
    [
      { name: "tank", snapshotsChanged: 1700000000 },
      { name: "tank/a", snapshotsChanged: undefined },
      { name: "tank/b", snapshotsChanged: undefined },
    ],
  );
  assert.throws(() => parseDatasetList("tank\n", { snapshotsChanged: true }), ZfsParseError);
  assert.throws(() => parseDatasetList("x\ttank\n", { snapshotsChanged: true }), ZfsParseError);
  assert.throws(() => parseDatasetList("-1\ttank\n", { snapshotsChanged: true }), ZfsParseError);
});

Deno.test("listSnapshotsArgv", () => {
  assert.deepEqual(listSnapshotsArgv("tank/a"), [
    "zfs",
    "list",
    "-t",
    "snapshot",
    "-Hp",
    "-o",
    "guid,createtxg,creation,name",
    "-s",
    "createtxg",
    "-d",
    "1",
    "tank/a",
  ]); // prettier-ignore
  assert.deepEqual(
    listSnapshotsArgv("tank/a", { types: "snapshot,bookmark", depth1: false }).slice(3),
    [
      "snapshot,bookmark",
      "-Hp",
      "-o",
      "guid,createtxg,creation,name",
      "-s",
      "createtxg",
      "-s",
      "type",
      "-r",
      "tank/a",
    ],
  ); // prettier-ignore
  assert.equal(listSnapshotsArgv("t", { types: "bookmark" })[3], "bookmark");
});

Deno.test("parseSnapshotList parses snapshots and bookmarks with 64-bit guids and txgs", () => {
  const out = "18446744073709551615\t9007199254740993\t1700000000\ttank/a@s1\n" +
    "42\t12\t1700000100\ttank/a#prod_2024_hourly\n" +
    "43\t13\t1700000200\ttank/a b@with space\n";
  assert.deepEqual(parseSnapshotList(out), [
    {
      dataset: "tank/a",
      name: "s1",
      kind: "snapshot",
      guid: "18446744073709551615",
      createTxg: 9007199254740993n,
      creation: 1700000000,
    },
    {
      dataset: "tank/a",
      name: "prod_2024_hourly",
      kind: "bookmark",
      guid: "42",
      createTxg: 12n,
      creation: 1700000100,
    },
    {
      dataset: "tank/a b",
      name: "with space",
      kind: "snapshot",
      guid: "43",
      createTxg: 13n,
      creation: 1700000200,
    },
  ]);
  assert.deepEqual(parseSnapshotList(""), []);
});

Deno.test("parseSnapshotList shares the dataset string between lines of one dataset", () => {
  const out = "1\t1\t1\ttank/a@s1\n2\t2\t2\ttank/a#b1\n3\t3\t3\ttank/ab@s1\n4\t4\t4\ttank/a@s2";
  const recs = parseSnapshotList(out);
  assert.deepEqual(recs.map((r) => r.dataset), ["tank/a", "tank/a", "tank/ab", "tank/a"]);
  assert.deepEqual(recs.map((r) => r.kind), ["snapshot", "bookmark", "snapshot", "snapshot"]);
  assert.ok(Object.is(recs[0].dataset, recs[1].dataset));
});

Deno.test("parseSnapshotList rejects malformed lines", () => {
  for (
    const bad of [
      "1\t2\t3",
      "x\t2\t3\ttank@s",
      "1\t2\t3\ttank",
      "1\t2\t3\t@s",
      "1\t-\t3\ttank@s",
      "\t2\t3\ttank@s",
      "1\t2\t\ttank@s",
      "1\t2\t3x\ttank@s",
    ]
  ) {
    assert.throws(() => parseSnapshotList(bad), ZfsParseError, bad);
  }
  const long = "x".repeat(500);
  assert.throws(
    () => parseSnapshotList(long),
    (e: unknown) => e instanceof ZfsParseError && e.message.length < 300,
  );
});

Deno.test("lines drops empty lines", () => {
  assert.deepEqual(lines("a\n\nb\n"), ["a", "b"]);
});

Deno.test("parseSnapshotList handles 100,000 lines quickly", () => {
  const rows = Array.from(
    { length: 100_000 },
    (_, i) => `${i + 1}\t${i + 10}\t${1700000000 + i}\ttank/a@s${i}`,
  );
  const t0 = performance.now();
  const parsed = parseSnapshotList(rows.join("\n") + "\n");
  assert.equal(parsed.length, 100_000);
  assert.equal(parsed[99_999].name, "s99999");
  assert.ok(performance.now() - t0 < 2000);
});
