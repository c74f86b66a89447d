/**
 * Pure rendering of a send/receive pipeline state into one local `sh -c` script. Private to
 * `pipeline.ts`.
 *
 * @module
 */
import { shellJoin, shellQuote, shellQuoteDouble } from "./quote.ts";
import { isLocal, type Remote, sshArgv } from "./remote.ts";
import type { ToolRole, ToolSet } from "./tools.ts";

/** `--r2r` choices. */
export type R2rMode = "off" | "pull" | "push";

/** How the data flows, after r2r fallbacks. */
export type TransferMode = "local" | "push" | "pull" | "pull-push" | "r2r-push" | "r2r-pull";

/** A helper program and its options. */
export interface ProgramSpec {
  /** The program, e.g. `zstd`. */
  readonly program: string;
  /** Its options, already split. */
  readonly opts: readonly string[];
}

/** The pv stage. */
export interface ProgressSpec extends ProgramSpec {
  /** File that pv's stderr is appended to (`2>> file`); omitted: pv writes to bzfs's stderr. */
  readonly logFile?: string;
  /** `--name=` label, e.g. the human-readable size. */
  readonly name?: string;
}

/** The complete state of a Pipeline builder. */
export interface PipelineState {
  readonly send: readonly string[];
  readonly recv: readonly string[];
  readonly src: Remote;
  readonly dst: Remote;
  readonly sendSudo: boolean;
  readonly recvSudo: boolean;
  readonly r2r: R2rMode;
  readonly compression?: ProgramSpec;
  readonly mbuffer?: ProgramSpec & { readonly recordSize: number };
  readonly pv?: ProgressSpec;
  readonly tools: { readonly src: ToolSet; readonly dst: ToolSet; readonly local: ToolSet };
  readonly shell: string;
  readonly localShell: string;
  readonly controlPaths: { readonly src?: string; readonly dst?: string };
  readonly sizeEstimate?: number;
  readonly minPipeTransferSize: number;
}

/** The rendered pipeline. */
export interface RenderedTransfer {
  /** `[localShell, "-c", script]`. */
  readonly argv: readonly string[];
  /** The script, copy-pasteable. */
  readonly display: string;
  /** The data path actually used. */
  readonly mode: TransferMode;
  /** Why a requested feature was not used (e.g. r2r fallback), for warnings. */
  readonly notes: readonly string[];
}

/** Chooses the data path, falling back from r2r to pull-push when r2r cannot work. */
export function chooseMode(s: PipelineState, notes: string[]): TransferMode {
  const srcLocal = isLocal(s.src);
  const dstLocal = isLocal(s.dst);
  if (srcLocal && dstLocal) return "local";
  if (srcLocal) return "push";
  if (dstLocal) return "pull";
  if (s.r2r === "off") return "pull-push";
  const [runner, other] = s.r2r === "push" ? [s.src, s.dst] : [s.dst, s.src];
  const runnerTools = s.r2r === "push" ? s.tools.src : s.tools.dst;
  const why = !canPipe(s, runner, runnerTools)
    ? "no shell on the remote host"
    : !runnerTools.has("ssh")
    ? "no ssh on the remote host"
    : other.configFile && other.configFile !== "none"
    ? "an ssh config file is set for the other host"
    : "";
  if (why) {
    notes.push(`--r2r=${s.r2r} is not possible (${why}); falling back to --r2r=off`);
    return "pull-push";
  }
  return s.r2r === "push" ? "r2r-push" : "r2r-pull";
}

function canPipe(s: PipelineState, remote: Remote, tools: ToolSet): boolean {
  return isLocal(remote) || (s.shell !== "-" && tools.has("shell"));
}

function stage(argv: readonly string[], stderrAppend?: string): string {
  const text = shellJoin(argv);
  return stderrAppend === undefined ? text : `${text} 2>> ${shellQuote(stderrAppend)}`;
}

/** Text of a leg that runs on a remote host: the command itself, or `sh -c '<a | b | c>'`. */
function remoteLeg(s: PipelineState, leg: readonly string[]): string {
  return leg.length === 1
    ? leg[0]
    : `${shellQuote(s.shell)} -c ${shellQuoteDouble(leg.join(" | "))}`;
}

function sshTo(remote: Remote, command: string, controlPath?: string): string {
  return shellJoin([...sshArgv(remote, { controlPath }), command]);
}

/** Renders the state. */
export function renderState(s: PipelineState): RenderedTransfer {
  const notes: string[] = [];
  const mode = chooseMode(s, notes);
  const remote = mode !== "local";
  const big = s.sizeEstimate === undefined || s.sizeEstimate >= s.minPipeTransferSize;
  const srcPipes = canPipe(s, s.src, s.tools.src);
  const dstPipes = canPipe(s, s.dst, s.tools.dst);
  const on = (tools: ToolSet, role: ToolRole) => remote && big && tools.has(role);
  const compress = s.compression !== undefined && srcPipes && dstPipes &&
    on(s.tools.src, "compression") && on(s.tools.dst, "compression");
  const mb = s.mbuffer;
  const mbuffer = mb &&
    stage([mb.program, "-s", String(Math.max(mb.recordSize, 2 * 1024 * 1024)), ...mb.opts]);
  const pv = s.pv && s.tools.local.has("pv") && !mode.startsWith("r2r") ? s.pv : undefined;
  const pvStage = (withSize: boolean) => {
    if (!pv) return [];
    const size = withSize && s.sizeEstimate !== undefined ? [`--size=${s.sizeEstimate}`] : [];
    const name = pv.name === undefined ? [] : [`--name=${pv.name}`];
    return [stage(["LC_ALL=C", pv.program, ...pv.opts, "--force", ...name, ...size], pv.logFile)];
  };

  const srcLeg = [stage([...(s.sendSudo ? s.src.sudo : []), ...s.send])];
  if (mode === "local" || mode === "push") srcLeg.push(...pvStage(true));
  if (compress) srcLeg.push(stage([s.compression!.program, "-c", ...s.compression!.opts]));
  if (mbuffer && srcPipes && on(s.tools.src, "mbuffer")) srcLeg.push(mbuffer);

  const dstLeg: string[] = [];
  if (mbuffer && dstPipes && on(s.tools.dst, "mbuffer")) dstLeg.push(mbuffer);
  if (compress) dstLeg.push(stage([s.compression!.program, "-dc"]));
  if (mode === "pull") dstLeg.push(...pvStage(true));
  dstLeg.push(stage([...(s.recvSudo ? s.dst.sudo : []), ...s.recv]));

  const middle: string[] = [];
  if (mode === "pull-push") {
    if (mbuffer && big && s.tools.local.has("mbuffer")) middle.push(mbuffer);
    middle.push(...pvStage(!compress));
  }
  const script = assemble(s, mode, srcLeg, middle, dstLeg);
  return { argv: [s.localShell, "-c", script], display: script, mode, notes };
}

function assemble(
  s: PipelineState,
  mode: TransferMode,
  srcLeg: string[],
  middle: string[],
  dstLeg: string[],
): string {
  const cp = s.controlPaths;
  switch (mode) {
    case "local":
      return [...srcLeg, ...dstLeg].join(" | ");
    case "push":
      return [...srcLeg, sshTo(s.dst, remoteLeg(s, dstLeg), cp.dst)].join(" | ");
    case "pull":
      return [sshTo(s.src, remoteLeg(s, srcLeg), cp.src), ...dstLeg].join(" | ");
    case "pull-push":
      return [
        sshTo(s.src, remoteLeg(s, srcLeg), cp.src),
        ...middle,
        sshTo(s.dst, remoteLeg(s, dstLeg), cp.dst),
      ]
        .join(" | ");
    case "r2r-push": {
      const toDst = sshTo(s.dst, remoteLeg(s, dstLeg));
      return sshTo(s.src, remoteLeg(s, [...srcLeg, toDst]), cp.src);
    }
    case "r2r-pull": {
      const fromSrc = sshTo(s.src, remoteLeg(s, srcLeg));
      return sshTo(s.dst, remoteLeg(s, [fromSrc, ...dstLeg]), cp.dst);
    }
  }
}
