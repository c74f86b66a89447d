/**
 * Validation of ZFS property names (native and user properties such as `com.example:backup`).
 *
 * @module
 */

import { UsageError } from "../errors.ts";

const PROPERTY_NAME = /^[a-z0-9_.:-]+$/;

/**
 * Checks a ZFS property name: lowercase letters, digits and `_ . : -`, not starting with `-`.
 *
 * @example
 * ```ts
 * import { validatePropertyName } from "./property.ts";
 * validatePropertyName("com.example:backup", "--exclude-dataset-property"); // "com.example:backup"
 * // validatePropertyName("Mountpoint", "--preserve-properties") throws UsageError
 * ```
 * @param name The property name.
 * @param option The option or argument it came from, named in the error.
 * @returns The name, unchanged.
 * @throws {UsageError} If the name is empty, starts with `-` or has other characters.
 */
export function validatePropertyName(name: string, option: string): string {
  if (name.startsWith("-") || !PROPERTY_NAME.test(name)) {
    throw new UsageError("Invalid ZFS property name", {
      option,
      value: name,
      hint: "Use lowercase letters, digits and _ . : - only, not starting with '-'",
    });
  }
  return name;
}
