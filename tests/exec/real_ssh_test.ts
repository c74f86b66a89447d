/**
 * Tests against a real sshd. Skipped unless BZFS_TEST_SSH_HOST (an ssh config Host alias) and
 * BZFS_TEST_SSH_CONFIG (an ssh config file whose name contains bzfs_ssh_config) are set, e.g. for
 * a throwaway `sshd -f` on 127.0.0.1 or the lab VM.
 */
import assert from "node:assert/strict";
import { RealExecutor } from "../../lib/exec/real_executor.ts";
import { createRemote } from "../../lib/exec/remote.ts";
import { SshMux } from "../../lib/exec/ssh_mux.ts";
import { Pipeline } from "../../lib/exec/pipeline.ts";
import { runTransfer } from "../../lib/exec/transfer.ts";
import { toolSet } from "../../lib/exec/tools.ts";
import { InterruptedCommandError } from "../../lib/exec/failure.ts";
import { CommandError, RetryableError } from "../../lib/errors.ts";

const host = Deno.env.get("BZFS_TEST_SSH_HOST");
const configFile = Deno.env.get("BZFS_TEST_SSH_CONFIG");
const ignore = !host || !configFile;
const remote = () => createRemote({ host, configFile, controlPersistSecs: 5 });

Deno.test({
  name: "real ssh: multiplexed commands reuse one master and never hang on its pipes",
  ignore,
}, async () => {
  const mux = await SshMux.create();
  const ex = new RealExecutor({ mux });
  try {
    const t0 = performance.now();
    const first = await ex.run({
      argv: ["printf", "%s|", "a b", "it's", "$HOME"],
      remote: remote(),
    });
    const firstMs = performance.now() - t0;
    assert.equal(first.stdout, "a b|it's|$HOME|");
    assert.ok((await Deno.lstat(`${mux.dir}/1s0`)).isSocket, "master socket exists");
    const t1 = performance.now();
    for (let i = 0; i < 10; i++) await ex.run({ argv: ["true"], remote: remote() });
    const reuseMs = (performance.now() - t1) / 10;
    console.log(
      `first command ${firstMs.toFixed(0)} ms, multiplexed ${reuseMs.toFixed(1)} ms each`,
    );
    const many = await Promise.all(
      Array.from({ length: 20 }, (_, i) => ex.run({ argv: ["echo", String(i)], remote: remote() })),
    );
    assert.deepEqual(
      many.map((r) => r.stdout.trim()),
      Array.from({ length: 20 }, (_, i) => String(i)),
    );
    await assert.rejects(
      () => ex.run({ argv: ["sh", "-c", "echo 'no such dataset' >&2; exit 1"], remote: remote() }),
      (e: unknown) =>
        e instanceof CommandError && !(e instanceof RetryableError) && e.exitCode === 1,
    );
  } finally {
    await ex.closeConnections();
    await mux.close();
  }
});

Deno.test({ name: "real ssh: unreachable host is a retryable ssh error", ignore }, async () => {
  const bad = createRemote({ host: "127.0.0.1", port: 1, configFile, sshCipher: "" });
  await assert.rejects(
    () => new RealExecutor().run({ argv: ["true"], remote: bad }),
    RetryableError,
  );
});

Deno.test({
  name: "real ssh: 200 MiB push and pull through zstd + mbuffer, exact byte count",
  ignore,
}, async () => {
  const mux = await SshMux.create();
  const ex = new RealExecutor({ mux });
  const all = toolSet("shell", "compression", "mbuffer", "ssh");
  const size = 200 * 1024 * 1024;
  try {
    const base = Pipeline.create()
      .send(["head", "-c", String(size), "/dev/urandom"])
      .receive(["wc", "-c"])
      .compression("zstd", ["-1"])
      .buffer("mbuffer", ["-q", "-m", "16M"])
      .tools({ src: all, dst: all, local: all });
    for (const [name, p] of [["push", base.to(remote())], ["pull", base.from(remote())]] as const) {
      const t0 = performance.now();
      const r = await runTransfer(ex, p, { mux });
      const secs = (performance.now() - t0) / 1000;
      assert.equal(Number(r.stdout.trim()), size, name);
      console.log(
        `${name}: ${
          (size / 1024 / 1024 / secs).toFixed(0)
        } MiB/s (random data, zstd -1, mbuffer, ssh)`,
      );
    }
  } finally {
    await ex.closeConnections();
    await mux.close();
  }
});

Deno.test({ name: "real ssh: killAll stops a running remote pipeline", ignore }, async () => {
  const mux = await SshMux.create();
  const ex = new RealExecutor({ mux });
  try {
    const p = Pipeline.create().send(["sh", "-c", "sleep 30; echo late"]).receive(["cat"]).to(
      remote(),
    );
    const running = runTransfer(ex, p, { mux });
    await new Promise((r) => setTimeout(r, 700));
    ex.killAll("SIGTERM");
    await assert.rejects(() => running, InterruptedCommandError);
  } finally {
    await mux.close();
  }
});
