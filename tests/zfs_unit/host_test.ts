import assert from "node:assert/strict";
import { ZfsHost } from "../../lib/zfs/host.ts";
import { FakeExecutor } from "../../lib/exec/fake_executor.ts";
import { DryRunExecutor } from "../../lib/exec/dry_run_executor.ts";
import { RealExecutor } from "../../lib/exec/real_executor.ts";
import { createRemote } from "../../lib/exec/remote.ts";
import { CommandTimeoutError } from "../../lib/exec/failure.ts";
import { CommandError, RetryableError } from "../../lib/errors.ts";

const nas = createRemote({ host: "nas", sshCipher: "", sudo: ["sudo", "-n"] });
const ok = () => new FakeExecutor([], { fallback: {} });

Deno.test("listings are read-only, without sudo, and parse their output", async () => {
  const fake = new FakeExecutor()
    .on("zfs list -t filesystem,volume", { stdout: "1700000000\ttank\n-\ttank/a\n" })
    .on("zfs list -t snapshot,bookmark", {
      stdout: "5\t10\t1700000000\ttank/a#b\n5\t10\t1700000000\ttank/a@s\n",
    });
  const host = new ZfsHost(fake, nas, { timeoutMs: 5000 });
  assert.deepEqual(await host.listDatasets("tank", { recursive: true, snapshotsChanged: true }), [
    { name: "tank", snapshotsChanged: 1700000000 },
    { name: "tank/a", snapshotsChanged: undefined },
  ]);
  const snaps = await host.listSnapshots("tank/a", { types: "snapshot,bookmark" });
  assert.deepEqual(snaps?.map((s) => s.kind), ["bookmark", "snapshot"]);
  for (const c of fake.calls) {
    assert.equal(c.readOnly, true);
    assert.ok(!c.sudo);
    assert.equal(c.remote, nas);
    assert.equal(c.timeoutMs, 5000);
  }
});

Deno.test("absent datasets are undefined; other failures are retryable", async () => {
  const absent = new FakeExecutor().on("zfs", {
    code: 1,
    stderr: "cannot open 'tank/x': dataset does not exist",
  });
  const host = new ZfsHost(absent, nas);
  assert.equal(await host.listSnapshots("tank/x"), undefined);
  assert.equal(await host.listDatasets("tank/x"), undefined);
  assert.equal(await host.getResumeToken("tank/x"), undefined);
  assert.deepEqual(await host.getProperties("tank/x"), new Map());
  const broken = new ZfsHost(
    new FakeExecutor().on("zfs", { code: 1, stderr: "permission denied" }),
    nas,
  );
  await assert.rejects(() => broken.listSnapshots("tank/a"), (e: unknown) => {
    assert.ok(e instanceof RetryableError);
    assert.ok(e.cause instanceof CommandError);
    return true;
  });
  const ssh = new ZfsHost(
    new FakeExecutor().on("zfs", { code: 255, stderr: "ssh: connect to host nas" }),
    nas,
  );
  await assert.rejects(() => ssh.listSnapshots("tank/a"), RetryableError);
});

Deno.test("resume token and properties", async () => {
  const fake = new FakeExecutor()
    .on("zfs get -Hp -o value", { stdout: "1-abc-def\n" })
    .on("zfs get -Hp -o property,value,source", { stdout: "compression\tzstd\tlocal\n" });
  const host = new ZfsHost(fake, nas, { zfsProgram: "zfs" });
  assert.equal(await host.getResumeToken("bak/a"), "1-abc-def");
  const props = await host.getProperties("tank/a", {
    sources: "local",
    properties: ["compression"],
  });
  assert.deepEqual(props.get("compression"), { value: "zstd", source: "local" });
  assert.deepEqual(
    fake.commands[1],
    "zfs get -Hp -o property,value,source -s local compression tank/a",
  );
});

Deno.test("version", async () => {
  const host = new ZfsHost(
    new FakeExecutor().on("zfs --version", { stdout: "zfs-2.1.11-1\n" }),
    nas,
  );
  assert.equal((await host.version()).text, "zfs-2.1.11-1");
  const freebsd = new ZfsHost(
    new FakeExecutor().on("zfs --version", { code: 1, stdout: "zfs-2.2.3-FreeBSD\n" }),
    nas,
  );
  assert.equal((await freebsd.version()).minor, 2);
  const missing = new ZfsHost(
    new FakeExecutor().on("zfs --version", { code: 127, stderr: "not found" }),
    nas,
  );
  await assert.rejects(() => missing.version(), /zfs is not available on nas/);
});

Deno.test("state-changing commands use sudo and render with ssh", async () => {
  const seen: string[] = [];
  const fake = new FakeExecutor([], { fallback: {}, onCommand: (c) => seen.push(c) });
  const host = new ZfsHost(fake, nas);
  await host.snapshot(["tank/a@s1", "tank/b@s1"]);
  await host.snapshot([]);
  await host.bookmark("tank/a@s1", "tank/a#s1");
  await host.rollback("bak/a@s1", { destroyNewer: true });
  await host.createAncestors("bak/x/y/z");
  await host.createAncestors("bak/x");
  await host.receiveAbort("bak/a");
  await host.destroy("bak/old", { recursive: true });
  assert.deepEqual(fake.commands, [
    "zfs snapshot tank/a@s1 tank/b@s1",
    "zfs bookmark tank/a@s1 'tank/a#s1'",
    "zfs rollback -r bak/a@s1",
    "zfs create -p bak/x/y",
    "zfs receive -A bak/a",
    "zfs destroy -r bak/old",
  ]);
  assert.ok(fake.calls.every((c) => c.sudo === true && !c.readOnly));
  assert.equal(
    seen[0],
    "ssh -o ControlPath=none -o BatchMode=yes -x -T nas 'sudo -n zfs snapshot tank/a@s1 tank/b@s1'",
  );
});

Deno.test("destroySnapshots batches and returns the -v report", async () => {
  const fake = new FakeExecutor([], { fallback: (s) => ({ stdout: `did ${s.argv.at(-1)}\n` }) });
  const host = new ZfsHost(fake, nas, { maxPerBatch: 2 });
  const out = await host.destroySnapshots("bak/a", ["s1", "s2", "s3"], {
    verbose: true,
    dependents: true,
  });
  assert.deepEqual(fake.commands, ["zfs destroy -R -v bak/a@s1,s2", "zfs destroy -R -v bak/a@s3"]);
  assert.equal(out, "did bak/a@s1,s2\ndid bak/a@s3\n");
  assert.equal(await host.destroySnapshots("bak/a", []), "");
});

Deno.test("under --dryrun: destroy -n really runs, everything else is only recorded", async () => {
  const delegate = ok();
  const dry = new DryRunExecutor(delegate);
  const host = new ZfsHost(dry, nas);
  await host.destroySnapshots("bak/a", ["s1"], { dryRun: true });
  await host.destroy("bak/a#b1", { dryRun: true });
  await host.snapshot(["tank/a@s2"]);
  await host.rollback("bak/a@s1");
  assert.deepEqual(delegate.commands, ["zfs destroy -n bak/a@s1", "zfs destroy -n 'bak/a#b1'"]);
  assert.equal(dry.skipped.length, 2);
});

Deno.test("mutation failures: snapshot is fatal, the others retryable", async () => {
  const fake = new FakeExecutor().on("zfs", { code: 1, stderr: "dataset is busy" });
  const host = new ZfsHost(fake, nas);
  await assert.rejects(() => host.snapshot(["t@s"]), (e: unknown) => e instanceof CommandError);
  for (
    const op of [
      () => host.bookmark("t@s", "t#s"),
      () => host.rollback("t@s"),
      () => host.destroySnapshots("t", ["s"]),
      () => host.destroy("t"),
      () => host.createAncestors("p/a/b"),
      () => host.receiveAbort("t"),
    ]
  ) {
    await assert.rejects(op, RetryableError);
  }
});

Deno.test("timeouts and interruptions are not made retryable", async () => {
  const slow = new URL("./fixtures/slow_zfs.sh", import.meta.url).pathname;
  const host = new ZfsHost(new RealExecutor(), createRemote(), { zfsProgram: slow, timeoutMs: 50 });
  await assert.rejects(() => host.rollback("5"), CommandTimeoutError);
  const ac = new AbortController();
  ac.abort();
  const aborted = new ZfsHost(new RealExecutor(), createRemote(), {
    zfsProgram: slow,
    signal: ac.signal,
  });
  await assert.rejects(
    () => aborted.rollback("5"),
    (e: unknown) => e instanceof CommandError && !(e instanceof RetryableError),
  );
});

Deno.test("estimateSendSize and isBusy", async () => {
  const fake = new FakeExecutor()
    .on("zfs send -nvP", { stdout: "full\ttank/a@s1\t4096\nsize\t4096\n" })
    .on("ps -Ao args", { stdout: "sudo -n zfs receive -s -u bak/a\n" });
  const host = new ZfsHost(fake, nas);
  assert.equal(await host.estimateSendSize(["zfs", "send", "--raw", "tank/a@s1"]), 4096);
  assert.equal(fake.calls[0].sudo, true);
  assert.equal(fake.calls[0].readOnly, true);
  assert.equal(await host.isBusy("bak/a"), true);
  assert.equal(await host.isBusy("bak/b"), false);
  assert.equal(await host.isBusy("bak/a", { psProgram: "-" }), false);
  assert.equal(fake.calls.length, 3);
  const failing = new ZfsHost(new FakeExecutor().on("ps", { code: 1 }), nas);
  await assert.rejects(() => failing.isBusy("bak/a"), RetryableError);
});

Deno.test("listSnapshotsOfMany batches datasets and skips absent ones", async () => {
  const fake = new FakeExecutor()
    .on("zfs list -t snapshot -Hp -o guid,createtxg,creation,name -s createtxg -d 1 t/a t/b", {
      stdout: "1\t10\t1700000000\tt/a@s1\n2\t11\t1700000001\tt/a@s2\n",
      code: 1,
      stderr: "cannot open 't/b': dataset does not exist\n",
    })
    .on("zfs list -t snapshot -Hp -o guid,createtxg,creation,name -s createtxg -d 1 t/c", {
      stdout: "3\t12\t1700000002\tt/c@s1\n",
    });
  const host = new ZfsHost(fake, nas);
  const m = await host.listSnapshotsOfMany(["t/a", "t/b", "t/c"], { maxDatasetsPerBatch: 2 });
  assert.deepEqual([...m.keys()], ["t/a", "t/c"]);
  assert.deepEqual(m.get("t/a")?.map((s) => s.name), ["s1", "s2"]);
  assert.equal(fake.commands.length, 2);
  assert.ok(fake.calls.every((c) => c.readOnly === true));
  const byChars = new ZfsHost(new FakeExecutor([], { fallback: {} }), nas, { maxChars: 8 });
  assert.deepEqual(await byChars.listSnapshotsOfMany([]), new Map());
  await byChars.listSnapshotsOfMany(["t/aaaa", "t/bbbb"]);
});

Deno.test("listSnapshotsOfMany: real failures and ssh failures are retryable", async () => {
  const broken = new ZfsHost(
    new FakeExecutor().on("zfs list", { code: 1, stderr: "permission denied" }),
    nas,
  );
  await assert.rejects(() => broken.listSnapshotsOfMany(["t/a"]), RetryableError);
  const silent = new ZfsHost(new FakeExecutor().on("zfs list", { code: 1 }), nas);
  await assert.rejects(() => silent.listSnapshotsOfMany(["t/a"]), RetryableError);
  const ssh = new ZfsHost(
    new FakeExecutor().on("zfs list", { code: 255, stderr: "ssh: connect to host nas" }),
    nas,
  );
  await assert.rejects(() => ssh.listSnapshotsOfMany(["t/a"]), (e: unknown) => {
    assert.ok(e instanceof RetryableError);
    assert.equal((e.cause as CommandError).exitCode, 255);
    return true;
  });
});
