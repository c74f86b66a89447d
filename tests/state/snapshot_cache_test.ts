import assert from "node:assert/strict";
import {
  cacheHash,
  isMature,
  MATURITY_TIME_THRESHOLD_SECS,
  SnapshotCache,
} from "../../lib/state/snapshot_cache.ts";

const tmp = () => `${Deno.makeTempDirSync()}/bzfs-logs/.cache/mods`;

Deno.test("cache: paths are hashed per host key, dataset and label", () => {
  const cache = new SnapshotCache("/r/");
  const a = cache.file("-", "tank/a");
  assert.equal(a, `/r/${cacheHash("-")}/${cacheHash("tank/a")}/=`);
  assert.equal(
    cache.file("-", "tank/a", "l"),
    `/r/${cacheHash("-")}/${cacheHash("tank/a")}/${cacheHash("l")}`,
  );
  assert.notEqual(cache.file("root@nas#22#", "tank/a"), a);
  assert.match(cacheHash("x"), /^[A-Za-z0-9_-]{43}$/);
});

Deno.test("cache: missing files read as zero; writes create dirs (0700) and files (0600)", () => {
  const cache = new SnapshotCache(tmp());
  const f = cache.file("-", "tank/a", "lbl");
  assert.deepEqual(cache.read(f), { atime: 0, mtime: 0 });
  assert.equal(cache.write(f, { atime: 100, mtime: 200 }), true);
  assert.deepEqual(cache.read(f), { atime: 100, mtime: 200 });
  assert.equal(Deno.statSync(f).mode! & 0o777, 0o600);
  assert.equal(Deno.statSync(f.slice(0, f.lastIndexOf("/"))).mode! & 0o777, 0o700);
  assert.equal(Deno.statSync(f).size, 0, "nothing is stored in the contents");
});

Deno.test("cache: writes never move an mtime backwards unless forced", () => {
  const cache = new SnapshotCache(tmp());
  const f = cache.file("-", "tank/a");
  cache.write(f, { atime: 50, mtime: 50 });
  assert.equal(cache.write(f, { atime: 40, mtime: 40 }), false);
  assert.equal(cache.write(f, { atime: 99, mtime: 50 }), false, "equal mtime: no change");
  assert.deepEqual(cache.read(f), { atime: 50, mtime: 50 });
  assert.equal(cache.write(f, { atime: 0, mtime: 0 }, { force: true }), true);
  assert.deepEqual(cache.read(f), { atime: 0, mtime: 0 });
});

Deno.test("cache: a new file takes the given times even when they are old", () => {
  const cache = new SnapshotCache(tmp());
  const f = cache.file("-", "tank/a");
  assert.equal(cache.write(f, { atime: 1, mtime: 1 }), true);
  assert.deepEqual(cache.read(f), { atime: 1, mtime: 1 });
});

Deno.test("cache: read-only (dry run) writes nothing", () => {
  const root = tmp();
  const cache = new SnapshotCache(root, { readOnly: true });
  assert.equal(cache.write(cache.file("-", "tank/a"), { atime: 5, mtime: 5 }), false);
  assert.throws(() => Deno.statSync(root), Deno.errors.NotFound);
});

Deno.test("cache: symlinks are neither read nor written through", () => {
  const cache = new SnapshotCache(tmp());
  const f = cache.file("-", "tank/a");
  cache.write(f, { atime: 5, mtime: 5 });
  const target = `${Deno.makeTempDirSync()}/target`;
  Deno.writeTextFileSync(target, "");
  Deno.utimeSync(target, 77, 77);
  Deno.removeSync(f);
  Deno.symlinkSync(target, f);
  assert.deepEqual(cache.read(f), { atime: 0, mtime: 0 });
  assert.equal(cache.write(f, { atime: 999, mtime: 999 }), false);
  assert.equal(Math.round(Deno.statSync(target).mtime!.getTime() / 1000), 77);
});

Deno.test("cache: invalidate zeroes the dataset's top-level files only", () => {
  const cache = new SnapshotCache(tmp());
  cache.write(cache.file("-", "tank/a"), { atime: 5, mtime: 5 });
  cache.write(cache.file("-", "tank/a", "l1"), { atime: 3, mtime: 5 });
  cache.write(cache.file("-", "tank/b"), { atime: 5, mtime: 5 });
  cache.invalidate("-", "tank/a");
  assert.deepEqual(cache.read(cache.file("-", "tank/a")), { atime: 0, mtime: 0 });
  assert.deepEqual(cache.read(cache.file("-", "tank/a", "l1")), { atime: 0, mtime: 0 });
  assert.deepEqual(cache.read(cache.file("-", "tank/b")), { atime: 5, mtime: 5 });
  cache.invalidate("-", "tank/never"); // harmless
});

Deno.test("cache: maturity needs a non-zero value more than 1.1 s in the past", () => {
  const now = 1_700_000_010_000;
  assert.equal(MATURITY_TIME_THRESHOLD_SECS, 1.1);
  assert.equal(isMature(1_700_000_008, now), true);
  assert.equal(isMature(1_700_000_009, now), false);
  assert.equal(isMature(1_700_000_010, now), false);
  assert.equal(isMature(0, now), false);
});
