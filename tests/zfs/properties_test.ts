/**
 * Properties and encryption through our CLI on real OpenZFS: upstream's default `-o` list on
 * full sends, `--zfs-recv-o/-x-*` selection, `--preserve-properties`, and raw encrypted sends that
 * keep the data encrypted end to end.
 *
 * @module
 */
import { ok, prop } from "./_assert.ts";
import assert from "node:assert/strict";
import { labFile } from "../lab/helpers.ts";

const lab = labFile();

lab.test("[smoke] full sends copy local properties from upstream's default list", async (l) => {
  const src = `${l.src}/props`;
  const dst = `${l.dst}/props`;
  await l.createDataset(src, {
    props: { compression: "lz4", recordsize: "64K", "com.example:note": "hello" },
    files: [{ path: "f", size: 4096 }],
  });
  await l.zfs("snapshot", `${src}@s1`);
  ok(await l.runCli({ src, dst, args: ["-v", "-v"] }), "replicate");
  assert.deepEqual(await prop(l, dst, "compression"), { value: "lz4", source: "local" });
  assert.deepEqual(await prop(l, dst, "recordsize"), { value: "65536", source: "local" });
  assert.equal(
    (await prop(l, dst, "com.example:note")).value,
    "-",
    "user props are not in the list",
  );
});

lab.test("--zfs-recv-o-include-regex and -x select properties; preserved ones stay", async (l) => {
  const src = `${l.src}/props2`;
  const dst = `${l.dst}/props2`;
  await l.createDataset(src, {
    props: { compression: "lz4", "com.example:note": "hello", "com.example:secret": "no" },
    files: [{ path: "f", size: 4096 }],
  });
  await l.zfs("snapshot", `${src}@s1`);
  const r = await l.runCli({
    src,
    dst,
    args: [
      "--zfs-send-program-opts=--props",
      "--zfs-recv-o-include-regex",
      "com\\.example:.*",
      "--zfs-recv-o-exclude-regex=com\\.example:secret",
      "--zfs-recv-x-include-regex=compression",
    ],
  });
  ok(r, "replicate");
  assert.deepEqual(await prop(l, dst, "com.example:note"), { value: "hello", source: "local" });
  assert.equal(
    (await prop(l, dst, "com.example:secret")).source,
    "received",
    "only via the stream",
  );
  assert.notEqual((await prop(l, dst, "compression")).value, "lz4", "-x compression kept dst's");

  // --preserve-properties: a property set on dst survives an incremental with --props
  await l.zfs("set", "com.example:note=mine", dst);
  await l.zfs("set", "com.example:note=theirs", src);
  await l.zfs("snapshot", `${src}@s2`);
  ok(
    await l.runCli({
      src,
      dst,
      args: ["--zfs-send-program-opts=--props", "--preserve-properties=com.example:note"],
    }),
    "incremental",
  );
  assert.equal((await prop(l, dst, "com.example:note")).value, "mine");
});

lab.test("[smoke] raw encrypted send keeps the data encrypted end to end", async (l) => {
  const src = `${l.src}/enc`;
  const dst = `${l.dst}/enc`;
  await l.sh(
    "printf 'correct horse battery staple' > /var/tmp/enc.key && chmod 600 /var/tmp/enc.key",
  );
  await l.createDataset(src, {
    props: {
      encryption: "aes-256-gcm",
      keyformat: "passphrase",
      keylocation: "file:///var/tmp/enc.key",
    },
  });
  await l.zfs("snapshot", `${src}@s1`);
  ok(await l.runCli({ src, dst, args: ["-v", "-v"] }), "replicate");
  assert.equal((await prop(l, dst, "encryption")).value, "aes-256-gcm");
  assert.equal((await prop(l, dst, "keystatus")).value, "unavailable", "dst never saw the key");
  await l.writeFiles(src, [{ path: "more", size: 65536 }], "more");
  await l.zfs("snapshot", `${src}@s2`);
  ok(await l.runCli({ src, dst }), "incremental raw");
  assert.equal((await prop(l, dst, "keystatus")).value, "unavailable");
  await l.zfs("load-key", "-L", "file:///var/tmp/enc.key", dst);
  await l.zfs("mount", dst);
  assert.equal(await l.checksum(`${dst}@s2`), await l.checksum(`${src}@s2`));
});
