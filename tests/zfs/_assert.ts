/**
 * Small assertions shared by the real-ZFS test files.
 *
 * @module
 */
import assert from "node:assert/strict";
import type { Lab } from "../lab/helpers.ts";

/** Asserts that a command run succeeded, showing its output when it did not. */
export function ok(r: { code: number; stdout: string; stderr: string }, what: string): void {
  assert.equal(r.code, 0, `${what} failed:\n${r.stderr}\n${r.stdout}`);
}

/** One property of a dataset in the lab: its value (parsable form) and source. */
export async function prop(
  l: Lab,
  ds: string,
  name: string,
): Promise<{ value: string; source: string }> {
  const out = await l.zfs("get", "-Hp", "-o", "value,source", name, ds);
  const [value, source] = out.trim().split("\t");
  return { value, source };
}
