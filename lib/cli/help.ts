/**
 * `--help` text generated from an option table: grouped like upstream's parser, hidden options
 * left out, wrapped to fit an 80-column terminal.
 *
 * @module
 */
import type { OptionSpec } from "./option_spec.ts";

/** Inputs of {@linkcode formatHelp}. */
export interface HelpOptions {
  /** Program name. */
  name: string;
  /** Paragraph below the usage line. */
  description: string;
  /** Text after the options. */
  epilog?: string;
  /** Maximum line width. @default 80 */
  width?: number;
}

const TERM_COLUMN = 30;

/**
 * Wraps text into lines of at most `width` characters (words longer than that stay whole).
 *
 * @example
 * ```ts
 * import { wrap } from "./help.ts";
 * wrap("a b c", 3); // ["a b", "c"]
 * ```
 * @param text The text.
 * @param width Maximum line width.
 * @returns The lines.
 */
export function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(/\s+/).filter((w) => w !== "")) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines;
}

/**
 * The term shown for an option, e.g. `-r, --recursive` or `--threads INT[%]`.
 *
 * @example
 * ```ts
 * import { optionTerm } from "./help.ts";
 * optionTerm({ flags: ["--threads"], group: "options", kind: "CheckPercentRange", nargs: "1", metavar: "INT[%]", help: "" });
 * // "--threads INT[%]"
 * ```
 * @param spec The option.
 * @returns The term.
 */
export function optionTerm(spec: OptionSpec): string {
  const names = [
    ...spec.flags.filter((f) => /^-[^-]$/.test(f)),
    ...spec.flags.filter((f) => f.startsWith("--")),
  ].join(", ");
  const mv = spec.metavar ?? "VALUE";
  switch (spec.nargs) {
    case "0":
      return names;
    case "?":
      return `${names} [${mv}]`;
    case "+":
      return `${names} ${mv} [...]`;
    case "*":
      return `${names} [${mv} ...]`;
    default:
      return `${names} ${mv}`;
  }
}

function describeDefault(spec: OptionSpec): string {
  const d = spec.default;
  if (d === undefined || d === false || d === "" || (Array.isArray(d) && d.length === 0)) {
    return "";
  }
  if (typeof d === "object" && "percent" in d) {
    return ` (default: ${d.value}${d.percent ? "%" : ""})`;
  }
  return ` (default: ${Array.isArray(d) ? d.join(" ") : String(d)})`;
}

function describe(spec: OptionSpec): string {
  const choices = spec.choices && spec.nargs !== "0" ? ` {${spec.choices.join(",")}}` : "";
  return `${spec.help}.${choices}${describeDefault(spec)}`;
}

function entry(term: string, text: string, width: number): string[] {
  const textWidth = Math.max(20, width - TERM_COLUMN);
  const body = wrap(text, textWidth);
  const pad = " ".repeat(TERM_COLUMN);
  const head = `  ${term}`;
  if (head.length <= TERM_COLUMN - 2) {
    return [head.padEnd(TERM_COLUMN) + (body[0] ?? ""), ...body.slice(1).map((l) => pad + l)];
  }
  return [head, ...body.map((l) => pad + l)];
}

/**
 * Formats the complete `--help` text.
 *
 * @example
 * ```ts
 * import { formatHelp } from "./help.ts";
 * import { BZFS_OPTIONS } from "./bzfs_options.ts";
 * console.log(formatHelp(BZFS_OPTIONS, { name: "bzfs", description: "Replicate ZFS snapshots" }));
 * ```
 * @param table The option table.
 * @param options Name, description, epilog, width.
 * @returns The help text, ending with a newline.
 */
export function formatHelp(table: readonly OptionSpec[], options: HelpOptions): string {
  const width = options.width ?? 80;
  const positional = table.find((s) => s.kind === "DatasetPairs" && !s.flags[0].startsWith("-"));
  const usage = positional
    ? `Usage: ${options.name} [options] SRC_DATASET DST_DATASET [SRC_DATASET DST_DATASET ...]`
    : `Usage: ${options.name} [options]`;
  const out: string[] = [...wrap(usage, width), "", ...wrap(options.description, width)];
  if (positional) {
    out.push(
      "",
      "Positional arguments:",
      ...entry("SRC_DATASET DST_DATASET", positional.help + ".", width),
    );
  }
  const groups = new Map<string, OptionSpec[]>();
  for (const spec of table) {
    if (spec.hidden || spec === positional) continue;
    const list = groups.get(spec.group) ?? [];
    list.push(spec);
    groups.set(spec.group, list);
  }
  for (const [group, specs] of groups) {
    out.push("", group === "options" ? "Options:" : `${group}:`);
    if (group === "options") out.push(...entry("-h, --help", "Show this help and exit.", width));
    for (const spec of specs) out.push(...entry(optionTerm(spec), describe(spec), width));
  }
  if (options.epilog) out.push("", options.epilog);
  return out.join("\n") + "\n";
}
