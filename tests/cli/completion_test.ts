import assert from "node:assert/strict";
import { bashCompletion } from "../../lib/cli/completion.ts";

/** Completes `words` (the last one being completed) with the generated script in real bash. */
async function complete(command: string, words: string[]): Promise<string[]> {
  const dir = Deno.makeTempDirSync();
  Deno.writeTextFileSync(`${dir}/c.bash`, bashCompletion());
  const script = `source ${dir}/c.bash
COMP_WORDS=(${[command, ...words].map((w) => `'${w}'`).join(" ")})
COMP_CWORD=${words.length}
_${command}_complete
printf '%s\\n' "\${COMPREPLY[@]}"`;
  const out = await new Deno.Command("bash", { args: ["-c", script], cwd: dir }).output();
  Deno.removeSync(dir, { recursive: true });
  assert.equal(out.code, 0, new TextDecoder().decode(out.stderr));
  return new TextDecoder().decode(out.stdout).split("\n").filter((l) => l !== "");
}

Deno.test("the completion script is valid bash", async () => {
  const out = await new Deno.Command("bash", { args: ["-n"], stdin: "piped" }).spawn();
  const w = out.stdin.getWriter();
  await w.write(new TextEncoder().encode(bashCompletion()));
  await w.close();
  assert.equal((await out.status).code, 0);
});

Deno.test("completes option names and choices from the option table", async () => {
  assert.deepEqual(await complete("bzfs", ["--recur"]), ["--recursive"]);
  assert.deepEqual(await complete("bzfs", ["--r2r", ""]), ["off", "pull", "push"]);
  assert.deepEqual(await complete("bzfs", ["--compression-program", "p"]), ["pzstd", "pigz"]);
  assert.ok((await complete("bzfs_jobrunner", ["--src-"])).includes("--src-hosts"));
});
