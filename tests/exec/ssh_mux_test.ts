import assert from "node:assert/strict";
import { SshMux } from "../../lib/exec/ssh_mux.ts";
import { createRemote } from "../../lib/exec/remote.ts";
import { ControlPathPool } from "../../lib/exec/control_path_pool.ts";

Deno.test("SshMux.create makes a private short directory and close removes it", async () => {
  const mux = await SshMux.create();
  const info = await Deno.stat(mux.dir);
  assert.equal(info.isDirectory, true);
  assert.equal(info.mode! & 0o777, 0o700);
  const lease = mux.acquire(createRemote({ host: "a-very-long-host-name.example.com", user: "u" }));
  assert.ok(lease.controlPath.length < 40, lease.controlPath);
  await mux.close();
  await assert.rejects(() => Deno.stat(mux.dir), Deno.errors.NotFound);
  await mux.close(); // idempotent
});

Deno.test("shared leases fill one master up to the session limit, then open another", () => {
  const mux = new SshMux("/t", { maxSessionsPerConnection: 2 });
  const nas = createRemote({ host: "nas" });
  const a = mux.acquire(nas);
  const b = mux.acquire(nas);
  const c = mux.acquire(nas);
  assert.equal(a.controlPath, "/t/1s0");
  assert.equal(b.controlPath, "/t/1s0");
  assert.equal(c.controlPath, "/t/1s1");
  a.release();
  a.release(); // idempotent: must not free a second slot
  assert.equal(mux.acquire(nas).controlPath, "/t/1s0");
  assert.equal(mux.acquire(nas).controlPath, "/t/1s1");
  assert.equal(mux.acquire(nas).controlPath, "/t/1s2");
});

Deno.test("dedicated leases get one master each and reuse freed ones", () => {
  const mux = new SshMux("/t");
  const nas = createRemote({ host: "nas" });
  const other = createRemote({ host: "nas", port: 2 });
  const d1 = mux.acquire(nas, "dedicated");
  const d2 = mux.acquire(nas, "dedicated");
  assert.equal(d1.controlPath, "/t/1d0");
  assert.equal(d2.controlPath, "/t/1d1");
  assert.equal(mux.acquire(other, "dedicated").controlPath, "/t/2d0");
  d1.release();
  assert.equal(mux.acquire(nas, "dedicated").controlPath, "/t/1d0");
  assert.equal(mux.controlPaths().length, 3);
  assert.deepEqual(mux.controlPaths()[0].remote, nas);
});

Deno.test("dedicatedPerSend=false makes dedicated leases shared", () => {
  const mux = new SshMux("/t", { dedicatedPerSend: false });
  const nas = createRemote({ host: "nas" });
  assert.equal(mux.acquire(nas, "dedicated").controlPath, "/t/1s0");
  assert.equal(mux.acquire(nas, "dedicated").controlPath, "/t/1s0");
});

Deno.test("SshMux with a pool: sockets outlive the run; an unusable pool falls back per run", async () => {
  const root = `${Deno.makeTempDirSync()}/bzfs`;
  const pool = ControlPathPool.open({ rootDir: root, controlPersistSecs: 600 })!;
  const mux = await SshMux.create({ pool });
  const nas = createRemote({ host: "nas" });
  const shared = mux.acquire(nas, "shared");
  const dedicated = mux.acquire(nas, "dedicated");
  assert.ok(shared.controlPath.startsWith(`${root}/`));
  assert.match(shared.controlPath, /\/c\/s[\w-]{11}$/);
  assert.match(dedicated.controlPath, /\/c\/d[\w-]{11}$/);
  assert.deepEqual(mux.controlPaths().map((p) => p.pooled), [true, true]);
  shared.release();
  dedicated.release();
  await mux.close();
  const next = await SshMux.create({ pool });
  assert.equal(
    next.acquire(nas, "shared").controlPath,
    shared.controlPath,
    "the next run reuses it",
  );
  await next.close();

  const openDir = `${Deno.makeTempDirSync()}/open`;
  Deno.mkdirSync(openDir);
  Deno.chmodSync(openDir, 0o777);
  const unsafe = await SshMux.create({
    pool: ControlPathPool.open({ rootDir: openDir, controlPersistSecs: 600 }),
  });
  const lease = unsafe.acquire(nas, "shared");
  assert.ok(lease.controlPath.startsWith(`${unsafe.dir}/`), lease.controlPath);
  assert.match(unsafe.poolError ?? "", /Group or world/);
  assert.deepEqual(unsafe.controlPaths().map((p) => p.pooled), [false]);
  await unsafe.close();
});
