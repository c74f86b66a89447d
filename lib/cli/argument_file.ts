/**
 * `+FILE` arguments: a value starting with `+` names a file whose lines are the values
 * (upstream's rules: the basename must contain `bzfs_argument_file`, a final symlink is not
 * followed, `#` comment lines and blank lines are skipped, other lines are taken verbatim).
 *
 * @module
 */
import { UsageError } from "../errors.ts";

/** The marker every argument file's basename must contain. */
export const ARGUMENT_FILE_MARKER = "bzfs_argument_file";

/**
 * Reads the value lines of an argument file.
 *
 * @example
 * ```ts
 * import { readArgumentFile } from "./argument_file.ts";
 * const path = Deno.makeTempFileSync({ suffix: "_bzfs_argument_file" });
 * Deno.writeTextFileSync(path, "# comment\nfoo\n\nbar\n");
 * console.log(readArgumentFile(path, "--include-dataset")); // ["foo", "bar"]
 * ```
 * @param path The path after the `+`.
 * @param option The option (or argument) being read, for error messages.
 * @returns The non-comment, non-blank lines.
 * @throws {UsageError} When the name lacks the marker, the file is a symlink or cannot be read.
 */
export function readArgumentFile(path: string, option: string): string[] {
  const base = path.split("/").pop() ?? "";
  if (!base.includes(ARGUMENT_FILE_MARKER)) {
    throw new UsageError("Argument file name must contain bzfs_argument_file", {
      option,
      value: `+${path}`,
      hint: "Rename the file, e.g. to my_bzfs_argument_file.txt",
    });
  }
  let text: string;
  try {
    if (Deno.lstatSync(path).isSymlink) throw new Error("is a symbolic link");
    text = Deno.readTextFileSync(path);
  } catch (e) {
    throw new UsageError(`Cannot read argument file (${(e as Error).message})`, {
      option,
      value: `+${path}`,
      hint: "Check that the file exists, is readable and is not a symlink",
    });
  }
  return text.split(/\r\n|\r|\n/).filter((line) => line.trim() !== "" && !line.startsWith("#"));
}

/** A source/destination pair of dataset specs, as strings before validation. */
export interface RawDatasetPair {
  /** `[[user@]host:]dataset` of the source. */
  readonly src: string;
  /** `[[user@]host:]dataset` of the destination. */
  readonly dst: string;
}

/**
 * Expands the positional dataset arguments (literal values and `+FILE`s with tab-separated
 * pairs) and pairs them up.
 *
 * @example
 * ```ts
 * import { expandDatasetPairs } from "./argument_file.ts";
 * expandDatasetPairs(["tank/a", "backup/a"], { allowFiles: true }); // [{src: "tank/a", dst: "backup/a"}]
 * ```
 * @param values The positional values in order.
 * @param options `allowFiles: false` rejects `+FILE` values (`--no-argument-file`).
 * @returns The pairs.
 * @throws {UsageError} On an odd count, a bad file, or a file line without a tab.
 */
export function expandDatasetPairs(
  values: readonly string[],
  options: { allowFiles: boolean | ((index: number) => boolean) },
): RawDatasetPair[] {
  const flat: string[] = [];
  const option = "SRC_DATASET DST_DATASET";
  values.forEach((value, index) => {
    if (!value.startsWith("+")) return flat.push(value);
    const allowed = typeof options.allowFiles === "function"
      ? options.allowFiles(index)
      : options.allowFiles;
    if (!allowed) {
      throw new UsageError("Argument file inclusion is disabled", {
        option,
        value,
        hint: "Remove --no-argument-file or pass the datasets literally",
      });
    }
    readArgumentFile(value.slice(1), option).forEach((line, i) => {
      const tab = line.indexOf("\t");
      const src = tab < 0 ? "" : line.slice(0, tab);
      const dst = tab < 0 ? "" : line.slice(tab + 1);
      if (src.trim() === "" || dst.trim() === "") {
        throw new UsageError(`Line ${i} of the argument file must be SRC<TAB>DST`, {
          option,
          value: line,
          hint: "Separate source and destination with one tab character",
        });
      }
      flat.push(src, dst);
    });
  });
  if (flat.length % 2 !== 0) {
    throw new UsageError("Source and destination datasets must be given in pairs", {
      option,
      value: flat.join(" "),
      hint: "Give an even number of datasets: SRC DST [SRC DST ...]",
    });
  }
  const pairs: RawDatasetPair[] = [];
  for (let i = 0; i < flat.length; i += 2) pairs.push({ src: flat[i], dst: flat[i + 1] });
  return pairs;
}
