import assert from "node:assert/strict";
import { FakeClock } from "../../lib/clock.ts";
import { isolateRunner } from "../../lib/jobrunner/isolate_runner.ts";
import { detectLocalIdentity, hostResolver } from "../../lib/jobrunner/localhost.ts";
import { bzfsCommand, processRunner } from "../../lib/jobrunner/process_runner.ts";
import { runJobrunner } from "../../lib/jobrunner/run_jobrunner.ts";
import type { SubJob } from "../../lib/jobrunner/subjobs.ts";
import { workerPoolRunner } from "../../lib/jobrunner/worker_pool_runner.ts";
import { parseJobrunnerArgs } from "../../lib/cli/jobrunner_main.ts";
import { identity, workedExampleArgv } from "./_fixtures.ts";

function job(argv: string[], name = "000000src-host/replicate"): SubJob {
  return { name, argv: ["bzfs", ...argv], action: "replicate", srcHost: "s", dstHost: "d" };
}
const signal = new AbortController().signal;

Deno.test("processRunner: exit codes, timeout (SIGTERM -> negative signal number), abort", async () => {
  const exit7 = processRunner({ command: ["sh", "-c", "exit 7", "sh"] });
  assert.equal(await exit7.run(job(["--x"]), signal), 7);
  const kills: string[] = [];
  const slow = processRunner({
    command: ["sh", "-c", "exec sleep 30", "sh"],
    timeoutSeconds: 0.2,
    onKill: (m) => kills.push(m),
  });
  const t0 = Date.now();
  assert.equal(await slow.run(job([]), signal), -15);
  assert.ok(Date.now() - t0 < 5000);
  assert.match(kills[0], /did not complete within 0\.2s/);
  const controller = new AbortController();
  const aborted = processRunner({ command: ["sh", "-c", "exec sleep 30", "sh"] });
  const running = aborted.run(job([]), controller.signal);
  setTimeout(() => controller.abort(), 50);
  assert.equal(await running, -15);
});

Deno.test("bzfsCommand: deno run with this checkout's config and cli.ts", () => {
  const cmd = bzfsCommand();
  assert.equal(cmd[0], Deno.execPath());
  assert.deepEqual(cmd.slice(1, 3), ["run", "--no-prompt"]);
  assert.ok(cmd.some((a) => a.startsWith("--config=") && a.endsWith("/deno.json")));
  assert.ok(cmd.at(-1)?.endsWith("/cli.ts"));
  assert.ok(cmd.includes("--allow-run"), "tests run with -A: full grants pass through");
});

Deno.test("workerPoolRunner: at most `size` workers, reused; a crashing worker is replaced", async () => {
  const runner = workerPoolRunner({
    size: 2,
    workerUrl: new URL("./_fake_worker.ts", import.meta.url),
    timeoutSeconds: 1.5,
  });
  try {
    const codes = await Promise.all(
      [1, 2, 3, 4, 5].map((n) =>
        runner.run(job(Array.from({ length: n }, (_, i) => `--a${i}`)), signal)
      ),
    );
    assert.deepEqual(codes, [2, 3, 4, 5, 6], "--timeout=1500milliseconds is added first");
    assert.equal(await runner.run(job(["--crash"]), signal), 3);
    assert.equal(await runner.run(job(["--a"]), signal), 2, "the pool still works");
  } finally {
    await runner.close();
  }
});

Deno.test("workerPoolRunner with the real bzfs worker: --version and a usage error", async () => {
  const runner = workerPoolRunner({ size: 1 });
  try {
    assert.equal(await runner.run(job(["--version"]), signal), 0);
    assert.equal(await runner.run(job(["--no-such-option", "a", "b"]), signal), 2);
  } finally {
    await runner.close();
  }
});

Deno.test("isolateRunner: runs bzfs main in this isolate, one at a time", async () => {
  const runner = isolateRunner({});
  const codes = await Promise.all([
    runner.run(job(["--version"]), signal),
    runner.run(job(["--no-such-option", "a", "b"]), signal),
  ]);
  assert.deepEqual(codes, [0, 2]);
});

Deno.test("detectLocalIdentity: names, addresses, user; loopback can be disabled", async () => {
  const warnings: string[] = [];
  const env = (vars: Record<string, string>) => (k: string) => vars[k];
  const me = await detectLocalIdentity({
    localhost: "nas",
    env: env({ USER: "alice" }),
    osHostname: () => "nas.example.org",
    hostAddresses: () => Promise.resolve(["10.0.0.5"]),
  });
  assert.equal(me.localhostName, "nas");
  assert.equal(me.username, "alice");
  assert.deepEqual([...me.loopbackIds].sort(), [
    "10.0.0.5",
    "127.0.0.1",
    "::1",
    "localhost",
    "nas",
    "nas.example.org",
  ]);
  const off = await detectLocalIdentity({
    env: env({ USER: "bob", bzfs_disable_loopback: "true" }),
    osHostname: () => "h",
    hostAddresses: () => Promise.reject(new Error("no hostname")),
    warn: (m) => warnings.push(m),
  });
  assert.equal(off.localhostName, "h");
  assert.equal(off.loopbackIds.size, 0);
  assert.deepEqual(warnings, ["Cannot run 'hostname -I' on localhost: no hostname"]);
  const resolve = hostResolver(me, { src: "", dst: "" });
  assert.equal(resolve("10.0.0.5", "src"), "-");
  assert.equal(resolve("other", "dst"), "other");
});

Deno.test("--repeat-if-took-more-than-seconds: a slow successful pass runs again", async () => {
  const clock = new FakeClock(0);
  const durations = [10_000, 1_000];
  let runs = 0;
  const argv = workedExampleArgv(["--repeat-if-took-more-than-seconds=5"], [
    "--create-src-snapshots",
  ]);
  const { options, forwarded } = parseJobrunnerArgs(argv);
  const lines: string[] = [];
  const code = await runJobrunner(options, forwarded, {
    identity: identity(),
    clock,
    handleSignals: false,
    writeErr: (t) => lines.push(t),
    runner: {
      run: () => {
        clock.advance(durations[runs++] ?? 0);
        return Promise.resolve(0);
      },
      close: () => Promise.resolve(),
    },
  });
  assert.equal(code, 0);
  assert.equal(runs, 2, "the 10 s pass repeats; the 1 s pass does not");
  assert.equal(lines.filter((l) => l.includes("Repeating as the pass took 10s")).length, 1);
  let failing = 0;
  const failed = await runJobrunner(options, forwarded, {
    identity: identity(),
    clock,
    handleSignals: false,
    writeErr: () => {},
    runner: {
      run: () => {
        failing++;
        clock.advance(10_000);
        return Promise.resolve(4);
      },
      close: () => Promise.resolve(),
    },
  });
  assert.equal(failed, 4, "a pass with a non-zero code exits with it instead of repeating");
  assert.equal(failing, 1);
});
