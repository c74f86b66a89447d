import assert from "node:assert/strict";
import { BZFS_OPTIONS } from "../../lib/cli/bzfs_options.ts";
import { formatHelp, optionTerm, wrap } from "../../lib/cli/help.ts";
import { JOBRUNNER_OPTIONS } from "../../lib/cli/jobrunner_options.ts";

const help = formatHelp(BZFS_OPTIONS, { name: "bzfs", description: "Replicate.", epilog: "End." });

Deno.test("help lists every visible option and no hidden one", () => {
  for (const spec of BZFS_OPTIONS) {
    if (spec.flags[0] === "root_dataset_pairs") continue;
    const present = help.includes(`  ${optionTerm(spec)}`);
    assert.equal(present, !spec.hidden, `${spec.flags[0]} hidden=${spec.hidden ?? false}`);
  }
});

Deno.test("help groups options under upstream's headings in table order", () => {
  const headings = help.split("\n").filter((l) => /^\S.*:$/.test(l));
  assert.deepEqual(headings, [
    "Positional arguments:",
    "Options:",
    "Yearly Period Anchors:",
    "Monthly Period Anchors:",
    "Weekly Period Anchors:",
    "Daily Period Anchors:",
    "Hourly Period Anchors:",
    "Minutely Period Anchors:",
    "Secondly Period Anchors:",
    "Millisecondly Period Anchors:",
    "zfs-recv-o:",
    "zfs-recv-x:",
  ]);
});

Deno.test("help fits an 80-column terminal", () => {
  for (
    const [name, table] of [["bzfs", BZFS_OPTIONS], ["bzfs_jobrunner", JOBRUNNER_OPTIONS]] as const
  ) {
    const text = formatHelp(table, { name, description: "x" });
    for (const line of text.split("\n")) {
      assert.ok(line.length <= 80, `too long: ${line}`);
    }
  }
});

Deno.test("help shows choices and non-trivial defaults", () => {
  const block = help.slice(help.indexOf("--skip-on-error"), help.indexOf("--skip-replication"));
  assert.match(block.replace(/\s+/g, " "), /\{fail,tree,dataset\} \(default: dataset\)/);
  assert.match(help, /\(default: 100%\)/);
  assert.match(help, /--dryrun, -n \[DRYRUN\]|-n, --dryrun \[DRYRUN\]/);
});

Deno.test("wrap breaks on spaces and keeps long words whole", () => {
  assert.deepEqual(wrap("aa bb cc", 5), ["aa bb", "cc"]);
  assert.deepEqual(wrap("abcdefgh ij", 4), ["abcdefgh", "ij"]);
  assert.deepEqual(wrap("", 4), []);
});
