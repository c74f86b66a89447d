/**
 * Bash completion for `bzfs` and `bzfs_jobrunner`, generated from the option tables: option
 * names (hidden ones too, as upstream's completion does not hide them from experts), the choices
 * of options that have them, and file names for `+FILE` and path options.
 *
 * Install: `deno task completion > /etc/bash_completion.d/bzfs`.
 *
 * @module
 */
import { ALL_BZFS_OPTIONS as BZFS_OPTIONS } from "./bzfs_config.ts";
import { JOBRUNNER_OPTIONS } from "./jobrunner_options.ts";
import type { OptionSpec } from "./option_spec.ts";

function bashWord(s: string): string {
  return s.replace(/[^A-Za-z0-9_+.,:%=/@-]/g, (c) => `\\${c}`);
}

function functionFor(name: string, table: readonly OptionSpec[]): string {
  const fn = `_${name.replace(/[^A-Za-z0-9_]/g, "_")}_complete`;
  const options = table.flatMap((s) => s.flags).filter((f) => f.startsWith("-"));
  const cases = table
    .filter((s) => s.choices && s.nargs !== "0")
    .map((s) =>
      `    ${s.flags.join("|")}) COMPREPLY=( $(compgen -W "${
        s.choices!.map(bashWord).join(" ")
      }" -- "$cur") ); return 0 ;;`
    );
  const files = table
    .filter((s) => ["SSHConfigFileName", "SafeDirectoryName"].includes(s.kind))
    .flatMap((s) => s.flags);
  return `${fn}() {
  local cur prev
  cur="\${COMP_WORDS[COMP_CWORD]}"
  prev="\${COMP_WORDS[COMP_CWORD-1]}"
  case "$prev" in
${cases.join("\n")}
${files.length ? `    ${files.join("|")}) COMPREPLY=( $(compgen -f -- "$cur") ); return 0 ;;` : ""}
  esac
  if [[ "$cur" == +* ]]; then
    COMPREPLY=( $(compgen -f -P + -- "\${cur#+}") ); return 0
  fi
  if [[ "$cur" == -* ]]; then
    COMPREPLY=( $(compgen -W "${options.map(bashWord).join(" ")} --help" -- "$cur") ); return 0
  fi
}
complete -o default ${fn} ${name}`;
}

/**
 * The bash completion script for both commands.
 *
 * @example
 * ```ts
 * import { bashCompletion } from "./completion.ts";
 * console.log(bashCompletion().includes("--recursive")); // true
 * ```
 * @returns The script text.
 */
export function bashCompletion(): string {
  return [
    "# bash completion for bzfs and bzfs_jobrunner (bzfs for Deno); generated, do not edit",
    functionFor("bzfs", BZFS_OPTIONS),
    functionFor("bzfs_jobrunner", JOBRUNNER_OPTIONS),
    "",
  ].join("\n");
}

if (import.meta.main) {
  console.log(bashCompletion());
}
