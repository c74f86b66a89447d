/**
 * The fleet definition of a jobrunner run, parsed from its Python-literal option strings and
 * validated exactly as upstream does before any sub-job is generated (reference 1.3).
 *
 * @module
 */
import { validateHostName } from "../names/host.ts";
import { parsePythonLiteral, PyFloat, type PyValue } from "../plan/python_literal.ts";
import { FleetError } from "./fleet_error.ts";

/** `{org: {target: {period: count}}}`, in dict order. */
export type SnapshotPlan = ReadonlyMap<string, ReadonlyMap<string, ReadonlyMap<string, number>>>;

/** One alert dict of a monitor plan: `warning`, `critical`, `*cycles`, `oldest_skip_holds`. */
export type AlertDict = ReadonlyMap<string, string | number>;

/** `{org: {target: {period: alert_dict}}}`, in dict order. */
export type MonitorSnapshotPlan = ReadonlyMap<
  string,
  ReadonlyMap<string, ReadonlyMap<string, AlertDict>>
>;

/** The raw option strings a fleet is parsed from (the jobrunner's option values). */
export interface FleetOptions {
  /** `--src-hosts` (a list literal); `undefined` means it was read from stdin and is in `stdin`. */
  readonly srcHosts: string | undefined;
  /** `--dst-hosts`. */
  readonly dstHosts: string;
  /** `--retain-dst-targets`. */
  readonly retainDstTargets: string;
  /** `--dst-root-datasets`. */
  readonly dstRootDatasets: string;
  /** `--src-snapshot-plan`. */
  readonly srcSnapshotPlan: string;
  /** `--src-bookmark-plan`. */
  readonly srcBookmarkPlan: string;
  /** `--dst-snapshot-plan`. */
  readonly dstSnapshotPlan: string;
  /** `--monitor-snapshot-plan`. */
  readonly monitorSnapshotPlan: string;
  /** `--root-dataset-pairs` as flat words. */
  readonly rootDatasetPairs: readonly string[] | undefined;
}

/** A parsed, type-checked fleet (before host selection). */
export interface Fleet {
  /** Every configured source host, in order (duplicates kept, as upstream). */
  readonly srcHosts: readonly string[];
  /** Destination host -> targets it receives, in dict order. */
  readonly dstHosts: ReadonlyMap<string, readonly string[]>;
  /** Destination host -> targets it keeps when pruning. */
  readonly retainDstTargets: ReadonlyMap<string, readonly string[]>;
  /** Destination host -> root dataset prefix (may contain `^SRC_HOST`, `^DST_HOST`). */
  readonly dstRootDatasets: ReadonlyMap<string, string>;
  /** `--src-snapshot-plan`. */
  readonly srcSnapshotPlan: SnapshotPlan;
  /** `--src-bookmark-plan`. */
  readonly srcBookmarkPlan: SnapshotPlan;
  /** `--dst-snapshot-plan`. */
  readonly dstSnapshotPlan: SnapshotPlan;
  /** `--monitor-snapshot-plan`. */
  readonly monitorSnapshotPlan: MonitorSnapshotPlan;
  /** Source/destination dataset pairs, without hosts. */
  readonly rootDatasetPairs: readonly (readonly [string, string])[];
}

/**
 * Parses and type-checks the fleet options (validation rule 7 of the reference).
 *
 * @example
 * ```ts
 * import { parseFleet } from "./fleet.ts";
 * const fleet = parseFleet({
 *   srcHosts: "['src1']", dstHosts: "{'dstA': ['onsite']}", retainDstTargets: "{'dstA': ['onsite']}",
 *   dstRootDatasets: "{'dstA': 'bak'}", srcSnapshotPlan: "{}", srcBookmarkPlan: "{}",
 *   dstSnapshotPlan: "{'prod': {'onsite': {'daily': 7}}}", monitorSnapshotPlan: "{}",
 *   rootDatasetPairs: ["tank/data", "data"],
 * });
 * console.log(fleet.dstHosts.get("dstA")); // ["onsite"]
 * ```
 * @param options The option strings.
 * @param stdin The text read from stdin when `--src-hosts` is absent.
 * @returns The typed fleet.
 * @throws {FleetError} When a value has the wrong shape or a hostname is invalid.
 * @throws {UsageError} When a literal does not parse.
 */
export function parseFleet(options: FleetOptions, stdin?: string): Fleet {
  const srcText = options.srcHosts ?? stdin;
  if (srcText === undefined || srcText.trim() === "") {
    throw new FleetError(
      "Missing --src-hosts: give it, or pipe a list literal such as ['nas1'] into stdin",
    );
  }
  const words = options.rootDatasetPairs ?? [];
  if (words.length === 0) throw new FleetError("Missing --root-dataset-pairs");
  const pairs: (readonly [string, string])[] = [];
  for (let i = 0; i + 1 < words.length; i += 2) pairs.push([words[i], words[i + 1]]);
  return {
    srcHosts: hostList(parsePythonLiteral(srcText, "--src-hosts"), "--src-hosts"),
    dstHosts: targetsDict(options.dstHosts, "--dst-hosts"),
    retainDstTargets: targetsDict(options.retainDstTargets, "--retain-dst-targets"),
    dstRootDatasets: rootsDict(options.dstRootDatasets),
    srcSnapshotPlan: snapshotPlan(options.srcSnapshotPlan, "--src-snapshot-plan"),
    srcBookmarkPlan: snapshotPlan(options.srcBookmarkPlan, "--src-bookmark-plan"),
    dstSnapshotPlan: snapshotPlan(options.dstSnapshotPlan, "--dst-snapshot-plan"),
    monitorSnapshotPlan: monitorPlan(options.monitorSnapshotPlan),
    rootDatasetPairs: pairs,
  };
}

/** Python's type name of a parsed value, for messages like upstream's. */
function typeName(v: PyValue): string {
  if (v === null) return "NoneType";
  if (typeof v === "boolean") return "bool";
  if (typeof v === "number") return "int";
  if (typeof v === "string") return "str";
  if (v instanceof PyFloat) return "float";
  return Array.isArray(v) ? "list" : "dict";
}

function mustBe(v: PyValue, type: "str" | "int" | "list" | "dict", name: string): void {
  if (typeName(v) !== type) {
    throw new FleetError(`${name} must be of type ${type} but got ${typeName(v)}`);
  }
}

function entries(v: PyValue, name: string): [string, PyValue][] {
  mustBe(v, "dict", name);
  return [...(v as Map<unknown, PyValue>)].map(([k, value]) => {
    mustBe(k as PyValue, "str", `${name} key`);
    return [k as string, value];
  });
}

function nonEmptyString(v: PyValue, name: string): string {
  mustBe(v, "str", name);
  if (v === "") throw new FleetError(`${name} must not be empty!`);
  return v as string;
}

function hostName(v: PyValue, context: string): string {
  const host = nonEmptyString(v, `${context} hostname`);
  try {
    return validateHostName(host, context);
  } catch (e) {
    throw new FleetError((e as Error).message, { cause: e });
  }
}

function hostList(v: PyValue, context: string): string[] {
  mustBe(v, "list", context);
  return (v as PyValue[]).map((h) => hostName(h, context));
}

function targetsDict(text: string, context: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const [host, targets] of entries(parsePythonLiteral(text, context), context)) {
    hostName(host, context);
    mustBe(targets, "list", `${context} targets`);
    for (const t of targets as PyValue[]) mustBe(t, "str", `${context} target`);
    out.set(host, targets as string[]);
  }
  return out;
}

function rootsDict(text: string): Map<string, string> {
  const context = "--dst-root-datasets";
  const out = new Map<string, string>();
  for (const [host, root] of entries(parsePythonLiteral(text, context), context)) {
    hostName(host, context);
    mustBe(root, "str", `${context} root dataset`);
    out.set(host, root as string);
  }
  return out;
}

function snapshotPlan(text: string, context: string): SnapshotPlan {
  const plan = new Map<string, Map<string, Map<string, number>>>();
  for (const [org, targets] of entries(parsePythonLiteral(text, context), `${context} org`)) {
    const byTarget = new Map<string, Map<string, number>>();
    for (const [target, periods] of entries(targets, `${context} org/target`)) {
      const byPeriod = new Map<string, number>();
      for (const [period, amount] of entries(periods, `${context} org/target/period_unit`)) {
        nonEmptyString(period, `${context} org/target/period_unit`);
        mustBe(amount, "int", `${context} org/target/period_amount`);
        if ((amount as number) < 0) {
          throw new FleetError(
            `${context} org/target/period_amount must be a non-negative integer: ${amount}`,
          );
        }
        byPeriod.set(period, amount as number);
      }
      byTarget.set(target, byPeriod);
    }
    plan.set(org, byTarget);
  }
  return plan;
}

function monitorPlan(text: string): MonitorSnapshotPlan {
  const context = "--monitor-snapshot-plan";
  const plan = new Map<string, Map<string, Map<string, AlertDict>>>();
  for (const [org, targets] of entries(parsePythonLiteral(text, context), `${context} org`)) {
    const byTarget = new Map<string, Map<string, AlertDict>>();
    for (const [target, periods] of entries(targets, `${context} org/target`)) {
      const byPeriod = new Map<string, AlertDict>();
      for (const [period, alert] of entries(periods, `${context} org/target/period_unit`)) {
        nonEmptyString(period, `${context} org/target/period_unit`);
        const dict = new Map<string, string | number>();
        for (const [key, value] of entries(alert, `${context} org/target/alert_dict`)) {
          nonEmptyString(key, `${context} org/target/alert_dict/key`);
          const t = typeName(value);
          if (t !== "str" && t !== "int") {
            throw new FleetError(
              `${context} org/target/alert_dict/value must be of type str or int but got ${t}`,
            );
          }
          dict.set(key, value as string | number);
        }
        byPeriod.set(period, dict);
      }
      byTarget.set(target, byPeriod);
    }
    plan.set(org, byTarget);
  }
  return plan;
}
