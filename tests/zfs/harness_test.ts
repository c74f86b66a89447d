/**
 * Proves the real-ZFS harness: pools, datasets with known content, snapshots, bookmarks,
 * full/incremental/raw `zfs send | zfs receive` in local mode (host wrappers) and over ssh,
 * and destroy. Runs under `deno task test:zfs`; ignored when no lab is available.
 *
 * @module
 */

import assert from "node:assert/strict";
import { labFile } from "../lab/helpers.ts";
import { shellJoin } from "../lab/shell_quote.ts";

const lab = labFile();
const MiB = 1 << 20;

lab.test("[smoke] harness: src and dst pools exist and are empty", async (l) => {
  const pools = (await l.exec(["zpool", "list", "-H", "-o", "name"])).stdout.split("\n");
  assert.ok(pools.includes(l.src) && pools.includes(l.dst), pools.join(" "));
  assert.deepEqual(await l.datasets(l.src), [l.src]);
  assert.deepEqual(await l.datasets(`${l.dst}/nonexistent`), []);
});

lab.test("[smoke] harness: known content gives a stable checksum per snapshot", async (l) => {
  const ds = `${l.src}/content`;
  await l.createDataset(ds, {
    files: [{ path: "a.bin", size: MiB }, { path: "d/b.bin", size: 3 }],
  });
  await l.zfs("snapshot", `${ds}@s1`);
  const c1 = await l.checksum(`${ds}@s1`);
  assert.match(c1, /^[0-9a-f]{64}$/);
  assert.equal(await l.checksum(ds), c1);
  await l.writeFiles(ds, [{ path: "a.bin", size: MiB }], "other seed");
  await l.zfs("snapshot", `${ds}@s2`);
  const c2 = await l.checksum(`${ds}@s2`);
  assert.notEqual(c2, c1);
  assert.equal(await l.checksum(`${ds}@s1`), c1, "an older snapshot keeps its content");
  const snaps = await l.snapshots(ds);
  assert.deepEqual(snaps.map((s) => s.name), [`${ds}@s1`, `${ds}@s2`]);
  assert.ok(snaps.every((s) => /^\d+$/.test(s.guid)) && snaps[0].createtxg < snaps[1].createtxg);
});

lab.test("[smoke] harness: local mode through the wrappers, full then incremental", async (l) => {
  const src = `${l.src}/local`;
  const dst = `${l.dst}/local`;
  await l.createDataset(src);
  await l.zfs("snapshot", `${src}@s1`);
  await l.localSh(`zfs send ${shellJoin([`${src}@s1`])} | zfs receive ${shellJoin([dst])}`);
  assert.equal(await l.checksum(`${dst}@s1`), await l.checksum(`${src}@s1`));

  await l.writeFiles(src, [{ path: "new.bin", size: 2 * MiB }], "increment");
  await l.zfs("snapshot", `${src}@s2`);
  await l.localSh(
    `zfs send -i ${shellJoin([`${src}@s1`, `${src}@s2`])} | zfs receive ${shellJoin([dst])}`,
  );
  assert.equal(await l.checksum(`${dst}@s2`), await l.checksum(`${src}@s2`));
  const guids = async (ds: string) => (await l.snapshots(ds)).map((s) => s.guid);
  assert.deepEqual(await guids(dst), await guids(src));
  // The wrapper passes exit codes and hostile arguments through unchanged.
  const bad = await l.localSh(`zfs list ${shellJoin(["no such 'dataset'"])}`, { noThrow: true });
  assert.notEqual(bad.code, 0);
  assert.match(bad.stderr, /no such 'dataset'/);
});

lab.test("harness: raw send of an encrypted dataset, full and incremental", async (l) => {
  const key = `${l.state.poolDir}/test.key`;
  await l.sh(`printf '%s' bzfs-lab-passphrase > ${shellJoin([key])}`);
  const src = `${l.src}/enc`;
  const dst = `${l.dst}/enc`;
  await l.createDataset(src, {
    props: { encryption: "on", keyformat: "passphrase", keylocation: `file://${key}` },
  });
  await l.zfs("snapshot", `${src}@s1`);
  await l.sh(`zfs send -w ${shellJoin([`${src}@s1`])} | zfs receive -u ${shellJoin([dst])}`);
  await l.writeFiles(src, [{ path: "more.bin", size: MiB }], "raw increment");
  await l.zfs("snapshot", `${src}@s2`);
  await l.sh(
    `zfs send -w -I ${shellJoin([`${src}@s1`, `${src}@s2`])} | zfs receive -u ${shellJoin([dst])}`,
  );
  const keystatus = (await l.zfs("get", "-H", "-o", "value", "keystatus", dst)).trim();
  assert.equal(keystatus, "unavailable", "a raw receive keeps the data encrypted");
  await l.zfs("load-key", "-L", `file://${key}`, dst);
  assert.equal(await l.checksum(`${dst}@s2`), await l.checksum(`${src}@s2`));
});

lab.test("[smoke] harness: over ssh (root, and alice with sudo), bookmark as origin", async (l) => {
  const src = `${l.src}/remote`;
  const dst = `${l.dst}/remote`;
  const ssh = (
    user: string,
    argv: string[],
  ) => ["ssh", "-F", l.state.sshConfig ?? "", `${user}@${l.state.host}`, shellJoin(argv)];
  await l.createDataset(src, { files: [{ path: "x.bin", size: MiB }] });
  await l.zfs("snapshot", `${src}@s1`);
  await l.zfs("bookmark", `${src}@s1`, `${src}#b1`);
  const pipe = (a: string[], b: string[]) => `${shellJoin(a)} | ${shellJoin(b)}`;
  await l.localSh(pipe(
    ssh("root", ["zfs", "send", `${src}@s1`]),
    ssh("alice", ["sudo", "-n", "zfs", "receive", dst]),
  ));
  await l.writeFiles(src, [{ path: "y.bin", size: MiB }], "over ssh");
  await l.zfs("snapshot", `${src}@s2`);
  await l.zfs("destroy", `${src}@s1`);
  await l.localSh(pipe(
    ssh("root", ["zfs", "send", "-i", `${src}#b1`, `${src}@s2`]),
    ssh("root", ["zfs", "receive", dst]),
  ));
  assert.equal(await l.checksum(`${dst}@s2`), await l.checksum(`${src}@s2`));
  const [bm] = await l.bookmarks(src);
  const dstSnaps = await l.snapshots(dst);
  assert.equal(bm.name, `${src}#b1`);
  assert.equal(dstSnaps[0].guid, bm.guid, "the bookmark keeps the guid of its snapshot");
  const bob = await l.localSh(shellJoin(ssh("bob", ["sudo", "-n", "zfs", "list"])), {
    noThrow: true,
  });
  assert.notEqual(bob.code, 0, "bob has no sudo");
  assert.equal(l.remote(dst, "alice"), `alice@zfsvm:${dst}`);
}, { ssh: true });

lab.test("harness: destroy snapshots, bookmarks and datasets", async (l) => {
  const ds = `${l.src}/gone`;
  await l.createDataset(`${ds}/child`, { files: [{ path: "f", size: 1000 }] });
  await l.zfs("snapshot", "-r", `${ds}@s1`);
  await l.zfs("bookmark", `${ds}@s1`, `${ds}#b1`);
  assert.equal((await l.snapshotsAndBookmarks(ds, { recursive: true })).length, 3);
  assert.equal((await l.snapshots(ds, { recursive: true })).length, 2);
  await l.zfs("destroy", `${ds}#b1`);
  await l.zfs("destroy", "-r", `${ds}@s1`);
  assert.deepEqual(await l.snapshotsAndBookmarks(ds, { recursive: true }), []);
  await l.zfs("destroy", "-r", ds);
  assert.deepEqual(await l.datasets(ds), []);
});
