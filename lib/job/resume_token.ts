/**
 * Decoding a `receive_resume_token` with `zfs send -nvt TOKEN` on the source, so the planner can
 * tell whether the interrupted transfer is still the one to resume.
 *
 * @module
 */
import type { Executor } from "../exec/executor.ts";
import type { ResumeTokenInfo } from "../replicate/types.ts";
import type { PreparedHost } from "./context.ts";

function hexToDecimal(value: string): string {
  const v = value.trim();
  return /^0x[0-9a-f]+$/i.test(v) ? BigInt(v).toString() : v;
}

/**
 * Parses the `resume token contents:` nvlist printed by `zfs send -nvt`.
 *
 * @example
 * ```ts
 * import { parseResumeTokenContents } from "./resume_token.ts";
 * const info = parseResumeTokenContents("tok", "\ttoguid = 0x10\n\ttoname = tank/a@s1\n\trawok = 1\n");
 * console.log(info); // { token: "tok", toGuid: "16", toName: "tank/a@s1", raw: true }
 * ```
 * @param token The token.
 * @param output The command's combined output.
 * @returns The decoded fields, or null when the output has no `toguid`.
 */
export function parseResumeTokenContents(token: string, output: string): ResumeTokenInfo | null {
  const fields = new Map<string, string>();
  for (const line of output.split("\n")) {
    const m = /^\s*(\w+) = (.*)$/.exec(line);
    if (m) fields.set(m[1], m[2].trim());
  }
  const toGuid = fields.get("toguid");
  if (!toGuid) return null;
  const info: { -readonly [K in keyof ResumeTokenInfo]: ResumeTokenInfo[K] } = {
    token,
    toGuid: hexToDecimal(toGuid),
    raw: fields.get("rawok") === "1",
  };
  const from = fields.get("fromguid");
  if (from) info.fromGuid = hexToDecimal(from);
  const name = fields.get("toname");
  if (name) info.toName = name;
  return info;
}

/**
 * Decodes a resume token on the source host. A token the source cannot decode (its snapshot is
 * gone) comes back with an impossible GUID, so the planner treats it as stale and aborts it.
 *
 * @example
 * ```ts ignore
 * const info = await decodeResumeToken(executor, srcHost, token);
 * ```
 * @param executor Runs the command (read-only).
 * @param host The source host.
 * @param token The token from the destination.
 * @returns The decoded token.
 */
export async function decodeResumeToken(
  executor: Executor,
  host: PreparedHost,
  token: string,
): Promise<ResumeTokenInfo> {
  const r = await executor.run({
    argv: ["zfs", "send", "-nvt", token],
    remote: host.remote,
    sudo: host.elevate,
    readOnly: true,
    check: false,
  });
  return parseResumeTokenContents(token, `${r.stdout}\n${r.stderr}`) ??
    { token, toGuid: "stale", raw: false };
}
