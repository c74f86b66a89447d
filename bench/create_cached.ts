/**
 * Benchmark: a `--create-src-snapshots --cache-snapshots` check with nothing due, against the
 * lab VM (real OpenZFS >= 2.2), averaged per dataset, as a ratio to one
 * `zfs list -o snapshots_changed` of all datasets measured in the same run. The same check
 * without the cache (one `zfs list -t snapshot` of every snapshot) is printed for comparison.
 *
 * Needs a running lab: `BZFS_LAB_STATE=/tmp/lab-x deno run --frozen --allow-all
 * bench/create_cached.ts [datasets] [snapshotsPerDataset] [rounds]` (defaults 200, 50, 5). The
 * tree (`$BZFS_BENCH_ROOT`, default `src/bench`) is created on first use and kept; a later run
 * with more snapshots per dataset only adds the missing ones. Snapshots are added one round per
 * txg with a ZFS channel program (about 13 ms per snapshot on the emulated lab VM), so a big tree
 * wants its own pool, for example `bench/b` on a 20 GiB sparse file.
 *
 * @module
 */
import { buildBzfsConfig, type BzfsConfig } from "../lib/cli/bzfs_config.ts";
import { systemClock } from "../lib/clock.ts";
import { RealExecutor } from "../lib/exec/real_executor.ts";
import { type JobContext, prepareHost } from "../lib/job/context.ts";
import { createSrcSnapshotsPhase } from "../lib/job/create_phase.ts";
import { DetectCache } from "../lib/zfs/detect.ts";
import { listDatasetsArgv } from "../lib/zfs/list.ts";

const [DATASETS, SNAPS, ROUNDS] = [200, 50, 5].map((d, i) => Number(Deno.args[i] ?? d));
const ROOT = Deno.env.get("BZFS_BENCH_ROOT") ?? "src/bench";
const state = Deno.env.get("BZFS_LAB_STATE");
if (!state) {
  console.log("skipped: set BZFS_LAB_STATE to a running lab (see tests/lab/README.md)");
  Deno.exit(0);
}
const lab = JSON.parse(Deno.readTextFileSync(`${state}/lab.json`));
Deno.env.set("PATH", `${lab.wrapperDir}:${Deno.env.get("PATH") ?? "/usr/bin:/bin"}`);

async function sh(script: string): Promise<string> {
  const out = await new Deno.Command("ssh", {
    args: ["-F", lab.sshConfig, lab.host, "--", script],
  }).output();
  if (!out.success) throw new Error(new TextDecoder().decode(out.stderr));
  return new TextDecoder().decode(out.stdout);
}

/** Creates one snapshot per dataset below ROOT in one txg (a channel program), named `s<k>`. */
const SNAP_ROUND_LUA = `args = ...
local n = 0
for ds in zfs.list.children(args["argv"][1]) do
  if zfs.sync.snapshot(ds .. "@" .. args["argv"][2]) == 0 then n = n + 1 end
end
return n`;

/** Brings ROOT to DATASETS children with SNAPS snapshots each, adding only what is missing. */
async function ensureTree(): Promise<void> {
  const [ds, snaps] = (await sh(
    `zfs list -H -o name -r ${ROOT} 2>/dev/null | wc -l; ` +
      `zfs list -H -t snapshot -o name -d 1 ${ROOT}/d1 2>/dev/null | grep -c @s || true`,
  )).trim().split("\n").map(Number);
  if (ds === DATASETS + 1 && snaps >= SNAPS) return;
  const t0 = performance.now();
  if (ds !== DATASETS + 1) {
    console.log(`creating ${ROOT} with ${DATASETS} datasets (once) ...`);
    await sh(
      `zfs destroy -r ${ROOT} 2>/dev/null; zfs create -p -o mountpoint=none ${ROOT} && ` +
        `i=1; while [ $i -le ${DATASETS} ]; do zfs create ${ROOT}/d$i || exit 1; i=$((i+1)); done`,
    );
  }
  const from = ds === DATASETS + 1 ? snaps + 1 : 1;
  console.log(`adding snapshots s${from}..s${SNAPS} to each dataset (one txg per round) ...`);
  await sh(`cat > /tmp/bzfs-bench-snap.lua <<'LUA'\n${SNAP_ROUND_LUA}\nLUA`);
  const pool = ROOT.split("/")[0];
  for (let k = from; k <= SNAPS; k += 10) {
    const last = Math.min(SNAPS, k + 9);
    await sh(
      `s=${k}; while [ $s -le ${last} ]; do zfs snapshot ${ROOT}@s$s && ` +
        `zfs program -j -t 100000000 -m 100000000 ${pool} /tmp/bzfs-bench-snap.lua ${ROOT} s$s ` +
        `>/dev/null || exit 1; s=$((s+1)); done`,
    );
    Deno.stdout.writeSync(new TextEncoder().encode(`  s${last} after ${elapsed(t0)}\n`));
  }
  console.log(`  took ${elapsed(t0)}`);
}

function elapsed(t0: number): string {
  return `${((performance.now() - t0) / 1000).toFixed(1)} s`;
}

const logDir = `${Deno.makeTempDirSync()}/bzfs-logs`;
const detectCache = new DetectCache();
const executor = new RealExecutor();

function config(cache: boolean): BzfsConfig {
  return buildBzfsConfig([
    "-r",
    "--skip-replication",
    "--create-src-snapshots",
    "--create-src-snapshots-plan={'bench': {'': {'daily': 7}}}",
    "--create-src-snapshots-timezone=UTC",
    `--log-dir=${logDir}`,
    ...(cache ? ["--cache-snapshots"] : []),
    ROOT,
    "dummy",
  ]);
}

async function phaseMs(cfg: BzfsConfig): Promise<number> {
  const ctx: JobContext = {
    config: cfg,
    executor,
    pipelineExecutor: executor,
    clock: systemClock,
    signal: new AbortController().signal,
    detectCache,
    startedAt: Date.now(),
    localUid: Deno.uid(),
  };
  const pair = cfg.pairs[0];
  const [src, dst] = await Promise.all([prepareHost(pair.src, ctx), prepareHost(pair.dst, ctx)]);
  const t0 = performance.now();
  await createSrcSnapshotsPhase(pair, ctx, { src, dst });
  return performance.now() - t0;
}

async function listMs(): Promise<number> {
  const argv = listDatasetsArgv(ROOT, { recursive: true, snapshotsChanged: true });
  const t0 = performance.now();
  await executor.run({ argv, readOnly: true });
  return performance.now() - t0;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

await ensureTree();
const cached = config(true);
// the first check has an empty cache: it lists every snapshot (the uncached cost) and takes the
// daily snapshots that are due
const firstMs = await phaseMs(cached);
await new Promise((r) => setTimeout(r, 1500));
await phaseMs(cached); // after the creation: settles the label files
await new Promise((r) => setTimeout(r, 1500)); // snapshots_changed matures
const n = DATASETS + 1;
const base: number[] = [];
const hit: number[] = [];
const miss: number[] = [];
for (let i = 0; i < ROUNDS; i++) {
  base.push(await listMs());
  hit.push(await phaseMs(cached));
  // the uncached check lists every snapshot; on an emulated lab VM that takes minutes, so once
  // (BZFS_BENCH_SKIP_UNCACHED=1 skips it, for trees of 100,000 snapshots and more)
  if (Deno.env.get("BZFS_BENCH_SKIP_UNCACHED")) continue;
  if (i === 0 || Deno.env.get("BZFS_BENCH_UNCACHED_EVERY_ROUND")) {
    miss.push(await phaseMs(config(false)));
  }
}
const fmt = (ms: number) => `${ms.toFixed(1)} ms total, ${(ms / n).toFixed(2)} ms/dataset`;
const perDataset = (await sh(`zfs list -H -t snapshot -o name -d 1 ${ROOT}/d1 | wc -l`)).trim();
console.log(`${n} datasets x ${perDataset} snapshots, ${ROUNDS} rounds, medians (wall clock):`);
console.log(`  first check, empty cache (lists every snapshot, creates): ${fmt(firstMs)}`);
console.log(`  baseline zfs list -o snapshots_changed: ${fmt(median(base))}`);
console.log(`  cached create check, nothing due:       ${fmt(median(hit))}`);
if (miss.length) {
  console.log(
    `  uncached create check (zfs list -t snapshot, ${miss.length} round(s)): ${fmt(median(miss))}`,
  );
}
console.log(`ratio cached / baseline: ${(median(hit) / median(base)).toFixed(2)}`);
if (miss.length) {
  console.log(`ratio uncached / baseline: ${(median(miss) / median(base)).toFixed(2)}`);
}
