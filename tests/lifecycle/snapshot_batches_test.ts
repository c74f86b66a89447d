import assert from "node:assert/strict";
import {
  maxCommandLineBytes,
  packArgs,
  recursiveRootsIfExact,
  rootDatasets,
  snapshotBatches,
  utf8Bytes,
} from "../../lib/lifecycle/snapshot_batches.ts";

Deno.test("maxCommandLineBytes: upstream's ARG_MAX table and margins", () => {
  const cases: [string, number][] = [
    ["Linux", 2 * 1024 * 1024 - 4 * 1024 - 68 * 1024],
    ["Darwin", 1024 * 1024 - 4 * 1024 - 68 * 1024],
    ["SunOS", 1024 * 1024 - 4 * 1024 - 68 * 1024],
    ["FreeBSD", 256 * 1024 - 4 * 1024 - 8 * 1024],
    ["Windows", 32 * 1024 - 4 * 1024 - 8 * 1024],
    ["whatever", 256 * 1024 - 4 * 1024 - 8 * 1024],
  ];
  for (const [os, bytes] of cases) assert.equal(maxCommandLineBytes(os), bytes, os);
});

Deno.test("packArgs: bytes include one separator per argument; items; oversize argument alone", () => {
  const cases: [string[], { maxBytes: number; maxItems?: number; sep?: string }, string[][]][] = [
    [[], { maxBytes: 10 }, []],
    [["a@s", "b@s", "c@s"], { maxBytes: 8 }, [["a@s", "b@s"], ["c@s"]]],
    [["a@s", "b@s", "c@s"], { maxBytes: 7 }, [["a@s"], ["b@s"], ["c@s"]]],
    [["a@s", "b@s", "c@s"], { maxBytes: 12 }, [["a@s", "b@s", "c@s"]]],
    [["s1", "s2", "s3", "s4", "s5"], { maxBytes: 1000, maxItems: 2, sep: "," }, [["s1", "s2"], [
      "s3",
      "s4",
    ], ["s5"]]],
    [["x".repeat(50), "y"], { maxBytes: 10 }, [["x".repeat(50)], ["y"]]],
    [["ä", "ö"], { maxBytes: 5 }, [["ä"], ["ö"]]], // 3 bytes each incl. separator
    [["ä", "ö"], { maxBytes: 6 }, [["ä", "ö"]]],
  ];
  for (const [args, opts, expected] of cases) {
    assert.deepEqual(packArgs(args, opts), expected, JSON.stringify(opts));
  }
  assert.equal(utf8Bytes("ä"), 2);
  assert.equal(utf8Bytes("tank/a@s1"), 9);
  assert.equal(utf8Bytes("\u007f"), 1);
  assert.equal(utf8Bytes("\u0080"), 2);
  assert.equal(utf8Bytes("€"), 3);
  assert.equal(utf8Bytes("a\u{1F600}"), 5); // a surrogate pair is 4 bytes
});

Deno.test("rootDatasets and recursiveRootsIfExact (semantics 4.4)", () => {
  assert.deepEqual(rootDatasets(["a", "a-x", "a/b", "a/b/c", "ab", "x/y"]), [
    "a",
    "a-x",
    "ab",
    "x/y",
  ]);
  const cases: [string[], string[], string[] | undefined][] = [
    [["a", "a/b", "a/c"], ["a", "a/b", "a/c"], ["a"]],
    [["a", "a/b", "a/c"], ["a", "a/b", "a/c", "a/d"], undefined],
    [["a/b", "a/c"], ["a", "a/b", "a/c"], ["a/b", "a/c"]], // parent not due: -r on the children
    [["a", "a/c"], ["a", "a/b", "a/c"], undefined],
    [["a", "a-x", "a/b"], ["a", "a-x", "a/b"], ["a", "a-x"]],
    [["a", "a-x", "a/b"], ["a", "a-x", "a-x/y", "a/b"], undefined],
    [["a/b"], ["a", "a/b", "a/b/c"], undefined],
    [["a/b", "a/b/c", "a/b/c/d"], ["a", "a/b", "a/b/c", "a/b/c/d", "a/e"], ["a/b"]],
    [[], ["a"], []],
  ];
  for (const [due, basis, expected] of cases) {
    assert.deepEqual(recursiveRootsIfExact(due, basis), expected, `${due} / ${basis}`);
  }
});

Deno.test("snapshotBatches: -r only where exact, labels never share a command, byte limit splits", () => {
  const basis = ["p/a", "p/a/b", "p/a/c", "p/d"];
  assert.deepEqual(
    snapshotBatches(
      [
        { name: "x_2025-01-01_00:00:00_daily", datasets: ["p/a", "p/a/b", "p/a/c"] },
        { name: "x_2025-01-01_00:00:00_hourly", datasets: ["p/a", "p/a/c", "p/d"] },
        { name: "x_2025-01-01_00:00:00_adhoc", datasets: [] },
      ],
      { recursive: true, basisDatasets: basis },
    ),
    [
      ["zfs", "snapshot", "-r", "p/a@x_2025-01-01_00:00:00_daily"],
      [
        "zfs",
        "snapshot",
        "p/a@x_2025-01-01_00:00:00_hourly",
        "p/a/c@x_2025-01-01_00:00:00_hourly",
        "p/d@x_2025-01-01_00:00:00_hourly",
      ],
    ],
  );
  // without --recursive: always the explicit list
  assert.deepEqual(
    snapshotBatches([{ name: "s", datasets: ["p/a", "p/a/b"] }], { basisDatasets: basis }),
    [
      ["zfs", "snapshot", "p/a@s", "p/a/b@s"],
    ],
  );
  // a budget of "sudo zfs snapshot" (17 bytes) + header 10 + two args of 6 bytes each
  const argv = snapshotBatches([{ name: "s", datasets: ["d1", "d2", "d3", "d4", "d5"] }], {
    command: ["sudo", "zfs", "snapshot"],
    headerBytes: 10,
    maxCommandLineBytes: 17 + 10 + 12,
  });
  assert.deepEqual(argv, [
    ["sudo", "zfs", "snapshot", "d1@s", "d2@s"],
    ["sudo", "zfs", "snapshot", "d3@s", "d4@s"],
    ["sudo", "zfs", "snapshot", "d5@s"],
  ]);
  // many datasets fit into one Linux command line
  const many = Array.from({ length: 10_000 }, (_, i) => `pool/ds${i}`);
  assert.equal(snapshotBatches([{ name: "n", datasets: many }]).length, 1);
  assert.equal(
    snapshotBatches([{ name: "n", datasets: many }], {
      maxCommandLineBytes: maxCommandLineBytes("Windows"),
    }).length,
    7,
  );
});
