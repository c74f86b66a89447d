/**
 * Running commands where the lab's ZFS lives: in the guest over ssh (vm mode) or directly on
 * this host (host mode). Every argv word is shell-quoted before it crosses ssh.
 *
 * @module
 */

import type { LabState } from "./lab_state.ts";
import { run, type RunOptions, type RunResult } from "./run.ts";
import { shellJoin } from "./shell_quote.ts";

/** Where commands run. */
export interface Target {
  /** Runs an argv (quoted word by word over ssh). */
  exec(argv: readonly string[], options?: RunOptions): Promise<RunResult>;
  /** Runs a POSIX shell script (pipelines allowed). */
  sh(script: string, options?: RunOptions): Promise<RunResult>;
  /** The argv prefix that runs a shell command line remotely (empty on the host). */
  readonly sshPrefix: readonly string[];
}

/**
 * The target of a lab.
 *
 * @example
 * ```ts
 * const t = targetFor(state);
 * const { stdout } = await t.exec(["zfs", "list"]);
 * ```
 */
export function targetFor(state: LabState): Target {
  if (state.mode === "host") {
    return {
      exec: (argv, options) => run(argv, options),
      sh: (script, options) => run(["sh", "-c", script], options),
      sshPrefix: [],
    };
  }
  if (!state.sshConfig || !state.host) {
    throw new Error(`Lab state in ${state.stateDir} lacks ssh details; restart the lab`);
  }
  const prefix = ["ssh", "-F", state.sshConfig, state.host, "--"];
  return {
    exec: (argv, options) => run([...prefix, shellJoin(argv)], options),
    sh: (script, options) => run([...prefix, shellJoin(["sh", "-c", script])], options),
    sshPrefix: prefix,
  };
}
