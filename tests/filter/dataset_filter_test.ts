import assert from "node:assert/strict";
import { UsageError } from "../../lib/errors.ts";
import {
  buildDatasetFilter,
  compileDatasetRegexes,
  type DatasetFilterSpec,
  datasetNamesToRegexes,
  EXCLUDE_DATASET_REGEXES_DEFAULT,
  filterDatasets,
} from "../../lib/filter/dataset_filter.ts";
import { matchesName } from "../../lib/filter/name_matcher.ts";

const ROOTS = { src: "tank/src", dst: "tank/dst" };

Deno.test("datasetNamesToRegexes: upstream's concrete cases", () => {
  assert.deepEqual(
    datasetNamesToRegexes(
      ["foo", "bar/", "/tank/src/a", "/tank/dst/b", "/ignorenonexistent", "baz", ""],
      ROOTS,
    ),
    ["foo", "bar", "a", "b", "baz", ".*"],
  );
  assert.deepEqual(
    datasetNamesToRegexes(
      [
        "/tank/src",
        "/tank/dst/",
        "/nonexistent",
        "foo",
        "bar/",
        "/tank/src/a",
        "/tank/dst//c/",
        "",
      ],
      ROOTS,
    ),
    [".*", ".*", "foo", "bar", "a", "/c", ".*"],
  );
  assert.deepEqual(datasetNamesToRegexes(["a.b-c", "x y", "/tank/srcx"], ROOTS), [
    "a\\.b\\-c",
    "x\\ y",
  ]);
});

Deno.test("compileDatasetRegexes: $ handling and descendants", () => {
  const cases: [string, string, boolean][] = [
    ["foo$", "foo", true],
    ["foo$", "foo/bar", true],
    ["foo$", "src/bar", false],
    ["foo\\$", "foo$", true],
    ["foo\\$", "foo$/x", true],
    ["a/b", "a/b/c", true],
    ["a/b", "a", false],
    ["a/b", "a/bc", false],
    ["a|b", "b/x", true],
    ["!a", "b", true],
    ["!a", "a/x", false],
    [".*", "", true],
    ["", "", true],
    ["", "a", false],
    ["(?i)TMP", "tmp/x", true],
  ];
  for (const [regex, rel, want] of cases) {
    const [m] = compileDatasetRegexes([regex], "--include-dataset-regex");
    assert.equal(matchesName(m, rel), want, `${regex} vs ${rel}`);
  }
  for (const bad of ["a$b", "$a", "a\\$b", "!$x"]) {
    assert.throws(() => compileDatasetRegexes([bad], "--exclude-dataset-regex"), (e: unknown) => {
      assert.ok(e instanceof UsageError);
      assert.match(e.message, /^--exclude-dataset-regex: Must not use non-trailing '\$' character/);
      assert.equal(e.value, bad);
      return true;
    });
  }
});

Deno.test("the tmp default excludes tmp-like path components", () => {
  const [m] = compileDatasetRegexes([EXCLUDE_DATASET_REGEXES_DEFAULT], "--x");
  for (const rel of ["tmp", "temp", "TMP", "Temp_3", "tmp-12", "a/tmp", "a/temp/b", "tmp/x"]) {
    assert.equal(matchesName(m, rel), true, rel);
  }
  for (const rel of ["", "a", "tmpx", "a/mytmp", "template", "a/tempo"]) {
    assert.equal(matchesName(m, rel), false, rel);
  }
});

const LIST = [
  "tank/src",
  "tank/src/a",
  "tank/src/a/tmp",
  "tank/src/b",
  "tank/src/b-c",
  "tank/src/b/c",
  "tank/src/tmp",
  "tank/src/tmp/x",
];

function run(spec: DatasetFilterSpec, skipParent = false): string[] {
  const filter = buildDatasetFilter(spec, ROOTS);
  return filterDatasets(LIST, "tank/src", { filter, skipParent }).map((d) => d.slice(9) || ".");
}

Deno.test("filterDatasets with the option combinations", () => {
  const cases: [DatasetFilterSpec, boolean, string[]][] = [
    [{}, false, [".", "a", "b", "b-c", "b/c"]],
    [{}, true, ["a", "b", "b-c", "b/c"]],
    [{ excludeRegexes: ["!.*"] }, false, LIST.map((d) => d.slice(9) || ".")],
    [{ excludeRegexes: [""] }, false, LIST.map((d) => d.slice(9) || ".")],
    [{ includeRegexes: ["b"] }, false, ["b", "b/c"]],
    [{ includeDatasets: ["b"] }, false, ["b", "b/c"]],
    [{ includeDatasets: ["/tank/src/b/"] }, false, ["b", "b/c"]],
    [{ includeDatasets: ["/tank/dst/b"] }, false, ["b", "b/c"]],
    [{ includeDatasets: ["/elsewhere/b"] }, false, [".", "a", "b", "b-c", "b/c"]],
    [{ includeDatasets: ["b-c"] }, false, ["b-c"]],
    [{ excludeDatasets: ["b"] }, false, [".", "a", "b-c"]],
    [{ excludeDatasets: ["b"], excludeRegexes: ["!.*"] }, false, [
      ".",
      "a",
      "a/tmp",
      "b-c",
      "tmp",
      "tmp/x",
    ]],
    [{ includeRegexes: ["foo$"] }, false, []],
    [{ includeRegexes: [""] }, false, ["."]],
    [{ includeRegexes: ["!b"] }, false, [".", "a", "b-c"]],
    [{ includeRegexes: ["a", "b"], excludeRegexes: ["a"] }, false, ["b", "b/c"]],
    [{ includeRegexes: [".*"], excludeRegexes: [".*"] }, false, []],
  ];
  for (const [spec, skip, want] of cases) {
    assert.deepEqual(run(spec, skip), want, JSON.stringify(spec));
  }
});

Deno.test("filterDatasets result is a union of subtrees without holes (upstream invariant)", () => {
  const specs: DatasetFilterSpec[] = [
    {},
    { includeRegexes: ["a"] },
    { excludeRegexes: ["b"] },
    { includeRegexes: ["!b"] },
    { includeDatasets: ["b/c", "a"], excludeRegexes: ["!.*"] },
    { excludeDatasets: ["a/tmp"], excludeRegexes: ["!.*"] },
  ];
  for (const spec of specs) {
    const out = filterDatasets(LIST, "tank/src", { filter: buildDatasetFilter(spec, ROOTS) });
    const set = new Set(out);
    const roots = out.filter((d) => !set.has(d.slice(0, d.lastIndexOf("/"))));
    for (const root of roots) {
      assert.ok(!out.some((d) => d !== root && root.startsWith(`${d}/`)), JSON.stringify(spec));
    }
    for (const d of out) assert.ok(roots.some((r) => d === r || d.startsWith(`${r}/`)));
  }
});
