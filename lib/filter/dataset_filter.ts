/**
 * Dataset selection by `--include-dataset[-regex]` / `--exclude-dataset[-regex]`, with upstream's
 * rules: regexes match the path relative to the root dataset (the root itself is `""`), every
 * regex also matches the descendants of what it matches (suffix `(?:/.*)?`, except a bare `.*`),
 * a trailing `$` is dropped, a trailing `\$` is kept, any other `$` is an error, `!` negates,
 * excludes win, an empty include list means `.*`, and unless `--exclude-dataset-regex` is given
 * tmp/temp-like datasets are excluded by default.
 *
 * @module
 */

import { UsageError } from "../errors.ts";
import { isDescendantOrSame } from "../names/dataset.ts";
import { compileNameMatcher, isIncluded, type NameMatcher } from "./name_matcher.ts";
import { pythonReEscape } from "./python_regex.ts";

/** Default `--exclude-dataset-regex`: any path component like `tmp`, `temp`, `TMP`, `Temp_3`, `tmp-12`. */
export const EXCLUDE_DATASET_REGEXES_DEFAULT = "(?:.*/)?[Tt][Ee]?[Mm][Pp][-_]?[0-9]*";

/** JavaScript form of upstream's descendants suffix `(?:/.*)?`. */
const DESCENDANTS_SUFFIX = "(?:\\/[^\\n]*)?";

/** The dataset options as given on the command line. */
export interface DatasetFilterSpec {
  /** `--include-dataset-regex` values. @default [] */
  includeRegexes?: readonly string[];
  /** `--exclude-dataset-regex` values; empty or absent means the tmp default. @default [] */
  excludeRegexes?: readonly string[];
  /** `--include-dataset` names (relative, or absolute with a leading `/`). @default [] */
  includeDatasets?: readonly string[];
  /** `--exclude-dataset` names. @default [] */
  excludeDatasets?: readonly string[];
}

/** The root datasets of one SRC/DST pair (absolute names are resolved against them). */
export interface RootPair {
  /** Source root dataset. */
  src: string;
  /** Destination root dataset. */
  dst: string;
}

/** Compiled include and exclude matchers for one root pair. */
export interface DatasetFilter {
  /** Include matchers (never empty). */
  readonly includes: readonly NameMatcher[];
  /** Exclude matchers. */
  readonly excludes: readonly NameMatcher[];
}

/** Options of {@linkcode filterDatasets}. */
export interface FilterDatasetsOptions {
  /** The compiled filter from {@linkcode buildDatasetFilter}. */
  filter: DatasetFilter;
  /** `--skip-parent`: drop the first (root) dataset. @default false */
  skipParent?: boolean;
}

/**
 * Converts `--include-dataset` / `--exclude-dataset` names to regexes (upstream's
 * `dataset_regexes`): relative names are escaped as literals; absolute names (leading `/`) are
 * made relative to the src root, else to the dst root, else ignored; trailing `/` is removed and
 * an empty name becomes `.*`.
 *
 * @example
 * ```ts
 * import { datasetNamesToRegexes } from "./dataset_filter.ts";
 * datasetNamesToRegexes(["foo", "bar/", "/tank/src/a", "/tank/dst/b", "/ignored", ""], {
 *   src: "tank/src",
 *   dst: "tank/dst",
 * }); // ["foo", "bar", "a", "b", ".*"]
 * ```
 * @param names The names as typed.
 * @param roots The src and dst root datasets.
 * @returns One regex per name that applies.
 */
export function datasetNamesToRegexes(names: readonly string[], roots: RootPair): string[] {
  const out: string[] = [];
  for (const name of names) {
    let ds = name;
    if (ds.startsWith("/")) {
      ds = ds.slice(1);
      if (isDescendantOrSame(ds, roots.src)) ds = ds.slice(roots.src.length);
      else if (isDescendantOrSame(ds, roots.dst)) ds = ds.slice(roots.dst.length);
      else continue;
      if (ds.startsWith("/")) ds = ds.slice(1);
    }
    if (ds.endsWith("/")) ds = ds.slice(0, -1);
    out.push(ds ? pythonReEscape(ds) : ".*");
  }
  return out;
}

/**
 * Compiles dataset regexes: `$` handling, then `!`, then the descendants suffix.
 *
 * @example
 * ```ts
 * import { compileDatasetRegexes } from "./dataset_filter.ts";
 * import { matchesName } from "./name_matcher.ts";
 * const [m] = compileDatasetRegexes(["foo$"], "--include-dataset-regex");
 * matchesName(m, "foo/bar"); // true
 * ```
 * @param regexes Regexes in Python syntax.
 * @param option The option they came from, named in errors.
 * @returns The compiled matchers.
 * @throws {UsageError} On a non-trailing `$` or an invalid regex.
 */
export function compileDatasetRegexes(regexes: readonly string[], option: string): NameMatcher[] {
  return regexes.map((raw) => {
    let regex = raw;
    if (regex.endsWith("\\$")) {
      // a trailing literal '$' is fine
    } else if (regex.endsWith("$")) {
      regex = regex.slice(0, -1);
    } else if (regex.includes("$")) {
      throw new UsageError("Must not use non-trailing '$' character", {
        option,
        value: raw,
        hint: "Remove the '$'; dataset regexes always match the whole relative name",
      });
    }
    return compileNameMatcher(regex, option, { suffix: DESCENDANTS_SUFFIX });
  });
}

/**
 * Combines all dataset options into compiled include/exclude lists for one root pair.
 *
 * @example
 * ```ts
 * import { buildDatasetFilter } from "./dataset_filter.ts";
 * const f = buildDatasetFilter({ excludeDatasets: ["/tank/src/private"] }, { src: "tank/src", dst: "tank/dst" });
 * console.log(f.excludes.length); // 2 (the tmp default and "private")
 * ```
 * @param spec The option values.
 * @param roots The src and dst root datasets of this pair.
 * @returns The compiled filter.
 * @throws {UsageError} If any regex is invalid.
 */
export function buildDatasetFilter(spec: DatasetFilterSpec, roots: RootPair): DatasetFilter {
  const given = spec.excludeRegexes ?? [];
  const excludeRegexes = given.length === 0
    ? [EXCLUDE_DATASET_REGEXES_DEFAULT]
    : given.filter((r) => r !== "" && r !== "!.*");
  const excludes = [
    ...compileDatasetRegexes(excludeRegexes, "--exclude-dataset-regex"),
    ...compileDatasetRegexes(
      datasetNamesToRegexes(spec.excludeDatasets ?? [], roots),
      "--exclude-dataset",
    ),
  ];
  let includes = [
    ...compileDatasetRegexes(spec.includeRegexes ?? [], "--include-dataset-regex"),
    ...compileDatasetRegexes(
      datasetNamesToRegexes(spec.includeDatasets ?? [], roots),
      "--include-dataset",
    ),
  ];
  if (includes.length === 0) includes = compileDatasetRegexes([".*"], "--include-dataset-regex");
  return { includes, excludes };
}

/**
 * Selects datasets from a sorted `zfs list -r` of one root, keeping the sorted order.
 *
 * @example
 * ```ts
 * import { buildDatasetFilter, filterDatasets } from "./dataset_filter.ts";
 * const filter = buildDatasetFilter({}, { src: "tank/src", dst: "tank/dst" });
 * filterDatasets(["tank/src", "tank/src/a", "tank/src/tmp", "tank/src/tmp/x"], "tank/src", { filter });
 * // ["tank/src", "tank/src/a"]
 * ```
 * @param sortedNames Dataset names under `root`, sorted, root first.
 * @param root The root dataset the names are relative to.
 * @param options The compiled filter and `--skip-parent`.
 * @returns The selected names.
 */
export function filterDatasets(
  sortedNames: readonly string[],
  root: string,
  options: FilterDatasetsOptions,
): string[] {
  return sortedNames.filter((name, i) => {
    if (i === 0 && options.skipParent) return false;
    let rel = name.slice(root.length);
    if (rel.startsWith("/")) rel = rel.slice(1);
    return isIncluded(rel, options.filter);
  });
}
