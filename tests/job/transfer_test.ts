/**
 * runTransfer through a FakeExecutor: the `zfs send -nvP` size estimate (and
 * --no-estimate-send-size), pv with --size/--name/--rate-limit writing to the run's .pv file,
 * bzfs_min_pipe_transfer_size, and the pv slots of concurrent transfers.
 */
import assert from "node:assert/strict";
import { RetryableError } from "../../lib/errors.ts";
import { FakeExecutor } from "../../lib/exec/fake_executor.ts";
import { createRemote } from "../../lib/exec/remote.ts";
import { toolSet } from "../../lib/exec/tools.ts";
import type { PreparedHost } from "../../lib/job/context.ts";
import {
  isReceiveBusy,
  pvFileOf,
  pvOptions,
  runTransfer,
  type TransferEnds,
} from "../../lib/job/transfer.ts";
import { makeCtx } from "./_phase_fixture.ts";
import { minPipeTransferSize } from "../../lib/job/size_estimate.ts";

const ALL = toolSet("shell", "compression", "mbuffer", "pv", "ssh");
const LOG = "/tmp/bzfs-logs/2025-01-17/zrun_x.log";

function host(remote?: string): PreparedHost {
  return {
    remote: createRemote(remote ? { host: remote } : {}),
    info: { tools: ALL, notes: [] },
    elevate: false,
  };
}

function fake(size = 123_456_789, estimate: { code?: number; stderr?: string } = {}) {
  return new FakeExecutor([
    {
      match: (s) => s.argv[0] === "sh",
      result: { stdout: "tool\tpv\ntool\tmbuffer\ntool\tcompression\ntool\tshell\ncpus\t2\n" },
    },
    {
      match: (s) => s.argv[1] === "send" && s.argv[2] === "-nvP",
      result: { stdout: `full\ttank/a@s1\t${size}\nsize\t${size}\n`, ...estimate },
    },
  ], { fallback: {} });
}

function ends(dstHost?: string): TransferEnds {
  return { src: host(), dst: host(dstHost), dstDataset: "bak/a" };
}

Deno.test("pvFileOf: the .pv file sits next to the log file", () => {
  assert.equal(pvFileOf(LOG), "/tmp/bzfs-logs/2025-01-17/zrun_x.pv");
  assert.equal(pvFileOf(undefined), undefined);
});

Deno.test("the estimate runs before the send and sizes pv; pv appends to the run's .pv file", async () => {
  const ex = fake();
  const ctx = makeCtx(["tank/a", "bak/a"], { executor: ex, now: 0, logFile: LOG });
  await runTransfer({ kind: "full", snapshot: "tank/a@s1" }, ends(), ctx);
  const estimates = ex.commands.filter((c) => c.startsWith("zfs send -nvP"));
  assert.deepEqual(estimates, ["zfs send -nvP --raw --compressed tank/a@s1"]);
  assert.equal(ex.pipelines.length, 1);
  const script = ex.pipelines[0].display;
  assert.match(script, /^zfs send --raw --compressed tank\/a@s1 \| LC_ALL=C pv /);
  assert.match(script, / --force --name=118MiB --size=123456789 2>> /);
  assert.match(script, /2>> \/tmp\/bzfs-logs\/2025-01-17\/zrun_x\.pv \| zfs receive /);
  assert.doesNotMatch(script, /rate-limit/);
});

Deno.test("--no-estimate-send-size: no zfs send -nvP, pv without --size", async () => {
  const ex = fake();
  const ctx = makeCtx(["--no-estimate-send-size", "tank/a", "bak/a"], {
    executor: ex,
    now: 0,
    logFile: LOG,
  });
  await runTransfer(
    { kind: "incremental", flag: "-I", from: "tank/a@s1", to: "tank/a@s2" },
    ends(),
    ctx,
  );
  assert.equal(ex.commands.filter((c) => c.includes("-nvP")).length, 0);
  const script = ex.pipelines[0].display;
  assert.match(script, /--name=- 2>> /);
  assert.doesNotMatch(script, /--size=/);
});

Deno.test("--bwlimit is appended to the pv options as --rate-limit", async () => {
  const ex = fake();
  const argv = ["--bwlimit=2m", "--pv-program-opts=--bytes --interval=1", "tank/a", "bak/a"];
  const ctx = makeCtx(argv, { executor: ex, now: 0, logFile: LOG });
  assert.deepEqual(pvOptions(ctx.config.options), ["--bytes", "--interval=1", "--rate-limit=2m"]);
  await runTransfer({ kind: "full", snapshot: "tank/a@s1" }, ends(), ctx);
  assert.match(ex.pipelines[0].display, /pv --bytes --interval=1 --rate-limit=2m --force /);
});

Deno.test("without a log file pv runs only to rate-limit, its status to /dev/null", async () => {
  const plain = fake();
  await runTransfer(
    { kind: "full", snapshot: "tank/a@s1" },
    ends(),
    makeCtx(["tank/a", "bak/a"], { executor: plain, now: 0 }),
  );
  assert.doesNotMatch(plain.pipelines[0].display, /\bpv\b/);
  const limited = fake();
  await runTransfer(
    { kind: "full", snapshot: "tank/a@s1" },
    ends(),
    makeCtx(["--bwlimit=1m", "tank/a", "bak/a"], { executor: limited, now: 0 }),
  );
  assert.match(limited.pipelines[0].display, /--rate-limit=1m .*2>> \/dev\/null/);
});

Deno.test("--pv-program=- disables pv and with it the pv-based --bwlimit", async () => {
  const ex = fake();
  const ctx = makeCtx(["--pv-program=-", "--bwlimit=1m", "tank/a", "bak/a"], {
    executor: ex,
    now: 0,
    logFile: LOG,
  });
  await runTransfer({ kind: "full", snapshot: "tank/a@s1" }, ends(), ctx);
  assert.equal(
    ex.pipelines[0].display,
    "zfs send --raw --compressed tank/a@s1 | zfs receive -s -F -u bak/a",
  );
});

Deno.test("bzfs_min_pipe_transfer_size: a small estimate gets no compression or mbuffer", async () => {
  const small = fake(4096);
  const ctx = makeCtx(["tank/a", "bak/a"], { executor: small, now: 0, logFile: LOG });
  await runTransfer({ kind: "full", snapshot: "tank/a@s1" }, ends("nas"), ctx);
  assert.doesNotMatch(small.pipelines[0].display, /zstd|mbuffer/);
  assert.match(small.pipelines[0].display, /--size=4096/);
  const big = fake(8 << 20);
  const ctx2 = makeCtx(["tank/a", "bak/a"], { executor: big, now: 0, logFile: LOG });
  await runTransfer({ kind: "full", snapshot: "tank/a@s1" }, ends("nas"), ctx2);
  assert.match(big.pipelines[0].display, /zstd -c -1 \| mbuffer /);
  // the variable itself (read through a reader: the process env is shared by parallel tests)
  assert.equal(minPipeTransferSize(() => undefined), 1 << 20);
  assert.equal(minPipeTransferSize(() => String(16 << 20)), 16 << 20);
  assert.throws(
    () =>
      minPipeTransferSize((name) => name === "bzfs_min_pipe_transfer_size" ? "lots" : undefined),
    /bzfs_min_pipe_transfer_size: 'lots' is not an integer/,
  );
});

Deno.test("a resume estimates with the token; a stale token is cleared and the step retried", async () => {
  const ex = fake(1000);
  const ctx = makeCtx(["tank/a", "bak/a"], { executor: ex, now: 0, logFile: LOG });
  await runTransfer({ kind: "resume", token: "1-abc" }, ends(), ctx);
  assert.ok(ex.commands.includes("zfs send -nvP -t 1-abc"));
  const stale = fake(0, {
    code: 255,
    stderr: "cannot resume send: 'tank/a@s1' used in the initial send no longer exists\n",
  });
  const ctx2 = makeCtx(["tank/a", "bak/a"], { executor: stale, now: 0, logFile: LOG });
  await assert.rejects(
    runTransfer({ kind: "resume", token: "1-abc" }, ends(), ctx2),
    (e: unknown) => e instanceof RetryableError && /Cannot estimate the send size/.test(e.message),
  );
  assert.ok(stale.commands.includes("zfs receive -A bak/a"));
  assert.equal(stale.pipelines.length, 0, "no transfer after a failed estimate");
});

Deno.test("concurrent transfers write to separate pv files", async () => {
  let release = () => {};
  const gate = new Promise<void>((r) => release = r);
  const scripts: string[] = [];
  const ex = fake();
  const slow = {
    run: ex.run.bind(ex),
    runPipeline: async (p: { argv: readonly string[]; display: string }) => {
      scripts.push(p.display);
      await gate;
      return { code: 0, signal: null, stdout: "", stderr: "" };
    },
  };
  const ctx = {
    ...makeCtx(["tank/a", "bak/a"], { executor: ex, now: 0, logFile: LOG }),
    pipelineExecutor: slow,
  };
  const a = runTransfer({ kind: "full", snapshot: "tank/a@s1" }, ends(), ctx);
  const b = runTransfer({ kind: "full", snapshot: "tank/b@s1" }, ends(), ctx);
  while (scripts.length < 2) await new Promise((r) => setTimeout(r, 1));
  release();
  await Promise.all([a, b]);
  const files = scripts.map((s) => /2>> (\S+)/.exec(s)?.[1]).sort();
  assert.deepEqual(files, [
    "/tmp/bzfs-logs/2025-01-17/zrun_x.pv",
    "/tmp/bzfs-logs/2025-01-17/zrun_x.pv_0001",
  ]);
  await runTransfer({ kind: "full", snapshot: "tank/c@s1" }, ends(), ctx);
  assert.match(scripts[2], /2>> \/tmp\/bzfs-logs\/2025-01-17\/zrun_x\.pv \|/, "slots are reused");
});

Deno.test("pv options that write files or alter the data are refused (backstop of the parser)", () => {
  for (
    const bad of [
      "-o /etc/passwd",
      "--output=/x",
      "-f",
      "--log-file /x",
      "-S",
      "-ofile",
      "--pidfile=/x",
    ]
  ) {
    assert.throws(
      () =>
        makeCtx([`--pv-program-opts=--bytes ${bad}`, "tank/a", "bak/a"], {
          executor: fake(),
          now: 0,
        }),
      /--pv-program-opts/,
      `parser: ${bad}`,
    );
    const base = makeCtx(["tank/a", "bak/a"], { executor: fake(), now: 0 }).config.options;
    assert.throws(
      () => pvOptions({ ...base, pvProgramOpts: `--bytes ${bad}` }),
      /--pv-program-opts/,
      bad,
    );
  }
  const ok = makeCtx(["--pv-program-opts=-p -t -e -r -a -b -i 1 -N x", "tank/a", "bak/a"], {
    executor: fake(),
    now: 0,
  });
  assert.equal(pvOptions(ok.config.options).length, 10);
});

Deno.test("isReceiveBusy: another zfs receive into the dataset, not a send, not a prefix", () => {
  const ps = (...lines: string[]) => ["COMMAND", ...lines].join("\n") + "\n";
  assert.equal(isReceiveBusy(ps("zfs receive -s -u bak/a"), "bak/a"), true);
  assert.equal(isReceiveBusy(ps("/usr/bin/sudo -n /sbin/zfs recv -F bak/a@s1"), "bak/a"), true);
  assert.equal(isReceiveBusy(ps("doas zfs receive -o foo:bar=/baz bak/a   "), "bak/a"), true);
  assert.equal(isReceiveBusy(ps("zfs send -I bak/a@s1 bak/a@s2"), "bak/a"), false, "daisy chain");
  assert.equal(isReceiveBusy(ps("zfs receive -u bak/ab", "zfs receive bak/a/b"), "bak/a"), false);
  assert.equal(isReceiveBusy(ps("sh -c zfs send x | zfs receive bak/a"), "bak/a"), false);
  assert.equal(isReceiveBusy(ps("vi zfs receive bak/a"), "bak/a"), false);
});

Deno.test("a busy destination is a retryable refusal; checked once per dataset; ps=- skips", async () => {
  const withPs = (): TransferEnds => ({
    src: host(),
    dst: { ...host(), info: { tools: toolSet("ps", "shell"), notes: [] } },
    dstDataset: "bak/a",
  });
  const busy = fake();
  busy.on((s) => s.argv[0] === "ps", { stdout: "COMMAND\nzfs receive -s -u bak/a\n" });
  const ctx = makeCtx(["tank/a", "bak/a"], { executor: busy, now: 0, logFile: LOG });
  await assert.rejects(
    runTransfer({ kind: "full", snapshot: "tank/a@s1" }, withPs(), ctx),
    (e: unknown) => e instanceof RetryableError && /already busy .*: bak\/a$/.test(e.message),
  );
  assert.equal(busy.pipelines.length, 0);
  assert.ok(busy.commands.includes("ps -Ao args"));

  const idle = fake();
  idle.on((s) => s.argv[0] === "ps", { stdout: "COMMAND\nzfs receive -u bak/b\n" });
  const ctx2 = makeCtx(["tank/a", "bak/a"], { executor: idle, now: 0, logFile: LOG });
  await runTransfer({ kind: "full", snapshot: "tank/a@s1" }, withPs(), ctx2);
  await runTransfer(
    { kind: "incremental", flag: "-i", from: "tank/a@s1", to: "tank/a@s2" },
    withPs(),
    ctx2,
  );
  assert.equal(idle.commands.filter((c) => c === "ps -Ao args").length, 1);
  assert.equal(idle.pipelines.length, 2);

  const off = fake();
  off.on((s) => s.argv[0] === "ps", { stdout: "zfs receive -s bak/a\n" });
  const ctx3 = makeCtx(["--ps-program=-", "tank/a", "bak/a"], { executor: off, now: 0 });
  await runTransfer({ kind: "full", snapshot: "tank/a@s1" }, withPs(), ctx3);
  assert.equal(off.commands.filter((c) => c.startsWith("ps")).length, 0);
});
