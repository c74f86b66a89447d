import assert from "node:assert/strict";
import { UsageError } from "../../lib/errors.ts";
import {
  isDescendantOrSame,
  treesOverlap,
  validateDatasetName,
  validateSnapshotName,
  ZFS_MAX_DATASET_NAME_LEN,
} from "../../lib/names/dataset.ts";

const OPT = "SRC_DATASET";

const GOOD_DATASETS = [
  "tank",
  "tank/data",
  "tank/a/b/c",
  "Tank1/foo_bar",
  "tank/foo-bar",
  "tank/foo.bar",
  "tank/foo:bar",
  "tank/a.b.c/d",
  "tank/...x",
  "tank/x..y",
  "tank/-dash-inside",
  "dummy",
  "a".repeat(ZFS_MAX_DATASET_NAME_LEN),
];

const BAD_DATASETS: [string, RegExp][] = [
  ["", /non-empty/],
  ["tank/data; rm -rf /", /';'/],
  ["tank/data;rm", /';'/],
  ["$(reboot)", /'\$'/],
  ["tank/$(reboot)", /'\$'/],
  ["tank/${HOME}", /'\$'/],
  ["tank/`reboot`", /'`'/],
  ["tank/a\nrm -rf /", /newline/],
  ["tank/a\rb", /U\+000D/],
  ["tank/a\tb", /tab/],
  ["tank/a\0b", /NUL/],
  ["tank/a\x1bb", /U\+001B/],
  ["tank/a\x08b", /U\+0008/],
  ["tank/a\vb", /U\+000B/],
  ["tank/a\fb", /U\+000C/],
  ["tank/a\u3000b", /U\+3000/],
  ["tank/a\ufeffb", /U\+FEFF/],
  ["tank/a\x7fb", /U\+007F/],
  ["tank/a\u0085b", /U\+0085/],
  ["tank/a\u2028b", /U\+2028/],
  ["tank/a b", /space/],
  ["tank/a\u00a0b", /U\+00A0/],
  ["tank/a|b", /'\|'/],
  ["tank/a&b", /'&'/],
  ["tank/a&&reboot", /'&'/],
  ["tank/a>b", /'>'/],
  ["tank/a<b", /'<'/],
  ["tank/(a)", /'\('/],
  ["tank/a)", /'\)'/],
  ["tank/{a,b}", /'\{'/],
  ["tank/a}", /'\}'/],
  ["tank/[ab]", /'\['/],
  ["tank/a]", /'\]'/],
  ["tank/*", /'\*'/],
  ["tank/a?", /'\?'/],
  ["tank/a!", /'!'/],
  ["~/tank", /'~'/],
  ["tank\\a", /'\\'/],
  ["tank/'a'", /'''/],
  ['tank/"a"', /'"'/],
  ["tank/a,b", /','/],
  ["tank/a+b", /'\+'/],
  ["tank/a=b", /'='/],
  ["tank/a^b", /'\^'/],
  ["tank/a%b", /'%'/],
  ["tank/a@snap", /snapshot or bookmark part/],
  ["tank/a#bm", /snapshot or bookmark part/],
  ["tank/ä", /'ä'/],
  ["-tank", /Start the name with a letter/],
  ["-oProxyCommand=x", /'='/],
  ["--help", /Start the name with a letter/],
  ["/tank", /Start the name with a letter/],
  ["1tank", /Start the name with a letter/],
  ["_tank", /Start the name with a letter/],
  [".tank", /Start the name with a letter/],
  ["..", /Start the name with a letter/],
  ["tank/", /trailing/],
  ["tank//a", /empty path component/],
  ["tank/./a", /'\.' or '\.\.'/],
  ["tank/../a", /'\.' or '\.\.'/],
  ["tank/..", /'\.' or '\.\.'/],
  ["tank/.", /'\.' or '\.\.'/],
  ["a".repeat(ZFS_MAX_DATASET_NAME_LEN + 1), /at most 255 bytes \(got 256\)/],
  [`tank/${"x".repeat(300)}`, /at most 255 bytes/],
];

Deno.test("validateDatasetName accepts valid names", () => {
  for (const name of GOOD_DATASETS) assert.equal(validateDatasetName(name, OPT), name);
});

Deno.test("validateDatasetName rejects unsafe and invalid names with a UsageError", () => {
  assert.ok(BAD_DATASETS.length >= 60, `only ${BAD_DATASETS.length} bad inputs`);
  for (const [name, hint] of BAD_DATASETS) {
    assert.throws(() => validateDatasetName(name, OPT), (e: unknown) => {
      assert.ok(e instanceof UsageError, `not a UsageError for ${JSON.stringify(name)}`);
      assert.equal(e.option, OPT);
      assert.equal(e.value, name);
      assert.match(e.message, /^SRC_DATASET: Invalid ZFS dataset name: /);
      assert.match(e.hint ?? "", hint, `hint for ${JSON.stringify(name)}: ${e.hint}`);
      return true;
    });
  }
});

Deno.test("validateSnapshotName splits snapshots and bookmarks", () => {
  const cases: [string, string, string, string][] = [
    ["tank/a@s1", "tank/a", "s1", "snapshot"],
    [
      "tank@prod_onsite_2024-01-01_00:00:00_daily",
      "tank",
      "prod_onsite_2024-01-01_00:00:00_daily",
      "snapshot",
    ],
    ["tank/a#bm.1", "tank/a", "bm.1", "bookmark"],
    ["tank/a/b@x-y", "tank/a/b", "x-y", "snapshot"],
  ];
  for (const [full, dataset, tag, kind] of cases) {
    assert.deepEqual(validateSnapshotName(full, "--x"), { dataset, tag, kind });
  }
});

Deno.test("validateSnapshotName rejects bad names", () => {
  const bad: [string, RegExp][] = [
    ["tank/a", /DATASET@SNAPSHOT/],
    ["tank/a@", /non-empty name after/],
    ["tank/a#", /non-empty name after/],
    ["@s1", /dataset part: give a non-empty/],
    ["tank/a@s1@s2", /'@'/],
    ["tank/a@s1#b", /'#'/],
    ["tank/a@s/1", /'\/'/],
    ["tank/a@s;reboot", /';'/],
    ["tank/a@$(reboot)", /'\$'/],
    ["tank/a@`id`", /'`'/],
    ["tank/a@s\n1", /newline/],
    ["tank/a@s 1", /space/],
    ["tank/a@.", /'\.' or '\.\.'/],
    ["tank/a@..", /'\.' or '\.\.'/],
    ["tank/a@%recv", /'%'/],
    ["-tank@s", /dataset part: start the name/],
    ["tank//a@s", /dataset part/],
    [`tank@${"s".repeat(251)}`, /at most 255 bytes in total/],
  ];
  for (const [full, hint] of bad) {
    assert.throws(() => validateSnapshotName(full, "--x"), (e: unknown) => {
      assert.ok(e instanceof UsageError);
      assert.equal(e.option, "--x");
      assert.equal(e.value, full);
      assert.match(e.message, /Invalid ZFS snapshot or bookmark name/);
      assert.match(e.hint ?? "", hint, `hint for ${JSON.stringify(full)}: ${e.hint}`);
      return true;
    });
  }
});

Deno.test("isDescendantOrSame and treesOverlap", () => {
  const cases: [string, string, boolean][] = [
    ["tank/a", "tank/a", true],
    ["tank/a/b", "tank/a", true],
    ["tank/a/b/c", "tank", true],
    ["tank/ab", "tank/a", false],
    ["tank/a-b", "tank/a", false],
    ["tank", "tank/a", false],
    ["tank2", "tank", false],
  ];
  for (const [a, b, want] of cases) assert.equal(isDescendantOrSame(a, b), want, `${a} in ${b}`);
  assert.equal(treesOverlap("tank/src", "tank/src/backup"), true);
  assert.equal(treesOverlap("tank/src/backup", "tank/src"), true);
  assert.equal(treesOverlap("tank/src", "tank/src"), true);
  assert.equal(treesOverlap("tank/src", "tank/src2"), false);
  assert.equal(treesOverlap("tank/src", "pool/src"), false);
});
