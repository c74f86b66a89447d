/**
 * A lab session for one command (`test:zfs`, `demo`): start or reuse the lab, run a body,
 * and stop the lab again if this session started it, in a finally block and on
 * SIGINT/SIGTERM. A lab that was already running is reused and left running.
 *
 * @module
 */

import type { ZfsVariant } from "./paths.ts";
import { chooseMode, findLab, labHealthy, type ModeChoice, startLab, stopLab } from "./lab_ops.ts";
import type { LabState } from "./lab_state.ts";
import { lockLab } from "./lab_lock.ts";
import { killGroup } from "./process_group.ts";
import { stateDir } from "./paths.ts";

/** Options of {@linkcode withLab}. */
export interface SessionOptions extends ModeChoice {
  /** OpenZFS variant. */
  variant: ZfsVariant;
  /** Leave a lab this session started running afterwards. */
  keep?: boolean;
  /** Prefix of progress messages, e.g. "test:zfs". */
  name: string;
}

/** What the body gets. */
export interface Session {
  /** The running lab. */
  state: LabState;
  /** True if the lab was already running before this session. */
  reused: boolean;
  /**
   * Registers a child started with `spawnGroup`: its whole process group is ended when the
   * session ends (normally, by an error, or on SIGINT/SIGTERM).
   */
  track(child: Deno.ChildProcess): void;
}

/**
 * Runs `body` with a running lab and guarantees the lab this session started is stopped.
 * Sessions on the same lab run one after the other (see `lab_lock.ts`).
 *
 * @example
 * ```ts
 * const code = await withLab({ variant: "2.3", name: "demo" }, async (s) => 0);
 * ```
 */
export async function withLab(
  opts: SessionOptions,
  body: (session: Session) => Promise<number>,
): Promise<number> {
  const mode = await chooseMode(opts);
  const lock = await lockLab(stateDir(mode, opts.variant), opts.name);
  const before = await findLab(opts.variant, mode);
  const reused = before !== undefined && (await labHealthy(before));
  const groups: number[] = [];
  let stopping: Promise<void> | undefined;
  const cleanup = () => {
    stopping ??= (async () => {
      for (const g of groups) await killGroup(g);
      if (reused || opts.keep) return;
      const state = await findLab(opts.variant, mode); // also finds a lab still booting
      if (!state) return;
      await stopLab(state);
      console.error(`${opts.name}: stopped the ${state.mode} lab`);
    })();
    return stopping;
  };
  const onSignal = (sig: "SIGINT" | "SIGTERM") => async () => {
    console.error(`${opts.name}: ${sig}, cleaning up`);
    await cleanup().catch((e) => console.error(`${opts.name}: cleanup failed: ${e}`));
    lock.release();
    Deno.exit(sig === "SIGINT" ? 130 : 143);
  };
  const handlers = (["SIGINT", "SIGTERM"] as const).map((s) => [s, onSignal(s)] as const);
  for (const [s, h] of handlers) Deno.addSignalListener(s, h);
  try {
    const { state } = await startLab(opts.variant, mode);
    const boot = state.bootSeconds !== undefined && !reused
      ? `, ssh ready in ${state.bootSeconds} s (${state.accel})`
      : "";
    console.error(
      `${opts.name}: ${state.mode} lab ${
        reused ? "reused" : "started"
      } (${state.zfsVersion})${boot}`,
    );
    return await body({ state, reused, track: (c) => groups.push(c.pid) });
  } finally {
    await cleanup().finally(() => lock.release());
    for (const [s, h] of handlers) Deno.removeSignalListener(s, h);
  }
}
