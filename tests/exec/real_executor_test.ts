import assert from "node:assert/strict";
import { RealExecutor } from "../../lib/exec/real_executor.ts";
import { CommandTimeoutError, InterruptedCommandError } from "../../lib/exec/failure.ts";
import { createRemote } from "../../lib/exec/remote.ts";
import { ControlPathPool } from "../../lib/exec/control_path_pool.ts";
import { SshMux } from "../../lib/exec/ssh_mux.ts";
import { CommandError, RetryableError } from "../../lib/errors.ts";

const FAKE_SSH = new URL("./fixtures/fake_ssh.sh", import.meta.url).pathname;

async function countProcesses(marker: string): Promise<number> {
  const out = await new Deno.Command("sh", {
    args: ["-c", `ps -eo args | grep -c '^sleep ${marker}$' || true`],
  })
    .output();
  return Number(new TextDecoder().decode(out.stdout).trim());
}

Deno.test("run collects stdout and stderr of a local command", async () => {
  const seen: string[] = [];
  const ex = new RealExecutor({ onCommand: (c) => seen.push(c) });
  const r = await ex.run({ argv: ["sh", "-c", "echo out; echo err >&2"] });
  assert.deepEqual(r, { code: 0, signal: null, stdout: "out\n", stderr: "err\n" });
  assert.deepEqual(seen, ["sh -c 'echo out; echo err >&2'"]);
  assert.equal(ex.liveCount, 0);
});

Deno.test("run feeds stdin", async () => {
  const r = await new RealExecutor().run({ argv: ["cat"], stdin: "a\nb\n" });
  assert.equal(r.stdout, "a\nb\n");
  const bin = await new RealExecutor().run({ argv: ["wc", "-c"], stdin: new Uint8Array(100_000) });
  assert.equal(bin.stdout.trim(), "100000");
});

Deno.test("a process that exits without reading its stdin is fine", async () => {
  const r = await new RealExecutor().run({ argv: ["true"], stdin: new Uint8Array(1 << 20) });
  assert.equal(r.code, 0);
});

Deno.test("non-zero exit throws CommandError unless check is false", async () => {
  const ex = new RealExecutor();
  await assert.rejects(
    () => ex.run({ argv: ["sh", "-c", "echo 'cannot open tank' >&2; exit 1"] }),
    (e: unknown) => {
      assert.ok(e instanceof CommandError && !(e instanceof RetryableError));
      assert.equal(e.exitCode, 1);
      assert.equal(e.stderr, "cannot open tank");
      assert.deepEqual(e.argv, ["sh", "-c", "echo 'cannot open tank' >&2; exit 1"]);
      assert.match(e.message, /exit code 1: cannot open tank/);
      return true;
    },
  );
  const r = await ex.run({ argv: ["sh", "-c", "exit 7"], check: false });
  assert.equal(r.code, 7);
});

Deno.test("a child killed by a signal is a failure with status.signal", async () => {
  const ex = new RealExecutor();
  const r = await ex.run({ argv: ["sh", "-c", "kill -TERM $$"], check: false });
  assert.equal(r.signal, "SIGTERM");
  assert.notEqual(r.code, 0);
  await assert.rejects(() => ex.run({ argv: ["sh", "-c", "kill -KILL $$"] }), (e: unknown) => {
    assert.ok(e instanceof CommandError);
    assert.equal(e.exitCode, null);
    assert.equal(e.signal, "SIGKILL");
    return true;
  });
});

Deno.test("a missing program is exit 127, not an exception from Deno", async () => {
  const ex = new RealExecutor();
  const r = await ex.run({ argv: ["/nonexistent/zfs", "list"], check: false });
  assert.equal(r.code, 127);
  assert.match(r.stderr, /command not found/);
  await assert.rejects(() => ex.run({ argv: ["/nonexistent/zfs"] }), CommandError);
});

Deno.test("timeout kills the whole process group", async () => {
  const ex = new RealExecutor({ killAfterMs: 500 });
  const t0 = Date.now();
  await assert.rejects(
    () => ex.run({ argv: ["sh", "-c", "sleep 31.25 & sleep 31.25; echo never"], timeoutMs: 200 }),
    (e: unknown) => e instanceof CommandTimeoutError && e.timeoutMs === 200 && e.exitCode === null,
  );
  assert.ok(Date.now() - t0 < 3000);
  await new Promise((r) => setTimeout(r, 100));
  assert.equal(await countProcesses("31.25"), 0);
});

Deno.test("abort signal kills the group and is not retryable", async () => {
  const ex = new RealExecutor();
  const ac = new AbortController();
  setTimeout(() => ac.abort(), 100);
  await assert.rejects(
    () => ex.run({ argv: ["sh", "-c", "sleep 32.5 & wait"], signal: ac.signal }),
    (e: unknown) =>
      e instanceof CommandError && !(e instanceof RetryableError) && /interrupted/.test(e.message),
  );
  const pre = new AbortController();
  pre.abort();
  await assert.rejects(() => ex.run({ argv: ["sleep", "5"], signal: pre.signal }), /interrupted/);
});

Deno.test("killAll terminates every running group, including pipelines", async () => {
  const ex = new RealExecutor();
  const a = ex.run({ argv: ["sh", "-c", "sleep 33.5 & sleep 33.5"] });
  const b = ex.runPipeline({
    argv: ["sh", "-c", "sleep 33.5 | cat"],
    display: "sleep 33.5 | cat",
  });
  await new Promise((r) => setTimeout(r, 200));
  assert.equal(ex.liveCount, 2);
  assert.equal(ex.killAll("SIGTERM"), 2);
  const results = await Promise.allSettled([a, b]);
  for (const r of results) {
    assert.equal(r.status, "rejected");
    assert.ok(r.reason instanceof CommandError && !(r.reason instanceof RetryableError));
  }
  assert.equal(ex.liveCount, 0);
  await new Promise((r) => setTimeout(r, 100));
  assert.equal(await countProcesses("33.5"), 0);
});

Deno.test("output is returned even when a grandchild keeps the pipe open", async () => {
  const t0 = Date.now();
  const r = await new RealExecutor({ graceMs: 100 }).run({
    argv: ["sh", "-c", "sleep 1.5 & echo hi"],
  });
  assert.equal(r.stdout, "hi\n");
  assert.ok(Date.now() - t0 < 1200, `took ${Date.now() - t0} ms`);
});

Deno.test("remote command goes through ssh as ONE quoted string", async () => {
  const seen: string[] = [];
  const ex = new RealExecutor({ onCommand: (c) => seen.push(c) });
  const remote = createRemote({ host: "nas", user: "root", sshProgram: FAKE_SSH, sshCipher: "" });
  const words = ["a b", "it's", "$HOME", "`id`", ""];
  const r = await ex.run({ argv: ["printf", "%s|", ...words], remote });
  assert.equal(r.stdout, "a b|it's|$HOME|`id`||");
  assert.equal(seen.length, 1);
  assert.ok(
    seen[0].startsWith(`${FAKE_SSH} -o ControlPath=none -o BatchMode=yes -x -T root@nas `),
    seen[0],
  );
});

Deno.test("sudo prefix comes from the remote and is inside the remote string", async () => {
  const seen: string[] = [];
  const ex = new RealExecutor({ onCommand: (c) => seen.push(c) });
  const local = createRemote({ sudo: ["env", "BZFS_T=1"] });
  const r = await ex.run({ argv: ["sh", "-c", "echo $BZFS_T"], remote: local, sudo: true });
  assert.equal(r.stdout, "1\n");
  assert.equal(seen[0], "env BZFS_T=1 sh -c 'echo $BZFS_T'");
  const remote = createRemote({
    host: "h",
    sshProgram: FAKE_SSH,
    sshCipher: "",
    sudo: ["env", "BZFS_T=2"],
  });
  const r2 = await ex.run({ argv: ["sh", "-c", "echo $BZFS_T"], remote, sudo: true });
  assert.equal(r2.stdout, "2\n");
  assert.ok(seen[1].endsWith(` h 'env BZFS_T=2 sh -c '"'"'echo $BZFS_T'"'"''`), seen[1]);
  const noSudo = await ex.run({ argv: ["sh", "-c", "echo ${BZFS_T:-none}"], remote });
  assert.equal(noSudo.stdout, "none\n");
});

Deno.test("ssh transport failure (255, 'ssh: ...') is retryable; remote command failure is not", async () => {
  const ex = new RealExecutor();
  // a wrapper sets FAKE_SSH_FAIL for this ssh only (the process env is shared by parallel tests)
  const dir = Deno.makeTempDirSync();
  const failingSsh = `${dir}/ssh`;
  Deno.writeTextFileSync(failingSsh, `#!/bin/sh\nFAKE_SSH_FAIL=1 exec '${FAKE_SSH}' "$@"\n`, {
    mode: 0o755,
  });
  const failing = createRemote({ host: "nas", sshProgram: failingSsh });
  const remote = createRemote({ host: "nas", sshProgram: FAKE_SSH });
  try {
    await assert.rejects(() => ex.run({ argv: ["zfs", "list"], remote: failing }), (e: unknown) => {
      assert.ok(e instanceof RetryableError);
      assert.ok(e.cause instanceof CommandError);
      assert.equal(e.cause.exitCode, 255);
      return true;
    });
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
  await assert.rejects(
    () => ex.run({ argv: ["sh", "-c", "echo 'ssh: not really' >&2; exit 255"], remote }),
    (e: unknown) => e instanceof RetryableError,
  );
  await assert.rejects(
    () => ex.run({ argv: ["sh", "-c", "echo 'ssh: local' >&2; exit 255"] }),
    (e: unknown) => e instanceof CommandError && !(e instanceof RetryableError),
  );
  await assert.rejects(
    () => ex.run({ argv: ["sh", "-c", "echo 'dataset does not exist' >&2; exit 1"], remote }),
    (e: unknown) => e instanceof CommandError && !(e instanceof RetryableError),
  );
});

Deno.test("with a mux, remote commands use a leased control path, and closeConnections exits masters", async () => {
  const mux = await SshMux.create();
  try {
    const seen: string[] = [];
    const ex = new RealExecutor({ mux, onCommand: (c) => seen.push(c) });
    const remote = createRemote({ host: "nas", sshProgram: FAKE_SSH, sshCipher: "" });
    await ex.run({ argv: ["true"], remote });
    await ex.run({ argv: ["true"], remote, connection: "dedicated" });
    assert.match(
      seen[0],
      new RegExp(` -S ${mux.dir}/1s0 -o ControlMaster=auto -o ControlPersist=600s `),
    );
    assert.match(seen[1], new RegExp(` -S ${mux.dir}/1d0 `));
    await Deno.writeTextFile(`${mux.dir}/1s0`, ""); // pretend a master socket exists
    seen.length = 0;
    await ex.closeConnections();
    assert.deepEqual(seen, [`${FAKE_SSH} -S ${mux.dir}/1s0 -O exit nas`]);
  } finally {
    await mux.close();
  }
});

Deno.test("closeConnections({ pooled: false }) keeps the masters of pooled sockets", async () => {
  const pool = ControlPathPool.open({
    rootDir: `${Deno.makeTempDirSync()}/bzfs`,
    controlPersistSecs: 600,
  });
  const mux = await SshMux.create({ pool });
  try {
    const seen: string[] = [];
    const ex = new RealExecutor({ mux, onCommand: (c) => seen.push(c) });
    const remote = createRemote({ host: "nas", sshProgram: FAKE_SSH, sshCipher: "" });
    await ex.run({ argv: ["true"], remote });
    const [{ controlPath, pooled }] = mux.controlPaths();
    assert.equal(pooled, true);
    await Deno.writeTextFile(controlPath, ""); // pretend a master socket exists
    seen.length = 0;
    await ex.closeConnections({ pooled: false });
    assert.deepEqual(seen, [], "the next run may reuse it");
    await ex.closeConnections();
    assert.deepEqual(seen, [`${FAKE_SSH} -S ${controlPath} -O exit nas`]);
  } finally {
    await mux.close();
  }
});

Deno.test("runPipeline runs sh -c and wraps failures as retryable", async () => {
  const ex = new RealExecutor();
  const ok = await ex.runPipeline({ argv: ["sh", "-c", "printf abc | tr a-z A-Z"], display: "x" });
  assert.equal(ok.stdout, "ABC");
  await assert.rejects(
    () => ex.runPipeline({ argv: ["sh", "-c", "echo 'cannot receive' >&2; exit 1"], display: "x" }),
    (e: unknown) => {
      assert.ok(e instanceof RetryableError);
      assert.ok(e.cause instanceof CommandError);
      assert.equal(e.cause.stderr, "cannot receive");
      return true;
    },
  );
  const r = await ex.runPipeline({ argv: ["sh", "-c", "exit 4"], display: "x" }, { check: false });
  assert.equal(r.code, 4);
  await assert.rejects(
    () => ex.runPipeline({ argv: ["sh", "-c", "sleep 5"], display: "x" }, { timeoutMs: 100 }),
    CommandTimeoutError,
  );
});

Deno.test("the onCommand text is copy-pasteable: running it in sh gives the same output", async () => {
  const seen: string[] = [];
  const ex = new RealExecutor({ onCommand: (c) => seen.push(c) });
  const remote = createRemote({
    host: "nas",
    sshProgram: FAKE_SSH,
    sshCipher: "",
    sudo: ["env", "X=1"],
  });
  const argv = ["printf", "%s|", "a b", "it's", "$HOME", "`id`", "\\", '"q"'];
  const direct = await ex.run({ argv, remote, sudo: true });
  const pasted = await new Deno.Command("sh", { args: ["-c", seen[0]] }).output();
  assert.equal(new TextDecoder().decode(pasted.stdout), direct.stdout);
  assert.equal(direct.stdout, 'a b|it\'s|$HOME|`id`|\\|"q"|');
});

Deno.test("large output is never cut short by the grace period", async () => {
  const ex = new RealExecutor({ graceMs: 1 });
  const r = await ex.run({ argv: ["sh", "-c", "head -c 50000000 /dev/zero | tr '\\0' a"] });
  assert.equal(r.stdout.length, 50_000_000);
});

Deno.test("a grandchild that keeps writing after the leader exits is read until it goes idle", async () => {
  const ex = new RealExecutor({ graceMs: 300 });
  const r = await ex.run({
    argv: ["sh", "-c", "(for i in 1 2 3; do sleep 0.1; echo $i; done) & echo start"],
  });
  assert.equal(r.stdout, "start\n1\n2\n3\n");
});

Deno.test("after killAll no new command or pipeline is started", async () => {
  const seen: string[] = [];
  const ex = new RealExecutor({ onCommand: (c) => seen.push(c) });
  ex.killAll("SIGTERM");
  await assert.rejects(
    () => ex.run({ argv: ["touch", "/tmp/should-not-exist"] }),
    InterruptedCommandError,
  );
  await assert.rejects(
    () => ex.runPipeline({ argv: ["sh", "-c", "true"], display: "true" }),
    InterruptedCommandError,
  );
  assert.deepEqual(seen, []);
});
