/**
 * `--zfs-send-program-opts` / `--zfs-recv-program-opts(-opt)` sanitising: options that bzfs
 * manages itself are stripped, `-o`/`-x` pairs are kept and recorded, and
 * `--preserve-properties` becomes `-x NAME`.
 *
 * @module
 */
import { BzfsError } from "../errors.ts";

/**
 * Splits an option string on runs of whitespace; `""` gives no options.
 *
 * @example
 * ```ts
 * import { splitProgramOpts } from "./program_opts.ts";
 * splitProgramOpts("  --raw   --compressed "); // ["--raw", "--compressed"]
 * ```
 * @param text The option value.
 * @returns The tokens.
 */
export function splitProgramOpts(text: string): string[] {
  return text.split(/\s+/).filter((t) => t !== "");
}

interface StripRules {
  /** Short letters removed from clusters. */
  readonly dropLetters: string;
  /** Short options whose argument is dropped with them. */
  readonly dropWithArg: string;
  /** Short options whose argument is kept. */
  readonly keepWithArg: string;
  /** Long options removed (with `=value` or the next token when listed in dropLongWithArg). */
  readonly dropLong: ReadonlySet<string>;
  readonly dropLongWithArg: ReadonlySet<string>;
  readonly keepLongWithArg: ReadonlySet<string>;
  /** Whether `=` inside a short option cluster (outside an argument) is an error. */
  readonly rejectEqualsInShort: boolean;
}

const SEND: StripRules = {
  dropLetters: "den",
  dropWithArg: "iIt",
  keepWithArg: "X",
  dropLong: new Set(["--dryrun"]),
  dropLongWithArg: new Set(["--resume"]),
  keepLongWithArg: new Set(["--exclude", "--redact"]),
  rejectEqualsInShort: true,
};

const RECV: StripRules = {
  dropLetters: "densFA",
  dropWithArg: "",
  keepWithArg: "ox",
  dropLong: new Set(["--dryrun"]),
  dropLongWithArg: new Set(),
  keepLongWithArg: new Set(),
  rejectEqualsInShort: false,
};

/** The result of a strip: the kept tokens, and the `-o`/`-x` property arguments seen. */
interface Stripped {
  readonly opts: string[];
  readonly pairs: { readonly flag: string; readonly arg: string }[];
}

function strip(tokens: readonly string[], rules: StripRules, what: string): Stripped {
  const opts: string[] = [];
  const pairs: { flag: string; arg: string }[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const tok = tokens[i];
    if (tok.startsWith("--")) {
      const name = tok.split("=", 1)[0];
      const hasValue = tok.includes("=");
      if (rules.dropLong.has(name)) continue;
      if (rules.dropLongWithArg.has(name)) {
        if (!hasValue) i++;
        continue;
      }
      opts.push(tok);
      if (rules.keepLongWithArg.has(name) && !hasValue && i + 1 < tokens.length) {
        opts.push(tokens[++i]);
      }
      continue;
    }
    if (!tok.startsWith("-") || tok === "-") {
      opts.push(tok);
      continue;
    }
    let kept = "";
    for (let j = 1; j < tok.length; j++) {
      const c = tok[j];
      const takesArg = rules.dropWithArg.includes(c) || rules.keepWithArg.includes(c);
      if (!takesArg) {
        if (c === "=" && rules.rejectEqualsInShort) {
          throw new BzfsError(`${what}: a short option must not contain '=': ${tok}`);
        }
        if (!rules.dropLetters.includes(c)) kept += c;
        continue;
      }
      const inline = tok.slice(j + 1);
      const arg = inline !== "" ? inline : tokens[++i];
      if (rules.keepWithArg.includes(c)) {
        if (kept) opts.push(`-${kept}`);
        kept = "";
        if (arg !== undefined) {
          opts.push(`-${c}`, arg);
          pairs.push({ flag: `-${c}`, arg });
        } else opts.push(`-${c}`);
      }
      break;
    }
    if (kept) opts.push(`-${kept}`);
  }
  return { opts, pairs };
}

/**
 * Sanitises `zfs send` options: drops `--dryrun`, the letters `d e n` from short clusters, and
 * `-i`/`-I`/`-t`/`--resume` with their argument (also `-isnap`, `--resume=TOKEN`); `-X`,
 * `--exclude`, `--redact` keep their argument.
 *
 * @example
 * ```ts
 * import { sanitizeSendOpts } from "./program_opts.ts";
 * sanitizeSendOpts(["--raw", "-Lcen", "-i", "tank@s1", "-X", "tank/tmp", "--resume=1-abc"]);
 * // ["--raw", "-Lc", "-X", "tank/tmp"]
 * ```
 * @param tokens The split `--zfs-send-program-opts`.
 * @returns The options to pass.
 * @throws {BzfsError} When a short option contains `=`.
 */
export function sanitizeSendOpts(tokens: readonly string[]): string[] {
  return strip(tokens, SEND, "--zfs-send-program-opts").opts;
}

/** Result of {@linkcode sanitizeRecvOpts}. */
export interface RecvOpts {
  /** The options to pass to `zfs receive`. */
  readonly opts: readonly string[];
  /** Property names given with `-o NAME=VALUE` (so generated `-o`/`-x` skip them). */
  readonly oNames: readonly string[];
  /** Property names given with `-x NAME`. */
  readonly xNames: readonly string[];
}

/** Options of {@linkcode sanitizeRecvOpts}. */
export interface SanitizeRecvOptions {
  /** `--preserve-properties`: each becomes `-x NAME` unless already there. */
  preserveProperties?: readonly string[];
}

/**
 * Sanitises `zfs receive` options: drops `--dryrun` and the letters `d e n s F A` from short
 * clusters, keeps `-o NAME=VALUE` and `-x NAME` (normalising compact `-oNAME=VALUE`), and
 * appends `-x NAME` for every preserved property.
 *
 * @example
 * ```ts
 * import { sanitizeRecvOpts } from "./program_opts.ts";
 * sanitizeRecvOpts(["-uF", "-ocanmount=noauto", "-x", "keylocation"], { preserveProperties: ["mountpoint"] });
 * // { opts: ["-u", "-o", "canmount=noauto", "-x", "keylocation", "-x", "mountpoint"],
 * //   oNames: ["canmount"], xNames: ["keylocation", "mountpoint"] }
 * ```
 * @param tokens The split `--zfs-recv-program-opts` followed by every `--zfs-recv-program-opt`.
 * @param options The preserved properties.
 * @returns The options and the property names they set or exclude.
 * @throws {BzfsError} When `-o NAME=...` targets a preserved property ("Disallowed ZFS property").
 */
export function sanitizeRecvOpts(
  tokens: readonly string[],
  options: SanitizeRecvOptions = {},
): RecvOpts {
  const { opts, pairs } = strip(tokens, RECV, "--zfs-recv-program-opts");
  const oNames = pairs.filter((p) => p.flag === "-o").map((p) => p.arg.split("=", 1)[0]);
  const xNames = pairs.filter((p) => p.flag === "-x").map((p) => p.arg);
  for (const name of options.preserveProperties ?? []) {
    if (oNames.includes(name)) {
      throw new BzfsError(
        `Disallowed ZFS property found in --zfs-recv-program-opt(s): -o ${name}=... (it is in --preserve-properties)`,
      );
    }
    if (!xNames.includes(name)) {
      opts.push("-x", name);
      xNames.push(name);
    }
  }
  return { opts, oNames, xNames };
}

/**
 * Whether `zfs send` options ask for a raw stream (`-w` or `--raw`).
 *
 * @example
 * ```ts
 * import { isRawSendOpts } from "./program_opts.ts";
 * isRawSendOpts("--raw --compressed"); // true
 * isRawSendOpts("-Lce"); // false
 * ```
 * @param text `--zfs-send-program-opts` as given.
 * @returns True for a raw send.
 */
export function isRawSendOpts(text: string): boolean {
  return splitProgramOpts(text).some((t) => t === "--raw" || /^-[a-zA-Z]*w[a-zA-Z]*$/.test(t));
}
