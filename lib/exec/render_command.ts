/**
 * Turns a {@linkcode CommandSpec} into the local argv to spawn: sudo prefix, and for a remote
 * host the ssh argv followed by the remote command as ONE quoted shell string.
 *
 * @module
 */
import type { CommandSpec } from "./executor.ts";
import { isLocal, sshArgv } from "./remote.ts";
import { shellJoin } from "./quote.ts";

/** Options of {@linkcode renderCommand}. */
export interface RenderCommandOptions {
  /** The ControlPath leased for this command, if multiplexing. */
  controlPath?: string;
}

/**
 * The argv to spawn locally for a command spec.
 *
 * @example Local with sudo, and remote
 * ```ts
 * import { renderCommand } from "./render_command.ts";
 * import { createRemote } from "./remote.ts";
 * renderCommand({ argv: ["zfs", "destroy", "tank/a@s1"], sudo: true, remote: createRemote({ sudo: ["sudo", "-n"] }) });
 * // ["sudo", "-n", "zfs", "destroy", "tank/a@s1"]
 * renderCommand({ argv: ["zfs", "list", "my pool"], remote: createRemote({ host: "nas", sshCipher: "" }) });
 * // ["ssh", "-o", "ControlPath=none", "-o", "BatchMode=yes", "-x", "-T", "nas", "zfs list 'my pool'"]
 * ```
 * @param spec The command.
 * @param options The control path, if any.
 * @returns The argv.
 * @throws {TypeError} When `sudo` is set without a `remote` (API misuse: the prefix lives on the remote).
 */
export function renderCommand(spec: CommandSpec, options: RenderCommandOptions = {}): string[] {
  if (spec.sudo && !spec.remote) {
    throw new TypeError(
      "CommandSpec.sudo needs a remote: the elevation prefix is remote.sudo (use createRemote())",
    );
  }
  const inner = [...(spec.sudo && spec.remote ? spec.remote.sudo : []), ...spec.argv];
  if (!spec.remote || isLocal(spec.remote)) return inner;
  return [...sshArgv(spec.remote, { controlPath: options.controlPath }), shellJoin(inner)];
}

/**
 * The copy-pasteable shell text of a spawned argv (what `onCommand` receives).
 *
 * @example
 * ```ts
 * import { displayArgv } from "./render_command.ts";
 * displayArgv(["ssh", "nas", "zfs list 'my pool'"]); // "ssh nas 'zfs list '\"'\"'my pool'\"'\"''"
 * ```
 * @param argv The argv as spawned.
 * @returns One line of shell.
 */
export function displayArgv(argv: readonly string[]): string {
  return shellJoin(argv);
}
