/**
 * The body of one in-process worker (a Web Worker: its own isolate and thread inside the
 * jobrunner's process, like upstream's worker threads). It runs bzfs `main` for each request,
 * one at a time, so each sub-job's logging configuration and log file stay its own.
 *
 * @module
 */
import { main } from "../cli/main.ts";
import { runJob } from "../job/run_job.ts";

/** A request from the pool. */
export interface WorkerRequest {
  /** Request id, echoed in the reply. */
  readonly id: number;
  /** bzfs arguments (without the program name). */
  readonly args: readonly string[];
  /** The environment bzfs sees. */
  readonly env: Readonly<Record<string, string>>;
}

/** The reply to a {@linkcode WorkerRequest}. */
export interface WorkerReply {
  /** The request id. */
  readonly id: number;
  /** bzfs's exit code. */
  readonly code: number;
}

const scope = self as unknown as {
  onmessage: ((e: MessageEvent<WorkerRequest>) => void) | null;
  postMessage(reply: WorkerReply): void;
};

scope.onmessage = async (e) => {
  const { id, args, env } = e.data;
  let code: number;
  try {
    code = await main(args, { runJob: (config) => runJob(config), env });
  } catch (error) {
    const text = error instanceof Error ? error.message : String(error);
    Deno.stderr.writeSync(new TextEncoder().encode(`bzfs: error: ${text}\n`));
    code = 3;
  }
  scope.postMessage({ id, code });
};
