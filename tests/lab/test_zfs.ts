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
import { labEnv } from "./lab_state.ts";
import { withLab } from "./lab_session.ts";
import { spawnGroup } from "./process_group.ts";

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

function main(args: TestZfsArgs): Promise<number> {
  return withLab({ ...args, name: "test:zfs" }, async ({ state, track }) => {
    const argv = denoTestArgv(args.smoke, args.extra);
    console.error(`test:zfs: ${argv.slice(1).join(" ")}`);
    const child = spawnGroup(argv, { env: labEnv(state), cwd: repoRoot() });
    track(child);
    return (await child.status).code;
  });
}

if (import.meta.main) {
  try {
    Deno.exit(await main(parseTestZfsArgs(Deno.args)));
  } catch (e) {
    console.error(`test:zfs: ${e instanceof Error ? e.message : e}`);
    Deno.exit(1);
  }
}
