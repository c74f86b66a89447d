import assert from "node:assert/strict";
import { UsageError } from "../../lib/errors.ts";
import { SnapshotFilterBuilder } from "../../lib/filter/snapshot_filter.ts";
import type { SnapshotFilterOp } from "../../lib/filter/snapshot_filter_types.ts";

const INC = "--include-snapshot-regex";
const EXC = "--exclude-snapshot-regex";
const TR = "--include-snapshot-times-and-ranks";

/** A compact description of an operator for assertions. */
function describe(op: SnapshotFilterOp): string {
  if (op.type === "regex") {
    return `regex(-[${op.excludes.map((m) => m.source)}] +[${op.includes.map((m) => m.source)}])`;
  }
  if (op.type === "times") return `times(${op.range === null ? "any" : "range"})`;
  return `ranks(${op.ranks.length})`;
}

const shape = (b: SnapshotFilterBuilder) => b.build().map((g) => g.map(describe));

Deno.test("no filters is one empty group", () => {
  assert.deepEqual(shape(new SnapshotFilterBuilder()), [[]]);
  assert.deepEqual(shape(new SnapshotFilterBuilder([])), [[]]);
});

Deno.test("newGroup never creates empty groups", () => {
  const b = new SnapshotFilterBuilder().newGroup().newGroup()
    .addIncludeRegex(["a"], INC).newGroup().newGroup()
    .addIncludeRegex(["b"], INC).newGroup();
  assert.deepEqual(shape(b), [["regex(-[] +[a])"], ["regex(-[] +[b])"], []]);
  assert.equal(b.rawGroups.length, 3);
});

Deno.test("adjacent regex operators merge into one, excludes and includes in order", () => {
  const b = new SnapshotFilterBuilder()
    .addIncludeRegex([".*daily"], INC)
    .addExcludeRegex([".*weekly"], EXC)
    .addIncludeRegex([".*hourly"], INC)
    .addExcludeRegex([".*tmp", ".*test"], EXC);
  assert.deepEqual(shape(b), [["regex(-[.*weekly,.*tmp,.*test] +[.*daily,.*hourly])"]]);
});

Deno.test("an exclude-only regex operator includes .*", () => {
  const ops = new SnapshotFilterBuilder().addExcludeRegex(["x"], EXC).build()[0];
  assert.deepEqual(ops.map(describe), ["regex(-[x] +[.*])"]);
  const op = ops[0];
  assert.ok(op.type === "regex" && op.includes[0].regex === null);
});

Deno.test("regex runs are separated by rank operators", () => {
  const b = new SnapshotFilterBuilder()
    .addIncludeRegex(["a"], INC)
    .addTimesAndRanks(["notime", "latest 1"], TR)
    .addIncludeRegex(["b"], INC);
  assert.deepEqual(shape(b), [["regex(-[] +[a])", "ranks(1)", "regex(-[] +[b])"]]);
});

Deno.test("adjacent rank operators with equal time ranges merge", () => {
  const same = new SnapshotFilterBuilder()
    .addTimesAndRanks(["notime", "latest 5"], TR)
    .addTimesAndRanks(["0..0", "oldest 2", "oldest 1"], TR);
  assert.deepEqual(shape(same), [["ranks(3)"]]);
  const different = new SnapshotFilterBuilder()
    .addTimesAndRanks(["notime", "latest 5"], TR)
    .addTimesAndRanks(["1daysago..*", "oldest 2"], TR);
  assert.deepEqual(shape(different), [["ranks(1)", "ranks(1)"]]);
});

Deno.test("operators without a time range are dropped; pure time shortcut", () => {
  const b = new SnapshotFilterBuilder()
    .addTimesAndRanks(["*..*", "latest 3"], TR) // anytime: selects everything
    .addTimesAndRanks(["anytime..anytime"], TR)
    .addTimesAndRanks(["notime", "latest0"], TR); // empty rank range: pure time, selects nothing
  assert.deepEqual(shape(b), [["times(range)"]]);
});

Deno.test("pure time operators move before regex operators within a section", () => {
  const b = new SnapshotFilterBuilder()
    .addIncludeRegex(["a"], INC)
    .addTimesAndRanks(["1daysago..*"], TR)
    .addTimesAndRanks(["notime", "latest 2"], TR)
    .addIncludeRegex(["b"], INC)
    .addTimesAndRanks(["2daysago..*"], TR);
  assert.deepEqual(shape(b), [[
    "times(range)",
    "regex(-[] +[a])",
    "ranks(1)",
    "times(range)",
    "regex(-[] +[b])",
  ]]);
});

Deno.test("builder is immutable", () => {
  const base = new SnapshotFilterBuilder().addIncludeRegex(["a"], INC);
  const x = base.addExcludeRegex(["b"], EXC);
  const y = base.newGroup().addIncludeRegex(["c"], INC);
  assert.deepEqual(shape(base), [["regex(-[] +[a])"]]);
  assert.deepEqual(shape(x), [["regex(-[b] +[a])"]]);
  assert.deepEqual(shape(y), [["regex(-[] +[a])"], ["regex(-[] +[c])"]]);
});

Deno.test("builder errors name the option and the value", () => {
  assert.throws(() => new SnapshotFilterBuilder().addIncludeRegex(["(?(1)a|b)"], INC), (e) => {
    assert.ok(e instanceof UsageError);
    assert.equal(e.option, INC);
    assert.equal(e.value, "(?(1)a|b)");
    return true;
  });
  assert.throws(
    () => new SnapshotFilterBuilder().addTimesAndRanks(["notime", "newest 3"], TR),
    /--include-snapshot-times-and-ranks: Invalid rank format: "newest 3"/,
  );
});
