import assert from "node:assert/strict";
import { FakeExecutor } from "../../lib/exec/fake_executor.ts";
import { DryRunExecutor, isReadOnlyArgv } from "../../lib/exec/dry_run_executor.ts";
import { createRemote } from "../../lib/exec/remote.ts";
import { CommandError, RetryableError } from "../../lib/errors.ts";

Deno.test("FakeExecutor matches strings exactly or as word prefix, RegExp and predicates", async () => {
  const fake = new FakeExecutor([{ match: "zfs list", result: { stdout: "A" } }])
    .on(/^zfs get .* receive_resume_token /, { stdout: "-\n" })
    .on((s) => s.argv[0] === "zpool", (s) => ({ stdout: s.argv.join(",") }));
  assert.equal((await fake.run({ argv: ["zfs", "list"] })).stdout, "A");
  assert.equal((await fake.run({ argv: ["zfs", "list", "-Hp", "tank"] })).stdout, "A");
  await assert.rejects(
    () => fake.run({ argv: ["zfs", "listx"] }),
    /no rule for command: zfs listx/,
  );
  assert.equal(
    (await fake.run({
      argv: ["zfs", "get", "-Hp", "-o", "value", "receive_resume_token", "tank/a"],
    })).stdout,
    "-\n",
  );
  assert.equal((await fake.run({ argv: ["zpool", "list"] })).stdout, "zpool,list");
  assert.deepEqual(fake.commands, [
    "zfs list",
    "zfs list -Hp tank",
    "zfs listx",
    "zfs get -Hp -o value receive_resume_token tank/a",
    "zpool list",
  ]);
  assert.equal(fake.calls.length, 5);
});

Deno.test("FakeExecutor rules with times fall through, and fallback answers the rest", async () => {
  const fake = new FakeExecutor([], { fallback: { stdout: "fb" } }).on("x", { stdout: "once" }, 1);
  assert.equal((await fake.run({ argv: ["x"] })).stdout, "once");
  assert.equal((await fake.run({ argv: ["x"] })).stdout, "fb");
});

Deno.test("FakeExecutor failures are classified like the real executor", async () => {
  const remote = createRemote({ host: "nas" });
  const fake = new FakeExecutor()
    .on("zfs destroy", { code: 1, stderr: "cannot destroy: busy" })
    .on("zfs list", { code: 255, stderr: "ssh: connect to host nas port 22: Connection refused" });
  await assert.rejects(() => fake.run({ argv: ["zfs", "destroy", "t@s"] }), (e: unknown) => {
    assert.ok(e instanceof CommandError && !(e instanceof RetryableError));
    assert.equal(e.stderr, "cannot destroy: busy");
    return true;
  });
  await assert.rejects(() => fake.run({ argv: ["zfs", "list"], remote }), RetryableError);
  await assert.rejects(
    () => fake.run({ argv: ["zfs", "list"] }),
    (e: unknown) => !(e instanceof RetryableError),
  );
  const r = await fake.run({ argv: ["zfs", "destroy"], check: false });
  assert.equal(r.code, 1);
});

Deno.test("FakeExecutor records pipelines and can fail them", async () => {
  const seen: string[] = [];
  const ok = new FakeExecutor([], { onCommand: (c) => seen.push(c) });
  await ok.runPipeline({ argv: ["sh", "-c", "a | b"], display: "a | b" });
  assert.equal(ok.pipelines[0].display, "a | b");
  assert.deepEqual(seen, ["a | b"]);
  const bad = new FakeExecutor([], { pipelineResult: { code: 1, stderr: "cannot receive" } });
  await assert.rejects(() => bad.runPipeline({ argv: ["sh"], display: "" }), RetryableError);
  assert.equal((await bad.runPipeline({ argv: ["sh"], display: "" }, { check: false })).code, 1);
});

Deno.test("FakeExecutor onCommand sees ssh and sudo wrapping", async () => {
  const seen: string[] = [];
  const fake = new FakeExecutor([], { fallback: {}, onCommand: (c) => seen.push(c) });
  const remote = createRemote({ host: "nas", sshCipher: "", sudo: ["sudo", "-n"] });
  await fake.run({ argv: ["zfs", "destroy", "t@a b"], remote, sudo: true });
  assert.deepEqual(seen, [
    `ssh -o ControlPath=none -o BatchMode=yes -x -T nas 'sudo -n zfs destroy '"'"'t@a b'"'"''`,
  ]);
});

Deno.test("isReadOnlyArgv", () => {
  assert.equal(isReadOnlyArgv(["zfs", "list"]), true);
  assert.equal(isReadOnlyArgv(["/sbin/zfs", "get", "all"]), true);
  assert.equal(isReadOnlyArgv(["zpool", "get", "all"]), true);
  assert.equal(isReadOnlyArgv(["zfs", "--version"]), true);
  assert.equal(isReadOnlyArgv(["zfs", "snapshot", "a@b"]), false);
  assert.equal(isReadOnlyArgv(["sh", "-c", "zfs list"]), false);
  assert.equal(isReadOnlyArgv([]), false);
});

Deno.test("DryRunExecutor runs read-only commands and records the rest", async () => {
  const delegate = new FakeExecutor().on("zfs list", { stdout: "tank\n" }).on("sh", {
    stdout: "zstd\n",
  });
  const seen: string[] = [];
  const skipped: string[] = [];
  const dry = new DryRunExecutor(delegate, {
    onCommand: (c) => seen.push(c),
    onSkipped: (c) => skipped.push(c),
  });
  assert.equal((await dry.run({ argv: ["zfs", "list"] })).stdout, "tank\n");
  assert.equal(
    (await dry.run({ argv: ["sh", "-c", "command -v zstd"], readOnly: true })).stdout,
    "zstd\n",
  );
  const r = await dry.run({
    argv: ["zfs", "destroy", "tank@s1"],
    sudo: true,
    remote: createRemote({ sudo: ["sudo", "-n"] }),
  });
  assert.deepEqual(r, { code: 0, signal: null, stdout: "", stderr: "" });
  await dry.run({ argv: ["zfs", "list"], readOnly: false });
  await dry.runPipeline({
    argv: ["sh", "-c", "zfs send x | zfs receive y"],
    display: "zfs send x | zfs receive y",
  });
  assert.deepEqual(delegate.commands, ["zfs list", "sh -c 'command -v zstd'"]);
  assert.deepEqual(dry.skipped, [
    { kind: "command", rendered: "sudo -n zfs destroy tank@s1" },
    { kind: "command", rendered: "zfs list" },
    { kind: "pipeline", rendered: "zfs send x | zfs receive y" },
  ]);
  assert.deepEqual(skipped, seen);
  assert.equal(delegate.pipelines.length, 0);
});
