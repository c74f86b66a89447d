/**
 * Validation of ZFS dataset, snapshot and bookmark names, plus the ancestry helpers used by the
 * "source and destination must not overlap" checks.
 *
 * Rules (stricter than ZFS where ZFS is lax about characters a shell cares about): a dataset name
 * starts with a letter (the pool), uses only ASCII letters, digits and `_ - : . /`, has no empty,
 * `.` or `..` component, no leading or trailing `/`, and is at most 255 bytes long
 * (`ZFS_MAX_DATASET_NAME_LEN` minus the NUL). Spaces, which ZFS itself would accept, are rejected
 * because every name ends up on a command line.
 *
 * @module
 */

import { UsageError } from "../errors.ts";
import { describeChar, findUnsafeChar } from "./_chars.ts";

/** Longest allowed dataset, snapshot or bookmark name in bytes (OpenZFS: 256 including NUL). */
export const ZFS_MAX_DATASET_NAME_LEN = 255;

const ALLOWED = "letters, digits and _ - : . /";
const VALID_CHAR = /^[A-Za-z0-9_.:/-]$/;
const VALID_TAG_CHAR = /^[A-Za-z0-9_.:-]$/;

/** The parts of a snapshot (`dataset@tag`) or bookmark (`dataset#tag`) name. */
export interface SnapshotNameParts {
  /** The dataset part, before `@` or `#`. */
  readonly dataset: string;
  /** The short name after the separator. */
  readonly tag: string;
  /** `snapshot` for `@`, `bookmark` for `#`. */
  readonly kind: "snapshot" | "bookmark";
}

/**
 * Checks that `name` is a valid, shell-safe ZFS dataset name (filesystem or volume).
 *
 * @example Accept and reject
 * ```ts
 * import { validateDatasetName } from "./dataset.ts";
 * validateDatasetName("tank/data", "SRC_DATASET"); // "tank/data"
 * // validateDatasetName("tank/data; rm -rf /", "SRC_DATASET") throws UsageError
 * ```
 * @param name The dataset name.
 * @param option The option or argument it came from, named in the error.
 * @returns The name, unchanged.
 * @throws {UsageError} If the name is empty, too long, unsafe or not a valid ZFS dataset name.
 */
export function validateDatasetName(name: string, option: string): string {
  const reason = datasetNameProblem(name);
  if (reason) {
    throw new UsageError("Invalid ZFS dataset name", { option, value: name, hint: reason });
  }
  return name;
}

/**
 * Checks a full snapshot (`dataset@tag`) or bookmark (`dataset#tag`) name and splits it.
 *
 * @example Split a snapshot name
 * ```ts
 * import { validateSnapshotName } from "./dataset.ts";
 * validateSnapshotName("tank/a@daily_1", "--x"); // { dataset: "tank/a", tag: "daily_1", kind: "snapshot" }
 * ```
 * @param fullName The full name including the dataset.
 * @param option The option or argument it came from, named in the error.
 * @returns The dataset, the tag and whether it is a snapshot or a bookmark.
 * @throws {UsageError} If the name is not exactly one valid dataset name, one `@` or `#`, and a
 * valid tag.
 */
export function validateSnapshotName(fullName: string, option: string): SnapshotNameParts {
  const fail = (hint: string): never => {
    throw new UsageError("Invalid ZFS snapshot or bookmark name", {
      option,
      value: fullName,
      hint,
    });
  };
  const i = fullName.search(/[@#]/);
  if (i < 0) return fail("Write it as DATASET@SNAPSHOT or DATASET#BOOKMARK");
  const dataset = fullName.slice(0, i);
  const tag = fullName.slice(i + 1);
  const kind = fullName[i] === "@" ? "snapshot" : "bookmark";
  const datasetProblem = datasetNameProblem(dataset, false);
  if (datasetProblem) fail(`In the dataset part: ${lowerFirst(datasetProblem)}`);
  const tagProblem = tagNameProblem(tag);
  if (tagProblem) fail(tagProblem);
  const bytes = utf8Length(fullName);
  if (bytes > ZFS_MAX_DATASET_NAME_LEN) {
    fail(`Use at most ${ZFS_MAX_DATASET_NAME_LEN} bytes in total (got ${bytes})`);
  }
  return { dataset, tag, kind };
}

/**
 * True if `dataset` is `ancestor` itself or lies below it in the dataset tree.
 *
 * @example
 * ```ts
 * import { isDescendantOrSame } from "./dataset.ts";
 * isDescendantOrSame("tank/a/b", "tank/a"); // true
 * isDescendantOrSame("tank/ab", "tank/a"); // false
 * ```
 * @param dataset The dataset that may be nested.
 * @param ancestor The possible ancestor.
 * @returns Whether `dataset` equals or is nested in `ancestor`.
 */
export function isDescendantOrSame(dataset: string, ancestor: string): boolean {
  return dataset === ancestor || dataset.startsWith(`${ancestor}/`);
}

/**
 * True if either dataset tree contains the other (the recursive "trees must not overlap" check).
 *
 * @example
 * ```ts
 * import { treesOverlap } from "./dataset.ts";
 * treesOverlap("tank/src", "tank/src/backup"); // true
 * treesOverlap("tank/src", "tank/src2"); // false
 * ```
 * @param a One root dataset.
 * @param b The other root dataset.
 * @returns Whether one is equal to or nested in the other.
 */
export function treesOverlap(a: string, b: string): boolean {
  return isDescendantOrSame(a, b) || isDescendantOrSame(b, a);
}

/** Returns why `name` is not a valid dataset name, or undefined if it is. */
function datasetNameProblem(name: string, checkLength = true): string | undefined {
  if (name === "") return "Give a non-empty dataset name such as tank/data";
  const bad = findUnsafeChar(name);
  if (bad === "@" || bad === "#") {
    return `Remove the snapshot or bookmark part (${
      describeChar(bad)
    }); a dataset name is expected`;
  }
  if (bad !== undefined) return `Remove the character ${describeChar(bad)}; use only ${ALLOWED}`;
  for (const c of name) {
    if (!VALID_CHAR.test(c)) return `Remove the character ${describeChar(c)}; use only ${ALLOWED}`;
  }
  if (!/^[A-Za-z]/.test(name)) return "Start the name with a letter (the pool name)";
  if (name.endsWith("/")) return "Remove the trailing '/'";
  const parts = name.split("/");
  if (parts.includes("")) return "Remove the empty path component ('//')";
  if (parts.some((p) => p === "." || p === "..")) return "Remove the '.' or '..' path component";
  const bytes = utf8Length(name);
  if (checkLength && bytes > ZFS_MAX_DATASET_NAME_LEN) {
    return `Use at most ${ZFS_MAX_DATASET_NAME_LEN} bytes (got ${bytes})`;
  }
  return undefined;
}

/** Returns why `tag` is not a valid snapshot or bookmark short name, or undefined if it is. */
function tagNameProblem(tag: string): string | undefined {
  if (tag === "") return "Give a non-empty name after '@' or '#'";
  const bad = findUnsafeChar(tag);
  if (bad !== undefined) {
    return `Remove the character ${describeChar(bad)} after the separator; use only letters, ` +
      "digits and _ - : .";
  }
  for (const c of tag) {
    if (!VALID_TAG_CHAR.test(c)) {
      return `Remove the character ${describeChar(c)} after the separator; use only letters, ` +
        "digits and _ - : .";
    }
  }
  if (tag === "." || tag === "..") return "Do not use '.' or '..' as a snapshot or bookmark name";
  return undefined;
}

function utf8Length(text: string): number {
  return new TextEncoder().encode(text).length;
}

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}
