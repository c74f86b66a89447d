/**
 * Converters for single option values, one per upstream action kind. Each throws a
 * {@linkcode UsageError} naming the option and the value.
 *
 * @module
 */
import { UsageError } from "../errors.ts";
import type { OptionSpec, PercentValue } from "./option_spec.ts";

const SHELL_SPECIAL = /[\s;|&$`'"<>(){}[\]*?!~\\#]/;

function rangeHint(spec: OptionSpec): string {
  const lo = spec.min ?? "-inf";
  const hi = spec.max ?? "inf";
  return `Valid range: [${lo}, ${hi}]`;
}

function checkRange(spec: OptionSpec, n: number, raw: string): number {
  if ((spec.min !== undefined && n < spec.min) || (spec.max !== undefined && n > spec.max)) {
    throw new UsageError("Value out of range", {
      option: spec.flags[0],
      value: raw,
      hint: rangeHint(spec),
    });
  }
  return n;
}

/**
 * Parses a number option (`CheckRange`): an integer or float within the spec's bounds.
 *
 * @example
 * ```ts
 * import { parseNumber } from "./value_parsers.ts";
 * parseNumber({ flags: ["--retries"], group: "options", kind: "CheckRange", nargs: "1", type: "int", min: 0, help: "" }, "3"); // 3
 * ```
 * @param spec The option.
 * @param raw The value as typed.
 * @returns The number.
 * @throws {UsageError} When not a number of the right type or out of range.
 */
export function parseNumber(spec: OptionSpec, raw: string): number {
  const text = raw.trim();
  const isInt = spec.type !== "float";
  const ok = isInt ? /^[+-]?\d+$/.test(text) : /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text);
  if (!ok) {
    throw new UsageError(`Invalid ${isInt ? "integer" : "number"}`, {
      option: spec.flags[0],
      value: raw,
      hint: isInt ? "Give a whole number, e.g. 2" : "Give a number, e.g. 0.5",
    });
  }
  return checkRange(spec, Number(text), raw);
}

/**
 * Parses `INT[%]` (`CheckPercentRange`), e.g. `4` or `75%`.
 *
 * @example
 * ```ts
 * import { parsePercent } from "./value_parsers.ts";
 * parsePercent({ flags: ["--threads"], group: "options", kind: "CheckPercentRange", nargs: "1", min: 1, max: 1600, help: "" }, "75%");
 * // { value: 75, percent: true }
 * ```
 * @param spec The option.
 * @param raw The value as typed.
 * @returns The number and whether it is a percentage.
 * @throws {UsageError} When malformed or out of range.
 */
export function parsePercent(spec: OptionSpec, raw: string): PercentValue {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(%?)\s*$/.exec(raw);
  if (!m) {
    throw new UsageError("Invalid number or percentage", {
      option: spec.flags[0],
      value: raw,
      hint: "Give a number like 4 or a percentage of CPU cores like 75%",
    });
  }
  return { value: checkRange(spec, Number(m[1]), raw), percent: m[2] === "%" };
}

/**
 * Parses a `NonEmptyString`: stripped, must not be empty.
 *
 * @example
 * ```ts
 * import { parseNonEmpty } from "./value_parsers.ts";
 * parseNonEmpty("--bwlimit", " 100m "); // "100m"
 * ```
 * @param option The option name.
 * @param raw The value as typed.
 * @returns The stripped value.
 * @throws {UsageError} When empty after stripping.
 */
export function parseNonEmpty(option: string, raw: string): string {
  const text = raw.trim();
  if (text === "") {
    throw new UsageError("Value must not be empty", { option, value: raw });
  }
  return text;
}

/**
 * Parses a `SafeFileName` (log file prefix/infix/suffix): no `..`, `/`, `\` and no whitespace
 * other than a plain space.
 *
 * @example
 * ```ts
 * import { parseSafeFileName } from "./value_parsers.ts";
 * parseSafeFileName("--log-file-prefix", "zrun_us-west_"); // "zrun_us-west_"
 * ```
 * @param option The option name.
 * @param raw The value.
 * @returns The value unchanged.
 * @throws {UsageError} When unsafe.
 */
export function parseSafeFileName(option: string, raw: string): string {
  if (raw.includes("..") || /[/\\]/.test(raw) || /[^\S ]/.test(raw)) {
    throw new UsageError("Invalid file name part", {
      option,
      value: raw,
      hint: "Do not use '..', '/', '\\' or whitespace other than a plain space",
    });
  }
  return raw;
}

/**
 * Parses a `SafeDirectoryName` (`--log-dir`): stripped, not empty, no whitespace other than a
 * plain space.
 *
 * @example
 * ```ts
 * import { parseSafeDirectory } from "./value_parsers.ts";
 * parseSafeDirectory("--log-dir", "/var/log/bzfs-logs"); // "/var/log/bzfs-logs"
 * ```
 * @param option The option name.
 * @param raw The value.
 * @returns The stripped value.
 * @throws {UsageError} When empty or containing tabs/newlines.
 */
export function parseSafeDirectory(option: string, raw: string): string {
  const text = raw.trim();
  if (text === "" || /[^\S ]/.test(text)) {
    throw new UsageError("Invalid directory name", {
      option,
      value: raw,
      hint: "Give a non-empty path without tabs or newlines",
    });
  }
  return text;
}

/**
 * Parses an `SSHConfigFileName`: stripped, not empty, no whitespace or shell special characters.
 * (The `bzfs_ssh_config` basename rule is checked later, with the other semantic checks.)
 *
 * @example
 * ```ts
 * import { parseSshConfigFile } from "./value_parsers.ts";
 * parseSshConfigFile("--ssh-src-config-file", "/etc/bzfs_ssh_config"); // "/etc/bzfs_ssh_config"
 * ```
 * @param option The option name.
 * @param raw The value.
 * @returns The stripped value.
 * @throws {UsageError} When empty or unsafe.
 */
export function parseSshConfigFile(option: string, raw: string): string {
  const text = raw.trim();
  if (text === "" || SHELL_SPECIAL.test(text)) {
    throw new UsageError("Invalid ssh config file name", {
      option,
      value: raw,
      hint: "Give a path without whitespace or shell special characters",
    });
  }
  return text;
}
