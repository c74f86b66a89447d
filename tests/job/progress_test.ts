/**
 * The progress reporter and pv's output (`lib/job/progress.ts`, `lib/job/pv_output.ts`): parsing
 * pv status lines, pv file slots and byte counts, aggregating parallel transfers, rendering the
 * status line at a fixed width, and following real pv files with a fake clock.
 */
import assert from "node:assert/strict";
import {
  formatElapsed,
  ProgressReporter,
  ProgressStats,
  renderStatusLine,
  statusLineEnabled,
  terminalColumns,
} from "../../lib/job/progress.ts";
import {
  acquirePvSlot,
  countBytesSent,
  parsePvLine,
  parsePvSize,
  progressIntervals,
  splitPvRecords,
} from "../../lib/job/pv_output.ts";

const KiB = 1024;
const MiB = 1024 * KiB;

// Real pv 1.6.20 output (LC_ALL=C, upstream's default options, --name and --size)
const MID =
  "             4.8MiB: 2.00MiB 0:00:01 [1.98MiB/s] [1.98MiB/s] [============>          ] 41% ETA 0:00:01 ETA 14:54:17";
const LAST =
  "             4.8MiB: 4.77MiB 0:00:02 [2.00MiB/s] [2.00MiB/s] [======================>] 100%            ETA 14:54:17";
const NO_SIZE = "        -: 1.00MiB 0:00:01 [ 999KiB/s] [ 999KiB/s] [ <=>              ] ";

Deno.test("parsePvSize: units, binary and decimal, bits, separators", () => {
  const cases: [string, number][] = [
    ["800B", 800],
    ["4.12 KiB", Math.round(4.12 * KiB)],
    ["510 MiB", 510 * MiB],
    ["510 MB", 510_000_000],
    ["4Gb", 500_000_000],
    ["2TiB", 2 * 1024 ** 4],
    ["1,5KiB", 1536],
    ["1\u066b5KiB", 1536],
    ["0B", 0],
  ];
  for (const [text, bytes] of cases) assert.equal(parsePvSize(text)?.bytes, bytes, text);
  assert.equal(parsePvSize("2.00MiB 0:00:01")?.rest, " 0:00:01");
  assert.equal(parsePvSize("999KiB/s]"), undefined, "a rate is not a size");
  assert.equal(parsePvSize("ETA 0:00:01"), undefined);
});

Deno.test("parsePvLine: bytes, remaining seconds and the tail after the rates", () => {
  assert.deepEqual(parsePvLine(MID), {
    bytes: 2 * MiB,
    etaSecs: 1,
    tail: "[============>          ] 41% ETA 0:00:01 ETA 14:54:17",
  });
  const last = parsePvLine(LAST)!;
  assert.equal(last.bytes, Math.round(4.77 * MiB));
  assert.equal(last.etaSecs, undefined, "no time remaining at 100%");
  assert.match(last.tail, /^\[=+>\] 100% +ETA 14:54:17$/);
  assert.deepEqual(parsePvLine(NO_SIZE), { bytes: MiB, tail: "[ <=>              ]" });
  const long =
    "x: 1.00GiB 1:02:03 [1MiB/s] [1MiB/s] [>  ] 1% ETA 2:03:04:05 ETA 2025-01-19 10:00:00";
  assert.equal(parsePvLine(long)?.etaSecs, 2 * 86400 + 3 * 3600 + 4 * 60 + 5);
  const plus = "x: 1.00GiB 1:02:03 [1MiB/s] [1MiB/s] [>  ] 1% ETA 1+0:00:09 FIN 10:00:00";
  assert.equal(parsePvLine(plus)?.etaSecs, 86400 + 9);
  assert.equal(parsePvLine("x: 1.00GiB [>] ETA 0:00:09")?.etaSecs, undefined, "needs --fineta");
  assert.equal(parsePvLine("no colon here"), undefined);
  assert.equal(parsePvLine("  4.8MiB: 2.0"), undefined, "a partial line is skipped");
});

Deno.test("splitPvRecords: \\r and \\n and \\r\\n end lines; the incomplete rest is kept", () => {
  assert.deepEqual(splitPvRecords(`${MID}\r${LAST}\r\n`), { records: [MID, LAST], rest: "" });
  assert.deepEqual(splitPvRecords("a: 1B\r\nb: 2B\nc: 3"), {
    records: ["a: 1B", "b: 2B"],
    rest: "c: 3",
  });
  assert.deepEqual(splitPvRecords("\n\r\n"), { records: [], rest: "" });
});

Deno.test("progressIntervals: pv's --interval and --average-rate-window, clamped", () => {
  assert.deepEqual(progressIntervals([]), { intervalMs: 1000, windowMs: 30_000 });
  assert.deepEqual(progressIntervals(["--progress", "--interval=2"]), {
    intervalMs: 2000,
    windowMs: 30_000,
  });
  assert.deepEqual(progressIntervals(["-i", "0.01", "-m5"]), { intervalMs: 100, windowMs: 5000 });
  assert.deepEqual(progressIntervals(["--interval", "40", "--average-rate-window=10"]), {
    intervalMs: 40_000,
    windowMs: 40_000,
  });
});

Deno.test("ProgressStats: finished plus active bytes, average and windowed rates, last ETA", () => {
  const stats = new ProgressStats(0, { windowMs: 10_000 });
  stats.begin(1);
  stats.begin(2);
  stats.update(1, { bytes: 10 * MiB, etaSecs: 5, tail: "A" }, 1000);
  stats.update(2, { bytes: 20 * MiB, etaSecs: 60, tail: "B" }, 1000);
  let v = stats.view(2000);
  assert.equal(v.sentBytes, 30 * MiB);
  assert.equal(v.elapsedMs, 2000);
  assert.equal(v.averageRate, 15 * MiB);
  assert.equal(v.recentRate, 15 * MiB);
  assert.equal(v.tail, "B", "the transfer expected to finish last");
  stats.end(2);
  stats.update(1, { bytes: 30 * MiB, etaSecs: 1, tail: "A2" }, 4000);
  v = stats.view(4000);
  assert.equal(v.sentBytes, 50 * MiB, "finished bytes stay counted");
  assert.equal(v.tail, "A2");
  assert.equal(stats.activeCount, 1);
  // nothing moves for 20 s: the windowed rate drops to 0, the average does not
  v = stats.view(14_000);
  v = stats.view(24_000);
  assert.equal(v.recentRate, 0);
  assert.equal(v.averageRate, Math.round(50 * MiB / 24));
  stats.end(1);
  assert.equal(stats.view(25_000).tail, "");
});

Deno.test("renderStatusLine at a fixed width, never wrapping", () => {
  const view = {
    sentBytes: 41.7 * 1024 * MiB,
    elapsedMs: 46_000,
    recentRate: 963 * MiB,
    averageRate: 907 * MiB,
    tail: "[==========>  ] 80% ETA 0:00:04 ETA 01:23:08",
  };
  const now = new Date(2025, 0, 17, 1, 23, 4);
  assert.equal(
    renderStatusLine(view, { width: 200, now }),
    "2025-01-17 01:23:04 [I] zfs sent 41.7 GiB 0:00:46 [963 MiB/s] [907 MiB/s] " +
      "[==========>  ] 80% ETA 0:00:04 ETA 01:23:08",
  );
  const narrow = renderStatusLine(view, { width: 60, now });
  assert.equal(narrow.length, 59);
  assert.equal(narrow, "2025-01-17 01:23:04 [I] zfs sent 41.7 GiB 0:00:46 [963 MiB/");
  assert.equal(formatElapsed(0), "0:00:00");
  assert.equal(formatElapsed(90_061_000), "25:01:01");
});

Deno.test("statusLineEnabled: bzfs_isatty overrides the terminal check; -q and pv=- disable", () => {
  const on = { quiet: false, pvProgram: "pv" };
  assert.equal(statusLineEnabled({ ...on, env: () => undefined, isTerminal: () => true }), true);
  assert.equal(statusLineEnabled({ ...on, env: () => undefined, isTerminal: () => false }), false);
  assert.equal(statusLineEnabled({ ...on, env: () => " TRUE ", isTerminal: () => false }), true);
  assert.equal(statusLineEnabled({ ...on, env: () => "false", isTerminal: () => true }), false);
  assert.equal(statusLineEnabled({ ...on, quiet: true, env: () => "true" }), false);
  assert.equal(statusLineEnabled({ ...on, pvProgram: "-", env: () => "true" }), false);
  assert.equal(terminalColumns(() => "80"), 80);
  assert.throws(() => terminalColumns(() => "wide"), /bzfs_terminal_columns/);
});

Deno.test("acquirePvSlot: lowest free slot, upstream's _NNNN suffix", () => {
  const base = "/tmp/slot_test.pv";
  const a = acquirePvSlot(base);
  const b = acquirePvSlot(base);
  const c = acquirePvSlot(base);
  assert.deepEqual([a.path, b.path, c.path], [base, `${base}_0001`, `${base}_0002`]);
  b.release();
  b.release();
  const d = acquirePvSlot(base);
  assert.equal(d.path, `${base}_0001`);
  for (const s of [a, c, d]) s.release();
  assert.equal(acquirePvSlot(base).path, base);
  acquirePvSlot(base).release();
});

Deno.test("ProgressReporter follows two pv files and draws one line, cleared at the end", async () => {
  const dir = Deno.makeTempDirSync();
  const f1 = `${dir}/x.pv`;
  const f2 = `${dir}/x.pv_0001`;
  Deno.writeTextFileSync(f1, "old transfer: 9.00GiB 0:09:00 [1MiB/s] [1MiB/s]\r\n");
  let now = Date.UTC(2025, 0, 17, 0, 0, 0);
  const out: string[] = [];
  const reporter = new ProgressReporter({
    write: (t) => out.push(t),
    columns: 100,
    intervalMs: 3_600_000, // ticks are driven by hand
    now: () => now,
  });
  const t1 = await reporter.track(f1);
  const t2 = await reporter.track(f2); // does not exist yet
  assert.equal(reporter.active, true);
  const append = (f: string, s: string) => Deno.writeTextFileSync(f, s, { append: true });
  append(f1, "  8MiB: 1.00MiB 0:00:01 [1MiB/s] [1MiB/s] [=>   ] 12% ETA 0:00:07 ETA 00:00:08\r");
  append(
    f2,
    "  4MiB: 3.00MiB 0:00:01 [3MiB/s] [3MiB/s] [===> ] 75% ETA 0:00:01 ETA 00:00:02\r  4MiB: 3.5",
  );
  now += 1000;
  await reporter.tick();
  assert.equal(out.length, 1);
  assert.ok(out[0].endsWith("\r"), "the cursor returns to the start of the line");
  assert.match(
    out[0],
    /zfs sent 4 MiB 0:00:01 \[4 MiB\/s\] \[4 MiB\/s\] \[=> {3}\] 12% ETA 0:00:07/,
  );
  assert.ok(out[0].length <= 100);
  // the second file's partial line completes; the first transfer finishes
  append(f2, "0MiB 0:00:02 [1MiB/s] [2MiB/s] [====>] 87% ETA 0:00:01 ETA 00:00:03\r");
  append(f1, "  8MiB: 8.00MiB 0:00:02 [7MiB/s] [4MiB/s] [=====>] 100%      ETA 00:00:02\r\n");
  now += 1000;
  await t1.finish();
  await reporter.tick();
  assert.match(out.at(-1)!, /zfs sent 11\.5 MiB 0:00:02 .*\[====>\] 87%/);
  await t2.finish();
  assert.equal(reporter.active, false);
  const cleared = out.at(-1)!;
  assert.match(cleared, /^ +\r$/, "the line is blanked when no transfer is active");
  assert.equal(cleared.length, out.at(-2)!.trimEnd().length + 1);
  const drawn = out.length;
  await reporter.tick();
  assert.equal(out.length, drawn, "nothing is drawn while idle");
  Deno.removeSync(dir, { recursive: true });
});

Deno.test("ProgressReporter keeps totals across back-to-back transfers, resets after idling", async () => {
  const dir = Deno.makeTempDirSync();
  const f = `${dir}/y.pv`;
  let now = 0;
  const out: string[] = [];
  const reporter = new ProgressReporter({
    write: (t) => out.push(t),
    intervalMs: 3_600_000,
    resetAfterIdleMs: 10_000,
    now: () => now,
  });
  const run = async (line: string) => {
    const t = await reporter.track(f);
    Deno.writeTextFileSync(f, `${line}\r\n`, { append: true });
    now += 1000;
    await reporter.tick();
    await t.finish();
  };
  await run("a: 1.00MiB 0:00:01 [1MiB/s] [1MiB/s]");
  now += 2000;
  await run("b: 2.00MiB 0:00:01 [2MiB/s] [2MiB/s]");
  assert.match(out.at(-2)!, /zfs sent 3 MiB 0:00:04 /);
  now += 60_000;
  await run("c: 5.00MiB 0:00:01 [5MiB/s] [5MiB/s]");
  assert.match(out.at(-2)!, /zfs sent 5 MiB 0:00:01 /);
  Deno.removeSync(dir, { recursive: true });
});

Deno.test("countBytesSent: final status per transfer across the slot files", async () => {
  const dir = Deno.makeTempDirSync();
  const base = `${dir}/zrun_x.pv`;
  assert.equal(await countBytesSent(base), 0, "no files yet");
  Deno.writeTextFileSync(base, `${MID}\r${LAST}\r\n  1KiB: 1.00KiB 0:00:01 [1KiB/s] [1KiB/s]\r\n`);
  Deno.writeTextFileSync(`${base}_0001`, "a: 2.00MiB 0:00:01\ra: 3.00MiB 0:00:02\r"); // cut off
  Deno.writeTextFileSync(`${base}_0002`, "");
  Deno.writeTextFileSync(`${base}_old`, "z: 9.00GiB 0:00:01\r\n"); // not a slot file
  Deno.mkdirSync(`${base}_0003`);
  assert.equal(await countBytesSent(base), Math.round(4.77 * MiB) + KiB + 3 * MiB);
  Deno.removeSync(dir, { recursive: true });
});
