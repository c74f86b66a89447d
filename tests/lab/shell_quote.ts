/**
 * POSIX shell quoting for the lab: every word that crosses a shell (ssh remote commands,
 * generated wrapper scripts) goes through {@linkcode shellQuote}.
 *
 * @module
 */

const SAFE = /^[A-Za-z0-9_@%+=:,./-]+$/;

/**
 * Quotes one word so that a POSIX shell reads it back unchanged.
 *
 * @example
 * ```ts
 * shellQuote("it's"); // "'it'\\''s'"
 * ```
 */
export function shellQuote(word: string): string {
  if (word.length > 0 && SAFE.test(word)) return word;
  return "'" + word.replaceAll("'", "'\\''") + "'";
}

/**
 * Quotes every word and joins them with spaces, giving one shell command line.
 *
 * @example
 * ```ts
 * shellJoin(["zfs", "list", "-o", "name,guid"]); // "zfs list -o name,guid"
 * ```
 */
export function shellJoin(words: readonly string[]): string {
  return words.map(shellQuote).join(" ");
}
