import assert from "node:assert/strict";
import { FakeExecutor } from "../../lib/exec/fake_executor.ts";
import {
  applyExcludeDatasetProperty,
  decideExcludeByProperty,
  excludePropertyListArgv,
  parsePropertyList,
  propertyAllows,
} from "../../lib/job/exclude_property.ts";
import { captureLogs, makeCtx, messages, preparedHost } from "./_phase_fixture.ts";

Deno.test("propertyAllows: true/-/empty include, false excludes, else a host list", () => {
  const table: [string, boolean][] = [
    ["", true],
    ["-", true],
    ["true", true],
    ["TRUE", true],
    [" True ", true],
    ["false", false],
    ["False", false],
    ["h1", true],
    ["h0,h1", true],
    ["h0, h1 ", true],
    ["h0,h2", false],
    ["H1", false],
    ["h1.example.com", false],
    ["yes", false],
  ];
  for (const [value, want] of table) {
    assert.equal(propertyAllows(value, "h1"), want, `value '${value}'`);
  }
});

Deno.test("decideExcludeByProperty: exclusion drops the subtree, never reconsidered", () => {
  const values = new Map([
    ["t/a", "-"],
    ["t/a/b", "false"],
    ["t/a/b/c", "true"], // under an excluded parent: still excluded, not even evaluated
    ["t/a/b-c", "true"], // a sibling that sorts between: kept
    ["t/a/d", "h0,h1"],
    ["t/a/d/e", "h0"],
    ["t/a/d/e/f", "true"],
    ["t/a/g", "TRUE"],
  ]);
  const names = [...values.keys()].sort();
  const d = decideExcludeByProperty(names, values, "h1");
  assert.deepEqual(d.included, ["t/a", "t/a/b-c", "t/a/d", "t/a/g"]);
  assert.deepEqual(
    d.events.map((e) => `${e.kind} ${e.dataset}`),
    [
      "include t/a",
      "exclude t/a/b",
      "include t/a/b-c",
      "include t/a/d",
      "exclude t/a/d/e",
      "include t/a/g",
    ],
  );
  assert.equal(d.events[3].reason, ", localhostname: h1, hostnames: h0,h1");
  assert.equal(d.events[0].reason, "");
});

Deno.test("decideExcludeByProperty: a dataset missing from the listing vanished: subtree skipped", () => {
  const values = new Map([["t/a", "true"], ["t/a/c", "true"]]);
  const d = decideExcludeByProperty(["t/a", "t/a/b", "t/a/b/x", "t/a/c"], values, "h");
  assert.deepEqual(d.included, ["t/a", "t/a/c"]);
  assert.deepEqual(d.events.map((e) => e.kind), ["include", "vanished", "include"]);
});

Deno.test("decideExcludeByProperty: the root excluded leaves nothing; empty input is empty", () => {
  const values = new Map([["t", "false"], ["t/a", "true"]]);
  assert.deepEqual(decideExcludeByProperty(["t", "t/a"], values, "h").included, []);
  assert.deepEqual(decideExcludeByProperty([], values, "h"), { included: [], events: [] });
});

Deno.test("excludePropertyListArgv and parsePropertyList", () => {
  assert.deepEqual(excludePropertyListArgv("tank/a", "syncoid:sync", { recursive: false }), [
    "zfs",
    "list",
    "-t",
    "filesystem,volume",
    "-Hp",
    "-o",
    "name,syncoid:sync",
    "tank/a",
  ]);
  const m = parsePropertyList("tank/a\t-\ntank/a/b\tfalse\ntank/a/c\th1,h2\ntank/a/d\t\n");
  assert.deepEqual([...m], [
    ["tank/a", "-"],
    ["tank/a/b", "false"],
    ["tank/a/c", "h1,h2"],
    ["tank/a/d", ""],
  ]);
});

const ARGV = ["--recursive", "--exclude-dataset-property", "com.example:backup", "t/src", "b/dst"];

Deno.test("applyExcludeDatasetProperty: ONE zfs list per side, then the decision, logged", async () => {
  const executor = new FakeExecutor().on("zfs list", {
    stdout: "t/src\t-\nt/src/a\tfalse\nt/src/a/x\ttrue\nt/src/b\thostX\nt/src/c\tthishost\n",
  });
  const ctx = makeCtx(ARGV, { executor, now: 0 });
  const r = await captureLogs(() =>
    applyExcludeDatasetProperty(
      ["t/src", "t/src/a", "t/src/a/x", "t/src/b", "t/src/c", "t/src/d"],
      { host: preparedHost(), root: "t/src", location: "src" },
      ctx,
      { hostname: "thishost" },
    )
  );
  assert.deepEqual(r.result, ["t/src", "t/src/c"]);
  assert.deepEqual(executor.commands, [
    "zfs list -t filesystem,volume -Hp -o name,com.example:backup -r t/src",
  ]);
  const text = messages(r.lines).map((m) => `${m.level} ${m.text}`);
  assert.ok(text.includes("D Excluding b/c dataset prop: t/src/a"), text.join("\n"));
  assert.ok(
    text.includes(
      "D Excluding b/c dataset prop: t/src/b, localhostname: thishost, hostnames: hostX",
    ),
    text.join("\n"),
  );
  assert.ok(text.includes("W Third party deleted src: t/src/d"), text.join("\n"));
});

Deno.test("applyExcludeDatasetProperty: without the option nothing runs", async () => {
  const executor = new FakeExecutor();
  const ctx = makeCtx(["--recursive", "t/src", "b/dst"], { executor, now: 0 });
  const r = await applyExcludeDatasetProperty(
    ["t/src", "t/src/a"],
    { host: preparedHost(), root: "t/src", location: "src" },
    ctx,
  );
  assert.deepEqual(r, ["t/src", "t/src/a"]);
  assert.deepEqual(executor.commands, []);
});

Deno.test("applyExcludeDatasetProperty: a vanished root skips everything; other errors throw", async () => {
  const gone = new FakeExecutor().on("zfs list", {
    code: 1,
    stderr: "cannot open 't/src': dataset does not exist\n",
  });
  const side = { host: preparedHost("h"), root: "t/src", location: "dst" as const };
  const r = await captureLogs(() =>
    applyExcludeDatasetProperty(
      ["t/src", "t/src/a"],
      side,
      makeCtx(ARGV, { executor: gone, now: 0 }),
    )
  );
  assert.deepEqual(r.result, []);
  assert.ok(messages(r.lines).some((m) => m.text === "Third party deleted dst: t/src"));
  const broken = new FakeExecutor().on("zfs list", { code: 1, stderr: "bad property list\n" });
  await assert.rejects(
    applyExcludeDatasetProperty(["t/src"], side, makeCtx(ARGV, { executor: broken, now: 0 })),
    /Cannot read --exclude-dataset-property com\.example:backup of t\/src: bad property list/,
  );
});
