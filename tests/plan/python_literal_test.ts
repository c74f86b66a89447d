import assert from "node:assert/strict";
import { UsageError } from "../../lib/errors.ts";
import { parsePythonLiteral, PyFloat } from "../../lib/plan/python_literal.ts";

const OPT = "--include-snapshot-plan";
const p = (t: string) => parsePythonLiteral(t, OPT);

Deno.test("parsePythonLiteral values", () => {
  const cases: [string, unknown][] = [
    ["{}", new Map()],
    ["{'a': 1}", new Map([["a", 1]])],
    ['{"a": 1, "b": {"c": -2}}', new Map<string, unknown>([["a", 1], ["b", new Map([["c", -2]])]])],
    ["{'a': 1, 'a': 2}", new Map([["a", 2]])],
    ["{'a': 1,}", new Map([["a", 1]])],
    [" {\n 'a' : 1 } ", new Map([["a", 1]])],
    ["'it''s'", "its"],
    ["'a' \"b\"", "ab"],
    ["'\\n\\t\\x41\\u0042\\101\\q'", "\n\tAB" + "A\\q"],
    ['"\'"', "'"],
    ["1_000", 1000],
    ["+5", 5],
    ["0", 0],
    ["00", 0],
    ["True", true],
    ["False", false],
    ["None", null],
    ["[1, 'a']", [1, "a"]],
    ["(1, 2,)", [1, 2]],
    ["[]", []],
    ["{1: 'x'}", new Map([[1, "x"]])],
    ["1, 2", [1, 2]],
    ["1,", [1]],
    ["(7)", 7],
    ["()", []],
    ["(1,)", [1]],
    ["'''a'b'''", "a'b"],
    ['"""x\ny"""', "x\ny"],
    ["0x1F", 31],
    ["-0o17", -15],
    ["0b1_01", 5],
    ["1.5_0e1_0", new PyFloat(1.5e10)],
  ];
  for (const [text, want] of cases) assert.deepEqual(p(text), want, text);
  assert.ok(p("1.5") instanceof PyFloat);
  assert.equal((p("1.0") as PyFloat).value, 1);
  assert.equal((p("1e3") as PyFloat).value, 1000);
});

Deno.test("parsePythonLiteral rejects code and malformed text", () => {
  const bad: [string, RegExp][] = [
    ["", /expected a value/],
    ["{", /expected a value|expected ','/],
    ["{'a' 1}", /expected ':'/],
    ["{'a': 1 'b': 2}", /expected ',' or '}'/],
    ["{'a': 1}}", /unexpected text after the value/],
    ["__import__('os').system('reboot')", /name '__import__' is not a literal/],
    ["{'a': os}", /name 'os' is not a literal/],
    ["{'a': 1 + 1}", /expected ',' or '}'/],
    ["'abc", /unterminated string/],
    ["'a\nb'", /unterminated string/],
    ["'\\x4'", /truncated/],
    ["{[1]: 2}", /unhashable/],
    ["{1.5: 2}", /float dict keys/],
    ["012", /leading zeros/],
    ["99999999999999999999", /integer too large/],
    ["-", /expected a number/],
    ["0o19", /invalid digit/],
    ["(1 2)", /expected ',' or '\)'/],
    ["''''", /unterminated string/],
    ["[".repeat(60), /nesting too deep/],
  ];
  for (const [text, msg] of bad) {
    assert.throws(() => p(text), (e: unknown) => {
      assert.ok(e instanceof UsageError, text);
      assert.equal(e.option, OPT);
      assert.match(e.message, /^--include-snapshot-plan: Invalid Python literal/);
      assert.match(e.message, msg, `${text}: ${e.message}`);
      return true;
    });
  }
});
