import assert from "node:assert/strict";
import { parsePythonLiteral, PyFloat } from "../../lib/plan/python_literal.ts";
import { pythonRepr, pythonStringRepr } from "../../lib/jobrunner/python_repr.ts";

Deno.test("pythonRepr prints dicts, lists, scalars as Python's repr does", () => {
  const cases: [Parameters<typeof pythonRepr>[0], string][] = [
    [{}, "{}"],
    [
      { prod: { onsite: { hourly: 36, daily: 31 } } },
      "{'prod': {'onsite': {'hourly': 36, 'daily': 31}}}",
    ],
    [new Map([["", new Map([["", 0]])]]), "{'': {'': 0}}"],
    [[1, "a", true, false, null], "[1, 'a', True, False, None]"],
    [new PyFloat(2), "2.0"],
    [new PyFloat(0.5), "0.5"],
    [new PyFloat(1e20), "1e+20"],
    [new PyFloat(1e-5), "1e-05"],
    [-7, "-7"],
  ];
  for (const [value, text] of cases) assert.equal(pythonRepr(value), text);
});

Deno.test("pythonStringRepr chooses quotes and escapes like Python", () => {
  assert.equal(pythonStringRepr("plain"), "'plain'");
  assert.equal(pythonStringRepr("it's"), `"it's"`);
  assert.equal(pythonStringRepr(`both ' and "`), `'both \\' and "'`);
  assert.equal(pythonStringRepr("a\\b\n\t\x01"), "'a\\\\b\\n\\t\\x01'");
  assert.equal(pythonStringRepr("ünï"), "'ünï'");
});

Deno.test("parse -> print round trip keeps order and values", () => {
  const texts = [
    "{'prod': {'onsite': {'hourly': 36, 'daily': 31}, 'offsite': {'daily': 31}}}",
    "{'a': {'b': {'c': {'warning': '30 minutes', 'cycles': 4}}}}",
    "{'x': [1, 2, 'y'], 'z': None, 't': True}",
  ];
  for (const t of texts) assert.equal(pythonRepr(parsePythonLiteral(t, "--x")), t);
  assert.equal(pythonRepr(parsePythonLiteral('{"k": "v", "k": "w"}', "--x")), "{'k': 'w'}");
});

Deno.test("non-finite numbers cannot be printed as ints", () => {
  assert.throws(() => pythonRepr(Infinity), RangeError);
});
