/**
 * Errors raised while talking to zfs: output that cannot be parsed, and the test for "the
 * dataset is simply not there".
 *
 * @module
 */
import { BzfsError } from "../errors.ts";

/**
 * zfs or zpool printed something that does not have the expected shape. Exit status 3.
 *
 * @example
 * ```ts
 * import { ZfsParseError } from "./errors.ts";
 * throw new ZfsParseError("Unexpected zfs list line", "garbage");
 * ```
 */
export class ZfsParseError extends BzfsError {
  /** The offending line or text. */
  readonly text: string;
  /**
   * Creates the instance.
   *
   * @param message What was expected.
   * @param text The offending text.
   */
  constructor(message: string, text: string) {
    super(`${message}: ${JSON.stringify(text.length > 200 ? `${text.slice(0, 200)}...` : text)}`);
    this.text = text;
  }
}

const ABSENT =
  /(dataset|pool|bookmark|snapshot) does not exist|no such (pool|dataset)|could not find any snapshots/i;

/**
 * Whether a zfs error message says the object is absent (then listings return "absent"
 * instead of failing, as upstream's "try" helpers do).
 *
 * @example
 * ```ts
 * import { isAbsentMessage } from "./errors.ts";
 * isAbsentMessage("cannot open 'tank/x': dataset does not exist"); // true
 * isAbsentMessage("permission denied"); // false
 * ```
 * @param stderr The command's standard error.
 * @returns True when the dataset, pool, snapshot or bookmark does not exist.
 */
export function isAbsentMessage(stderr: string): boolean {
  return ABSENT.test(stderr);
}
