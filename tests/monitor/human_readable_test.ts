import assert from "node:assert/strict";
import {
  humanReadableBytes,
  humanReadableDuration,
  humanReadableFloat,
} from "../../lib/monitor/human_readable.ts";

Deno.test("humanReadableFloat: precision by magnitude, Python rounding (ties to even on the exact value)", () => {
  const cases: [number, string][] = [
    [0, "0"],
    [3.14559, "3.15"],
    [12.36, "12.4"],
    [123.556, "124"],
    [1.5, "1.5"],
    [1.0, "1"],
    [0.125, "0.12"], // exact tie: Python rounds half to even, toFixed would give 0.13
    [0.375, "0.38"],
    [12.25, "12.2"],
    [100.5, "100"],
    [101.5, "102"],
    [9.999, "10"],
    [99.96, "100"],
    [-0.001, "0"],
    [-2.5, "-2.5"],
    [-1234.5, "-1234"],
    [1.005, "1"], // 1.005 is slightly below in binary
  ];
  for (const [x, expected] of cases) assert.equal(humanReadableFloat(x), expected, String(x));
});

Deno.test("humanReadableBytes: binary units", () => {
  assert.equal(humanReadableBytes(0), "0 B");
  assert.equal(humanReadableBytes(1023), "1023 B");
  assert.equal(humanReadableBytes(1024), "1 KiB");
  assert.equal(humanReadableBytes(14_602_888_806), "13.6 GiB");
  assert.equal(humanReadableBytes(2.08 * 2 ** 40), "2.08 TiB");
  assert.equal(humanReadableBytes(-1536), "-1.5 KiB");
  assert.equal(humanReadableBytes(2 ** 110), "1024 QiB");
});

Deno.test("humanReadableDuration: scaling from any unit, negatives, sub-unit values", () => {
  assert.equal(humanReadableDuration(0, "s"), "0s");
  assert.equal(humanReadableDuration(-604_800, "s"), "-7d");
  assert.equal(humanReadableDuration(762 * 86_400, "s"), "762d");
  assert.equal(humanReadableDuration(13.6 * 3600, "s"), "13.6h");
  assert.equal(humanReadableDuration(5_400_000, "ms"), "1.5h");
  assert.equal(humanReadableDuration(999, "ms"), "999ms");
  assert.equal(humanReadableDuration(59_000, "ms"), "59s");
  assert.equal(humanReadableDuration(0.5, "ms"), "500μs");
  assert.equal(humanReadableDuration(1_500, "ns"), "1.5μs");
  assert.equal(humanReadableDuration(0.5, "d"), "12h");
  assert.equal(humanReadableDuration(90, "m"), "1.5h");
});
