/**
 * `deno task demo [--zfs 2.3|2.1] [--host-zfs|--vm] [--keep]`: brings up the lab, creates a
 * small dataset tree with snapshots, replicates it with our CLI in local mode
 * (`cli.ts -r -v -v src/demo dst/demo`, zfs forwarded by the wrappers), takes new snapshots,
 * replicates incrementally, prints the commands and `zfs list -t all -o name,guid` of dst,
 * checks contents, and stops the lab it started.
 *
 * @module
 */

import { parseVariant, repoRoot, type ZfsVariant } from "./paths.ts";
import { withLab } from "./lab_session.ts";
import { spawnGroup } from "./process_group.ts";
import { Lab } from "./helpers.ts";
import { shellJoin } from "./shell_quote.ts";

const KiB = 1024;

interface DemoArgs {
  variant: ZfsVariant;
  hostZfs: boolean;
  vm: boolean;
  keep: boolean;
}

function parseDemoArgs(argv: readonly string[]): DemoArgs {
  const out: DemoArgs = { variant: "2.3", hostZfs: false, vm: false, keep: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--zfs") out.variant = parseVariant(argv[++i] ?? "");
    else if (a === "--host-zfs") out.hostZfs = true;
    else if (a === "--vm") out.vm = true;
    else if (a === "--keep") out.keep = true;
    else throw new Error(`Unknown argument '${a}'. Usage: deno task demo [--zfs 2.3|2.1] [--keep]`);
  }
  return out;
}

function say(text: string): void {
  console.log(`\n\x1b[1m${text}\x1b[0m`);
}

/** Prints and runs our CLI with inherited output; returns its exit code. */
async function replicate(
  lab: Lab,
  src: string,
  dst: string,
  track: (c: Deno.ChildProcess) => void,
) {
  const argv = lab.cliArgv({ src, dst, args: ["-r", "-v", "-v"] });
  const wrappers = lab.state.wrapperDir ? `PATH=${lab.state.wrapperDir}:$PATH ` : "";
  say(`$ ${wrappers}${shellJoin(argv)}`);
  const child = spawnGroup(argv, { env: lab.localEnv(), cwd: repoRoot() });
  track(child);
  const { code } = await child.status;
  console.log(`(exit code ${code})`);
  return code;
}

async function showDst(lab: Lab, dst: string): Promise<void> {
  say(`$ zfs list -t all -o name,guid -r ${dst}`);
  const r = await lab.exec(["zfs", "list", "-t", "all", "-o", "name,guid", "-r", dst], {
    noThrow: true,
  });
  console.log((r.stdout + r.stderr).trimEnd());
}

/** Compares content checksums of every source dataset's latest snapshot with dst's. */
async function verify(lab: Lab, src: string, dst: string, snap: string): Promise<boolean> {
  let ok = true;
  for (const ds of await lab.datasets(src)) {
    const twin = dst + ds.slice(src.length);
    const a = await lab.checksum(`${ds}@${snap}`);
    const b = await lab.checksum(`${twin}@${snap}`).catch(() => "missing");
    const same = a === b;
    ok &&= same;
    console.log(`${same ? "same" : "DIFFERENT"} content: ${ds}@${snap} -> ${twin}@${snap}`);
  }
  return ok;
}

async function demo(lab: Lab, track: (c: Deno.ChildProcess) => void): Promise<number> {
  const src = `${lab.src}/demo`;
  const dst = `${lab.dst}/demo`;
  say(`Fresh pools ${lab.src} and ${lab.dst}; a small tree under ${src}`);
  await lab.resetPools();
  for (const ds of [src, `${src}/a`, `${src}/b`, `${src}/b/c`]) {
    await lab.createDataset(ds, { files: [{ path: "data.bin", size: 256 * KiB }] });
    console.log(`created ${ds}`);
  }
  await lab.zfs("snapshot", "-r", `${src}@demo_1`);
  console.log(`$ zfs snapshot -r ${src}@demo_1`);

  say("Full replication");
  if (await replicate(lab, src, dst, track) !== 0) return fail(lab, dst);
  await showDst(lab, dst);

  say("New data and snapshots, then incremental replication");
  await lab.writeFiles(`${src}/a`, [{ path: "more.bin", size: 128 * KiB }], "demo 2");
  await lab.zfs("snapshot", "-r", `${src}@demo_2`);
  console.log(`$ zfs snapshot -r ${src}@demo_2`);
  if (await replicate(lab, src, dst, track) !== 0) return fail(lab, dst);
  await showDst(lab, dst);

  say("Content check");
  return (await verify(lab, src, dst, "demo_2")) ? 0 : 1;
}

async function fail(lab: Lab, dst: string): Promise<number> {
  console.error("demo: the CLI failed; dst as it is now:");
  await showDst(lab, dst);
  return 1;
}

if (import.meta.main) {
  try {
    const args = parseDemoArgs(Deno.args);
    const code = await withLab(
      { ...args, name: "demo" },
      ({ state, track }) => demo(new Lab(state), track),
    );
    Deno.exit(code);
  } catch (e) {
    console.error(`demo: ${e instanceof Error ? e.message : e}`);
    Deno.exit(1);
  }
}
