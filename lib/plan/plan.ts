/**
 * Retention plans `{ORG: {TARGET: {PERIOD: COUNT}}}` (`--include-snapshot-plan`,
 * `--delete-dst-snapshots-except-plan`, `--create-src-snapshots-plan`) parsed into a flat list
 * of entries in dict order.
 *
 * @module
 */

import { UsageError } from "../errors.ts";
import { parsePythonLiteral, type PyDict, PyFloat, type PyValue } from "./python_literal.ts";

/** One (org, target, period) of a plan with its count. */
export interface PlanEntry {
  /** Snapshot name prefix without the `_` (e.g. `prod`). */
  readonly org: string;
  /** Snapshot name infix without the `_`; may be empty (no infix). */
  readonly target: string;
  /** Period label, e.g. `hourly`, `10minutely`, `adhoc`. */
  readonly period: string;
  /** How many to keep (0 = none). */
  readonly count: number;
}

/**
 * Parses a plan dict string.
 *
 * @example
 * ```ts
 * import { parsePlan } from "./plan.ts";
 * parsePlan("{'prod': {'onsite': {'hourly': 36, 'daily': 31}}}", "--include-snapshot-plan");
 * // [{ org: "prod", target: "onsite", period: "hourly", count: 36 },
 * //  { org: "prod", target: "onsite", period: "daily", count: 31 }]
 * ```
 * @param dictString The plan as typed (Python literal syntax).
 * @param option The option it came from, named in errors.
 * @returns The entries in dict order (possibly empty).
 * @throws {UsageError} If the text is not a dict of dicts of dicts of non-negative integers.
 */
export function parsePlan(dictString: string, option: string): PlanEntry[] {
  const root = parsePythonLiteral(dictString, option);
  const entries: PlanEntry[] = [];
  const ctx = { option, text: dictString };
  for (const [org, targets] of dictEntries(root, { ...ctx, where: "the plan" })) {
    for (const [target, periods] of dictEntries(targets, { ...ctx, where: `org '${org}'` })) {
      const where = `target '${target}' of org '${org}'`;
      for (const [period, count] of dictEntries(periods, { ...ctx, where })) {
        if (typeof count !== "number" || count < 0) {
          throw new UsageError("Period amount must be a non-negative integer", {
            option,
            value: describePyValue(count),
            hint: `Fix '${period}' in ${where}, e.g. 'daily': 7`,
          });
        }
        entries.push({ org, target, period, count });
      }
    }
  }
  return entries;
}

/**
 * The `[key, value]` pairs of a dict level whose keys must be strings.
 *
 * @example
 * ```ts
 * import { dictEntries } from "./plan.ts";
 * dictEntries(new Map([["a", 1]]), { option: "--x", text: "{'a': 1}", where: "the plan" });
 * // [["a", 1]]
 * ```
 * @param value The parsed level.
 * @param context The option and whole dict string (named in errors) and which level this is.
 * @returns The entries in order.
 * @throws {UsageError} If the level is not a dict or has non-string keys.
 */
export function dictEntries(value: PyValue, context: DictContext): [string, PyValue][] {
  const { option, text, where } = context;
  if (!(value instanceof Map)) {
    throw new UsageError(`Expected a dict for ${where}`, {
      option,
      value: text,
      hint: 'Write {ORG: {TARGET: {PERIOD: COUNT}}}, e.g. {"prod": {"onsite": {"daily": 7}}}',
    });
  }
  return [...(value as PyDict)].map(([k, v]) => {
    if (typeof k !== "string") {
      throw new UsageError(`Keys must be strings in ${where}`, {
        option,
        value: text,
        hint: `Quote the key ${describePyValue(k)}`,
      });
    }
    return [k, v];
  });
}

/** Where a dict level sits, for error messages. */
export interface DictContext {
  /** The option, named in errors. */
  option: string;
  /** The whole dict string, shown in errors. */
  text: string;
  /** Which level this is, e.g. `org 'prod'`. */
  where: string;
}

/**
 * Renders a parsed value roughly as Python would print it.
 *
 * @example
 * ```ts
 * import { describePyValue } from "./plan.ts";
 * describePyValue(true); // "True"
 * ```
 * @param v The value.
 * @returns A short text.
 */
export function describePyValue(v: PyValue): string {
  if (v instanceof PyFloat) return String(v.value);
  if (v instanceof Map) return "{...}";
  if (Array.isArray(v)) return "[...]";
  if (v === null) return "None";
  if (typeof v === "boolean") return v ? "True" : "False";
  return typeof v === "string" ? `'${v}'` : String(v);
}
