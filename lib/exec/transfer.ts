/**
 * `runTransfer`: runs one send/receive Pipeline with dedicated ssh connections leased for its
 * remote hops (`bzfs_dedicated_tcp_connection_per_zfs_send`), and logs what ran.
 *
 * @module
 */
import type { Executor, PipelineRunOptions, RunResult } from "./executor.ts";
import type { Pipeline, RenderedTransfer } from "./pipeline.ts";
import type { Remote } from "./remote.ts";
import { isLocal } from "./remote.ts";
import type { SshLease, SshMux } from "./ssh_mux.ts";

/** Options of {@linkcode runTransfer}. */
export interface RunTransferOptions extends PipelineRunOptions {
  /** Leases the control paths; without it the hops use plain ssh connections. */
  mux?: SshMux;
  /** Called with the rendered pipeline before it runs (mode, notes for warnings, display text). */
  onRendered?: (rendered: RenderedTransfer) => void;
}

/**
 * Leases dedicated connections, renders the pipeline with them, runs it, and releases them.
 *
 * @example
 * ```ts
 * import { runTransfer } from "./transfer.ts";
 * import { Pipeline } from "./pipeline.ts";
 * import { FakeExecutor } from "./fake_executor.ts";
 * const p = Pipeline.create().send(["zfs", "send", "a@s"]).receive(["zfs", "receive", "b"]);
 * await runTransfer(new FakeExecutor(), p, { onRendered: (r) => console.log(r.mode) }); // "local"
 * ```
 * @param executor Runs the pipeline.
 * @param pipeline The transfer.
 * @param options Mux, hooks, timeout, abort.
 * @returns The pipeline's result.
 * @throws {RetryableError} When the pipeline fails (see `Executor.runPipeline`).
 */
export async function runTransfer(
  executor: Executor,
  pipeline: Pipeline,
  options: RunTransferOptions = {},
): Promise<RunResult> {
  const leases: SshLease[] = [];
  const lease = (remote: Remote): string | undefined => {
    if (!options.mux || isLocal(remote)) return undefined;
    const l = options.mux.acquire(remote, "dedicated");
    leases.push(l);
    return l.controlPath;
  };
  try {
    const { src, dst } = pipeline.endpoints();
    const withPaths = pipeline.controlPaths({ src: lease(src), dst: lease(dst) });
    const rendered = withPaths.render();
    options.onRendered?.(rendered);
    return await executor.runPipeline(rendered, options);
  } finally {
    for (const l of leases) l.release();
  }
}
