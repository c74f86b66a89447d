import assert from "node:assert/strict";
import { BzfsError } from "../../lib/errors.ts";
import {
  type ContentCounts,
  destroyDatasetArgs,
  emptyDstDatasetCandidates,
  selectDstDatasetsToDelete,
  selectEmptyDstDatasetsToDelete,
} from "../../lib/lifecycle/delete_datasets.ts";

const DST = ["bak", "bak/a", "bak/a/b", "bak/x", "bak/x/y", "bak/x/z", "bak/x-1", "bak/x-1/q"];

Deno.test("selectDstDatasetsToDelete: orphans whose whole subtree goes (semantics 6.2)", () => {
  const cases: [string, string[], string[], boolean, string[]][] = [
    ["orphaned subtree", DST, ["tank", "tank/a", "tank/a/b"], false, [
      "bak/x",
      "bak/x-1",
      "bak/x-1/q",
      "bak/x/y",
      "bak/x/z",
    ]],
    ["nothing orphaned", DST, DST.map((d) => d.replace(/^bak/, "tank")), false, []],
    [
      "non-selected child protects its ancestors",
      DST.filter((d) => d !== "bak/x/z"),
      ["tank", "tank/a", "tank/a/b"],
      false,
      ["bak/x-1", "bak/x-1/q", "bak/x/y"],
    ],
    ["dummy source: every fully selected subtree", DST, ["tank"], true, DST.slice().sort()],
    ["dummy source with a non-selected leaf", DST.filter((d) => d !== "bak/a/b"), [], true, [
      "bak/x",
      "bak/x-1",
      "bak/x-1/q",
      "bak/x/y",
      "bak/x/z",
    ]],
    [
      "a source child keeps its orphaned destination parent (inconsistent tree)",
      DST,
      ["tank/x/y"],
      false,
      ["bak/a", "bak/a/b", "bak/x-1", "bak/x-1/q", "bak/x/z"],
    ],
    ["nothing selected", [], ["tank"], false, []],
    ["non-recursive: root only, children listed", ["bak"], ["tank/a"], false, []],
  ];
  for (const [title, selected, basisSrc, dummySource, expected] of cases) {
    const got = selectDstDatasetsToDelete(selected, {
      basisDst: DST,
      basisSrc,
      srcRoot: "tank",
      dstRoot: "bak",
      dummySource,
    });
    assert.deepEqual(got, expected, title);
  }
  // datasets outside the destination root are never deleted
  assert.deepEqual(
    selectDstDatasetsToDelete(["other/a"], {
      basisDst: ["other/a"],
      basisSrc: ["tank"],
      srcRoot: "tank",
      dstRoot: "bak",
    }),
    [],
  );
  // a root without children in the complete listing may go
  assert.deepEqual(
    selectDstDatasetsToDelete(["bak/r"], {
      basisDst: ["bak/r"],
      basisSrc: ["src/r/other"],
      srcRoot: "src/r",
      dstRoot: "bak/r",
    }),
    ["bak/r"],
  );
});

Deno.test("selectEmptyDstDatasetsToDelete: leaf-up, bookmarks count by default (semantics 6.3)", () => {
  const c = (snapshots: number, bookmarks: number): ContentCounts => ({ snapshots, bookmarks });
  const counts = new Map<string, ContentCounts>([
    ["bak", c(0, 0)],
    ["bak/a", c(0, 0)],
    ["bak/a/b", c(0, 2)],
    ["bak/x", c(0, 0)],
    ["bak/x/y", c(0, 0)],
    ["bak/x/z", c(0, 0)],
    ["bak/x-1", c(3, 0)],
    ["bak/x-1/q", c(0, 0)],
  ]);
  const cases: [
    string,
    string[],
    "snapshots" | "snapshots+bookmarks" | undefined,
    Map<string, ContentCounts>,
    string[],
  ][] = [
    ["default counts bookmarks", DST, undefined, counts, [
      "bak/x",
      "bak/x-1/q",
      "bak/x/y",
      "bak/x/z",
    ]],
    ["snapshots mode ignores bookmarks", DST, "snapshots", counts, [
      "bak/a",
      "bak/a/b",
      "bak/x",
      "bak/x-1/q",
      "bak/x/y",
      "bak/x/z",
    ]],
    ["non-selected child keeps parent", DST.filter((d) => d !== "bak/x/y"), undefined, counts, [
      "bak/x-1/q",
      "bak/x/z",
    ]],
    ["unknown counts mean not empty", DST, undefined, new Map([["bak/x/y", c(0, 0)]]), ["bak/x/y"]],
    [
      "everything empty",
      DST,
      "snapshots",
      new Map(DST.map((d) => [d, c(0, 5)])),
      DST.slice().sort(),
    ],
  ];
  for (const [title, selected, mode, cnt, expected] of cases) {
    assert.deepEqual(
      selectEmptyDstDatasetsToDelete(selected, { basisDst: DST, counts: cnt, mode }),
      expected,
      title,
    );
  }
});

Deno.test("emptyDstDatasetCandidates and destroyDatasetArgs", () => {
  assert.deepEqual(emptyDstDatasetCandidates(["bak", "bak/a"], ["bak", "bak/a", "bak/b"]), [
    "bak/a",
  ]);
  assert.deepEqual(emptyDstDatasetCandidates(DST, DST), DST.slice().sort());
  assert.deepEqual(
    destroyDatasetArgs(["bak/x/y", "bak/x", "bak/x-1/q", "bak/x-1", "bak/x/z"], { verbose: true }),
    [
      ["zfs", "destroy", "-r", "-v", "bak/x"],
      ["zfs", "destroy", "-r", "-v", "bak/x-1"],
    ],
  );
  assert.deepEqual(destroyDatasetArgs([]), []);
});

Deno.test("selectDstDatasetsToDelete: an empty real source is refused unless allowed", () => {
  const base = { basisDst: DST, basisSrc: [] as string[], srcRoot: "tank", dstRoot: "bak" };
  assert.throws(
    () => selectDstDatasetsToDelete(DST, base),
    (e: unknown) =>
      e instanceof BzfsError && /^Source dataset does not exist: tank; refusing/.test(e.message),
  );
  assert.deepEqual(
    selectDstDatasetsToDelete(DST, { ...base, allowEmptySource: true }),
    DST.slice().sort(),
  );
  assert.deepEqual(
    selectDstDatasetsToDelete(DST, { ...base, dummySource: true }),
    DST.slice().sort(),
  );
});
