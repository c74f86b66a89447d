/**
 * A printer for the Python literal syntax (what Python's `repr` prints for plain data), so the
 * plans the jobrunner hands to bzfs look exactly like upstream's: `{'prod': {'onsite':
 * {'hourly': 36}}}`: single quotes where possible, `: ` and `, ` separators, dict insertion
 * order kept, `True`/`False`/`None`.
 *
 * @module
 */
import { PyFloat } from "../plan/python_literal.ts";

/** A value {@linkcode pythonRepr} can print: the parsed literal types plus plain objects. */
export type ReprValue =
  | string
  | number
  | boolean
  | null
  | PyFloat
  | readonly ReprValue[]
  | ReadonlyMap<string | number | boolean | null, ReprValue>
  | { readonly [key: string]: ReprValue };

/**
 * Prints a value as Python's `repr` would.
 *
 * @example Print a plan
 * ```ts
 * import { pythonRepr } from "./python_repr.ts";
 * console.log(pythonRepr({ prod: { onsite: { hourly: 36, daily: 31 } } }));
 * // {'prod': {'onsite': {'hourly': 36, 'daily': 31}}}
 * ```
 * @param value The value (Maps and plain objects both print as dicts, in insertion order).
 * @returns The Python literal text.
 * @throws {RangeError} For numbers that are not finite.
 */
export function pythonRepr(value: ReprValue): string {
  if (value === null) return "None";
  if (typeof value === "boolean") return value ? "True" : "False";
  if (typeof value === "string") return pythonStringRepr(value);
  if (typeof value === "number") return intRepr(value);
  if (value instanceof PyFloat) return floatRepr(value.value);
  if (Array.isArray(value)) return `[${value.map((v) => pythonRepr(v)).join(", ")}]`;
  const entries = value instanceof Map
    ? [...value.entries()]
    : Object.entries(value as { readonly [key: string]: ReprValue });
  return `{${entries.map(([k, v]) => `${pythonRepr(k)}: ${pythonRepr(v)}`).join(", ")}}`;
}

/**
 * Python's `repr` of a string: single quotes unless the text contains `'` and no `"`.
 *
 * @example
 * ```ts
 * import { pythonStringRepr } from "./python_repr.ts";
 * console.log(pythonStringRepr("it's")); // "it's" (double quotes)
 * console.log(pythonStringRepr("a\tb")); // 'a\tb'
 * ```
 * @param s The string.
 * @returns The quoted literal.
 */
export function pythonStringRepr(s: string): string {
  const quote = s.includes("'") && !s.includes('"') ? '"' : "'";
  let out = quote;
  for (const ch of s) {
    const cp = ch.codePointAt(0) ?? 0;
    if (ch === "\\") out += "\\\\";
    else if (ch === quote) out += "\\" + quote;
    else if (ch === "\n") out += "\\n";
    else if (ch === "\r") out += "\\r";
    else if (ch === "\t") out += "\\t";
    else if (cp < 0x20 || cp === 0x7f) out += "\\x" + cp.toString(16).padStart(2, "0");
    else out += ch;
  }
  return out + quote;
}

function intRepr(n: number): string {
  if (!Number.isFinite(n)) throw new RangeError(`Cannot print ${n} as a Python literal`);
  return Number.isInteger(n) ? String(n) : floatRepr(n);
}

function floatRepr(n: number): string {
  if (Number.isNaN(n)) return "nan";
  if (!Number.isFinite(n)) return n > 0 ? "inf" : "-inf";
  const abs = Math.abs(n);
  if (abs !== 0 && (abs >= 1e16 || abs < 1e-4)) {
    return n.toExponential().replace(/e([+-])(\d)$/, "e$10$2");
  }
  return Number.isInteger(n) ? `${n}.0` : String(n);
}
