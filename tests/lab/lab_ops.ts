/**
 * Lab operations shared by `lab.ts`, `test_zfs.ts` and `demo.ts`: pick the mode, start,
 * find and stop a lab.
 *
 * @module
 */

import { type LabState, readState } from "./lab_state.ts";
import { stateDir, type ZfsVariant } from "./paths.ts";
import { ensureHostTools, RUN_TOOLS } from "./host_deps.ts";
import { ensureImage } from "./recipe.ts";
import { startVm, stopVm, vmHealthy } from "./vm.ts";
import { hostZfsWorks, startHost, stopHost } from "./host_zfs.ts";

/** How the user asked for the mode. */
export interface ModeChoice {
  /** `--host-zfs`: force host pools. */
  hostZfs?: boolean;
  /** `--vm`: force the VM even when the host has ZFS. */
  vm?: boolean;
}

/**
 * Chooses the mode: forced by a flag, else host pools when host ZFS works, else the VM.
 *
 * @example
 * ```ts
 * const mode = await chooseMode({});
 * ```
 */
export async function chooseMode(choice: ModeChoice): Promise<"vm" | "host"> {
  if (choice.hostZfs && choice.vm) throw new Error("Use either --host-zfs or --vm, not both");
  if (choice.hostZfs) return "host";
  if (choice.vm) return "vm";
  return (await hostZfsWorks()) ? "host" : "vm";
}

/** Result of {@linkcode startLab}. */
export interface Started {
  /** The running lab. */
  state: LabState;
  /** True if an already running lab was reused. */
  reused: boolean;
}

/**
 * Starts a lab (building the VM image first if needed), or reuses a healthy running one.
 *
 * @example
 * ```ts
 * const { state } = await startLab("2.3", "vm");
 * ```
 */
export async function startLab(variant: ZfsVariant, mode: "vm" | "host"): Promise<Started> {
  if (mode === "host") return { state: await startHost(variant), reused: false };
  await ensureHostTools(RUN_TOOLS);
  const image = await ensureImage(variant);
  return await startVm(image, variant, stateDir("vm", variant));
}

/**
 * The state of a lab of this mode and variant if one is recorded (running or stale).
 *
 * @example
 * ```ts
 * const s = await findLab("2.3", "vm");
 * ```
 */
export function findLab(variant: ZfsVariant, mode: "vm" | "host"): Promise<LabState | undefined> {
  return readState(stateDir(mode, variant));
}

/**
 * True if the lab answers (vm: our qemu alive and ssh works; host: state present).
 *
 * @example
 * ```ts
 * await labHealthy(state);
 * ```
 */
export async function labHealthy(state: LabState): Promise<boolean> {
  return state.mode === "host" ? true : await vmHealthy(state);
}

/**
 * Stops a lab: the VM's qemu and ssh master, or the host-mode pools.
 *
 * @example
 * ```ts
 * await stopLab(state);
 * ```
 */
export async function stopLab(state: LabState): Promise<void> {
  if (state.mode === "host") await stopHost(state);
  else await stopVm(state);
}
