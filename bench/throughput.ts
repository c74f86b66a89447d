/**
 * Replication throughput: our CLI against the raw `zfs send | zfs receive` pipeline it
 * replaces, side by side in the same run, locally and over ssh, against the real-OpenZFS lab.
 *
 * Needs a running lab: `eval "$(deno task lab env)"` (or BZFS_LAB_STATE of a private lab).
 * BENCH_MB sets the dataset size (default 512), BENCH_ROUNDS the rounds (default 2).
 *
 * @module
 */
import { connectLab, labAvailable } from "../tests/lab/helpers.ts";
import { shellJoin } from "../tests/lab/shell_quote.ts";

if (!labAvailable()) {
  console.log('throughput: no lab (set BZFS_LAB_STATE, e.g. eval "$(deno task lab env)"); skipped');
  Deno.exit(0);
}
const MB = Number(Deno.env.get("BENCH_MB") ?? 512);
const ROUNDS = Number(Deno.env.get("BENCH_ROUNDS") ?? 2);
const lab = await connectLab();
const cfg = lab.state.sshConfig ?? "";
const size = `${Math.ceil(MB * 2.5)}M`;
await lab.sh(
  `zpool destroy bsrc 2>/dev/null; zpool destroy bdst 2>/dev/null; ` +
    `truncate -s ${size} /var/tmp/bsrc.img /var/tmp/bdst.img && ` +
    `zpool create -f -O compression=off bsrc /var/tmp/bsrc.img && ` +
    `zpool create -f -O compression=off bdst /var/tmp/bdst.img && zfs create bsrc/data && ` +
    `head -c ${MB}M /dev/urandom > /bsrc/data/blob && zfs snapshot bsrc/data@s1`,
);
const env = lab.localEnv();

async function timed(script: string): Promise<number> {
  const t0 = performance.now();
  const r = await new Deno.Command("sh", {
    args: ["-c", script],
    env,
    stdout: "null",
    stderr: "piped",
  })
    .output();
  if (!r.success) throw new Error(`${script}\n${new TextDecoder().decode(r.stderr)}`);
  return (performance.now() - t0) / 1000;
}

const cli = shellJoin([
  Deno.execPath(),
  "run",
  "--frozen",
  "-A",
  new URL("../cli.ts", import.meta.url).pathname,
]);
const cases = [
  {
    name: "local",
    raw: "zfs send -w bsrc/data@s1 | zfs receive -u bdst/raw",
    ours: `${cli} bsrc/data bdst/ours`,
  },
  {
    name: "ssh (push)",
    raw: `zfs send -w bsrc/data@s1 | ssh -F ${shellJoin([cfg])} zfsvm zfs receive -u bdst/raw`,
    ours: `${cli} --ssh-dst-config-file ${shellJoin([cfg])} bsrc/data root@zfsvm:bdst/ours`,
  },
];
console.log(`throughput: ${MB} MiB of random data, ${ROUNDS} rounds, best of each`);
for (const c of cases) {
  let raw = Infinity;
  let ours = Infinity;
  for (let i = 0; i < ROUNDS; i++) {
    raw = Math.min(raw, await timed(c.raw));
    await lab.zfs("destroy", "-r", "bdst/raw");
    ours = Math.min(ours, await timed(c.ours));
    await lab.sh(
      "zfs destroy -r bdst/ours; zfs destroy -r bsrc/data#s1_* 2>/dev/null; " +
        'for b in $(zfs list -H -t bookmark -o name -r bsrc); do zfs destroy "$b"; done',
    );
  }
  console.log(
    `  ${c.name}: raw ${(MB / raw).toFixed(1)} MiB/s (${raw.toFixed(1)} s), ours ${
      (MB / ours).toFixed(1)
    } MiB/s (${ours.toFixed(1)} s), ratio ${(raw / ours).toFixed(3)} (target >= 0.95)`,
  );
}
await lab.sh("zpool destroy bsrc; zpool destroy bdst; rm -f /var/tmp/bsrc.img /var/tmp/bdst.img");
