/**
 * The shape of one row of an option table (see `bzfs_options.ts`), mirroring the columns of
 * upstream's parser: option strings, argument form, nargs, default, choices, kind, visibility.
 *
 * @module
 */

/** Upstream's argparse action class of an option; decides how its values are converted. */
export type OptionKind =
  | "DatasetPairs"
  | "StoreTrue"
  | "FileOrLiteral"
  | "NonEmptyString"
  | "TimeRangeAndRankRange"
  | "IncludeSnapshotPlan"
  | "NewSnapshotFilterGroup"
  | "Store"
  | "Append"
  | "CheckRange"
  | "CheckPercentRange"
  | "SSHConfigFileName"
  | "Count"
  | "SafeDirectoryName"
  | "SafeFileName"
  | "DeleteDstSnapshotsExceptPlan"
  | "Version"
  | "RejectArgument";

/** A number that may be a percentage of CPU cores, e.g. `--threads 75%`. */
export interface PercentValue {
  /** The number as given. */
  readonly value: number;
  /** True when given with a `%` suffix. */
  readonly percent: boolean;
}

/** The default value of an option, as a JavaScript value. */
export type OptionDefault = boolean | number | string | readonly string[] | PercentValue;

/**
 * One option of a command.
 *
 * @example
 * ```ts
 * import type { OptionSpec } from "./option_spec.ts";
 * const recursive: OptionSpec = {
 *   flags: ["--recursive", "-r"], group: "options", kind: "StoreTrue", nargs: "0", default: false,
 *   help: "Also process all descendants of each root dataset",
 * };
 * ```
 */
export interface OptionSpec {
  /** Option strings, the canonical long one first; `root_dataset_pairs` for the positional. */
  readonly flags: readonly string[];
  /** Help group heading, as in upstream (`options`, `Daily Period Anchors`, `zfs-recv-o` ...). */
  readonly group: string;
  /** How values are converted and checked. */
  readonly kind: OptionKind;
  /** Argument placeholder in help, e.g. `INT`, `REGEX`. */
  readonly metavar?: string;
  /** How many values one occurrence takes: `0`, `1`, `?`, `+` or `*`. */
  readonly nargs: "0" | "1" | "?" | "+" | "*";
  /** Value when the option is absent. */
  readonly default?: OptionDefault;
  /** Allowed values. */
  readonly choices?: readonly string[];
  /** True when upstream marks the option as repeatable (append/count). */
  readonly repeatable?: boolean;
  /** True when upstream hides the option from `--help`. */
  readonly hidden?: boolean;
  /** Inclusive lower bound of a numeric option. */
  readonly min?: number;
  /** Inclusive upper bound of a numeric option. */
  readonly max?: number;
  /** Numeric type of the value. */
  readonly type?: "int" | "float" | "percent";
  /** One-line help text. */
  readonly help: string;
}

/**
 * The attribute name of an option, as commander derives it (`--include-dataset` ->
 * `includeDataset`, `--daily_hour` -> `daily_hour`).
 *
 * @example
 * ```ts
 * import { attributeName } from "./option_spec.ts";
 * attributeName("--include-dataset"); // "includeDataset"
 * ```
 * @param flag A long option string.
 * @returns The camel-cased attribute name.
 */
export function attributeName(flag: string): string {
  return flag.replace(/^--?/, "").replace(/-([a-z0-9])/g, (_m, c: string) => c.toUpperCase());
}
