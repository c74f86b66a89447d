/**
 * `deno task lab <build|start|stop|status|ssh|env|prune> [--zfs 2.3|2.1] [--host-zfs|--vm]`:
 * the real-OpenZFS lab for bzfs tests. See tests/lab/README.md.
 *
 * @module
 */

import { parseVariant, stateDir, ZFS_VARIANTS, type ZfsVariant } from "./paths.ts";
import { lockLab } from "./lab_lock.ts";
import { ensureImage, findImage, pruneImages, recipeHash } from "./recipe.ts";
import { chooseMode, findLab, labHealthy, startLab, stopLab } from "./lab_ops.ts";
import { labEnv, type LabState } from "./lab_state.ts";
import { shellQuote } from "./shell_quote.ts";
import { ensurePools } from "./pools.ts";
import { targetFor } from "./target.ts";

/** Parsed command line. */
export interface LabArgs {
  /** Sub-command. */
  command: string;
  /** OpenZFS variant. */
  variant: ZfsVariant;
  /** Force host pools. */
  hostZfs: boolean;
  /** Force the VM. */
  vm: boolean;
  /** Rebuild the image even if cached (build only). */
  rebuild: boolean;
  /** Stop without waiting for a running session's lock (stop only). */
  force: boolean;
  /** Arguments after the command (ssh only). */
  rest: string[];
}

const USAGE = "Usage: deno task lab <build|start|stop|status|ssh|env|prune> [--zfs 2.3|2.1] " +
  "[--host-zfs|--vm] [--rebuild] [--force] [-- ssh command...]";

/**
 * Parses the lab's arguments.
 *
 * @example
 * ```ts
 * parseLabArgs(["start", "--zfs", "2.1"]).variant; // "2.1"
 * ```
 */
export function parseLabArgs(argv: readonly string[]): LabArgs {
  const out: LabArgs = {
    command: "",
    variant: "2.3",
    hostZfs: false,
    vm: false,
    rebuild: false,
    force: false,
    rest: [],
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--zfs") out.variant = parseVariant(argv[++i] ?? "");
    else if (a.startsWith("--zfs=")) out.variant = parseVariant(a.slice(6));
    else if (a === "--host-zfs") out.hostZfs = true;
    else if (a === "--vm") out.vm = true;
    else if (a === "--rebuild") out.rebuild = true;
    else if (a === "--force") out.force = true;
    else if (a === "--") {
      out.rest = argv.slice(i + 1) as string[];
      break;
    } else if (!out.command && !a.startsWith("-")) out.command = a;
    else if (out.command === "ssh") out.rest.push(a);
    else throw new Error(`Unknown argument '${a}'. ${USAGE}`);
  }
  if (!["build", "start", "stop", "status", "ssh", "env", "prune"].includes(out.command)) {
    throw new Error(`Missing or unknown command '${out.command}'. ${USAGE}`);
  }
  return out;
}

async function mustFind(args: LabArgs): Promise<LabState> {
  const mode = await chooseMode(args);
  const state = await findLab(args.variant, mode);
  if (!state) {
    throw new Error(`No ${mode} lab for zfs ${args.variant} is running; run 'deno task lab start'`);
  }
  return state;
}

async function main(argv: string[]): Promise<number> {
  const args = parseLabArgs(argv);
  switch (args.command) {
    case "build": {
      const t0 = performance.now();
      const img = await ensureImage(args.variant, { rebuild: args.rebuild });
      const secs = ((performance.now() - t0) / 1000).toFixed(0);
      console.log(`image ${img.dir} (OpenZFS ${img.info.ZFS_VERSION}, kernel ${img.info.KVER})`);
      console.log(`ready after ${secs} s`);
      return 0;
    }
    case "start": {
      const mode = await chooseMode(args);
      const lock = await lockLab(stateDir(mode, args.variant), "lab start");
      try {
        const { state, reused } = await startLab(args.variant, mode);
        const created = await ensurePools(targetFor(state), state);
        console.log(describe(state, reused));
        if (created.length) console.log(`  created empty pools: ${created.join(", ")}`);
      } finally {
        lock.release();
      }
      return 0;
    }
    case "stop":
      return await stop(args);
    case "status":
      return await status(args);
    case "prune": {
      const removed = await pruneImages(ZFS_VARIANTS);
      console.log(
        removed.length ? removed.map((d) => `removed ${d}`).join("\n") : "nothing to prune",
      );
      return 0;
    }
    case "ssh": {
      const state = await mustFind(args);
      if (!state.sshConfig || !state.host) throw new Error("Host-ZFS mode has no ssh; use a shell");
      const child = new Deno.Command("ssh", {
        args: ["-F", state.sshConfig, state.host, ...args.rest],
        stdin: "inherit",
        stdout: "inherit",
        stderr: "inherit",
      }).spawn();
      return (await child.status).code;
    }
    case "env": {
      const state = await mustFind(args);
      for (const [k, v] of Object.entries(labEnv(state))) {
        console.log(`export ${k}=${shellQuote(v)}`);
      }
      return 0;
    }
  }
  return 2;
}

async function stop(args: LabArgs): Promise<number> {
  const mode = await chooseMode(args);
  const lock = args.force ? undefined : await lockLab(stateDir(mode, args.variant), "lab stop");
  try {
    const state = await findLab(args.variant, mode);
    if (state) await stopLab(state);
    console.log(state ? `stopped ${mode} lab (zfs ${args.variant})` : "no lab was running");
  } finally {
    lock?.release();
  }
  return 0;
}

async function status(args: LabArgs): Promise<number> {
  const hash = await recipeHash(args.variant);
  const img = await findImage(args.variant);
  console.log(`recipe ${hash}: ${img ? `built (${img.info.ZFS_VERSION})` : "not built"}`);
  const mode = await chooseMode(args);
  const state = await findLab(args.variant, mode);
  if (!state) {
    console.log(`${mode} lab (zfs ${args.variant}): stopped`);
    return 3;
  }
  const ok = await labHealthy(state);
  console.log(describe(state, true) + (ok ? "" : "\n  NOT HEALTHY: run 'deno task lab stop'"));
  return ok ? 0 : 1;
}

function describe(state: LabState, reused: boolean): string {
  const lines = [
    `${state.mode} lab (zfs ${state.variant}) ${reused ? "running" : "started"}: ` +
    state.zfsVersion,
    `  state: ${state.stateDir}`,
  ];
  if (state.mode === "vm") {
    lines.push(`  qemu pid ${state.qemuPid}, accel ${state.accel}, ssh 127.0.0.1:${state.port}`);
    if (state.bootSeconds !== undefined) lines.push(`  boot to ssh-ready: ${state.bootSeconds} s`);
    lines.push(`  ssh config: ${state.sshConfig} (datasets: root@${state.host}:src/...)`);
    lines.push(`  local-mode wrappers: PATH=${state.wrapperDir}:$PATH`);
  }
  lines.push(`  pools: ${state.srcPool}, ${state.dstPool} (files in ${state.poolDir})`);
  return lines.join("\n");
}

if (import.meta.main) {
  try {
    Deno.exit(await main(Deno.args));
  } catch (e) {
    console.error(`lab: ${e instanceof Error ? e.message : e}`);
    Deno.exit(1);
  }
}
