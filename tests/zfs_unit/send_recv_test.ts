import assert from "node:assert/strict";
import {
  estimateSizeArgv,
  isDatasetBusy,
  parseSizeEstimate,
  psArgv,
  receiveArgv,
  resumeRecovery,
  sendArgv,
} from "../../lib/zfs/send_recv.ts";

Deno.test("sendArgv for full, incremental and resume", () => {
  assert.deepEqual(sendArgv({ kind: "full", snapshot: "t/a@s1" }), ["zfs", "send", "t/a@s1"]);
  assert.deepEqual(
    sendArgv({ kind: "incremental", flag: "-i", from: "t/a#b1", to: "t/a@s2" }, {
      opts: ["-w"],
      verbose: true,
    }),
    ["zfs", "send", "-w", "-v", "-i", "t/a#b1", "t/a@s2"],
  );
  assert.deepEqual(
    sendArgv({ kind: "resume", token: "1-abc" }, { opts: ["-w"], zfsProgram: "z" }),
    [
      "z",
      "send",
      "-t",
      "1-abc",
    ],
  ); // prettier-ignore
});

Deno.test("estimateSizeArgv and parseSizeEstimate", () => {
  const send = sendArgv({ kind: "incremental", flag: "-I", from: "t@a", to: "t@b" }, {
    opts: ["--raw"],
    verbose: true,
  });
  assert.deepEqual(estimateSizeArgv(send), ["zfs", "send", "-nvP", "--raw", "-I", "t@a", "t@b"]);
  assert.equal(parseSizeEstimate("incremental\tt@a\tt@b\t4096\nsize\t4096\n"), 4096);
  assert.equal(parseSizeEstimate("full\tt@a\t10\nsize\t10\nfull\tt@b\t20\nsize\t30\n"), 30);
  assert.equal(parseSizeEstimate("nothing here\n"), undefined);
});

Deno.test("receiveArgv flag order", () => {
  assert.deepEqual(receiveArgv("b/a"), ["zfs", "receive", "b/a"]);
  assert.deepEqual(
    receiveArgv("b/a", {
      opts: ["-u", "-x", "mountpoint"],
      resumable: true,
      force: true,
      dryRun: true,
      verbose: true,
    }),
    ["zfs", "receive", "-s", "-F", "-n", "-v", "-u", "-x", "mountpoint", "b/a"],
  );
});

Deno.test("isDatasetBusy", () => {
  assert.deepEqual(psArgv({ psProgram: "/bin/ps" }), ["/bin/ps", "-Ao", "args"]);
  const ps = [
    "ARGS",
    "/sbin/init",
    "sh -c mbuffer -s 2097152 | zstd -dc | zfs receive -s -u bak/a",
    "/usr/sbin/zfs recv bak/c@s1",
    "zfs send -I tank/x@s1 tank/x@s2",
  ].join("\n");
  assert.equal(isDatasetBusy(ps, "bak/a"), true);
  assert.equal(isDatasetBusy(ps, "bak/c"), true);
  assert.equal(isDatasetBusy(ps, "tank/x"), true);
  assert.equal(isDatasetBusy(ps, "bak"), false);
  assert.equal(isDatasetBusy(ps, "bak/a/b"), false);
  assert.equal(isDatasetBusy("zfs receive -u bak/ab\n", "bak/a"), false);
  assert.equal(isDatasetBusy("zfs list bak/a\n", "bak/a"), false);
  assert.equal(isDatasetBusy("zfs receive -u bak.a\n", "bak/a"), false);
});

Deno.test("resumeRecovery classifies the upstream error messages", () => {
  const d = "bak/a";
  const cases: [string, string][] = [
    [
      "cannot resume send: 'tank/a@s1' is no longer the same snapshot used in the initial send",
      "abort-and-retry",
    ],
    [
      "cannot resume send: 'tank/a@s1' used in the initial send no longer exists",
      "abort-and-retry",
    ],
    [
      "cannot resume send: incremental source 0xa000000000000000 no longer exists",
      "abort-and-retry",
    ],
    [
      "cannot receive resume stream: incompatible embedded data stream feature with encrypted receive.",
      "abort-and-retry",
    ],
    [
      `cannot receive new filesystem stream: destination ${d} contains partially-complete state from "zfs receive -s".`,
      "abort-and-retry",
    ],
    [
      "cannot receive new filesystem stream: checksum mismatch or incomplete stream.\nPartially received snapshot is saved.",
      "retry",
    ],
    [
      `cannot destroy 'bak/a@s1': snapshot has dependent clones\nuse '-R' to destroy the following datasets:\n${d}/%recv\n`,
      "abort-and-retry",
    ],
    [
      `cannot rollback to 'bak/a@s1': clones of previous snapshots exist\nuse '-R' to force deletion of the following clones and dependents:\n${d}/%recv\n`,
      "abort-and-retry",
    ],
    [
      `cannot destroy 'bak/a@s1': snapshot has dependent clones\nuse '-R' to destroy the following datasets:\nbak/other\n`,
      "none",
    ],
    ["cannot receive: permission denied", "none"],
    ["cannot resume send: something else", "none"],
  ];
  for (const [stderr, want] of cases) assert.equal(resumeRecovery(stderr, d), want, stderr);
});
