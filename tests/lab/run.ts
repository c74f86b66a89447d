/**
 * Running host processes for the lab: captured output, explicit failure messages.
 *
 * @module
 */

/** Result of {@linkcode run}. */
export interface RunResult {
  /** Exit code (128+signal if killed by a signal). */
  code: number;
  /** Captured standard output as text. */
  stdout: string;
  /** Captured standard error as text. */
  stderr: string;
}

/** Options of {@linkcode run}. */
export interface RunOptions {
  /** Bytes fed to standard input; stdin is /dev/null when absent. */
  stdin?: Uint8Array;
  /** Extra environment variables. */
  env?: Record<string, string>;
  /** Return a failed result instead of throwing. @default false */
  noThrow?: boolean;
  /** Working directory. */
  cwd?: string;
}

/** A command failed; carries the result. */
export class CommandError extends Error {
  /** The failed command's result. */
  readonly result: RunResult;
  /**
   * @param argv The command that failed.
   * @param result What it returned.
   */
  constructor(argv: readonly string[], result: RunResult) {
    super(
      `Command failed with exit code ${result.code}: ${argv.join(" ")}\n${result.stderr.trim()}`,
    );
    this.name = "CommandError";
    this.result = result;
  }
}

/**
 * Runs a command to completion, capturing its output. Throws {@linkcode CommandError} on a
 * non-zero exit unless `noThrow` is set.
 *
 * @example
 * ```ts
 * const { stdout } = await run(["uname", "-r"]);
 * ```
 */
export async function run(argv: readonly string[], options: RunOptions = {}): Promise<RunResult> {
  const cmd = new Deno.Command(argv[0], {
    args: argv.slice(1),
    stdin: options.stdin ? "piped" : "null",
    stdout: "piped",
    stderr: "piped",
    env: options.env,
    cwd: options.cwd,
  });
  const child = cmd.spawn();
  if (options.stdin) {
    const writer = child.stdin.getWriter();
    await writer.write(options.stdin);
    await writer.close();
  }
  const out = await child.output();
  const dec = new TextDecoder();
  const result = {
    code: out.signal ? 128 + signalNumber(out.signal) : out.code,
    stdout: dec.decode(out.stdout),
    stderr: dec.decode(out.stderr),
  };
  if (result.code !== 0 && !options.noThrow) throw new CommandError(argv, result);
  return result;
}

/**
 * Runs a command with inherited stdio (for long builds the user should watch); returns the code.
 *
 * @example
 * ```ts
 * const code = await runInherit(["apt-get", "update"]);
 * ```
 */
export async function runInherit(
  argv: readonly string[],
  options: { env?: Record<string, string> } = {},
): Promise<number> {
  const out = await new Deno.Command(argv[0], {
    args: argv.slice(1),
    stdin: "null",
    stdout: "inherit",
    stderr: "inherit",
    env: options.env,
  }).output();
  return out.signal ? 128 + signalNumber(out.signal) : out.code;
}

/**
 * True when an executable of this name is on PATH.
 *
 * @example
 * ```ts
 * if (!await haveCommand("qemu-img")) console.log("missing");
 * ```
 */
export async function haveCommand(name: string): Promise<boolean> {
  const r = await run(["sh", "-c", 'command -v "$1" >/dev/null', "sh", name], { noThrow: true });
  return r.code === 0;
}

function signalNumber(sig: Deno.Signal): number {
  const table: Partial<Record<Deno.Signal, number>> = {
    SIGHUP: 1,
    SIGINT: 2,
    SIGQUIT: 3,
    SIGKILL: 9,
    SIGPIPE: 13,
    SIGTERM: 15,
  };
  return table[sig] ?? 1;
}
