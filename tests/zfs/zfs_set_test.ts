/**
 * `--zfs-set-*` through our CLI on real OpenZFS: after the receive, selected source properties
 * are applied to the destination with `zfs set`, for the sends `--zfs-set-targets` names.
 *
 * @module
 */
import { ok, prop } from "./_assert.ts";
import assert from "node:assert/strict";
import { labFile } from "../lab/helpers.ts";

const lab = labFile();

lab.test("[smoke] --zfs-set-include-regex sets selected props after a full send only (default)", async (l) => {
  const src = `${l.src}/zset`;
  const dst = `${l.dst}/zset`;
  await l.createDataset(src, {
    props: { "com.example:tier": "gold", "com.example:secret": "s3", "com.example:note": "a b" },
    files: [{ path: "f", size: 4096 }],
  });
  await l.zfs("snapshot", `${src}@s1`);
  const args = [
    "-v",
    "-v",
    "--zfs-set-include-regex=com\\.example:.*",
    "--zfs-set-exclude-regex=com\\.example:secret",
  ];
  const r = await l.runCli({ src, dst, args });
  ok(r, "full");
  assert.deepEqual(await prop(l, dst, "com.example:tier"), { value: "gold", source: "local" });
  assert.deepEqual(await prop(l, dst, "com.example:note"), { value: "a b", source: "local" });
  assert.equal((await prop(l, dst, "com.example:secret")).value, "-", "excluded");
  assert.match(r.stderr, /zfs set 'com\.example:note=a b' com\.example:tier=gold \S*zset/);

  // an incremental does not set with the default targets (full)
  await l.zfs("set", "com.example:tier=silver", src);
  await l.zfs("snapshot", `${src}@s2`);
  const inc = await l.runCli({ src, dst, args });
  ok(inc, "incremental");
  assert.equal((await prop(l, dst, "com.example:tier")).value, "gold");
  assert.doesNotMatch(inc.stderr, /zfs set /);
  assert.deepEqual((await l.snapshots(dst)).map((s) => s.name), [`${dst}@s1`, `${dst}@s2`]);

  // with --zfs-set-targets=incremental it does
  await l.zfs("snapshot", `${src}@s3`);
  ok(await l.runCli({ src, dst, args: [...args, "--zfs-set-targets=incremental"] }), "inc 2");
  assert.deepEqual(await prop(l, dst, "com.example:tier"), { value: "silver", source: "local" });
});

lab.test(
  "--zfs-set-* in push mode sets on the remote destination; --dryrun sets nothing",
  async (l) => {
    const src = `${l.src}/zsetp`;
    const dst = `${l.dst}/zsetp`;
    await l.createDataset(src, { props: { "com.example:tier": "gold" } });
    await l.zfs("snapshot", `${src}@s1`);
    const args = ["--zfs-set-include-regex=com\\.example:tier"];
    ok(await l.runCli({ src, dst, mode: "push", args: ["--dryrun", ...args] }), "dry");
    assert.deepEqual(await l.datasets(dst), []);
    ok(await l.runCli({ src, dst, mode: "push", args }), "push");
    assert.deepEqual(await prop(l, dst, "com.example:tier"), { value: "gold", source: "local" });
  },
  { ssh: true },
);
