/**
 * The project's test command (`deno task test`): unit tests, then the real-OpenZFS lab tests
 * (OpenZFS 2.3 in full, 2.1 as a smoke subset), then one closing line `N passed, N failed`.
 *
 * Options: `--unit` runs only the unit tests; `--no-zfs21` skips the 2.1 smoke run.
 * @module
 */

interface Counts {
  passed: number;
  failed: number;
  ok: boolean;
}

// deno-lint-ignore no-control-regex
const ANSI = /\x1b\[[0-9;]*m/g;

/** Runs a command, streaming its output, and counts deno test's summary lines. */
async function runCounting(label: string, args: string[]): Promise<Counts> {
  console.log(`\n=== ${label}: deno ${args.join(" ")}`);
  const child = new Deno.Command(Deno.execPath(), {
    args,
    stdout: "piped",
    stderr: "inherit",
    env: { NO_COLOR: "1" },
  }).spawn();
  const counts: Counts = { passed: 0, failed: 0, ok: false };
  const decoder = new TextDecoder();
  let pending = "";
  for await (const chunk of child.stdout) {
    await Deno.stdout.write(chunk);
    pending += decoder.decode(chunk, { stream: true });
    const lines = pending.split("\n");
    pending = lines.pop() ?? "";
    for (const line of lines) count(line, counts);
  }
  count(pending, counts);
  const status = await child.status;
  counts.ok = status.success;
  if (!status.success && counts.failed === 0) counts.failed = 1; // a crash counts as a failure
  return counts;
}

function count(line: string, counts: Counts): void {
  const m = /^(ok|FAILED) \| (\d+) passed(?: \(\d+ steps?\))? \| (\d+) failed/.exec(
    line.replace(ANSI, "").trim(),
  );
  if (m) {
    counts.passed += Number(m[2]);
    counts.failed += Number(m[3]);
  }
}

const unitOnly = Deno.args.includes("--unit");
const runs: Counts[] = [];
runs.push(
  await runCounting("unit tests", [
    "test",
    "--frozen",
    "--allow-all",
    "--parallel",
    "--ignore=tests/zfs",
    "tests/",
  ]),
);
const lab = new URL("./lab/test_zfs.ts", import.meta.url);
const haveLab = await Deno.stat(lab).then(() => true, () => false);
if (!unitOnly && haveLab) {
  runs.push(await runCounting("real ZFS, OpenZFS 2.3", ["run", "--frozen", "-A", lab.pathname]));
  if (!Deno.args.includes("--no-zfs21")) {
    runs.push(
      await runCounting("real ZFS, OpenZFS 2.1 (smoke)", [
        "run",
        "--frozen",
        "-A",
        lab.pathname,
        "--zfs",
        "2.1",
        "--smoke",
      ]),
    );
  }
}
const passed = runs.reduce((n, c) => n + c.passed, 0);
const failed = runs.reduce((n, c) => n + c.failed, 0);
console.log(`\n${passed} passed, ${failed} failed`);
Deno.exit(failed === 0 && runs.every((c) => c.ok) ? 0 : 1);
