/**
 * POSIX shell quoting, so that every rendered command is copy-pasteable into `sh` and safe for
 * any input (spaces, quotes, `$`, backticks, newlines, leading dashes are all just bytes).
 *
 * @module
 */

/**
 * Characters that never need quoting in any POSIX shell context (`=` not first, because zsh
 * expands a leading `=cmd` to a path).
 */
const SAFE_WORD = /^[A-Za-z0-9_@%+:,./-][A-Za-z0-9_@%+=:,./-]*$/;

/**
 * Quotes one word for a POSIX shell. Words made only of safe characters are returned as they
 * are; anything else is wrapped in single quotes, with each `'` written as `'"'"'`.
 *
 * @example Quote a snapshot name with a space and a quote
 * ```ts
 * import { shellQuote } from "./quote.ts";
 * shellQuote("tank/a@s1"); // "tank/a@s1"
 * shellQuote("it's here"); // "'it'\"'\"'s here'"
 * shellQuote(""); // "''"
 * ```
 * @param word Any string, including the empty string.
 * @returns The word as one shell token.
 */
export function shellQuote(word: string): string {
  if (SAFE_WORD.test(word)) return word;
  return `'${word.replaceAll("'", `'"'"'`)}'`;
}

/**
 * Quotes every word of an argv and joins them with single spaces, giving one line of shell.
 *
 * @example Render an argv
 * ```ts
 * import { shellJoin } from "./quote.ts";
 * shellJoin(["zfs", "list", "-o", "name", "tank/my data"]); // "zfs list -o name 'tank/my data'"
 * ```
 * @param argv The words.
 * @returns The shell text that the shell would split back into exactly `argv`.
 */
export function shellJoin(argv: readonly string[]): string {
  return argv.map(shellQuote).join(" ");
}

/**
 * Quotes one word with double quotes, escaping backslash, `"`, `$` and backquote. Used for the
 * script of a remote `sh -c "..."`, so that the whole remote command can then be single-quoted
 * for ssh without the quotes multiplying.
 *
 * @example
 * ```ts
 * import { shellQuoteDouble } from "./quote.ts";
 * console.log(shellQuoteDouble("zfs send a@b | zstd -c")); // "zfs send a@b | zstd -c"
 * console.log(shellQuoteDouble("echo $HOME")); // "echo \$HOME"
 * ```
 * @param word Any string.
 * @returns The word as one double-quoted shell token.
 */
export function shellQuoteDouble(word: string): string {
  return `"${word.replace(/[\\"$`]/g, (c) => `\\${c}`)}"`;
}
