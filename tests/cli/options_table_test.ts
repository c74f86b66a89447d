import assert from "node:assert/strict";
import { BZFS_OPTIONS } from "../../lib/cli/bzfs_options.ts";
import { JOBRUNNER_OPTIONS } from "../../lib/cli/jobrunner_options.ts";
import type { OptionDefault, OptionSpec } from "../../lib/cli/option_spec.ts";

interface Row {
  group: string;
  options: string;
  arg_form: string;
  nargs: string;
  default: string;
  choices: string;
  repeatable: string;
  kind: string;
  hidden: string;
}

function readTsv(name: string): Row[] {
  const text = Deno.readTextFileSync(new URL(`../fixtures/${name}`, import.meta.url));
  const [header, ...lines] = text.trimEnd().split("\n");
  const cols = header.split("\t");
  return lines.map((line) => {
    const cells = line.split("\t");
    return Object.fromEntries(cols.map((c, i) => [c, cells[i] ?? ""])) as unknown as Row;
  });
}

/** Python repr of our JS default, as upstream's parser prints it. */
function pythonRepr(d: OptionDefault | undefined): string {
  if (d === undefined) return "";
  if (typeof d === "boolean") return d ? "True" : "False";
  if (typeof d === "number") {
    return Number.isInteger(d) && !Number.isSafeInteger(d) ? BigInt(d).toString() : String(d);
  }
  if (typeof d === "string") return `'${d}'`;
  if (Array.isArray(d)) return `[${d.map((x) => `'${x}'`).join(", ")}]`;
  const p = d as { value: number; percent: boolean };
  return `(${p.value}, ${p.percent ? "True" : "False"})`;
}

function flagsOf(row: Row): string[] {
  return row.options.startsWith("<")
    ? ["root_dataset_pairs"]
    : row.options.split(",").map((s) => s.trim());
}

function checkTable(tsv: string, table: readonly OptionSpec[]) {
  const rows = readTsv(tsv);
  assert.equal(table.length, rows.length, "one table entry per TSV row");
  rows.forEach((row, i) => {
    const spec = table[i];
    const where = `${tsv} row ${i + 1} ${row.options}`;
    assert.deepEqual(spec.flags, flagsOf(row), where);
    assert.equal(spec.group, row.group, where);
    assert.equal(spec.kind, row.kind, where);
    assert.equal(spec.metavar ?? "", row.arg_form, where);
    assert.equal(spec.nargs, row.nargs === "" ? "1" : row.nargs, where);
    assert.deepEqual(spec.choices ?? [], row.choices ? row.choices.split("|") : [], where);
    assert.equal(spec.repeatable ?? false, row.repeatable === "yes", where);
    assert.equal(spec.hidden ?? false, row.hidden === "yes", where);
    const repr = pythonRepr(spec.default);
    assert.equal(repr, row.default, `${where} default`);
  });
}

Deno.test("bzfs option table matches upstream's parser row by row", () => {
  checkTable("bzfs-options.tsv", BZFS_OPTIONS);
});

Deno.test("bzfs_jobrunner option table matches upstream's parser row by row", () => {
  checkTable("bzfs-jobrunner-options.tsv", JOBRUNNER_OPTIONS);
});

Deno.test("bzfs has 137 options, 13 of them hidden", () => {
  const options = BZFS_OPTIONS.filter((s) => s.flags[0] !== "root_dataset_pairs");
  assert.equal(options.length, 137);
  assert.equal(options.filter((s) => s.hidden).length, 13);
});

Deno.test("every visible option has a help text", () => {
  for (const spec of [...BZFS_OPTIONS, ...JOBRUNNER_OPTIONS]) {
    if (!spec.hidden) assert.ok(spec.help.length > 10, spec.flags[0]);
  }
});
