/**
 * Table-driven command-line parsing with commander: builds a program from an option table,
 * parses argv into converted values, and records the order of order-sensitive options.
 *
 * @module
 */
import { Command, CommanderError, Option } from "@commander-js/extra-typings";
import { UsageError } from "../errors.ts";
import { readArgumentFile } from "./argument_file.ts";
import { formatHelp } from "./help.ts";
import { attributeName, type OptionSpec } from "./option_spec.ts";
import {
  parseNonEmpty,
  parseNumber,
  parsePercent,
  parseSafeDirectory,
  parseSafeFileName,
  parseSshConfigFile,
} from "./value_parsers.ts";

/** One occurrence of an option, in command-line order. */
export interface ArgEvent {
  /** Attribute name of the option, e.g. `includeSnapshotRegex`. */
  readonly attr: string;
  /** The converted values of this occurrence (empty for flags). */
  readonly values: readonly string[];
}

/** The result of {@linkcode parseArgs}. */
export interface ParsedArgs {
  /** Converted value per attribute name (defaults included). */
  readonly values: Readonly<Record<string, unknown>>;
  /** Attribute names given on the command line. */
  readonly given: ReadonlySet<string>;
  /** Occurrences of every option in command-line order. */
  readonly events: readonly ArgEvent[];
  /** Positional values. */
  readonly positionals: readonly string[];
  /** Unknown arguments (only with `allowUnknown`), in order. */
  readonly unknown: readonly string[];
  /** Whether `--no-argument-file` appeared before each positional (by index). */
  readonly argumentFilesAllowedAt: (positionalIndex: number) => boolean;
}

/** Options of {@linkcode parseArgs}. */
export interface ParseArgsOptions {
  /** Program name for usage and errors. */
  name: string;
  /** One paragraph shown at the top of `--help`. */
  description: string;
  /** Text shown after the options in `--help`. */
  epilog?: string;
  /** Keep unknown options instead of failing (the jobrunner forwards them to bzfs). */
  allowUnknown?: boolean;
  /** Where help and errors are written. @default stdout/stderr */
  write?: { out: (s: string) => void; err: (s: string) => void };
}

/** Thrown by {@linkcode parseArgs} when `--help` was printed; the caller exits 0. */
export class HelpShown extends Error {}

const OCCURRENCE = "\u0000occurrence";

function metavarWord(spec: OptionSpec): string {
  return (spec.metavar ?? "VALUE").replace(/\s+/g, "_");
}

function flagsString(spec: OptionSpec): string {
  const shorts = spec.flags.filter((f) => /^-[^-]$/.test(f));
  const long = spec.flags[0];
  const names = [...shorts, long].join(", ");
  const mv = metavarWord(spec);
  switch (spec.nargs) {
    case "0":
      return names;
    case "?":
      return `${names} [${mv}]`;
    case "+":
      return `${names} <${mv}...>`;
    case "*":
      return `${names} [${mv}...]`;
    default:
      return `${names} <${mv}>`;
  }
}

interface ParseState {
  noArgFile: boolean;
  events: ArgEvent[];
  current: { attr: string; values: string[] } | null;
}

function expandFileOrLiteral(spec: OptionSpec, value: string, state: ParseState): string[] {
  if (!value.startsWith("+")) return [value];
  if (state.noArgFile) {
    throw new UsageError("Argument file inclusion is disabled", {
      option: spec.flags[0],
      value,
      hint: "Remove --no-argument-file or pass the values literally",
    });
  }
  return readArgumentFile(value.slice(1), spec.flags[0]);
}

function convertOne(spec: OptionSpec, raw: string): unknown {
  const flag = spec.flags[0];
  switch (spec.kind) {
    case "CheckRange":
      return parseNumber(spec, raw);
    case "CheckPercentRange":
      return parsePercent(spec, raw);
    case "NonEmptyString":
      return parseNonEmpty(flag, raw);
    case "SafeFileName":
      return parseSafeFileName(flag, raw);
    case "SafeDirectoryName":
      return parseSafeDirectory(flag, raw);
    case "SSHConfigFileName":
      return parseSshConfigFile(flag, raw);
    default:
      return raw;
  }
}

function makeParser(spec: OptionSpec, state: ParseState) {
  const attr = attributeName(spec.flags[0]);
  return (raw: string | undefined, previous: unknown): unknown => {
    if (spec.kind === "RejectArgument") {
      throw new UsageError("Overriding a protected argument is not allowed", {
        option: spec.flags[0],
        hint: "The jobrunner generates this option itself for each sub-job",
      });
    }
    if (spec.nargs === "0") {
      state.events.push({ attr, values: [] });
      if (spec.flags[0] === "--no-argument-file") state.noArgFile = true;
      return spec.kind === "Count" ? (previous as number) + 1 : true;
    }
    if (raw === OCCURRENCE) {
      state.current = { attr, values: [] };
      state.events.push(state.current);
      // argparse: a Store option with nargs + replaces its list; the others extend it
      return spec.kind === "Store" || !Array.isArray(previous) ? [] : previous;
    }
    const list = spec.kind === "FileOrLiteral"
      ? expandFileOrLiteral(spec, raw ?? "", state)
      : [raw ?? ""];
    const converted = list.map((v) => convertOne(spec, v));
    if (spec.nargs === "+" || spec.nargs === "*" || spec.repeatable && spec.kind === "Append") {
      if (state.current?.attr === attr) state.current.values.push(...list);
      else state.events.push({ attr, values: list });
      const prev = Array.isArray(previous) ? previous : [];
      return [...prev, ...converted];
    }
    state.events.push({ attr, values: list });
    return converted[0];
  };
}

/**
 * Normalises argv for commander: long aliases become the canonical flag (`--f1` ->
 * `--force-once`), and each multi-value option token is followed by an occurrence marker so
 * that separate occurrences stay apart.
 */
function normalizeArgv(argv: readonly string[], table: readonly OptionSpec[]): string[] {
  const canonical = new Map<string, string>();
  const multi = new Set<string>();
  const rejected = new Set(table.filter((s) => s.kind === "RejectArgument").map((s) => s.flags[0]));
  for (const spec of table) {
    for (const f of spec.flags) if (f.startsWith("--")) canonical.set(f, spec.flags[0]);
    if (spec.nargs === "+" || spec.nargs === "*") multi.add(spec.flags[0]);
  }
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--") {
      out.push(...argv.slice(i));
      break;
    }
    const eq = arg.startsWith("--") ? arg.indexOf("=") : -1;
    const name = eq > 0 ? arg.slice(0, eq) : arg;
    const flag = canonical.get(name) ?? name;
    const rest = eq > 0 ? [arg.slice(eq + 1)] : [];
    if (rejected.has(flag)) out.push(flag);
    // `--opt=value` takes exactly that one value (as argparse does): no variadic continuation
    else if (multi.has(flag) && eq > 0) out.push(`${flag}=${OCCURRENCE}`, `${flag}=${rest[0]}`);
    else if (multi.has(flag)) out.push(flag, OCCURRENCE);
    else out.push(eq > 0 ? `${flag}=${rest[0]}` : flag);
  }
  return out;
}

function buildProgram(table: readonly OptionSpec[], options: ParseArgsOptions, state: ParseState) {
  const program = new Command(options.name)
    .description(options.description)
    .exitOverride()
    .helpOption(false)
    .configureOutput({ writeOut: () => {}, writeErr: () => {}, outputError: () => {} })
    .showSuggestionAfterError(true);
  if (options.allowUnknown) program.allowUnknownOption(true).allowExcessArguments(true);
  for (const spec of table) {
    if (spec.kind === "DatasetPairs" && spec.flags[0] === "root_dataset_pairs") {
      program.argument("<SRC_DATASET DST_DATASET...>", spec.help);
      continue;
    }
    if (spec.kind === "Version") continue;
    const opt = new Option(flagsString(spec), spec.help).argParser(makeParser(spec, state));
    if (spec.flags[0].startsWith("--no-")) keepNegativeName(opt, spec.flags[0]);
    if (spec.choices) opt.choices(spec.choices as string[]);
    if (spec.default !== undefined) opt.default(spec.default as never);
    program.addOption(opt as unknown as Option);
  }
  program.addOption(new Option("--version", "Print the version and exit"));
  return program;
}

/** Upstream's `--no-stream` is a flag named noStream, not commander's negation of `--stream`. */
function keepNegativeName(opt: Option, flag: string): void {
  const attr = attributeName(flag);
  Object.assign(opt, { negate: false, attributeName: () => attr });
}

function helpWidth(): number {
  try {
    return Math.max(60, Math.min(Deno.consoleSize().columns, 100));
  } catch {
    return 80;
  }
}

/**
 * Parses argv against an option table.
 *
 * @example
 * ```ts
 * import { parseArgs } from "./parse_args.ts";
 * import { BZFS_OPTIONS } from "./bzfs_options.ts";
 * const parsed = parseArgs(["-r", "tank/a", "backup/a"], BZFS_OPTIONS, { name: "bzfs", description: "" });
 * console.log(parsed.values.recursive, parsed.positionals); // true ["tank/a", "backup/a"]
 * ```
 * @param argv The arguments after the program name.
 * @param table The option table.
 * @param options Program name, help texts, unknown-option policy.
 * @returns Converted values, what was given, the ordered occurrences and positionals.
 * @throws {UsageError} On any bad argument.
 * @throws {HelpShown} After printing `--help`.
 */
export function parseArgs(
  argv: readonly string[],
  table: readonly OptionSpec[],
  options: ParseArgsOptions,
): ParsedArgs {
  const state: ParseState = { noArgFile: false, events: [], current: null };
  const program = buildProgram(table, options, state);
  const dashDash = argv.indexOf("--");
  const head = dashDash < 0 ? argv : argv.slice(0, dashDash);
  if (head.includes("-h") || head.includes("--help")) {
    const write = options.write?.out ?? ((s: string) => console.log(s.trimEnd()));
    write(formatHelp(table, { ...options, width: helpWidth() }));
    throw new HelpShown();
  }
  const normalized = normalizeArgv(argv, table);
  try {
    program.parse(normalized, { from: "user" });
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.code === "commander.helpDisplayed" || e.code === "commander.help") {
        throw new HelpShown();
      }
      throw new UsageError(cleanCommanderMessage(e.message));
    }
    throw e;
  }
  return collect(program, table, state, argv, options);
}

function cleanCommanderMessage(message: string): string {
  const text = message.replace(/^error: /, "").replaceAll(OCCURRENCE, "").replace(
    /\n\(Did you mean (.*)\?\)/,
    ". Did you mean $1?",
  );
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function collect(
  program: Command,
  table: readonly OptionSpec[],
  state: ParseState,
  argv: readonly string[],
  options: ParseArgsOptions,
): ParsedArgs {
  const values: Record<string, unknown> = { ...program.opts() };
  const given = new Set<string>();
  for (const spec of table) {
    if (spec.kind === "Version" || spec.flags[0] === "root_dataset_pairs") continue;
    const attr = attributeName(spec.flags[0]);
    if (program.getOptionValueSource(attr) === "cli") given.add(attr);
  }
  for (const ev of state.events) {
    const spec = table.find((s) => attributeName(s.flags[0]) === ev.attr);
    if (spec && (spec.nargs === "+") && ev.values.length === 0) {
      throw new UsageError("Expected at least one value", { option: spec.flags[0] });
    }
  }
  const noArgIdx = argv.indexOf("--no-argument-file");
  const positionals = options.allowUnknown
    ? []
    : ((program.processedArgs as unknown[])[0] as string[] | undefined ?? []);
  const unknown = options.allowUnknown ? program.args.filter((a) => a !== OCCURRENCE) : [];
  return {
    values,
    given,
    events: state.events,
    positionals,
    unknown,
    argumentFilesAllowedAt: (i) => noArgIdx < 0 || argv.indexOf(positionals[i]) < noArgIdx,
  };
}
