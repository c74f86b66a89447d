import assert from "node:assert/strict";
import { ZfsParseError } from "../../lib/zfs/errors.ts";
import {
  compareListArgv,
  monitorListArgv,
  parseCompareList,
  parseMonitorList,
} from "../../lib/monitor/zfs_list.ts";

Deno.test("compareListArgv: types, written column, program, batch of datasets", () => {
  assert.deepEqual(compareListArgv(["tank/a", "tank/b"]), [
    "zfs",
    "list",
    "-t",
    "snapshot",
    "-d",
    "1",
    "-Hp",
    "-o",
    "creation,guid,createtxg,written,name",
    "tank/a",
    "tank/b",
  ]);
  assert.equal(
    compareListArgv(["t"], { bookmarks: true, solaris: true, zfsProgram: "/sbin/zfs" }).join(" "),
    "/sbin/zfs list -t snapshot,bookmark -d 1 -Hp -o creation,guid,createtxg,type,name t",
  );
});

Deno.test("parseCompareList: grouped per requested dataset, in request order, bookmarks and Solaris", () => {
  const out = [
    "1700000100\t22\t6\tsnapshot\ttank/b@s2",
    "1700000000\t11\t5\t4096\ttank/a@s1",
    "1700000000\t11\t5\t-\ttank/a#s1",
    "",
  ].join("\n");
  const groups = parseCompareList(out, ["tank/a", "tank/b", "tank/c"]);
  assert.deepEqual(groups, [
    {
      dataset: "tank/a",
      records: [
        {
          dataset: "tank/a",
          name: "s1",
          kind: "snapshot",
          guid: "11",
          createTxg: 5n,
          creation: 1700000000,
          written: "4096",
        },
        {
          dataset: "tank/a",
          name: "s1",
          kind: "bookmark",
          guid: "11",
          createTxg: 5n,
          creation: 1700000000,
          written: "-",
        },
      ],
    },
    {
      dataset: "tank/b",
      records: [
        {
          dataset: "tank/b",
          name: "s2",
          kind: "snapshot",
          guid: "22",
          createTxg: 6n,
          creation: 1700000100,
          written: "-",
        },
      ],
    },
    { dataset: "tank/c", records: [] },
  ]);
});

Deno.test("parseCompareList: malformed lines and unrequested datasets", () => {
  assert.throws(() => parseCompareList("1\t2\t3\ttank/a@s", ["tank/a"]), ZfsParseError);
  assert.throws(() => parseCompareList("x\t2\t3\t4\ttank/a@s", ["tank/a"]), /Bad snapshot line/);
  assert.throws(
    () => parseCompareList("1\t2\t3\t4\ttank/a", ["tank/a"]),
    /snapshot or bookmark name/,
  );
  assert.throws(() => parseCompareList("1\t2\t3\t4\ttank/z@s", ["tank/a"]), /not requested/);
});

Deno.test("monitorListArgv and parseMonitorList", () => {
  assert.equal(
    monitorListArgv(["tank/a"]).join(" "),
    "zfs list -t snapshot -d 1 -Hp -o name,createtxg,creation tank/a",
  );
  assert.equal(
    monitorListArgv(["tank/a", "tank/b"], { userrefs: true, zfsProgram: "zfs2" }).join(" "),
    "zfs2 list -t snapshot -d 1 -Hp -o name,createtxg,creation,userrefs tank/a tank/b",
  );
  const out =
    "tank/a@p_2024_daily\t5\t1704067200\t1\ntank/a@p_2025_daily\t6\t1735689600\t-\ntank/b@x\t7\t1\n";
  assert.deepEqual(parseMonitorList(out, ["tank/a", "tank/b", "tank/c"]), [
    {
      dataset: "tank/a",
      snapshots: [
        { name: "p_2024_daily", createTxg: 5n, creation: 1704067200, userrefs: 1 },
        { name: "p_2025_daily", createTxg: 6n, creation: 1735689600 },
      ],
    },
    { dataset: "tank/b", snapshots: [{ name: "x", createTxg: 7n, creation: 1 }] },
    { dataset: "tank/c", snapshots: [] },
  ]);
  assert.throws(() => parseMonitorList("tank/a@x\t1", ["tank/a"]), ZfsParseError);
  assert.throws(() => parseMonitorList("tank/a#x\t1\t2", ["tank/a"]), /Bad snapshot line/);
  assert.throws(() => parseMonitorList("tank/a@x\t1\t2\tmany", ["tank/a"]), /Bad snapshot line/);
});
