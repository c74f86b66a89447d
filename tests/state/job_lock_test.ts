import assert from "node:assert/strict";
import { buildBzfsConfig } from "../../lib/cli/bzfs_config.ts";
import { LockHeldError } from "../../lib/errors.ts";
import { acquireJobLock, lockFilePath } from "../../lib/state/job_lock.ts";

const cfg = (argv: string[]) => buildBzfsConfig(argv, { write: { out: () => {}, err: () => {} } });

Deno.test("the lock path depends on the job's identity, not on tuning options", () => {
  const base = lockFilePath(cfg(["tank/a", "backup/a"]), "/l/bzfs-logs/");
  assert.match(base, /^\/l\/bzfs-logs\/\.locks\/bzfs-lockfile-[0-9a-f]{64}\.lock$/);
  assert.equal(
    lockFilePath(cfg(["tank/a", "backup/a", "--threads=3", "-v", "-n"]), "/l/bzfs-logs"),
    base,
  );
  assert.notEqual(lockFilePath(cfg(["tank/a", "backup/b"]), "/l/bzfs-logs"), base);
  assert.notEqual(lockFilePath(cfg(["-r", "tank/a", "backup/a"]), "/l/bzfs-logs"), base);
  assert.notEqual(
    lockFilePath(cfg(["tank/a", "backup/a", "--include-snapshot-regex", "x"]), "/l/bzfs-logs"),
    base,
  );
});

Deno.test("a second holder is refused until the first releases", () => {
  const path = `${Deno.makeTempDirSync()}/.locks/bzfs-lockfile-x.lock`;
  const first = acquireJobLock(path);
  assert.throws(() => acquireJobLock(path), (e: unknown) => {
    assert.ok(e instanceof LockHeldError);
    assert.match(e.message, /still running without completion yet per .*bzfs-lockfile-x\.lock/);
    return true;
  });
  first.release();
  first.release();
  assert.throws(() => Deno.statSync(path), Deno.errors.NotFound);
  acquireJobLock(path).release();
});

Deno.test("a lock left by a killed process is taken over", async () => {
  const dir = Deno.makeTempDirSync();
  Deno.mkdirSync(`${dir}/.locks`);
  const path = `${dir}/.locks/bzfs-lockfile-y.lock`;
  const holder = new Deno.Command("flock", {
    args: ["--no-fork", "-x", path, "sleep", "30"],
    stdout: "null",
    stderr: "null",
  }).spawn();
  for (let i = 0; i < 50 && !(await exists(path)); i++) await new Promise((r) => setTimeout(r, 20));
  await new Promise((r) => setTimeout(r, 100));
  assert.throws(() => acquireJobLock(path), LockHeldError);
  holder.kill("SIGKILL");
  await holder.status;
  const lock = acquireJobLock(path);
  lock.release();
});

async function exists(p: string): Promise<boolean> {
  return await Deno.stat(p).then(() => true, () => false);
}
