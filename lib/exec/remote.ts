/**
 * The `Remote` value: one endpoint (local host or `[user@]host` over ssh) with everything needed
 * to reach it, and the pure function that renders the `ssh` argv for it.
 *
 * @module
 */
import { BzfsError, UsageError } from "../errors.ts";

/** One endpoint. A remote without `host` is the local host. Build it with {@linkcode createRemote}. */
export interface Remote {
  /** ssh user; undefined means ssh's default (config file or the local user name). */
  readonly user?: string;
  /** Host name or address; undefined means the local host (no ssh). */
  readonly host?: string;
  /** ssh port (`-p`). */
  readonly port?: number;
  /** ssh config file (`-F`). */
  readonly configFile?: string;
  /** ssh client program, e.g. `ssh` or `hpnssh`. */
  readonly sshProgram: string;
  /** `-c` cipher spec; empty omits `-c`. */
  readonly sshCipher: string;
  /** `ControlPersist` seconds of multiplexed master connections. */
  readonly controlPersistSecs: number;
  /** Whether ssh connections are multiplexed through a ControlMaster (`bzfs_reuse_ssh_connection`). */
  readonly reuseConnection: boolean;
  /** Extra ssh options placed before the destination, e.g. `["-v"]`. */
  readonly extraSshOpts: readonly string[];
  /** Elevation prefix for state-changing commands, e.g. `["sudo", "-n"]`, or empty. */
  readonly sudo: readonly string[];
}

/** Fields of {@linkcode createRemote}; every one is optional. */
export interface RemoteOptions {
  /** ssh user. */
  user?: string;
  /** Host; omit or `-` for the local host. */
  host?: string;
  /** ssh port, 1..65535. */
  port?: number;
  /** ssh config file. */
  configFile?: string;
  /** `--ssh-program` (`ssh`, `hpnssh`; `-` disables ssh). @default {"ssh"} */
  sshProgram?: string;
  /** `--ssh-cipher`; empty omits `-c`. @default {"^aes256-gcm@openssh.com"} */
  sshCipher?: string;
  /** `--ssh-control-persist-secs`. @default {600} */
  controlPersistSecs?: number;
  /** `bzfs_reuse_ssh_connection`: multiplex through a ControlMaster. @default {true} */
  reuseConnection?: boolean;
  /** Extra ssh options placed before the destination. @default {[]} */
  extraSshOpts?: readonly string[];
  /** Elevation prefix for state-changing commands (compute it with {@linkcode elevationPrefix}). @default {[]} */
  sudo?: readonly string[];
}

/** The default `--ssh-cipher`. */
export const DEFAULT_SSH_CIPHER = "^aes256-gcm@openssh.com";

/**
 * Builds a {@linkcode Remote}, filling defaults and rejecting values that could be mistaken for
 * ssh options.
 *
 * @example A remote and the local host
 * ```ts
 * import { createRemote, isLocal } from "./remote.ts";
 * const r = createRemote({ user: "root", host: "nas", port: 2222 });
 * isLocal(r); // false
 * isLocal(createRemote()); // true
 * ```
 * @param options The endpoint's fields.
 * @returns A frozen Remote.
 * @throws {UsageError} If user or host start with `-` or contain whitespace, or the port is out of range.
 */
export function createRemote(options: RemoteOptions = {}): Remote {
  const host = options.host === "-" || options.host === "" ? undefined : options.host;
  checkWord("ssh host", host);
  checkWord("ssh user", options.user);
  if (
    options.port !== undefined &&
    !(Number.isInteger(options.port) && options.port >= 1 && options.port <= 65535)
  ) {
    throw new UsageError("Invalid ssh port", { value: String(options.port), hint: "Use 1..65535" });
  }
  return Object.freeze({
    user: options.user || undefined,
    host,
    port: options.port,
    configFile: options.configFile || undefined,
    sshProgram: options.sshProgram ?? "ssh",
    sshCipher: options.sshCipher ?? DEFAULT_SSH_CIPHER,
    controlPersistSecs: options.controlPersistSecs ?? 600,
    reuseConnection: options.reuseConnection ?? true,
    extraSshOpts: Object.freeze([...(options.extraSshOpts ?? [])]),
    sudo: Object.freeze([...(options.sudo ?? [])]),
  });
}

function checkWord(what: string, value: string | undefined): void {
  if (value === undefined) return;
  if (value.startsWith("-") || /\s/.test(value)) {
    throw new UsageError(`Invalid ${what}`, {
      value,
      hint: "It must not start with '-' or contain whitespace",
    });
  }
}

/**
 * Whether the endpoint is the local host (no ssh).
 *
 * @example
 * ```ts
 * import { createRemote, isLocal } from "./remote.ts";
 * isLocal(createRemote({ host: "-" })); // true
 * ```
 * @param remote The endpoint.
 * @returns True when no host is set.
 */
export function isLocal(remote: Remote): boolean {
  return remote.host === undefined;
}

/**
 * The ssh destination `user@host` (or `host`), or `""` for the local host.
 *
 * @example
 * ```ts
 * import { createRemote, userHost } from "./remote.ts";
 * userHost(createRemote({ user: "root", host: "nas" })); // "root@nas"
 * ```
 * @param remote The endpoint.
 * @returns The destination word passed to ssh.
 */
export function userHost(remote: Remote): string {
  if (remote.host === undefined) return "";
  return remote.user ? `${remote.user}@${remote.host}` : remote.host;
}

/**
 * A stable key naming the endpoint for caches: `user@host#port#configFile`, or `-` for local.
 *
 * @example
 * ```ts
 * import { createRemote, remoteKey } from "./remote.ts";
 * remoteKey(createRemote({ host: "nas", port: 22 })); // "nas#22#"
 * ```
 * @param remote The endpoint.
 * @returns The key.
 */
export function remoteKey(remote: Remote): string {
  if (isLocal(remote)) return "-";
  return `${userHost(remote)}#${remote.port ?? ""}#${remote.configFile ?? ""}`;
}

/** Inputs of {@linkcode elevationPrefix}. */
export interface ElevationOptions {
  /** Whether the commands run as root on that host (then no elevation is needed). */
  isRoot: boolean;
  /** `--no-privilege-elevation`: rely on `zfs allow` delegation instead. @default {false} */
  noPrivilegeElevation?: boolean;
  /** `--sudo-program`; `-` disables elevation. @default {"sudo"} */
  sudoProgram?: string;
}

/**
 * The prefix for state-changing commands: `[sudo, "-n"]` when not root and elevation is allowed
 * (`-n` so it never prompts for a password), else `[]`.
 *
 * @example
 * ```ts
 * import { elevationPrefix } from "./remote.ts";
 * elevationPrefix({ isRoot: false }); // ["sudo", "-n"]
 * elevationPrefix({ isRoot: true }); // []
 * elevationPrefix({ isRoot: false, noPrivilegeElevation: true }); // []
 * ```
 * @param options Who runs, and the options.
 * @returns The argv prefix.
 * @throws {BzfsError} When elevation is needed but `--sudo-program=-` disabled it.
 */
export function elevationPrefix(options: ElevationOptions): string[] {
  if (options.isRoot || options.noPrivilegeElevation) return [];
  const program = options.sudoProgram ?? "sudo";
  if (program === "-") {
    throw new BzfsError(
      "Privilege elevation is needed as the user is not root, but --sudo-program=- disables it. " +
        "Use --no-privilege-elevation with 'zfs allow' delegation, or run as root",
    );
  }
  return [program, "-n"];
}

/**
 * Whether commands on the endpoint run as root: the ssh user is `root`, or (local host, or no ssh
 * user given so ssh uses the local user name) the local uid is 0.
 *
 * @example
 * ```ts
 * import { createRemote, runsAsRoot } from "./remote.ts";
 * runsAsRoot(createRemote({ user: "root", host: "nas" }), 1000); // true
 * runsAsRoot(createRemote(), 1000); // false
 * ```
 * @param remote The endpoint.
 * @param localUid The uid of this process (`Deno.uid()`), or null when unknown.
 * @returns True when root.
 */
export function runsAsRoot(remote: Remote, localUid: number | null): boolean {
  if (!isLocal(remote) && remote.user !== undefined) return remote.user === "root";
  return localUid === 0;
}

/** Options of {@linkcode sshArgv}. */
export interface SshArgvOptions {
  /**
   * The ControlPath socket to multiplex through (`-S`), from an `SshMux` lease. Omitted, or
   * when the remote does not reuse connections: a plain connection (`ControlPath=none`).
   */
  controlPath?: string;
}

/**
 * Renders the local argv that opens a session to the endpoint; the remote command is appended by
 * the caller as ONE shell-quoted string (ssh concatenates its arguments).
 *
 * @example Multiplexed and plain
 * ```ts
 * import { createRemote, sshArgv } from "./remote.ts";
 * const r = createRemote({ user: "root", host: "nas", port: 2222 });
 * sshArgv(r, { controlPath: "/tmp/bzfs.x/1s0" });
 * // ["ssh", "-p", "2222", "-c", "^aes256-gcm@openssh.com", "-S", "/tmp/bzfs.x/1s0",
 * //  "-o", "ControlMaster=auto", "-o", "ControlPersist=600s", "-o", "BatchMode=yes", "-x", "-T",
 * //  "root@nas"]
 * ```
 * @param remote A non-local endpoint.
 * @param options The control path, if multiplexing.
 * @returns The argv up to and including `[user@]host`.
 * @throws {BzfsError} If the remote is local or ssh is disabled (`--ssh-program=-`).
 */
export function sshArgv(remote: Remote, options: SshArgvOptions = {}): string[] {
  if (isLocal(remote)) throw new BzfsError("Cannot build an ssh command for the local host");
  if (remote.sshProgram === "-") {
    throw new BzfsError(
      `ssh is disabled by --ssh-program=- but the host is remote: ${userHost(remote)}`,
    );
  }
  const argv = [remote.sshProgram];
  if (remote.configFile) argv.push("-F", remote.configFile);
  if (remote.port !== undefined) argv.push("-p", String(remote.port));
  if (remote.sshCipher) argv.push("-c", remote.sshCipher);
  if (remote.reuseConnection && options.controlPath) {
    argv.push("-S", options.controlPath, "-o", "ControlMaster=auto");
    argv.push("-o", `ControlPersist=${remote.controlPersistSecs}s`);
  } else {
    argv.push("-o", "ControlPath=none");
  }
  argv.push("-o", "BatchMode=yes", "-x", "-T");
  argv.push(...remote.extraSshOpts, userHost(remote));
  return argv;
}

/**
 * The argv that tells a multiplexed master connection to exit (`ssh -S path -O exit host`).
 *
 * @example
 * ```ts
 * import { createRemote, sshExitArgv } from "./remote.ts";
 * sshExitArgv(createRemote({ host: "nas" }), "/tmp/bzfs.x/1s0");
 * // ["ssh", "-S", "/tmp/bzfs.x/1s0", "-O", "exit", "nas"]
 * ```
 * @param remote A non-local endpoint.
 * @param controlPath Its master's socket.
 * @returns The argv.
 */
export function sshExitArgv(remote: Remote, controlPath: string): string[] {
  const argv = [remote.sshProgram];
  if (remote.configFile) argv.push("-F", remote.configFile);
  if (remote.port !== undefined) argv.push("-p", String(remote.port));
  argv.push("-S", controlPath, "-O", "exit", userHost(remote));
  return argv;
}
