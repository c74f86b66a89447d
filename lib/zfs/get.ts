/**
 * `zfs get` argv builders and parsers: the receive resume token, and properties with their
 * sources.
 *
 * @module
 */
import { ZfsParseError } from "./errors.ts";
import { lines } from "./list.ts";

/**
 * `zfs get -Hp -o value -s none receive_resume_token <dataset>` (the token is never local or
 * inherited, so `-s none` prints it and nothing else).
 *
 * @example
 * ```ts
 * import { getResumeTokenArgv } from "./get.ts";
 * getResumeTokenArgv("bak/a").join(" "); // "zfs get -Hp -o value -s none receive_resume_token bak/a"
 * ```
 * @param dataset The destination dataset.
 * @param options The zfs program.
 * @returns The argv.
 */
export function getResumeTokenArgv(
  dataset: string,
  options: { zfsProgram?: string } = {},
): string[] {
  return [
    options.zfsProgram ?? "zfs",
    "get",
    "-Hp",
    "-o",
    "value",
    "-s",
    "none",
    "receive_resume_token",
    dataset,
  ];
}

/**
 * The resume token from {@linkcode getResumeTokenArgv}'s output, or undefined when there is none
 * (`-` or empty).
 *
 * @example
 * ```ts
 * import { parseResumeToken } from "./get.ts";
 * parseResumeToken("1-abc-def\n"); // "1-abc-def"
 * parseResumeToken("-\n"); // undefined
 * ```
 * @param stdout The command's output.
 * @returns The token, or undefined.
 */
export function parseResumeToken(stdout: string): string | undefined {
  const token = stdout.trim();
  return token === "" || token === "-" ? undefined : token;
}

/** Options of {@linkcode getPropertiesArgv}. */
export interface GetPropertiesOptions {
  /** Comma-separated sources for `-s` (`local,default,inherited,temporary,received,none`); omitted: all. */
  sources?: string;
  /** Property names, or `all`. @default {["all"]} */
  properties?: readonly string[];
  /** The zfs program. @default {"zfs"} */
  zfsProgram?: string;
}

/**
 * `zfs get -Hp -o property,value,source [-s sources] <props> <dataset>`.
 *
 * @example
 * ```ts
 * import { getPropertiesArgv } from "./get.ts";
 * getPropertiesArgv("tank/a", { sources: "local" }).join(" ");
 * // "zfs get -Hp -o property,value,source -s local all tank/a"
 * ```
 * @param dataset The dataset.
 * @param options Sources and properties.
 * @returns The argv.
 */
export function getPropertiesArgv(dataset: string, options: GetPropertiesOptions = {}): string[] {
  const argv = [options.zfsProgram ?? "zfs", "get", "-Hp", "-o", "property,value,source"];
  if (options.sources) argv.push("-s", options.sources);
  argv.push((options.properties ?? ["all"]).join(","), dataset);
  return argv;
}

/** One property value with where it comes from. */
export interface PropertyValue {
  /** The value (parsable form, `-p`). */
  readonly value: string;
  /** `local`, `default`, `inherited from tank`, `received`, `temporary`, `-` ... */
  readonly source: string;
}

/**
 * Parses {@linkcode getPropertiesArgv}'s output into a map, in output order. A value may itself
 * contain tabs (user properties), so the name ends at the first tab and the source starts at the
 * last one.
 *
 * @example
 * ```ts
 * import { parseProperties } from "./get.ts";
 * parseProperties("compression\tlz4\tlocal\nrecordsize\t131072\tdefault\n").get("compression");
 * // { value: "lz4", source: "local" }
 * ```
 * @param stdout The command's output.
 * @returns Property name to value and source.
 * @throws {ZfsParseError} On a line without two tabs.
 */
export function parseProperties(stdout: string): Map<string, PropertyValue> {
  const out = new Map<string, PropertyValue>();
  for (const line of lines(stdout)) {
    const first = line.indexOf("\t");
    const last = line.lastIndexOf("\t");
    if (first < 0 || last === first) {
      throw new ZfsParseError("Expected 'property<TAB>value<TAB>source'", line);
    }
    out.set(line.slice(0, first), {
      value: line.slice(first + 1, last),
      source: line.slice(last + 1),
    });
  }
  return out;
}
