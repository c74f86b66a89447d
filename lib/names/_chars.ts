/**
 * Character classes shared by the name validators. Private to `lib/names`.
 *
 * @module
 */

/**
 * Shell metacharacters that must never appear in a name that ends up on a command line (local or
 * over ssh). A superset of upstream's `SHELL_CHARS`; `- _ . : /` are deliberately absent.
 */
export const SHELL_CHARS = "\"'`~!@#$%^&*()+={}[]|;<>?,\\";

/**
 * Returns the first character of `text` that is a shell metacharacter, whitespace or a control
 * character (C0, DEL, C1, and Unicode line/paragraph separators), or undefined if there is none.
 *
 * @example
 * ```ts
 * import { findUnsafeChar } from "./_chars.ts";
 * findUnsafeChar("tank; rm -rf /"); // ";"
 * ```
 */
export function findUnsafeChar(text: string, extra = ""): string | undefined {
  for (const c of text) {
    if (isControlOrSpace(c) || SHELL_CHARS.includes(c) || extra.includes(c)) return c;
  }
  return undefined;
}

/** True for whitespace (any Unicode space) and control characters. */
export function isControlOrSpace(c: string): boolean {
  const cp = c.codePointAt(0) ?? 0;
  return cp < 0x20 || (cp >= 0x7f && cp <= 0x9f) || /\s/u.test(c) || cp === 0x2028 ||
    cp === 0x2029 || cp === 0xfeff || cp === 0x200b;
}

/**
 * Describes a character for an error message: printable ones in quotes, others as `U+XXXX`.
 *
 * @example
 * ```ts
 * import { describeChar } from "./_chars.ts";
 * describeChar("\n"); // "U+000A (newline)"
 * ```
 */
export function describeChar(c: string): string {
  const cp = c.codePointAt(0) ?? 0;
  const hex = `U+${cp.toString(16).toUpperCase().padStart(4, "0")}`;
  if (c === "\n") return `${hex} (newline)`;
  if (c === "\t") return `${hex} (tab)`;
  if (c === " ") return `${hex} (space)`;
  if (cp === 0) return `${hex} (NUL)`;
  return isControlOrSpace(c) ? hex : `'${c}'`;
}
