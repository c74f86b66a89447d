/**
 * Validation of ssh host and user names. Both end up on an ssh command line, so anything a shell
 * or ssh could interpret (metacharacters, whitespace, control characters, a leading `-` that ssh
 * would read as an option, `..`, `/`) is rejected. An empty value means "local" and is accepted.
 *
 * @module
 */

import { UsageError } from "../errors.ts";
import { describeChar, findUnsafeChar } from "./_chars.ts";

/**
 * Checks an ssh host name or IPv4/IPv6 address (IPv6 already written with `:`).
 *
 * @example
 * ```ts
 * import { validateHostName } from "./host.ts";
 * validateHostName("backup.example.com", "--ssh-dst-host"); // "backup.example.com"
 * validateHostName("fe80::1", "--ssh-dst-host"); // "fe80::1"
 * // validateHostName("-oProxyCommand=x", "--ssh-dst-host") throws UsageError
 * ```
 * @param host The host; empty means the local host.
 * @param option The option or argument it came from, named in the error.
 * @returns The host, unchanged.
 * @throws {UsageError} If the host starts with `-`, contains `..`, `/`, whitespace, control or
 * shell characters.
 */
export function validateHostName(host: string, option: string): string {
  const problem = nameProblem(host, "/");
  if (problem) throw new UsageError("Invalid host name", { option, value: host, hint: problem });
  return host;
}

/**
 * Checks an ssh user name.
 *
 * @example
 * ```ts
 * import { validateUserName } from "./host.ts";
 * validateUserName("root", "--ssh-src-user"); // "root"
 * // validateUserName("$(reboot)", "--ssh-src-user") throws UsageError
 * ```
 * @param user The user; empty means "as configured for ssh".
 * @param option The option or argument it came from, named in the error.
 * @returns The user, unchanged.
 * @throws {UsageError} If the user starts with `-`, contains `..`, `/`, `:`, whitespace, control
 * or shell characters.
 */
export function validateUserName(user: string, option: string): string {
  const problem = nameProblem(user, "/:");
  if (problem) throw new UsageError("Invalid user name", { option, value: user, hint: problem });
  return user;
}

function nameProblem(name: string, extraBad: string): string | undefined {
  if (name === "") return undefined;
  const bad = findUnsafeChar(name, extraBad);
  if (bad !== undefined) {
    return `Remove the character ${describeChar(bad)}; whitespace, control and shell characters ` +
      "are not allowed";
  }
  if (name.startsWith("-")) return "Remove the leading '-'; ssh would read it as an option";
  if (name.includes("..")) return "Remove the '..'";
  return undefined;
}
