/**
 * Choosing the qemu accelerator: kvm when /dev/kvm opens and kvm has not already failed on
 * this host kernel, else TCG. (Some hosts expose /dev/kvm without usable virtualization: the
 * guest then hangs silently, so a failed kvm boot is remembered and not retried.)
 *
 * @module
 */

import { join } from "node:path";
import { labHome } from "./paths.ts";

/** A qemu accelerator the lab uses. */
export type Accel = "kvm" | "tcg";

function verdictFile(): string {
  return join(labHome(), "kvm-verdict.json");
}

function hostKernel(): string {
  return Deno.readTextFileSync("/proc/sys/kernel/osrelease").trim();
}

/**
 * The accelerators to try in order; `BZFS_LAB_ACCEL=kvm|tcg` forces one.
 *
 * @example
 * ```ts
 * const order = await accelOrder(); // ["tcg"] on hosts where kvm failed
 * ```
 */
export async function accelOrder(): Promise<Accel[]> {
  const forced = Deno.env.get("BZFS_LAB_ACCEL");
  if (forced === "kvm" || forced === "tcg") return [forced];
  try {
    const f = await Deno.open("/dev/kvm", { read: true, write: true });
    f.close();
  } catch {
    return ["tcg"];
  }
  try {
    const v = JSON.parse(await Deno.readTextFile(verdictFile()));
    if (v.kernel === hostKernel() && v.works === false) {
      console.error(`lab: kvm failed before on this host (${verdictFile()}); using TCG`);
      return ["tcg"];
    }
  } catch {
    // No verdict yet: try kvm first.
  }
  return ["kvm", "tcg"];
}

/**
 * Remembers whether a kvm boot worked on this host kernel.
 *
 * @example
 * ```ts
 * await recordKvm(false);
 * ```
 */
export async function recordKvm(works: boolean): Promise<void> {
  await Deno.mkdir(labHome(), { recursive: true });
  const text = JSON.stringify({ kernel: hostKernel(), works, at: new Date().toISOString() });
  await Deno.writeTextFile(verdictFile(), text + "\n");
}
