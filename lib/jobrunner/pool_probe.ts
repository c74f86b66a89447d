/**
 * Which local destination pools exist (reference 3.1, removable-drive check): one
 * `zfs list -t filesystem,volume -Hp -o name <pools...>` per run.
 *
 * @module
 */
import { FleetError } from "./fleet_error.ts";

/**
 * Probes local pools; exit status 1 (some pool missing) is fine.
 *
 * @example
 * ```ts ignore
 * const existing = await probeLocalPools(["usb", "tank"], 30);
 * ```
 * @param pools Pool names (without `-:`).
 * @param timeoutSeconds `--worker-timeout-seconds`, if set.
 * @returns The pools that exist.
 * @throws {FleetError} When `zfs list` fails otherwise.
 */
export async function probeLocalPools(
  pools: readonly string[],
  timeoutSeconds?: number,
): Promise<Set<string>> {
  if (pools.length === 0) return new Set();
  const argv = ["list", "-t", "filesystem,volume", "-Hp", "-o", "name", ...[...pools].sort()];
  let out: Deno.CommandOutput;
  try {
    out = await new Deno.Command("zfs", {
      args: argv,
      stdin: "null",
      signal: timeoutSeconds === undefined ? undefined : AbortSignal.timeout(1000 * timeoutSeconds),
    }).output();
  } catch (e) {
    if (e instanceof Deno.errors.NotCapable) throw e;
    throw new FleetError(
      `Cannot check for existing local dst pools with 'zfs ${argv.join(" ")}': ${
        (e as Error).message
      }`,
      { cause: e },
    );
  }
  if (out.code !== 0 && out.code !== 1) {
    const err = new TextDecoder().decode(out.stderr).trim();
    throw new FleetError(
      `Unexpected error ${out.code} on checking for existing local dst pools: ${err}`,
    );
  }
  return new Set(new TextDecoder().decode(out.stdout).split("\n").filter((l) => l !== ""));
}
