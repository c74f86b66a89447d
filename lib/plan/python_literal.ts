/**
 * A parser for the Python literal syntax that plans are written in (what upstream reads with
 * `ast.literal_eval`): dicts, lists and tuples, strings in single or double quotes (with the
 * usual escapes and implicit concatenation), integers (with `_` separators, `+`/`-`), floats,
 * `True`, `False` and `None`. No code is ever evaluated.
 *
 * @module
 */

import { UsageError } from "../errors.ts";

/** A parsed Python literal. Dicts keep insertion order (a repeated key keeps its first position). */
export type PyValue = string | number | boolean | null | PyFloat | PyValue[] | PyDict;

/**
 * A Python float, kept apart from integers (which are plain numbers) because plans must reject
 * `1.0` where an int is required.
 *
 * @example
 * ```ts
 * import { PyFloat } from "./python_literal.ts";
 * new PyFloat(1.5).value; // 1.5
 * ```
 */
export class PyFloat {
  /**
   * Wraps a float.
   * @param value The float value.
   */
  constructor(readonly value: number) {}
}

/** A Python dict with string or number keys. */
export type PyDict = Map<string | number | boolean | null, PyValue>;

/**
 * Parses a Python literal.
 *
 * @example
 * ```ts
 * import { parsePythonLiteral } from "./python_literal.ts";
 * const v = parsePythonLiteral("{'prod': {'onsite': {'hourly': 36}}}", "--include-snapshot-plan");
 * console.log(v instanceof Map); // true
 * ```
 * @param text The literal.
 * @param option The option it came from, named in the error.
 * @returns The value (dicts as `Map`).
 * @throws {UsageError} If the text is not a valid literal.
 */
export function parsePythonLiteral(text: string, option: string): PyValue {
  const p = new LiteralParser(text, option);
  p.skipSpace();
  const value = p.topLevel();
  p.skipSpace();
  if (!p.atEnd()) p.fail("unexpected text after the value");
  return value;
}

const ESCAPES: Record<string, string> = {
  "\\": "\\",
  "'": "'",
  '"': '"',
  a: "\x07",
  b: "\b",
  f: "\f",
  n: "\n",
  r: "\r",
  t: "\t",
  v: "\v",
  "\n": "",
};

class LiteralParser {
  #pos = 0;
  #depth = 0;
  constructor(readonly text: string, readonly option: string) {}

  fail(problem: string): never {
    throw new UsageError(`Invalid Python literal (${problem} at position ${this.#pos})`, {
      option: this.option,
      value: this.text,
      hint: 'Write a dict such as {"prod": {"onsite": {"daily": 7}}}',
    });
  }

  atEnd(): boolean {
    return this.#pos >= this.text.length;
  }

  skipSpace(): void {
    while (/^[ \t\n\r\f\v]$/.test(this.text[this.#pos] ?? "")) this.#pos++;
  }

  /** A value, or a tuple written without parentheses (`1, 2`). */
  topLevel(): PyValue {
    const first = this.value();
    this.skipSpace();
    if (this.text[this.#pos] !== ",") return first;
    const items = [first];
    while (this.text[this.#pos] === ",") {
      this.#pos++;
      this.skipSpace();
      if (this.atEnd()) break;
      items.push(this.value());
      this.skipSpace();
    }
    return items;
  }

  value(): PyValue {
    const c = this.text[this.#pos];
    if (c === "{") return this.#nested(() => this.#dict());
    if (c === "[") return this.#nested(() => this.#sequence("[", "]"));
    if (c === "(") return this.#nested(() => this.#parenthesized());
    if (c === "'" || c === '"') return this.#strings();
    if (c !== undefined && /[0-9+\-.]/.test(c)) return this.#number();
    const word = /^[A-Za-z_][A-Za-z0-9_]*/.exec(this.text.slice(this.#pos))?.[0];
    if (word === "True" || word === "False" || word === "None") {
      this.#pos += word.length;
      return word === "None" ? null : word === "True";
    }
    return this.fail(word ? `name '${word}' is not a literal` : "expected a value");
  }

  #nested<T>(f: () => T): T {
    if (++this.#depth > 50) this.fail("nesting too deep");
    const v = f();
    this.#depth--;
    return v;
  }

  #dict(): PyDict {
    const out: PyDict = new Map();
    this.#pos++;
    this.#items("}", () => {
      const key = this.value();
      if (Array.isArray(key) || key instanceof Map) this.fail("unhashable dict key");
      if (key instanceof PyFloat) this.fail("float dict keys are not supported");
      this.skipSpace();
      if (this.text[this.#pos] !== ":") this.fail("expected ':'");
      this.#pos++;
      this.skipSpace();
      out.set(key as string, this.value());
    });
    return out;
  }

  /** `(x)` is x; `()`, `(x,)` and `(x, y)` are tuples. */
  #parenthesized(): PyValue {
    this.#pos++;
    this.skipSpace();
    if (this.text[this.#pos] === ")") {
      this.#pos++;
      return [];
    }
    const first = this.value();
    this.skipSpace();
    if (this.text[this.#pos] === ")") {
      this.#pos++;
      return first;
    }
    if (this.text[this.#pos] !== ",") this.fail("expected ',' or ')'");
    this.#pos++;
    const rest: PyValue[] = [];
    this.#items(")", () => rest.push(this.value()));
    return [first, ...rest];
  }

  #sequence(open: string, close: string): PyValue[] {
    const out: PyValue[] = [];
    this.#pos += open.length;
    this.#items(close, () => out.push(this.value()));
    return out;
  }

  /** Parses `item, item, ...` up to `close`, allowing a trailing comma. */
  #items(close: string, item: () => void): void {
    for (;;) {
      this.skipSpace();
      if (this.text[this.#pos] === close) {
        this.#pos++;
        return;
      }
      item();
      this.skipSpace();
      const c = this.text[this.#pos];
      if (c === ",") this.#pos++;
      else if (c !== close) this.fail(`expected ',' or '${close}'`);
    }
  }

  #strings(): string {
    let s = this.#string();
    for (;;) {
      const save = this.#pos;
      this.skipSpace();
      const c = this.text[this.#pos];
      if (c !== "'" && c !== '"') {
        this.#pos = save;
        return s;
      }
      s += this.#string();
    }
  }

  #string(): string {
    const q = this.text[this.#pos];
    const quote = this.text.startsWith(q.repeat(3), this.#pos) ? q.repeat(3) : q;
    this.#pos += quote.length;
    let out = "";
    for (;;) {
      if (this.text.startsWith(quote, this.#pos)) {
        this.#pos += quote.length;
        return out;
      }
      const c = this.text[this.#pos++];
      if (c === undefined || (c === "\n" && quote.length === 1)) this.fail("unterminated string");
      out += c === "\\" ? this.#escape() : c;
    }
  }

  #escape(): string {
    const c = this.text[this.#pos++];
    if (c === undefined) this.fail("unterminated string");
    if (c in ESCAPES) return ESCAPES[c];
    const hex = c === "x" ? 2 : c === "u" ? 4 : c === "U" ? 8 : 0;
    if (hex > 0) {
      const digits = this.text.slice(this.#pos, this.#pos + hex);
      if (!new RegExp(`^[0-9A-Fa-f]{${hex}}$`).test(digits)) this.fail("truncated \\x/\\u escape");
      this.#pos += hex;
      const cp = parseInt(digits, 16);
      if (cp > 0x10ffff) this.fail("illegal Unicode character");
      return String.fromCodePoint(cp);
    }
    if (/[0-7]/.test(c)) {
      let digits = c;
      while (digits.length < 3 && /[0-7]/.test(this.text[this.#pos] ?? "")) {
        digits += this.text[this.#pos++];
      }
      return String.fromCodePoint(parseInt(digits, 8));
    }
    return `\\${c}`; // Python keeps unknown escapes verbatim
  }

  #number(): number | PyFloat {
    const rest = this.text.slice(this.#pos);
    const radix = /^([+-]?)0([xXoObB])((?:_?[0-9A-Fa-f])+)/.exec(rest);
    if (radix) {
      this.#pos += radix[0].length;
      const base = { x: 16, o: 8, b: 2 }[radix[2].toLowerCase() as "x" | "o" | "b"];
      const digits = radix[3].replaceAll("_", "");
      if (![...digits].every((d) => parseInt(d, 16) < base)) this.fail("invalid digit in number");
      const n = parseInt(digits, base) * (radix[1] === "-" ? -1 : 1);
      if (!Number.isSafeInteger(n)) this.fail("integer too large");
      return n;
    }
    const D = "[0-9](?:_?[0-9])*";
    const m = new RegExp(`^[+-]?(?:${D})?(?:\\.(?:${D})?)?(?:[eE][+-]?${D})?`).exec(rest);
    const raw = m?.[0] ?? "";
    if (!/[0-9]/.test(raw)) this.fail("expected a number");
    this.#pos += raw.length;
    const clean = raw.replaceAll("_", "");
    const isInt = /^[+-]?[0-9]+$/.test(clean);
    if (isInt && /^[+-]?0[0-9]/.test(clean) && /[1-9]/.test(clean)) {
      this.fail("leading zeros in a decimal integer are not permitted");
    }
    const n = Number(clean);
    if (!isInt) return new PyFloat(n);
    if (!Number.isSafeInteger(n)) this.fail("integer too large");
    return n;
  }
}
