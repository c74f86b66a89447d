/**
 * The I/O layer: shell quoting, endpoints and ssh, the Executor seam (real, dry-run, fake), and
 * the immutable send/receive Pipeline builder.
 *
 * @example Run a command on a remote host and stream a send/receive pipeline
 * ```ts
 * import { createRemote, Pipeline, RealExecutor, runTransfer, SshMux, toolSet } from "./mod.ts";
 * const mux = await SshMux.create();
 * const executor = new RealExecutor({ mux, onCommand: (cmd) => console.log(cmd) });
 * const nas = createRemote({ user: "root", host: "nas" });
 * await executor.run({ argv: ["zfs", "list", "-Hp"], remote: nas, readOnly: true });
 * const p = Pipeline.create()
 *   .send(["zfs", "send", "tank/a@s1"])
 *   .receive(["zfs", "receive", "-u", "bak/a"])
 *   .to(nas)
 *   .tools({ src: toolSet("shell"), dst: toolSet("shell"), local: toolSet() });
 * await runTransfer(executor, p, { mux }); // leases a dedicated connection for the ssh hop
 * await mux.close();
 * ```
 *
 * @module
 */
export * from "./quote.ts";
export * from "./remote.ts";
export * from "./ssh_mux.ts";
export * from "./control_path_pool.ts";
export * from "./tools.ts";
export * from "./executor.ts";
export * from "./failure.ts";
export * from "./render_command.ts";
export * from "./spawn.ts";
export * from "./real_executor.ts";
export * from "./dry_run_executor.ts";
export * from "./fake_executor.ts";
export * from "./pipeline.ts";
export * from "./transfer.ts";
