/**
 * Options of helper programs that are refused for security (they would write files, read
 * files, or change the stream): upstream's lists for pv, the compressor and mbuffer.
 *
 * @module
 */
import { UsageError } from "../errors.ts";
import { splitProgramOpts } from "../zfs/program_opts.ts";
import type { BzfsOptionValues } from "./option_values.ts";

/** pv options that write files, change the data, or attach to other processes. */
export const FORBIDDEN_PV_OPTS: ReadonlySet<string> = new Set(
  ("-o --output -f --log-file -S --stop-at-size -Y --sync -X --discard -U --store-and-forward " +
    "-d --watchfd -R --remote -P --pidfile").split(" "),
);

/** Compressor options that name an output file. */
export const FORBIDDEN_COMPRESSION_OPTS: ReadonlySet<string> = new Set(["-o", "--output-file"]);

/** mbuffer options that read or write files or tapes, or log. */
export const FORBIDDEN_MBUFFER_OPTS: ReadonlySet<string> = new Set(
  "-i -I -o -O -l -L -t -T -a -A".split(" "),
);

/**
 * The first token of `opts` that is forbidden, matching `--long[=value]` and short options
 * (also when a value is attached, e.g. `-ofile`).
 *
 * @example
 * ```ts
 * import { forbiddenToken, FORBIDDEN_PV_OPTS } from "./program_opts_check.ts";
 * forbiddenToken(["--rate", "-o/tmp/x"], FORBIDDEN_PV_OPTS); // "-o/tmp/x"
 * ```
 * @param opts The split options.
 * @param forbidden The forbidden option names.
 * @returns The offending token, if any.
 */
export function forbiddenToken(
  opts: readonly string[],
  forbidden: ReadonlySet<string>,
): string | undefined {
  return opts.find((t) =>
    forbidden.has(t.split("=")[0]) || (/^-[a-zA-Z]/.test(t) && forbidden.has(t.slice(0, 2)))
  );
}

/**
 * Refuses forbidden options of pv, the compressor and mbuffer at parse time.
 *
 * @example
 * ```ts ignore
 * checkProgramOpts(config.options); // throws for --mbuffer-program-opts='-o /etc/passwd'
 * ```
 * @param o The options.
 * @throws {UsageError} Naming the option and the offending token.
 */
export function checkProgramOpts(o: BzfsOptionValues): void {
  const checks: [string, string, ReadonlySet<string>][] = [
    ["--pv-program-opts", o.pvProgramOpts, FORBIDDEN_PV_OPTS],
    ["--compression-program-opts", o.compressionProgramOpts, FORBIDDEN_COMPRESSION_OPTS],
    ["--mbuffer-program-opts", o.mbufferProgramOpts, FORBIDDEN_MBUFFER_OPTS],
  ];
  for (const [option, text, forbidden] of checks) {
    const bad = forbiddenToken(splitProgramOpts(text), forbidden);
    if (bad !== undefined) {
      throw new UsageError("Option is disallowed for security reasons", {
        option,
        value: bad,
        hint: "Remove options that read or write files from the program options",
      });
    }
  }
}
