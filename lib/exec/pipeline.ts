/**
 * The immutable `Pipeline` builder for `zfs send | [pv] | [compress] | [mbuffer] | ssh dst
 * '[mbuffer] | [decompress] | zfs receive'`, in every data path: local, push, pull, pull-push
 * (data flows through the initiator) and r2r (the source pushes to, or the destination pulls
 * from, the other remote directly). `render()` is pure; `RealExecutor.runPipeline` spawns it as
 * ONE `sh -c` process so bulk data never passes through JavaScript.
 *
 * @module
 */
import {
  type PipelineState,
  type ProgramSpec,
  type ProgressSpec,
  type R2rMode,
  type RenderedTransfer,
  renderState,
} from "./_pipeline_render.ts";
import { createRemote, type Remote } from "./remote.ts";
import type { ToolSet } from "./tools.ts";

export type { ProgramSpec, ProgressSpec, R2rMode, RenderedTransfer };
export type { TransferMode } from "./_pipeline_render.ts";

/** Options of {@linkcode Pipeline.from} and {@linkcode Pipeline.to}. */
export interface EndpointOptions {
  /** Prefix the zfs command with the remote's elevation (`remote.sudo`). @default {false} */
  sudo?: boolean;
}

/** Options of {@linkcode Pipeline.buffer}. */
export interface BufferOptions {
  /** The dataset's recordsize; mbuffer's `-s` block size is max(recordsize, 2 MiB). @default {0} */
  recordSize?: number;
}

/** Options of {@linkcode Pipeline.sizeEstimate}. */
export interface SizeEstimateOptions {
  /** `bzfs_min_pipe_transfer_size`: below it no compression or mbuffer. @default {1048576} */
  minPipeTransferSize?: number;
}

const EMPTY: ToolSet = new Set();

/**
 * An immutable description of one send/receive transfer. Every method returns a new instance,
 * so one base builder per host pair can be shared across datasets.
 *
 * @example Push to a remote host with compression and mbuffer where both sides have them
 * ```ts
 * import { Pipeline } from "./pipeline.ts";
 * import { createRemote } from "./remote.ts";
 * import { toolSet } from "./tools.ts";
 * const all = toolSet("shell", "compression", "mbuffer", "pv", "ssh");
 * const base = Pipeline.create()
 *   .compression("zstd", ["-1"])
 *   .buffer("mbuffer", ["-q", "-m", "128M"])
 *   .tools({ src: all, dst: all, local: all });
 * const p = base
 *   .send(["zfs", "send", "tank/a@s1"])
 *   .receive(["zfs", "receive", "-u", "backup/a"])
 *   .to(createRemote({ host: "nas", sshCipher: "" }));
 * console.log(p.render().display);
 * // zfs send tank/a@s1 | zstd -c -1 | mbuffer -s 2097152 -q -m 128M | ssh -o ControlPath=none ... nas
 * //   'sh -c '"'"'mbuffer -s 2097152 -q -m 128M | zstd -dc | zfs receive -u backup/a'"'"''
 * ```
 */
export class Pipeline {
  readonly #state: PipelineState;

  private constructor(state: PipelineState) {
    this.#state = state;
  }

  /**
   * A pipeline with local endpoints, no helpers, and no tools known.
   * @example
   * ```ts
   * import { Pipeline } from "./pipeline.ts";
   * Pipeline.create().send(["zfs", "send", "a@s"]).receive(["zfs", "receive", "b"]).render().display;
   * // "zfs send a@s | zfs receive b"
   * ```
   * @returns The builder.
   */
  static create(): Pipeline {
    const local = createRemote();
    return new Pipeline({
      send: ["zfs", "send"],
      recv: ["zfs", "receive"],
      src: local,
      dst: local,
      sendSudo: false,
      recvSudo: false,
      r2r: "off",
      tools: { src: EMPTY, dst: EMPTY, local: EMPTY },
      shell: "sh",
      localShell: "sh",
      controlPaths: {},
      minPipeTransferSize: 1024 * 1024,
    });
  }

  /**
   * The `zfs send ...` argv (without sudo).
   * @example
   * ```ts
   * import { Pipeline } from "./pipeline.ts";
   * Pipeline.create().send(["zfs", "send", "-w", "-I", "tank/a@s1", "tank/a@s5"]);
   * ```
   * @param argv The send command.
   * @returns A new builder.
   */
  send(argv: readonly string[]): Pipeline {
    return this.#with((s) => s.send = [...argv]);
  }

  /**
   * The `zfs receive ...` argv (without sudo).
   * @example
   * ```ts
   * import { Pipeline } from "./pipeline.ts";
   * Pipeline.create().receive(["zfs", "receive", "-s", "-u", "backup/a"]);
   * ```
   * @param argv The receive command.
   * @returns A new builder.
   */
  receive(argv: readonly string[]): Pipeline {
    return this.#with((s) => s.recv = [...argv]);
  }

  /**
   * The source endpoint, where `zfs send` runs.
   * @example
   * ```ts
   * import { Pipeline } from "./pipeline.ts";
   * import { createRemote } from "./remote.ts";
   * Pipeline.create().from(createRemote({ host: "src", sudo: ["sudo", "-n"] }), { sudo: true });
   * ```
   * @param remote The source host.
   * @param options Whether `zfs send` needs sudo.
   * @returns A new builder.
   */
  from(remote: Remote, options: EndpointOptions = {}): Pipeline {
    return this.#with((s) => {
      s.src = remote;
      s.sendSudo = options.sudo ?? false;
    });
  }

  /**
   * The destination endpoint, where `zfs receive` runs.
   * @example
   * ```ts
   * import { Pipeline } from "./pipeline.ts";
   * import { createRemote } from "./remote.ts";
   * Pipeline.create().to(createRemote({ host: "nas" }));
   * ```
   * @param remote The destination host.
   * @param options Whether `zfs receive` needs sudo.
   * @returns A new builder.
   */
  to(remote: Remote, options: EndpointOptions = {}): Pipeline {
    return this.#with((s) => {
      s.dst = remote;
      s.recvSudo = options.sudo ?? false;
    });
  }

  /**
   * `--r2r`: with both endpoints remote, `push` makes the source run `zfs send | ssh dst ...` and
   * `pull` makes the destination run `ssh src ... | zfs receive`; `off` relays through this host.
   * Falls back to `off` (noted in `render().notes`) when the runner lacks sh or ssh, or the other
   * side has an ssh config file.
   * @example
   * ```ts
   * import { Pipeline } from "./pipeline.ts";
   * Pipeline.create().r2r("push");
   * ```
   * @param mode The r2r mode.
   * @returns A new builder.
   */
  r2r(mode: R2rMode): Pipeline {
    return this.#with((s) => s.r2r = mode);
  }

  /**
   * On-the-wire compression (`program -c opts` / `program -dc`), used only for remote transfers
   * when both the sending and the receiving host have it.
   * @example
   * ```ts
   * import { Pipeline } from "./pipeline.ts";
   * Pipeline.create().compression("zstd", ["-1"]);
   * ```
   * @param program `--compression-program`, e.g. `zstd`; `-` disables.
   * @param opts `--compression-program-opts`, already split.
   * @returns A new builder.
   */
  compression(program: string, opts: readonly string[] = []): Pipeline {
    return this.#with((s) =>
      s.compression = program === "-" ? undefined : { program, opts: [...opts] }
    );
  }

  /**
   * mbuffer on each remote-transfer host that has it (and in the middle for pull-push).
   * @example
   * ```ts
   * import { Pipeline } from "./pipeline.ts";
   * Pipeline.create().buffer("mbuffer", ["-q", "-m", "128M"], { recordSize: 131072 });
   * ```
   * @param program `--mbuffer-program`; `-` disables.
   * @param opts `--mbuffer-program-opts`, already split.
   * @param options The recordsize.
   * @returns A new builder.
   */
  buffer(program: string, opts: readonly string[] = [], options: BufferOptions = {}): Pipeline {
    return this.#with((s) =>
      s.mbuffer = program === "-"
        ? undefined
        : { program, opts: [...opts], recordSize: options.recordSize ?? 0 }
    );
  }

  /**
   * A pv progress stage on this host (not in r2r modes), with `--size` when the estimate is known.
   * @example
   * ```ts
   * import { Pipeline } from "./pipeline.ts";
   * Pipeline.create().progress({ program: "pv", opts: ["--bytes"], logFile: "/tmp/x.pv", name: "1.2GiB" });
   * ```
   * @param spec Program, options (including any `--rate-limit`), log file and label.
   * @returns A new builder.
   */
  progress(spec: ProgressSpec | undefined): Pipeline {
    return this.#with((s) =>
      s.pv = spec === undefined || spec.program === "-"
        ? undefined
        : { ...spec, opts: [...spec.opts] }
    );
  }

  /**
   * Which tools each host has (from `detectTools`); a helper is used only where present.
   * @example
   * ```ts
   * import { Pipeline } from "./pipeline.ts";
   * import { toolSet } from "./tools.ts";
   * Pipeline.create().tools({ src: toolSet("shell"), dst: toolSet("shell", "mbuffer"), local: toolSet() });
   * ```
   * @param tools Per host.
   * @returns A new builder.
   */
  tools(tools: { src: ToolSet; dst: ToolSet; local: ToolSet }): Pipeline {
    return this.#with((s) => s.tools = { src: tools.src, dst: tools.dst, local: tools.local });
  }

  /**
   * `--shell-program` used on remote hosts (`-` disables remote pipelines) and the local shell.
   * @example
   * ```ts
   * import { Pipeline } from "./pipeline.ts";
   * Pipeline.create().shell("sh", "/bin/sh");
   * ```
   * @param remoteShell The remote shell. @default {"sh"}
   * @param localShell The local shell. @default {"sh"}
   * @returns A new builder.
   */
  shell(remoteShell: string, localShell = "sh"): Pipeline {
    return this.#with((s) => {
      s.shell = remoteShell;
      s.localShell = localShell;
    });
  }

  /**
   * The ControlPath sockets (dedicated leases from `SshMux`) for the ssh hops from this host.
   * @example
   * ```ts
   * import { Pipeline } from "./pipeline.ts";
   * Pipeline.create().controlPaths({ dst: "/tmp/bzfs.x/1d0" });
   * ```
   * @param paths Per endpoint.
   * @returns A new builder.
   */
  controlPaths(paths: { src?: string; dst?: string }): Pipeline {
    return this.#with((s) => s.controlPaths = { src: paths.src, dst: paths.dst });
  }

  /**
   * The estimated stream size: pv gets `--size`, and below the minimum pipe transfer size no
   * compression or mbuffer is used.
   * @example
   * ```ts
   * import { Pipeline } from "./pipeline.ts";
   * Pipeline.create().sizeEstimate(123_456_789, { minPipeTransferSize: 1024 * 1024 });
   * ```
   * @param bytes The estimate, or undefined when unknown (`--no-estimate-send-size`).
   * @param options The threshold.
   * @returns A new builder.
   */
  sizeEstimate(bytes: number | undefined, options: SizeEstimateOptions = {}): Pipeline {
    return this.#with((s) => {
      s.sizeEstimate = bytes;
      if (options.minPipeTransferSize !== undefined) {
        s.minPipeTransferSize = options.minPipeTransferSize;
      }
    });
  }

  /**
   * The source and destination endpoints (e.g. to lease their ssh connections).
   * @example
   * ```ts
   * import { Pipeline } from "./pipeline.ts";
   * Pipeline.create().endpoints().src.host; // undefined (local)
   * ```
   * @returns Both endpoints.
   */
  endpoints(): { src: Remote; dst: Remote } {
    return { src: this.#state.src, dst: this.#state.dst };
  }

  /**
   * Renders the pipeline. Pure: same state, same output.
   * @example
   * ```ts
   * import { Pipeline } from "./pipeline.ts";
   * const r = Pipeline.create().send(["zfs", "send", "a@s"]).receive(["zfs", "receive", "b"]).render();
   * r.argv; // ["sh", "-c", "zfs send a@s | zfs receive b"]
   * r.mode; // "local"
   * ```
   * @returns The argv to spawn, the display text, the data path and any fallback notes.
   */
  render(): RenderedTransfer {
    return renderState(this.#state);
  }

  /** Copies the state field by field (deliberately: a new field forces a decision here). */
  #with(mutate: (s: { -readonly [K in keyof PipelineState]: PipelineState[K] }) => void): Pipeline {
    const s = this.#state;
    const copy = {
      send: s.send,
      recv: s.recv,
      src: s.src,
      dst: s.dst,
      sendSudo: s.sendSudo,
      recvSudo: s.recvSudo,
      r2r: s.r2r,
      compression: s.compression,
      mbuffer: s.mbuffer,
      pv: s.pv,
      tools: s.tools,
      shell: s.shell,
      localShell: s.localShell,
      controlPaths: s.controlPaths,
      sizeEstimate: s.sizeEstimate,
      minPipeTransferSize: s.minPipeTransferSize,
    };
    mutate(copy);
    return new Pipeline(Object.freeze(copy));
  }
}
