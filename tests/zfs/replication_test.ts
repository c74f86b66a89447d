/**
 * Replication through our CLI against real OpenZFS: every mode, full then incremental, -I and
 * --no-stream, recursion with excludes, conflicts with and without force options, bookmarks as
 * origins, dry runs, and injection attempts.
 *
 * @module
 */
import { ok } from "./_assert.ts";
import assert from "node:assert/strict";
import { type CliMode, type Lab, labFile } from "../lab/helpers.ts";

const lab = labFile();
const MiB = 1 << 20;

async function guids(l: Lab, ds: string): Promise<string[]> {
  return (await l.snapshots(ds, { types: "snapshot" })).map((s) => s.guid);
}

async function names(l: Lab, ds: string): Promise<string[]> {
  return (await l.snapshots(ds, { types: "snapshot" })).map((s) =>
    s.name.slice(s.name.indexOf("@") + 1)
  );
}

async function replicate(
  l: Lab,
  src: string,
  dst: string,
  args: string[] = [],
  mode: CliMode = "local",
) {
  return await l.runCli({ src, dst, args, mode });
}

for (const mode of ["local", "push", "pull", "pull-push"] as const) {
  lab.test(
    `${mode === "local" ? "[smoke] " : ""}replication ${mode}: full, then incremental with -I`,
    async (l) => {
      const src = `${l.src}/m_${mode.replace("-", "")}`;
      const dst = `${l.dst}/m_${mode.replace("-", "")}`;
      await l.createDataset(src);
      await l.zfs("snapshot", `${src}@s1`);
      ok(await replicate(l, src, dst, [], mode), "full");
      assert.deepEqual(await guids(l, dst), await guids(l, src));
      assert.equal(await l.checksum(`${dst}@s1`), await l.checksum(`${src}@s1`));
      for (const s of ["s2", "s3", "s4"]) {
        await l.writeFiles(src, [{ path: `${s}.bin`, size: MiB / 4 }], s);
        await l.zfs("snapshot", `${src}@${s}`);
      }
      const r = await replicate(l, src, dst, ["-v", "-v"], mode);
      ok(r, "incremental");
      assert.match(r.stderr, /zfs send .*-I .*@s1 .*@s4/, "one -I step sends s2..s4");
      assert.deepEqual(await guids(l, dst), await guids(l, src));
      assert.equal(await l.checksum(`${dst}@s4`), await l.checksum(`${src}@s4`));
      const again = await replicate(l, src, dst, ["-v", "-v"], mode);
      ok(again, "no-op");
      assert.match(again.stderr, /Already up-to-date/);
      const lists = again.stderr.split("\n").filter((x) => /Executing: .*zfs list /.test(x));
      assert.equal(
        lists.length,
        4,
        `a no-op costs 2 zfs list calls per side:\n${lists.join("\n")}`,
      );
      assert.doesNotMatch(again.stderr, /zfs (send|receive|bookmark|destroy|rollback)/);
    },
    { ssh: mode !== "local" },
  );
}

lab.test("[smoke] --no-stream sends only the latest snapshot, with -i", async (l) => {
  const src = `${l.src}/nostream`;
  const dst = `${l.dst}/nostream`;
  await l.createDataset(src);
  for (const s of ["a", "b", "c"]) await l.zfs("snapshot", `${src}@${s}`);
  ok(await replicate(l, src, dst, ["--no-stream"]), "full");
  assert.deepEqual(await names(l, dst), ["c"]);
  for (const s of ["d", "e"]) await l.zfs("snapshot", `${src}@${s}`);
  const r = await replicate(l, src, dst, ["--no-stream", "-v", "-v"]);
  ok(r, "incremental");
  assert.match(r.stderr, /zfs send .* -i .*@c .*@e/);
  assert.deepEqual(await names(l, dst), ["c", "e"]);
});

lab.test("recursive replication with excludes keeps parents before children", async (l) => {
  const src = `${l.src}/tree`;
  const dst = `${l.dst}/tree`;
  for (const d of ["", "/a", "/a/b", "/skip", "/skip/child", "/tmp"]) {
    await l.createDataset(`${src}${d}`, { files: [{ path: "f", size: 4096 }] });
  }
  await l.zfs("snapshot", "-r", `${src}@s1`);
  ok(await replicate(l, src, dst, ["-r", "--exclude-dataset=skip"]), "recursive");
  assert.deepEqual(await l.datasets(dst), [dst, `${dst}/a`, `${dst}/a/b`]);
  for (const d of ["", "/a", "/a/b"]) {
    assert.deepEqual(await guids(l, `${dst}${d}`), await guids(l, `${src}${d}`));
  }
});

lab.test("[smoke] conflicts: refused without force, resolved by each force option", async (l) => {
  const src = `${l.src}/conf`;
  const dst = `${l.dst}/conf`;
  await l.createDataset(src);
  await l.zfs("snapshot", `${src}@s1`);
  ok(await replicate(l, src, dst), "full");
  await l.zfs("snapshot", `${dst}@local`); // dst diverges
  await l.zfs("snapshot", `${src}@s2`);
  const before = await l.listAll(l.dst);
  const refused = await replicate(l, src, dst);
  assert.equal(refused.code, 3);
  assert.match(refused.stderr, new RegExp(`${dst}@local`));
  assert.match(refused.stderr, /--force-rollback-to-latest-common-snapshot|--force/);
  assert.equal(await l.listAll(l.dst), before, "nothing changed on refusal");
  ok(await replicate(l, src, dst, ["--force-rollback-to-latest-common-snapshot"]), "rollback");
  assert.deepEqual(await names(l, dst), ["s1", "s2"]);

  // unrelated destination: only --force replaces it
  const other = `${l.dst}/conf_other`;
  await l.createDataset(other);
  await l.zfs("snapshot", `${other}@foreign`);
  const noCommon = await replicate(l, src, other);
  assert.equal(noCommon.code, 3);
  assert.match(noCommon.stderr, /No common snapshot/i);
  const rb = await replicate(l, src, other, ["--force-rollback-to-latest-common-snapshot"]);
  assert.equal(rb.code, 3, "rollback to a common snapshot cannot fix unrelated snapshots");
  ok(await replicate(l, src, other, ["--force"]), "force");
  assert.deepEqual(await guids(l, other), await guids(l, src));
});

lab.test("[smoke] a bookmark is the incremental origin after the source snapshot is gone", async (l) => {
  const src = `${l.src}/bm`;
  const dst = `${l.dst}/bm`;
  await l.createDataset(src);
  await l.zfs("snapshot", `${src}@s1`);
  ok(await replicate(l, src, dst), "full");
  const bookmarks = await l.bookmarks(src);
  assert.equal(bookmarks.length, 1, "replication bookmarked the sent snapshot");
  await l.zfs("destroy", `${src}@s1`);
  await l.writeFiles(src, [{ path: "more.bin", size: MiB / 2 }], "more");
  await l.zfs("snapshot", `${src}@s2`);
  const r = await replicate(l, src, dst, ["-v", "-v"]);
  ok(r, "incremental from bookmark");
  assert.match(r.stderr, /zfs send .* -i '?[^ ]*#s1_\d+'? [^ ]*@s2/);
  assert.equal(await l.checksum(`${dst}@s2`), await l.checksum(`${src}@s2`));
});

lab.test("[smoke] --dryrun changes nothing anywhere", async (l) => {
  const src = `${l.src}/dry`;
  await l.createDataset(src);
  await l.zfs("snapshot", `${src}@s1`);
  await l.zfs("snapshot", `${src}@s2`);
  const before = await l.listAll(l.src) + await l.listAll(l.dst);
  for (const dry of [["--dryrun"], ["--dryrun=recv"]]) {
    const r = await replicate(l, src, `${l.dst}/dry`, [...dry, "-v"]);
    ok(r, dry.join(" "));
  }
  assert.equal(await l.listAll(l.src) + await l.listAll(l.dst), before);
});

lab.test("[smoke] injection attempts are rejected before any command runs", async (l) => {
  const before = await l.listAll(l.src) + await l.listAll(l.dst);
  for (
    const bad of [`${l.src}/x; zfs destroy -r ${l.src}`, `$(zfs destroy ${l.dst})`, "`reboot`"]
  ) {
    const r = await replicate(l, bad, `${l.dst}/x`, ["-v", "-v"]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /Invalid|invalid/);
    assert.doesNotMatch(r.stderr, /Executing:/, "no command ran");
  }
  assert.equal(await l.listAll(l.src) + await l.listAll(l.dst), before);
});
