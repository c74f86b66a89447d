import assert from "node:assert/strict";
import { ControlPathPool, MAX_SOCKET_PATH_BYTES } from "../../lib/exec/control_path_pool.ts";

function pool(root = `${Deno.makeTempDirSync()}/bzfs`, persist = 600) {
  const p = ControlPathPool.open({ rootDir: root, controlPersistSecs: persist });
  assert.ok(p);
  return { p, root };
}

/** A real Unix socket file at `path` (what an ssh master leaves). */
function socketAt(path: string): Deno.UnixListener {
  return Deno.listen({ transport: "unix", path });
}

Deno.test("ControlPathPool: private dirs, one namespace per endpoint, tag-prefixed names", () => {
  const { p, root } = pool();
  const a = p.acquire("root@nas#22#", "s");
  const b = p.acquire("root@nas2#22#", "s");
  const d = p.acquire("root@nas#22#", "d");
  assert.match(a.controlPath, new RegExp(`^${root}/[\\w-]{22}/c/s[\\w-]{11}$`));
  assert.match(d.controlPath, /\/c\/d[\w-]{11}$/);
  const ns = (path: string) => path.split("/").at(-3);
  assert.notEqual(ns(a.controlPath), ns(b.controlPath), "endpoints never share a namespace");
  assert.ok(new TextEncoder().encode(a.controlPath).length <= MAX_SOCKET_PATH_BYTES);
  for (const dir of [root, `${root}/${ns(a.controlPath)}`, `${root}/${ns(a.controlPath)}/c`]) {
    assert.equal(Deno.statSync(dir).mode! & 0o777, 0o700, dir);
  }
  for (const l of [a, b, d]) l.release();
});

Deno.test("ControlPathPool: a held socket is never handed out twice; a released one is reused", () => {
  const { p, root } = pool();
  const other = ControlPathPool.open({ rootDir: root, controlPersistSecs: 600 })!; // a second process
  const a = p.acquire("nas");
  const b = other.acquire("nas");
  assert.notEqual(a.controlPath, b.controlPath, "locked by another holder");
  const live = socketAt(a.controlPath); // a master is listening
  a.release();
  a.release(); // idempotent
  const c = other.acquire("nas");
  assert.equal(c.controlPath, a.controlPath, "the next run attaches to the live master");
  assert.ok(Deno.lstatSync(c.controlPath).isSocket, "a fresh socket is kept");
  live.close();
  for (const l of [b, c]) l.release();
});

Deno.test("ControlPathPool: a socket idle longer than ControlPersist is removed before reuse", () => {
  const { p } = pool(undefined, 1);
  const a = p.acquire("nas");
  const left = socketAt(a.controlPath); // the socket file a dead master would leave
  a.release();
  const old = new Date(Date.now() - 5_000);
  Deno.utimeSync(a.controlPath, old, old);
  const b = p.acquire("nas");
  assert.equal(b.controlPath, a.controlPath);
  assert.throws(() => Deno.lstatSync(b.controlPath), Deno.errors.NotFound, "stale socket gone");
  b.release();
  try {
    left.close();
  } catch {
    // its file is gone already
  }
});

Deno.test("ControlPathPool: unsafe roots and long paths are refused", () => {
  const base = Deno.makeTempDirSync();
  assert.equal(
    ControlPathPool.open({ rootDir: `${base}/${"x".repeat(80)}`, controlPersistSecs: 600 }),
    undefined,
  );
  Deno.mkdirSync(`${base}/open`, { mode: 0o755 });
  Deno.chmodSync(`${base}/open`, 0o755);
  const open = ControlPathPool.open({ rootDir: `${base}/open`, controlPersistSecs: 600 })!;
  assert.throws(() => open.acquire("nas"), /Group or world/);
  Deno.mkdirSync(`${base}/real`, { mode: 0o700 });
  Deno.symlinkSync(`${base}/real`, `${base}/link`);
  const link = ControlPathPool.open({ rootDir: `${base}/link`, controlPersistSecs: 600 })!;
  assert.throws(() => link.acquire("nas"), /Not a directory/);
  const { p } = pool();
  assert.throws(() => p.acquire("nas", "S"), TypeError);
});
