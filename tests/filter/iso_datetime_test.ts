import assert from "node:assert/strict";
import { parseIsoDatetime } from "../../lib/filter/iso_datetime.ts";

Deno.test("parseIsoDatetime accepts Python fromisoformat forms", () => {
  const utc = { timeZone: "UTC" };
  const cases: [string, number, { timeZone?: string }][] = [
    ["2024-01-01", 1704067200, utc],
    ["20240101", 1704067200, utc],
    ["2024-01-01T00:00:01", 1704067201, utc],
    ["2024-01-01 00:01", 1704067260, utc],
    ["2024-01-01_01:02:03", 1704070923, utc],
    ["2024-01-01T01", 1704070800, utc],
    ["2024-01-01T010203", 1704070923, utc],
    ["2024-01-01T00:00:01.999999", 1704067201, utc],
    ["2024-01-01T00:00:01,5", 1704067201, utc],
    ["2024-10-05T14:48:55+02", 1728132535, {}],
    ["2024-10-05T14:48:55+02:00", 1728132535, {}],
    ["2024-10-05T14:48:55+0200", 1728132535, {}],
    ["2024-10-05T12:48:55Z", 1728132535, {}],
    ["2024-10-05T10:18:55-02:30", 1728132535, {}],
    ["2024-07-01T02:00:00", 1719792000, { timeZone: "Europe/Vienna" }],
    ["2024-01-01T01:00:00", 1704067200, { timeZone: "Europe/Vienna" }],
    ["1969-12-31T23:59:59.5Z", 0, {}],
    ["2020-W53", 1609113600, utc],
    ["2024-W01-1", 1704067200, utc],
    ["2026-W01-1", 1766966400, utc],
    ["2024W407", 1728172800, utc],
    ["2024-W40-6T14:48:55+02", 1728132535, {}],
  ];
  for (const [text, want, opts] of cases) assert.equal(parseIsoDatetime(text, opts), want, text);
});

Deno.test("parseIsoDatetime returns undefined for non-datetimes", () => {
  for (
    const text of [
      "",
      "yesterday",
      "2024-02-30",
      "2024-13-01",
      "2024-01-01T24:00",
      "2024-01-01T12:60",
      "2024-1-1",
      "2024-01-01T12:00+25",
      "2021-W53",
      "2024-W00",
      "2024-W40-8",
      "2024-w40",
      "12:00",
    ]
  ) {
    assert.equal(parseIsoDatetime(text, { timeZone: "UTC" }), undefined, text);
  }
});
