/**
 * Differential cases for the Python -> JavaScript regex translation: 700 regexes (hand-picked plus
 * random token strings) with Python 3.11's verdict (compile error, or which names `re.fullmatch`
 * accepts), written by `fixtures/gen_regex_cases.py`.
 */
import assert from "node:assert/strict";
import { UsageError } from "../../lib/errors.ts";
import {
  compileNameMatcher,
  matchesName,
  type NameMatcher,
} from "../../lib/filter/name_matcher.ts";

const fixture = JSON.parse(
  await Deno.readTextFile(new URL("./fixtures/regex_cases.json", import.meta.url)),
) as { names: string[]; cases: [string, string | null][] };

function compile(regex: string): NameMatcher {
  return compileNameMatcher(regex, "--include-snapshot-regex");
}

Deno.test("regexes Python rejects are rejected with a UsageError", () => {
  const invalid = fixture.cases.filter(([, m]) => m === null);
  assert.ok(invalid.length >= 100);
  for (const [regex] of invalid) {
    assert.throws(() => compile(regex), UsageError, `accepted ${JSON.stringify(regex)}`);
  }
});

Deno.test("regexes Python accepts match exactly the same names (or are refused as unsupported)", () => {
  const valid = fixture.cases.filter(([, m]) => m !== null);
  assert.ok(valid.length >= 300);
  let unsupported = 0;
  for (const [regex, bits] of valid) {
    let re: NameMatcher;
    try {
      re = compile(regex);
    } catch (e) {
      assert.ok(e instanceof UsageError, `${regex}: ${e}`);
      assert.match(e.message, /Unsupported regex construct/, regex);
      unsupported++;
      continue;
    }
    const got = fixture.names.map((n) => (matchesName(re, n) ? "1" : "0")).join("");
    assert.equal(got, bits, `${JSON.stringify(regex)} on ${JSON.stringify(fixture.names)}`);
  }
  assert.ok(unsupported < 10, `${unsupported} unsupported`);
});
