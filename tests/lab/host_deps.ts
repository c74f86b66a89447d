/**
 * Installs the host packages the lab needs (Debian/Ubuntu hosts), once, without prompting.
 *
 * @module
 */

import { haveCommand, runInherit } from "./run.ts";

/** A command the lab runs on the host, and the Debian package providing it. */
interface HostTool {
  command: string;
  pkg: string;
}

/** Tools needed to build an image. */
export const BUILD_TOOLS: readonly HostTool[] = [
  { command: "debootstrap", pkg: "debootstrap" },
  { command: "mkfs.ext4", pkg: "e2fsprogs" },
  { command: "ssh-keygen", pkg: "openssh-client" },
];

/** Tools needed to run the VM. */
export const RUN_TOOLS: readonly HostTool[] = [
  { command: "qemu-system-x86_64", pkg: "qemu-system-x86" },
  { command: "qemu-img", pkg: "qemu-utils" },
  { command: "ssh", pkg: "openssh-client" },
  // the initiator's stream tools, so real-ZFS tests see the same pipelines users get
  // (pv also makes --bwlimit work, which the fault tests use to pace a transfer)
  { command: "pv", pkg: "pv" },
  { command: "zstd", pkg: "zstd" },
  { command: "mbuffer", pkg: "mbuffer" },
];

/**
 * Makes sure every tool is present, installing missing packages with apt-get (as root,
 * non-interactive, `apt-get update` once first).
 *
 * @example
 * ```ts
 * await ensureHostTools([...BUILD_TOOLS, ...RUN_TOOLS]);
 * ```
 */
export async function ensureHostTools(tools: readonly HostTool[]): Promise<void> {
  const missing: string[] = [];
  for (const t of tools) {
    if (!(await haveCommand(t.command)) && !missing.includes(t.pkg)) missing.push(t.pkg);
  }
  if (missing.length === 0) return;
  if (Deno.uid() !== 0) {
    throw new Error(
      `Missing host packages: ${missing.join(" ")}. Install them (apt-get install ${
        missing.join(" ")
      }) or run as root so the lab can install them`,
    );
  }
  if (!(await haveCommand("apt-get"))) {
    throw new Error(`Missing host packages ${missing.join(" ")} and no apt-get; install them`);
  }
  console.error(`lab: installing host packages: ${missing.join(" ")}`);
  const env = { DEBIAN_FRONTEND: "noninteractive" };
  if (await runInherit(["apt-get", "update", "-q"], { env }) !== 0) {
    throw new Error("apt-get update failed; check the network and apt sources, then retry");
  }
  const code = await runInherit(
    ["apt-get", "install", "-y", "-q", "--no-install-recommends", ...missing],
    { env },
  );
  if (code !== 0) throw new Error(`apt-get install ${missing.join(" ")} failed; see above`);
}
