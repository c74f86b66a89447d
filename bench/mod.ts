/**
 * Runs every benchmark in this folder, one after another (`deno task bench`).
 *
 * @module
 */
const here = new URL(".", import.meta.url);
const names = [...Deno.readDirSync(here)]
  .map((e) => e.name)
  .filter((n) => n.endsWith(".ts") && n !== "mod.ts" && !n.startsWith("_"))
  .sort();
for (const name of names) {
  console.log(`\n=== bench/${name}`);
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "--frozen", "--allow-all", new URL(name, here).pathname],
    stdout: "inherit",
    stderr: "inherit",
  }).output();
  if (!out.success) console.log(`bench/${name} failed with exit ${out.code}`);
}
