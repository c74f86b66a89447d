import assert from "node:assert/strict";
import { roundHalfEven } from "../../lib/sched/round_half_even.ts";

Deno.test("roundHalfEven sends exact halves to the even neighbour like Python round()", () => {
  const cases: [number, number][] = [
    [0.5, 0],
    [1.5, 2],
    [2.5, 2],
    [3.5, 4],
    [-0.5, 0],
    [-1.5, -2],
    [-2.5, -2],
    [12.5, 12],
    [13.5, 14],
  ];
  for (const [x, want] of cases) assert.equal(roundHalfEven(x), want, `round(${x})`);
});

Deno.test("roundHalfEven rounds non-halves to the nearest integer", () => {
  assert.equal(roundHalfEven(2.4999999), 2);
  assert.equal(roundHalfEven(2.5000001), 3);
  assert.equal(roundHalfEven(-2.6), -3);
  assert.equal(roundHalfEven(7), 7);
  assert.equal(roundHalfEven(0.1 + 0.2), 0);
  assert.equal(roundHalfEven(1e15 + 0.5), 1e15); // an exact half of a large number
});

Deno.test("roundHalfEven passes non-finite values through", () => {
  assert.equal(roundHalfEven(Infinity), Infinity);
  assert.ok(Number.isNaN(roundHalfEven(NaN)));
});
