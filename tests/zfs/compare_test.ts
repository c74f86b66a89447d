/**
 * `--compare-snapshot-lists` through our CLI against real OpenZFS: a tree with snapshots only on
 * the source, only on the destination, on both, a source bookmark standing in for a destroyed
 * snapshot, datasets on one side only; the TSV checked row by row against `zfs get`; dry run;
 * dummy source; push mode.
 *
 * @module
 */
import { ok } from "./_assert.ts";
import assert from "node:assert/strict";
import { type CliMode, type Lab, labFile, type RunResult } from "../lab/helpers.ts";

const lab = labFile();
const SMALL = [{ path: "f.bin", size: 4096 }];

/** The log file named in the run's first line. */
function logFileOf(r: RunResult): string {
  const m = /Log file is: (\S+)/.exec(r.stderr);
  assert.ok(m, `no log file line in:\n${r.stderr}`);
  return m[1];
}

function tsvPaths(r: RunResult, src: string, dst: string): { snapshots: string; datasets: string } {
  const stem = `${src}%${dst}`.replaceAll("/", "~");
  const dir = logFileOf(r).replace(/\.log$/, ".cmp");
  return { snapshots: `${dir}/${stem}.tsv`, datasets: `${dir}/${stem}.rel_datasets_tsv` };
}

/** `creation guid createtxg written` of a snapshot or bookmark, from `zfs get`. */
async function props(l: Lab, name: string): Promise<string[]> {
  const out = await l.zfs("get", "-Hp", "-o", "value", "creation,guid,createtxg,written", name);
  return out.trim().split("\n");
}

/** The expected TSV row of `name` under `root` (checked independently through `zfs get`). */
async function expectedRow(l: Lab, location: string, root: string, name: string): Promise<string> {
  const [creation, guid, txg, written] = await props(l, name);
  const iso = new Date(Number(creation) * 1000).toISOString().slice(0, 19).replace("T", "_");
  const relName = name.slice(root.length);
  const relDataset = relName.slice(0, relName.search(/[@#]/));
  const w = name.includes("#") ? "-" : written;
  return [location, `${iso}+00:00`, txg, relName, guid, root, relDataset, name, creation, w].join(
    "\t",
  );
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function buildTree(l: Lab, tag: string, mode: CliMode = "local") {
  const src = `${l.src}/${tag}`;
  const dst = `${l.dst}/${tag}`;
  await l.createDataset(src, { files: SMALL });
  await l.createDataset(`${src}/a`, { files: SMALL });
  await l.zfs("snapshot", "-r", `${src}@s1`);
  await sleep(1100);
  await l.zfs("snapshot", "-r", `${src}@s2`);
  ok(await l.runCli({ src, dst, args: ["-r"], mode }), "replication");
  await sleep(1100);
  await l.zfs("snapshot", `${src}/a@s3`);
  await sleep(1100);
  await l.zfs("snapshot", `${dst}/a@d1`);
  await l.zfs("destroy", `${src}/a@s1`);
  await l.createDataset(`${src}/onlysrc`, { files: SMALL });
  await l.zfs("snapshot", `${src}/onlysrc@o1`);
  await l.createDataset(`${dst}/onlydst`, { files: SMALL });
  await l.zfs("snapshot", `${dst}/onlydst@x1`);
  return { src, dst };
}

for (const mode of ["local", "push"] as const) {
  lab.test(
    `${
      mode === "local" ? "[smoke] " : ""
    }compare ${mode}: src-only, dst-only, common and bookmark rows`,
    async (l) => {
      const { src, dst } = await buildTree(l, `cmp_${mode}`, mode);
      const bookmarkA = (await l.bookmarks(`${src}/a`)).find((b) => b.name.includes("#s1"));
      assert.ok(bookmarkA, "replication bookmarked s1");
      const logDir = `${await Deno.makeTempDir()}/bzfs-logs`;
      const r = await l.runCli({
        src,
        dst,
        mode,
        args: [
          "-r",
          "--skip-replication",
          "--log-dir",
          logDir,
          "--compare-snapshot-lists=src+dst+all",
        ],
      });
      ok(r, "compare");
      const paths = tsvPaths(r, src, dst);
      assert.ok(
        r.stderr.includes(
          `Final TSV output file comparing ${src} vs. ${dst} is: ${paths.snapshots}`,
        ),
      );
      const lines = (await Deno.readTextFile(paths.snapshots)).split("\n");
      assert.equal(
        lines[0],
        "location\tcreation_iso\tcreatetxg\trel_name\tguid\troot_dataset\trel_dataset\tname\tcreation\twritten",
      );
      const expected = [
        await expectedRow(l, "all", src, `${src}@s1`),
        await expectedRow(l, "all", src, `${src}@s2`),
        await expectedRow(l, "all", src, bookmarkA.name),
        await expectedRow(l, "all", src, `${src}/a@s2`),
        await expectedRow(l, "src", src, `${src}/a@s3`),
        await expectedRow(l, "dst", dst, `${dst}/a@d1`),
        await expectedRow(l, "dst", dst, `${dst}/onlydst@x1`),
        await expectedRow(l, "src", src, `${src}/onlysrc@o1`),
        "",
      ];
      assert.deepEqual(lines.slice(1), expected);
      assert.deepEqual((await Deno.readTextFile(paths.datasets)).split("\n"), [
        "location\trel_dataset\tsrc_dataset\tdst_dataset",
        `all\t\t${src}\t${dst}`,
        `all\t/a\t${src}/a\t${dst}/a`,
        `dst\t/onlydst\t\t${dst}/onlydst`,
        `src\t/onlysrc\t${src}/onlysrc\t`,
        "",
      ]);
      assert.match(r.stderr, /Comparing \/a~ Q: .* A: False/);
      assert.match(r.stderr, /Comparing ~ Q: .* A: True/);
      assert.match(
        r.stderr,
        /Comparing \/a~ Snapshots only in src since latest common snapshot: 1/,
      );
      assert.match(
        r.stderr,
        /Comparing \/a~ Snapshots only in dst since latest common snapshot: 1/,
      );
    },
    { ssh: mode !== "local" },
  );
}

lab.test("compare: --dryrun writes headers only; a dummy source shows every dst snapshot as dst", async (l) => {
  const { src, dst } = await buildTree(l, "cmp_dry");
  const logDir = `${await Deno.makeTempDir()}/bzfs-logs`;
  const dry = await l.runCli({
    src,
    dst,
    args: [
      "-r",
      "--skip-replication",
      "--dryrun",
      "--log-dir",
      logDir,
      "--compare-snapshot-lists=src+dst+all",
    ],
  });
  ok(dry, "dry compare");
  const paths = tsvPaths(dry, src, dst);
  assert.equal((await Deno.readTextFile(paths.snapshots)).split("\n").length, 2);
  assert.equal(
    await Deno.readTextFile(paths.datasets),
    "location\trel_dataset\tsrc_dataset\tdst_dataset\n",
  );
  const dummy = await l.runCli({
    src: "dummy",
    dst,
    args: ["-r", "--skip-replication", "--log-dir", logDir, "--compare-snapshot-lists=dst"],
  });
  ok(dummy, "dummy compare");
  const rows = (await Deno.readTextFile(tsvPaths(dummy, "dummy", dst).snapshots)).trim().split(
    "\n",
  ).slice(1);
  const dstSnaps = (await l.snapshots(dst, { recursive: true })).map((s) => s.name).sort();
  assert.deepEqual(rows.map((row) => row.split("\t")[7]).sort(), dstSnaps);
  assert.ok(rows.every((row) => row.startsWith("dst\t")));
});

lab.test("compare: a missing source root is exit 3 naming it", async (l) => {
  const r = await l.runCli({
    src: `${l.src}/nope`,
    dst: `${l.dst}/nope`,
    args: [
      "--skip-replication",
      "--log-dir",
      `${await Deno.makeTempDir()}/bzfs-logs`,
      "--compare-snapshot-lists=src+dst+all",
    ],
  });
  assert.equal(r.code, 3);
  assert.match(r.stderr, /Source dataset does not exist: src\/nope/);
});
