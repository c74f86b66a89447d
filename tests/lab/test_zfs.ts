/**
 * `deno task test:zfs [--zfs 2.3|2.1] [--smoke] [--host-zfs|--vm] [--keep] [-- deno test args]`:
 * builds the lab image if needed, starts the lab, runs `deno test tests/zfs/` against it and
 * stops the lab again (finally, and on SIGINT/SIGTERM). A lab that was already running is
 * reused and left running. Exits with deno test's status.
 *
 * @module
 */

import { join } from "node:path";
import { parseVariant, repoRoot, type ZfsVariant } from "./paths.ts";
import { chooseMode, findLab, labHealthy, startLab, stopLab } from "./lab_ops.ts";
import { labEnv, type LabState } from "./lab_state.ts";

/** Parsed command line. */
export interface TestZfsArgs {
  /** OpenZFS variant. */
  variant: ZfsVariant;
  /** Only tests whose name contains "[smoke]". */
  smoke: boolean;
  /** Force host pools. */
  hostZfs: boolean;
  /** Force the VM. */
  vm: boolean;
  /** Leave a lab we started running afterwards. */
  keep: boolean;
  /** Extra arguments for deno test (after `--`). */
  extra: string[];
}

/**
 * Parses test_zfs arguments.
 *
 * @example
 * ```ts
 * parseTestZfsArgs(["--smoke"]).smoke; // true
 * ```
 */
export function parseTestZfsArgs(argv: readonly string[]): TestZfsArgs {
  const out: TestZfsArgs = {
    variant: "2.3",
    smoke: false,
    hostZfs: false,
    vm: false,
    keep: false,
    extra: [],
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--zfs") out.variant = parseVariant(argv[++i] ?? "");
    else if (a.startsWith("--zfs=")) out.variant = parseVariant(a.slice(6));
    else if (a === "--smoke") out.smoke = true;
    else if (a === "--host-zfs") out.hostZfs = true;
    else if (a === "--vm") out.vm = true;
    else if (a === "--keep") out.keep = true;
    else if (a === "--") {
      out.extra = argv.slice(i + 1) as string[];
      break;
    } else {
      throw new Error(
        `Unknown argument '${a}'. Usage: deno task test:zfs [--zfs 2.3|2.1] [--smoke] ` +
          `[--host-zfs|--vm] [--keep] [-- deno test args]`,
      );
    }
  }
  return out;
}

/**
 * The `deno test` argv for a lab run.
 *
 * @example
 * ```ts
 * denoTestArgv(true, []); // [deno, "test", "--frozen", "--allow-all", "--filter", "[smoke]", ...]
 * ```
 */
export function denoTestArgv(smoke: boolean, extra: readonly string[]): string[] {
  return [
    Deno.execPath(),
    "test",
    "--frozen",
    "--allow-all",
    ...(smoke ? ["--filter", "[smoke]"] : []),
    ...extra,
    join(repoRoot(), "tests", "zfs") + "/",
  ];
}

async function main(args: TestZfsArgs): Promise<number> {
  const mode = await chooseMode(args);
  let owned: LabState | undefined; // the lab we started and must stop
  let child: Deno.ChildProcess | undefined;
  let stopping: Promise<void> | undefined;
  const stopOwned = () => {
    stopping ??= (async () => {
      const state = owned ?? (await findLab(args.variant, mode));
      if (state && (owned || !reusedLab) && !args.keep) {
        await stopLab(state);
        console.error(`test:zfs: stopped the ${state.mode} lab`);
      }
    })();
    return stopping;
  };
  let reusedLab = false;
  const onSignal = (sig: Deno.Signal) => async () => {
    console.error(`test:zfs: ${sig}, cleaning up`);
    try {
      child?.kill("SIGTERM");
    } catch { /* already gone */ }
    await stopOwned().catch((e) => console.error(`test:zfs: cleanup failed: ${e}`));
    Deno.exit(sig === "SIGINT" ? 130 : 143);
  };
  const handlers = (["SIGINT", "SIGTERM"] as const).map((s) => [s, onSignal(s)] as const);
  for (const [s, h] of handlers) Deno.addSignalListener(s, h);
  try {
    const before = await findLab(args.variant, mode);
    reusedLab = before !== undefined && (await labHealthy(before));
    const { state, reused } = await startLab(args.variant, mode);
    reusedLab = reused || reusedLab;
    if (!reusedLab) owned = state;
    console.error(
      `test:zfs: ${state.mode} lab ${reusedLab ? "reused" : "started"} (${state.zfsVersion})` +
        (state.bootSeconds !== undefined && !reusedLab
          ? `, ssh ready in ${state.bootSeconds} s`
          : ""),
    );
    const argv = denoTestArgv(args.smoke, args.extra);
    console.error(`test:zfs: ${argv.slice(1).join(" ")}`);
    child = new Deno.Command(argv[0], {
      args: argv.slice(1),
      env: labEnv(state),
      cwd: repoRoot(),
      stdin: "null",
    }).spawn();
    const status = await child.status;
    return status.code;
  } finally {
    await stopOwned();
    for (const [s, h] of handlers) Deno.removeSignalListener(s, h);
  }
}

if (import.meta.main) {
  try {
    Deno.exit(await main(parseTestZfsArgs(Deno.args)));
  } catch (e) {
    console.error(`test:zfs: ${e instanceof Error ? e.message : e}`);
    Deno.exit(1);
  }
}
