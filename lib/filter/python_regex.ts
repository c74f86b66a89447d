/**
 * Translation of Python `re` syntax (as used by upstream bzfs for every regex option) into an
 * equivalent JavaScript `RegExp`. The translation is explicit, not "hope the syntax is the same":
 *
 * - `.` becomes "any char but newline" (JS would also exclude `\r`), `$` matches at the end or
 *   before a final newline, `\A`/`\Z` become string anchors, `{,n}` becomes `{0,n}`, a `{` that
 *   is not a quantifier is a literal, `[]...]` keeps its leading `]`, `\a`/octal/`\U` escapes
 *   become `\x`/`\u` escapes, `(?P<n>...)`/`(?P=n)` become `(?<n>...)`/`\k<n>`, `(?#...)` is
 *   dropped, global `(?i)`/`(?s)`/`(?m)` and scoped `(?i:...)` flags are honoured.
 * - Python-only or unsafe constructs are rejected with a `UsageError` naming the regex:
 *   conditionals `(?(1)..)`, atomic groups, possessive quantifiers, verbose mode `(?x)`, `\N{..}`,
 *   unknown escapes such as `\q`, references to undefined or open groups, unbalanced brackets.
 *
 * Names matched by bzfs (datasets, snapshots, properties) are ASCII, where Python's Unicode
 * classes (`\d`, `\w`, `\s`, `\b`) and JavaScript's agree.
 *
 * @module
 */

import { UsageError } from "../errors.ts";

/** A translated regex: JavaScript source and flags. */
export interface TranslatedRegex {
  /** JavaScript pattern source, without anchors. */
  readonly pattern: string;
  /** JavaScript flags (`i` or empty). */
  readonly flags: string;
}

/**
 * Translates a Python regex to JavaScript.
 *
 * @example
 * ```ts
 * import { translatePythonRegex } from "./python_regex.ts";
 * translatePythonRegex("(?i)daily_.{,3}", "--include-snapshot-regex");
 * // { pattern: "daily_[^\\n]{0,3}", flags: "i" }
 * ```
 * @param source The regex in Python syntax.
 * @param option The option it came from, named in the error.
 * @returns The JavaScript pattern and flags.
 * @throws {UsageError} If the regex is invalid or uses a construct that cannot be translated.
 */
export function translatePythonRegex(source: string, option: string): TranslatedRegex {
  const t = new Translator(source, option);
  t.run();
  return { pattern: t.out, flags: t.ignoreCase ? "i" : "" };
}

/**
 * Python's `re.escape` (3.7+): a backslash before each of `()[]{}?*+-|^$\.&~#`, space and
 * `\t\n\r\v\f`, so the text matches itself literally.
 *
 * @example
 * ```ts
 * import { pythonReEscape } from "./python_regex.ts";
 * pythonReEscape("prod_on-site."); // "prod_on\\-site\\."
 * ```
 * @param text Literal text.
 * @returns A Python regex matching exactly that text.
 */
export function pythonReEscape(text: string): string {
  return text.replace(/[()[\]{}?*+\-|^$\\.&~# \t\n\r\v\f]/g, (c) => `\\${c}`);
}

const JS_SPECIAL = "\\^$.|?*+()[]{}/-";
const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;

interface Frame {
  capture: number;
  look?: boolean;
  dotAll: boolean;
  multiline: boolean;
}

class Translator {
  out = "";
  ignoreCase = false;
  #pos = 0;
  #dotAll = false;
  #multiline = false;
  #groups = 0;
  #closed = new Set<number>();
  #names = new Map<string, number>();
  #stack: Frame[] = [];
  #repeatable = false;
  #quantified = false;
  #atStart = true;
  #afterLookaround = false;

  constructor(readonly src: string, readonly option: string) {}

  fail(problem: string): never {
    throw new UsageError(`Invalid regex: ${problem}`, {
      option: this.option,
      value: this.src,
      hint: "Fix the regex (Python 're' syntax)",
    });
  }

  unsupported(what: string): never {
    throw new UsageError(`Unsupported regex construct: ${what}`, {
      option: this.option,
      value: this.src,
      hint: "Rewrite the regex without it",
    });
  }

  run(): void {
    while (this.#pos < this.src.length) this.#step();
    if (this.#stack.length > 0) this.fail("missing ), unterminated subpattern");
  }

  #emitAtom(js: string): void {
    this.#afterLookaround = false;
    this.out += js;
    this.#repeatable = true;
    this.#quantified = false;
    this.#atStart = false;
  }

  #emitAnchor(js: string): void {
    this.#afterLookaround = false;
    this.out += js;
    this.#repeatable = false;
    this.#quantified = false;
    this.#atStart = false;
  }

  #step(): void {
    const c = this.src[this.#pos++];
    switch (c) {
      case "\\":
        return this.#escape();
      case "[":
        return this.#charClass();
      case "(":
        return this.#openGroup();
      case ")":
        return this.#closeGroup();
      case "|":
        return this.#emitAnchor("|");
      case ".":
        return this.#emitAtom(this.#dotAll ? "[\\s\\S]" : "[^\\n]");
      case "^":
        return this.#emitAnchor(this.#multiline ? "(?:^|(?<=\\n))" : "^");
      case "$":
        return this.#emitAnchor(this.#multiline ? "(?:$|(?=\\n))" : "(?:$|(?=\\n$))");
      case "*":
      case "+":
      case "?":
        return this.#quantifier(c);
      case "{":
        return this.#brace();
      default:
        return this.#emitAtom(escapeLiteral(c));
    }
  }

  #quantifier(js: string): void {
    if (this.#quantified) this.fail(`multiple repeat at position ${this.#pos - 1}`);
    if (!this.#repeatable) this.fail(`nothing to repeat at position ${this.#pos - 1}`);
    if (this.#afterLookaround) this.unsupported("quantified lookaround");
    let q = js;
    if (this.src[this.#pos] === "?") {
      q += "?";
      this.#pos++;
    } else if (this.src[this.#pos] === "+") {
      this.unsupported("possessive quantifier");
    }
    this.out += q;
    this.#quantified = true;
    this.#atStart = false;
  }

  #brace(): void {
    const m = /^\{([0-9]*)(,?)([0-9]*)\}/.exec(this.src.slice(this.#pos - 1));
    if (!m || (m[1] === "" && m[2] === "")) return this.#emitAtom("\\{");
    this.#pos += m[0].length - 1;
    const lo = m[1] === "" ? "0" : m[1];
    if (m[2] === "") return this.#quantifier(`{${lo}}`);
    if (m[3] !== "" && Number(m[3]) < Number(lo)) {
      this.fail(`min repeat greater than max repeat at position ${this.#pos - m[0].length}`);
    }
    this.#quantifier(`{${lo},${m[3]}}`);
  }

  #escape(): void {
    if (this.#pos >= this.src.length) this.fail("bad escape (end of pattern)");
    const c = this.src[this.#pos++];
    if (c >= "0" && c <= "9") return this.#digitEscape(c);
    switch (c) {
      case "A":
        return this.#emitAnchor("^");
      case "Z":
        return this.#emitAnchor("$");
      case "b":
      case "B":
        return this.#emitAnchor(`\\${c}`);
      default:
        return this.#emitAtom(this.#commonEscape(c, false));
    }
  }

  /** Escapes valid both inside and outside classes; returns the JS text. */
  #commonEscape(c: string, inClass: boolean): string {
    if ("dDsSwWntrfv".includes(c)) return `\\${c}`;
    if (c === "a") return "\\x07";
    if (c === "x") return this.#hexEscape(2);
    if (c === "u") return this.#hexEscape(4);
    if (c === "U") return this.#bigUnicodeEscape(inClass);
    if (c === "N") this.unsupported("\\N{...} named character");
    if (/[A-Za-z]/.test(c)) this.fail(`bad escape \\${c} at position ${this.#pos - 2}`);
    return inClass ? escapeClassLiteral(c) : escapeLiteral(c);
  }

  #hexEscape(len: number): string {
    const hex = this.src.slice(this.#pos, this.#pos + len);
    if (!new RegExp(`^[0-9A-Fa-f]{${len}}$`).test(hex)) {
      this.fail(`incomplete escape at position ${this.#pos - 2}`);
    }
    this.#pos += len;
    return codeUnitEscape(parseInt(hex, 16));
  }

  #bigUnicodeEscape(inClass: boolean): string {
    const hex = this.src.slice(this.#pos, this.#pos + 8);
    if (!/^[0-9A-Fa-f]{8}$/.test(hex)) this.fail(`incomplete escape at position ${this.#pos - 2}`);
    this.#pos += 8;
    const cp = parseInt(hex, 16);
    if (cp > 0x10ffff) this.fail(`bad escape \\U${hex}`);
    if (cp <= 0xffff) return codeUnitEscape(cp);
    if (inClass) this.unsupported("astral character in a character class");
    const s = String.fromCodePoint(cp);
    return `(?:${codeUnitEscape(s.charCodeAt(0))}${codeUnitEscape(s.charCodeAt(1))})`;
  }

  #octal(first: string): string {
    let digits = first;
    while (digits.length < 3 && /[0-7]/.test(this.src[this.#pos] ?? "")) {
      digits += this.src[this.#pos++];
    }
    const value = parseInt(digits, 8);
    if (value > 0o377) this.fail(`octal escape value \\${digits} outside of range 0-0o377`);
    return codeUnitEscape(value);
  }

  #digitEscape(c: string): void {
    const next2 = this.src.slice(this.#pos, this.#pos + 2);
    if (c === "0") return this.#emitAtom(this.#octal(c));
    if (/^[0-7][0-7]$/.test(next2) && c <= "7") return this.#emitAtom(this.#octal(c));
    let num = c;
    if (/[0-9]/.test(this.src[this.#pos] ?? "")) num += this.src[this.#pos++];
    this.#backref(Number(num), `\\${num}`);
  }

  #backref(group: number, text: string): void {
    if (group > this.#groups) this.fail(`invalid group reference ${text}`);
    if (!this.#closed.has(group)) this.fail(`cannot refer to an open group ${text}`);
    this.#emitAtom(`(?:\\${group})`);
  }

  #charClass(): void {
    let js = "[";
    if (this.src[this.#pos] === "^") {
      js += "^";
      this.#pos++;
    }
    if (this.src[this.#pos] === "]") {
      js += "\\]";
      this.#pos++;
    }
    for (;;) {
      if (this.#pos >= this.src.length) this.fail("unterminated character set");
      const c = this.src[this.#pos++];
      if (c === "]") break;
      js += c === "\\" ? this.#classEscape() : escapeClassLiteral(c);
    }
    this.#emitAtom(`${js}]`);
  }

  #classEscape(): string {
    if (this.#pos >= this.src.length) this.fail("bad escape (end of pattern)");
    const c = this.src[this.#pos++];
    if (c >= "0" && c <= "7") return this.#octal(c);
    if (c === "8" || c === "9") this.fail(`bad escape \\${c}`);
    if (c === "b") return "\\x08";
    return this.#commonEscape(c, true);
  }

  #openGroup(): void {
    const frame: Frame = { capture: 0, dotAll: this.#dotAll, multiline: this.#multiline };
    if (this.src[this.#pos] !== "?") {
      frame.capture = ++this.#groups;
      return this.#pushGroup(frame, "(");
    }
    this.#pos++;
    const rest = this.src.slice(this.#pos);
    if (rest.startsWith(":")) return this.#pushGroup(frame, "(?:", 1);
    for (const look of ["=", "!", "<=", "<!"]) {
      if (rest.startsWith(look)) {
        return this.#pushGroup({ ...frame, look: true }, `(?${look}`, look.length);
      }
    }
    if (rest.startsWith("P<")) return this.#namedGroup(frame, rest);
    if (rest.startsWith("P=")) return this.#namedBackref(rest);
    if (rest.startsWith("#")) return this.#comment(rest);
    if (rest.startsWith("(")) this.unsupported("conditional group (?(...)...)");
    if (rest.startsWith(">")) this.unsupported("atomic group (?>...)");
    this.#flagGroup(frame, rest);
  }

  #pushGroup(frame: Frame, js: string, consumed = 0): void {
    this.#pos += consumed;
    this.#stack.push(frame);
    this.out += js;
    this.#repeatable = false;
    this.#quantified = false;
    this.#atStart = false;
  }

  #closeGroup(): void {
    const frame = this.#stack.pop();
    if (!frame) this.fail(`unbalanced parenthesis at position ${this.#pos - 1}`);
    this.#dotAll = frame.dotAll;
    this.#multiline = frame.multiline;
    if (frame.capture > 0) this.#closed.add(frame.capture);
    this.#emitAtom(")");
    this.#afterLookaround = frame.look === true;
  }

  #namedGroup(frame: Frame, rest: string): void {
    const end = rest.indexOf(">");
    const name = end < 0 ? "" : rest.slice(2, end);
    if (!IDENT.test(name)) this.fail(`bad character in group name '${name}'`);
    if (this.#names.has(name)) this.fail(`redefinition of group name '${name}'`);
    frame.capture = ++this.#groups;
    this.#names.set(name, frame.capture);
    this.#pushGroup(frame, `(?<${name}>`, end + 1);
  }

  #namedBackref(rest: string): void {
    const end = rest.indexOf(")");
    const name = end < 0 ? "" : rest.slice(2, end);
    const group = this.#names.get(name);
    if (group === undefined) this.fail(`unknown group name '${name}'`);
    this.#pos += end + 1;
    this.#backref(group, `(?P=${name})`);
  }

  #comment(rest: string): void {
    const end = rest.indexOf(")");
    if (end < 0) this.fail("missing ), unterminated comment");
    this.#pos += end + 1;
  }

  #flagGroup(frame: Frame, rest: string): void {
    const m = /^([aiLmsux]*)(?:-([imsx]*))?([:)])/.exec(rest);
    if (!m || (m[1] === "" && m[2] === undefined)) {
      this.fail(`unknown extension ?${rest.slice(0, 1)} at position ${this.#pos - 2}`);
    }
    const [all, on, off = "", end] = m;
    if ((on + off).includes("x")) this.unsupported("verbose mode (?x)");
    if (on.includes("L")) this.fail("bad inline flags: cannot use 'L' flag with a str pattern");
    this.#pos += all.length;
    if (end === ")") return this.#globalFlags(on, off);
    if (on.includes("s")) this.#dotAll = true;
    if (off.includes("s")) this.#dotAll = false;
    if (on.includes("m")) this.#multiline = true;
    if (off.includes("m")) this.#multiline = false;
    const js = on.includes("i") ? "(?i:" : off.includes("i") ? "(?-i:" : "(?:";
    this.#stack.push(frame);
    this.out += js;
    this.#repeatable = false;
    this.#quantified = false;
    this.#atStart = false;
  }

  #globalFlags(on: string, off: string): void {
    if (off !== "") this.fail("missing : after inline flags with '-'");
    if (!this.#atStart) this.fail("global flags not at the start of the expression");
    if (on.includes("i")) this.ignoreCase = true;
    if (on.includes("s")) this.#dotAll = true;
    if (on.includes("m")) this.#multiline = true;
  }
}

function escapeLiteral(c: string): string {
  return JS_SPECIAL.includes(c) ? `\\${c}` : c;
}

function escapeClassLiteral(c: string): string {
  return c === "\\" || c === "]" || c === "[" ? `\\${c}` : c;
}

function codeUnitEscape(code: number): string {
  return code <= 0xff
    ? `\\x${code.toString(16).padStart(2, "0")}`
    : `\\u${code.toString(16).padStart(4, "0")}`;
}
