import assert from "node:assert/strict";
import { UsageError } from "../../lib/errors.ts";
import { validatePropertyName } from "../../lib/names/property.ts";

Deno.test("validatePropertyName", () => {
  for (const p of ["mountpoint", "com.example:backup", "syncoid:sync", "a_b-c.d:e", "0x"]) {
    assert.equal(validatePropertyName(p, "--preserve-properties"), p);
  }
  for (const p of ["", "-o", "Mountpoint", "a b", "a;b", "a=b", "$(id)", "a\nb", "a/b", "ä"]) {
    assert.throws(() => validatePropertyName(p, "--preserve-properties"), (e: unknown) => {
      assert.ok(e instanceof UsageError);
      assert.equal(e.value, p);
      assert.match(e.message, /^--preserve-properties: Invalid ZFS property name/);
      return true;
    });
  }
});
