/**
 * Startup cost: `bzfs --version` against a bare `deno run` of an empty script, measured side by
 * side in the same run (alternating, median of N). Target: ratio under 1.8.
 *
 * @module
 */
const N = Number(Deno.env.get("BENCH_RUNS") ?? 15);
const root = new URL("..", import.meta.url).pathname;
const empty = await Deno.makeTempFile({ suffix: ".ts" });
await Deno.writeTextFile(empty, "");

async function time(args: string[]): Promise<number> {
  const t0 = performance.now();
  const out = await new Deno.Command(Deno.execPath(), { args, cwd: root, stdout: "null" }).output();
  if (!out.success) throw new Error(`deno ${args.join(" ")} failed`);
  return performance.now() - t0;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

const bare: number[] = [];
const bzfs: number[] = [];
const cli = ["run", "--frozen", "--allow-run", "--allow-env", "--allow-read", "--allow-write"];
await time(["run", empty]);
await time([...cli, "cli.ts", "--version"]);
for (let i = 0; i < N; i++) {
  bare.push(await time(["run", empty]));
  bzfs.push(await time([...cli, "cli.ts", "--version"]));
}
await Deno.remove(empty);
const ratio = median(bzfs) / median(bare);
console.log(
  `startup: bare deno run ${median(bare).toFixed(1)} ms, bzfs --version ${
    median(bzfs).toFixed(1)
  } ms, ratio ${ratio.toFixed(2)}x (target < 1.8x, median of ${N})`,
);
