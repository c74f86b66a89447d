/**
 * Localhost detection (reference 1.4): a host that is this machine is written as `-` (local,
 * no ssh) when the ssh user of that side is the current user, or as the loopback address
 * otherwise; `:` in a host part becomes `|` so bzfs can split `host:dataset`.
 *
 * @module
 */

/** Who and where this machine is. */
export interface LocalIdentity {
  /** `--localhost`, else the OS hostname. */
  readonly localhostName: string;
  /** Names and addresses that mean this machine (empty when loopback detection is disabled). */
  readonly loopbackIds: ReadonlySet<string>;
  /** The current OS user. */
  readonly username: string;
  /** Address to ssh to this machine as another user (`127.0.0.1`, `::1`, or `""`). */
  readonly loopbackAddress: string;
}

/** Which end of a bzfs command a host is on (selects `--ssh-src-user` or `--ssh-dst-user`). */
export type Side = "src" | "dst";

/** Turns a fleet hostname into the host part of a bzfs `host:dataset` operand. */
export type HostResolver = (host: string, side: Side) => string;

/**
 * Builds the host resolver for a run.
 *
 * @example
 * ```ts
 * import { hostResolver } from "./localhost.ts";
 * const resolve = hostResolver({ localhostName: "nas", loopbackIds: new Set(["nas", "localhost"]),
 *   username: "root", loopbackAddress: "127.0.0.1" }, { src: "", dst: "backup" });
 * console.log(resolve("nas", "src"), resolve("nas", "dst"), resolve("fe80::1", "src"));
 * // - 127.0.0.1 fe80||1
 * ```
 * @param identity This machine.
 * @param sshUsers `--ssh-src-user` and `--ssh-dst-user` (`""` = the current user).
 * @returns The resolver.
 */
export function hostResolver(
  identity: LocalIdentity,
  sshUsers: { readonly src: string; readonly dst: string },
): HostResolver {
  return (host, side) => {
    let h = host;
    if (identity.loopbackIds.has(host)) {
      const user = sshUsers[side] || identity.username;
      h = user === identity.username ? "-" : (identity.loopbackAddress || host);
    }
    return h.replaceAll(":", "|");
  };
}

/** Seams of {@linkcode detectLocalIdentity}. */
export interface DetectOptions {
  /** `--localhost`. */
  readonly localhost?: string;
  /** Environment (for `bzfs_disable_loopback`, `USER`). */
  readonly env: (name: string) => string | undefined;
  /** The OS hostname. @default Deno.hostname() */
  readonly osHostname?: () => string;
  /** Addresses of this machine (`hostname -I`); failures only warn. */
  readonly hostAddresses?: () => Promise<string[]>;
  /** Called with warnings. */
  readonly warn?: (message: string) => void;
}

/**
 * Finds this machine's names, addresses and user.
 *
 * @example
 * ```ts ignore
 * const me = await detectLocalIdentity({ localhost: "nas", env: (k) => Deno.env.get(k) });
 * ```
 * @param options `--localhost` and seams.
 * @returns The identity.
 */
export async function detectLocalIdentity(options: DetectOptions): Promise<LocalIdentity> {
  const osName = (options.osHostname ?? defaultHostname)();
  const localhostName = options.localhost || osName;
  const ids = new Set(["localhost", "127.0.0.1", "::1", osName, localhostName]);
  try {
    for (const ip of await (options.hostAddresses ?? hostnameI)()) ids.add(ip);
  } catch (e) {
    options.warn?.(`Cannot run 'hostname -I' on localhost: ${(e as Error).message}`);
  }
  const disabled = /^(true|1|yes)$/i.test(options.env("bzfs_disable_loopback") ?? "");
  return {
    localhostName,
    loopbackIds: disabled ? new Set() : ids,
    username: options.env("USER") ?? options.env("LOGNAME") ?? uidUser(),
    loopbackAddress: "127.0.0.1",
  };
}

function defaultHostname(): string {
  return Deno.hostname();
}

function uidUser(): string {
  try {
    return Deno.uid() === 0 ? "root" : `uid${Deno.uid()}`;
  } catch {
    return "";
  }
}

async function hostnameI(): Promise<string[]> {
  if (Deno.build.os !== "linux") return [];
  const out = await new Deno.Command("hostname", { args: ["-I"], stdin: "null", stderr: "null" })
    .output();
  if (!out.success) throw new Error(`hostname -I exited with status ${out.code}`);
  return new TextDecoder().decode(out.stdout).trim().split(/\s+/).filter((s) => s !== "");
}
