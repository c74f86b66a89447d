import assert from "node:assert/strict";
import { latestCommonSnapshot, sortByTxg } from "../../lib/replicate/common_snapshot.ts";
import { dst, pick, src } from "./_helpers.ts";

Deno.test("latestCommonSnapshot: none when destination is empty", () => {
  assert.equal(latestCommonSnapshot(src("@a,1"), []), null);
});

Deno.test("latestCommonSnapshot: none when no GUID is shared, names are irrelevant", () => {
  assert.equal(latestCommonSnapshot(src("@a,1", "@b,2"), dst("@a,3", "@b,4")), null);
});

Deno.test("latestCommonSnapshot: the newest shared GUID wins", () => {
  const s = src("@a,1", "@b,2", "@c,3");
  const d = dst("@a,1", "@b,2");
  assert.deepEqual(latestCommonSnapshot(s, d), { src: s[1], dst: d[1] });
});

Deno.test("latestCommonSnapshot: GUID match even when renamed on the destination", () => {
  const s = src("@a,1", "@b,2");
  const d = dst("@renamed,2");
  assert.deepEqual(latestCommonSnapshot(s, d), { src: s[1], dst: d[0] });
});

Deno.test("latestCommonSnapshot: a snapshot wins over its bookmark in either order", () => {
  const s1 = src("#b,2", "@b,2");
  const s2 = src("@b,2", "#b,2");
  const d = dst("@b,2");
  assert.equal(latestCommonSnapshot(s1, d)?.src.kind, "snapshot");
  assert.equal(latestCommonSnapshot(s2, d)?.src.kind, "snapshot");
});

Deno.test("latestCommonSnapshot: a bookmark is used when its snapshot is gone", () => {
  const s = src("@a,1", "#b,2", "@c,3");
  const d = dst("@a,1", "@b,2");
  assert.deepEqual(latestCommonSnapshot(s, d), { src: pick(s, "b"), dst: d[1] });
});

Deno.test("latestCommonSnapshot: noUseBookmark ignores source bookmarks", () => {
  const s = src("@a,1", "#b,2", "@c,3");
  const d = dst("@a,1", "@b,2");
  assert.deepEqual(latestCommonSnapshot(s, d, { noUseBookmark: true }), { src: s[0], dst: d[0] });
});

Deno.test("latestCommonSnapshot: destination bookmarks are ignored", () => {
  const s = src("@a,1", "@b,2");
  const d = dst("@a,1", "#b,2");
  assert.deepEqual(latestCommonSnapshot(s, d), { src: s[0], dst: d[0] });
});

Deno.test("latestCommonSnapshot: input order does not matter", () => {
  const s = src("@c,3", "@a,1", "@b,2");
  const d = dst("@b,2", "@a,1");
  assert.equal(latestCommonSnapshot(s, d)?.src.name, "b");
});

Deno.test("sortByTxg: by createtxg, bookmark before snapshot of the same txg, stable", () => {
  const s = src("@c,3", "@b,2", "#b,2", "#x,1", "@a,1");
  assert.deepEqual(sortByTxg(s).map((r) => `${r.kind[0]}${r.name}`), [
    "bx",
    "sa",
    "bb",
    "sb",
    "sc",
  ]);
});
