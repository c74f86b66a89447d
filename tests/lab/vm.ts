/**
 * The lab VM's lifecycle: boot the cached image under qemu (kvm if it works, else TCG),
 * wait for ssh on 127.0.0.1, and stop exactly the qemu we started.
 *
 * @module
 */

import { join } from "node:path";
import { type Image, pidAlive } from "./recipe.ts";
import { HOST_ALIAS, type LabState, readState, stateFile, writeState } from "./lab_state.ts";
import { writeSshConfig, writeWrappers } from "./ssh_config.ts";
import { run } from "./run.ts";
import type { ZfsVariant } from "./paths.ts";
import { type Accel, accelOrder, recordKvm } from "./accel.ts";

const CPU_TCG = "qemu64,+ssse3,+sse4.1,+sse4.2,+aes,+pclmulqdq,+popcnt";
const READY_MARK = "LAB-READY";
const BOOT_TIMEOUT_MS = 240_000;
const KVM_TIMEOUT_MS = 30_000;

/** Where a VM lab keeps its per-boot files. */
function files(dir: string, accel = "tcg") {
  return {
    overlay: join(dir, "overlay.qcow2"),
    pidFile: join(dir, "qemu.pid"),
    console: join(dir, `console-${accel}.log`),
  };
}

/**
 * Boots the VM for a variant unless one is already running healthy (then reuses it).
 *
 * @example
 * ```ts
 * const state = await startVm(image, "2.3", stateDir);
 * ```
 */
export async function startVm(image: Image, variant: ZfsVariant, dir: string) {
  const old = await readState(dir);
  if (old?.mode === "vm" && (await vmHealthy(old))) return { state: old, reused: true };
  if (old) await stopVm(old);
  await Deno.mkdir(dir, { recursive: true });
  let lastError: unknown;
  for (const accel of await accelOrder()) {
    try {
      const state = await bootRetryingPort(image, variant, dir, accel);
      if (accel === "kvm") await recordKvm(true);
      return { state, reused: false };
    } catch (e) {
      lastError = e;
      console.error(`lab: boot with ${accel} failed: ${e instanceof Error ? e.message : e}`);
      if (accel === "kvm") await recordKvm(false);
    }
  }
  throw lastError;
}

/** Boots, retrying twice when another process took the free port we picked meanwhile. */
async function bootRetryingPort(image: Image, variant: ZfsVariant, dir: string, accel: Accel) {
  for (let attempt = 1;; attempt++) {
    try {
      return await bootOnce(image, variant, dir, accel);
    } catch (e) {
      const portTaken = e instanceof Error && /host forwarding rule/i.test(e.message);
      if (!portTaken || attempt >= 3) throw e;
    }
  }
}

async function bootOnce(image: Image, variant: ZfsVariant, dir: string, accel: Accel) {
  const f = files(dir, accel);
  await cleanupBootFiles(dir);
  await run([
    "qemu-img",
    "create",
    "-q",
    "-f",
    "qcow2",
    "-b",
    image.rootfs,
    "-F",
    "raw",
    f.overlay,
  ]);
  const port = freePort();
  const sshConfig = await writeSshConfig({
    stateDir: dir,
    port,
    key: image.key,
    hostKeyPub: await Deno.readTextFile(image.hostKey),
  });
  const started = performance.now();
  await run(qemuArgv(image, f, port, accel));
  const pid = Number((await Deno.readTextFile(f.pidFile)).trim());
  const state: LabState = {
    mode: "vm",
    variant,
    stateDir: dir,
    sshConfig,
    host: HOST_ALIAS,
    port,
    qemuPid: pid,
    accel,
    srcPool: "src",
    dstPool: "dst",
    poolDir: "/var/tmp/pools",
    zfsVersion: "",
    wrapperDir: await writeWrappers(dir, sshConfig),
  };
  await writeState(state); // written at once so that 'stop' finds this qemu even if boot fails
  try {
    await waitReady(state, f.console, accel === "kvm" ? KVM_TIMEOUT_MS : BOOT_TIMEOUT_MS);
  } catch (e) {
    await stopVm(state);
    throw e;
  }
  state.bootSeconds = Math.round((performance.now() - started) / 100) / 10;
  const ver = await run(["ssh", "-F", sshConfig, HOST_ALIAS, "zfs version"]);
  state.zfsVersion = ver.stdout.split("\n")[0].trim();
  await writeState(state);
  return state;
}

function qemuArgv(image: Image, f: ReturnType<typeof files>, port: number, accel: string) {
  return [
    "qemu-system-x86_64",
    "-name",
    "bzfs-lab",
    "-machine",
    "q35",
    "-accel",
    accel,
    "-cpu",
    CPU_TCG,
    "-m",
    "2048",
    "-smp",
    "2",
    "-kernel",
    image.kernel,
    "-initrd",
    image.initrd,
    "-append",
    "console=ttyS0 net.ifnames=0 root=/dev/vda rootfstype=ext4 rw fsck.mode=skip quiet " +
    "init=/sbin/lab-init",
    "-drive",
    `file=${f.overlay},if=virtio,format=qcow2,cache=unsafe`,
    "-netdev",
    `user,id=n0,restrict=on,hostfwd=tcp:127.0.0.1:${port}-10.0.2.15:22`,
    "-device",
    "virtio-net-pci,netdev=n0",
    "-display",
    "none",
    "-serial",
    `file:${f.console}`,
    "-monitor",
    "none",
    "-no-reboot",
    "-daemonize",
    "-pidfile",
    f.pidFile,
  ];
}

async function waitReady(state: LabState, consoleLog: string, timeoutMs: number) {
  const deadline = performance.now() + timeoutMs;
  let marked = false;
  while (performance.now() < deadline) {
    if (!isOurQemu(state)) {
      throw new Error(`qemu exited during boot${await consoleTail(consoleLog)}`);
    }
    if (!marked) {
      const text = await Deno.readTextFile(consoleLog).catch(() => "");
      if (/Kernel panic/.test(text)) {
        throw new Error(`Guest kernel panicked${await consoleTail(consoleLog)}`);
      }
      marked = text.includes(READY_MARK);
    }
    if (marked && (await sshOk(state))) return;
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`Guest not ready after ${timeoutMs / 1000} s${await consoleTail(consoleLog)}`);
}

/** The end of the guest console, to put into boot errors. */
async function consoleTail(consoleLog: string): Promise<string> {
  const text = await Deno.readTextFile(consoleLog).catch(() => "");
  const lines = text.trimEnd().split("\n").slice(-15).join("\n  ");
  return `; console ${consoleLog}` + (lines ? ` ends with:\n  ${lines}` : " is empty");
}

async function sshOk(state: LabState): Promise<boolean> {
  if (!state.sshConfig) return false;
  const cfg = ["ssh", "-F", state.sshConfig];
  const check = await run([...cfg, "-O", "check", HOST_ALIAS], { noThrow: true });
  if (check.code !== 0) {
    // Open the shared master connection detached from any pipe (a persisting master that held
    // our pipes open would make every captured ssh call hang).
    const master = await new Deno.Command("ssh", {
      args: ["-F", state.sshConfig, "-o", "ControlMaster=yes", "-o", "ControlPersist=yes"]
        .concat(["-f", "-N", HOST_ALIAS]),
      stdin: "null",
      stdout: "null",
      stderr: "null",
    }).output();
    if (!master.success) return false;
  }
  const r = await run([...cfg, HOST_ALIAS, "true"], { noThrow: true });
  return r.code === 0;
}

/**
 * True if the state's qemu is running and answers over ssh.
 *
 * @example
 * ```ts
 * if (await vmHealthy(state)) console.log("up");
 * ```
 */
export async function vmHealthy(state: LabState): Promise<boolean> {
  return isOurQemu(state) && (await sshOk(state));
}

/**
 * True if `state.qemuPid` is still the qemu this lab started (checked via its command line,
 * which names this lab's overlay file), so a recycled pid is never killed.
 *
 * @example
 * ```ts
 * isOurQemu(state);
 * ```
 */
export function isOurQemu(state: LabState): boolean {
  const pid = state.qemuPid;
  if (!pid || !pidAlive(pid)) return false;
  try {
    const argv = Deno.readTextFileSync(`/proc/${pid}/cmdline`).split("\0");
    const overlay = files(state.stateDir).overlay;
    return argv[0].endsWith("qemu-system-x86_64") &&
      argv.some((a) => a.includes(`file=${overlay},`));
  } catch {
    return false;
  }
}

/**
 * Stops the lab's ssh master and its qemu (TERM, then KILL), and removes the boot files.
 *
 * @example
 * ```ts
 * await stopVm(state);
 * ```
 */
export async function stopVm(state: LabState): Promise<void> {
  if (state.sshConfig) {
    await run(["ssh", "-F", state.sshConfig, "-O", "exit", HOST_ALIAS], { noThrow: true });
  }
  if (isOurQemu(state) && state.qemuPid) {
    Deno.kill(state.qemuPid, "SIGTERM");
    for (let i = 0; i < 100 && isOurQemu(state); i++) {
      await new Promise((r) => setTimeout(r, 100));
    }
    if (isOurQemu(state)) Deno.kill(state.qemuPid, "SIGKILL");
  }
  await cleanupBootFiles(state.stateDir);
  await Deno.remove(stateFile(state.stateDir)).catch(() => {});
}

async function cleanupBootFiles(dir: string): Promise<void> {
  const f = files(dir);
  for (const p of [f.overlay, f.pidFile]) await Deno.remove(p).catch(() => {});
}

function freePort(): number {
  const l = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (l.addr as Deno.NetAddr).port;
  l.close();
  return port;
}
