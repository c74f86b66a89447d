import assert from "node:assert/strict";
import { UsageError } from "../../lib/errors.ts";
import { compileNameMatcher, isIncluded, matchesName } from "../../lib/filter/name_matcher.ts";

const m = (r: string) => compileNameMatcher(r, "--x");

Deno.test("matchesName: full match, negation, .* shortcut", () => {
  const cases: [string, string, boolean][] = [
    ["a.*", "abc", true],
    ["a", "abc", false],
    ["b", "abc", false],
    ["!a", "abc", true],
    ["!a.*", "abc", false],
    [".*", "anything\nwith newline", true],
    ["!.*", "x", false],
    ["", "", true],
    ["", "x", false],
  ];
  for (const [regex, name, want] of cases) assert.equal(matchesName(m(regex), name), want, regex);
  assert.equal(m(".*").regex, null);
  assert.equal(m("!.*").negated, true);
});

Deno.test("compileNameMatcher suffix makes descendants match", () => {
  const sfx = { suffix: "(?:/[^\\n]*)?" };
  const a = compileNameMatcher("a|b", "--x", sfx);
  assert.equal(matchesName(a, "a"), true);
  assert.equal(matchesName(a, "b/c"), true);
  assert.equal(matchesName(a, "ab"), false);
  assert.equal(compileNameMatcher(".*", "--x", sfx).regex, null);
});

Deno.test("compileNameMatcher reports JS compile errors as UsageError", () => {
  assert.throws(() => compileNameMatcher("[z-a]", "--x"), (e: unknown) => {
    assert.ok(e instanceof UsageError);
    assert.match(e.message, /^--x: Invalid regex: "\[z-a\]"/);
    return true;
  });
});

Deno.test("isIncluded: excludes win, empty include list includes nothing", () => {
  const lists = { includes: [m("a.*"), m("b.*")], excludes: [m(".*x")] };
  assert.equal(isIncluded("abc", lists), true);
  assert.equal(isIncluded("bcd", lists), true);
  assert.equal(isIncluded("abx", lists), false);
  assert.equal(isIncluded("cde", lists), false);
  assert.equal(isIncluded("abc", { includes: [], excludes: [] }), false);
});
