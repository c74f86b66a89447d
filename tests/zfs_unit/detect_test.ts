import assert from "node:assert/strict";
import {
  DEFAULT_TOOL_PROGRAMS,
  DetectCache,
  detectScript,
  detectTools,
  parseDetectOutput,
} from "../../lib/zfs/detect.ts";
import { FakeExecutor } from "../../lib/exec/fake_executor.ts";
import { RealExecutor } from "../../lib/exec/real_executor.ts";
import { createRemote } from "../../lib/exec/remote.ts";
import { FakeClock } from "../../lib/clock.ts";
import { RetryableError } from "../../lib/errors.ts";

const FAKE_SSH = new URL("../exec/fixtures/fake_ssh.sh", import.meta.url).pathname;
const nas = createRemote({ host: "nas" });

Deno.test("detectScript checks every configured program once and skips disabled ones", () => {
  const s = detectScript({ compression: "lz4", mbuffer: "-", sudo: "doas" });
  assert.match(s, /command -v lz4 >\/dev\/null 2>&1; then printf "tool\\t%s\\n" compression/);
  assert.match(s, /command -v doas /);
  assert.ok(!s.includes("mbuffer"));
  assert.ok(!s.includes("command -v sh "));
  assert.match(s, /zfs --version/);
  assert.equal(DEFAULT_TOOL_PROGRAMS.compression, "zstd");
});

Deno.test("parseDetectOutput", () => {
  const info = parseDetectOutput(
    "tool\tcompression\ntool\tbogus\ntool\tmbuffer\nzfs\tzfs-2.1.11-1\ncpus\t16\nuname\tFreeBSD h 14.1\nuid\t1000\n",
  );
  assert.deepEqual([...info.tools].sort(), ["compression", "mbuffer", "shell"]);
  assert.equal(info.zfsVersion?.patch, 11);
  assert.equal(info.cpuCount, 16);
  assert.equal(info.os, "FreeBSD");
  assert.equal(info.uid, 1000);
  assert.deepEqual(info.notes, []);
  const csh = parseDetectOutput("login_shell\t/bin/tcsh\n");
  assert.equal(csh.loginShell, "/bin/tcsh");
  assert.match(csh.notes[0], /not POSIX/);
  assert.deepEqual(parseDetectOutput("login_shell\t/usr/bin/zsh\n").notes, []);
  const bare = parseDetectOutput("zfs\t\ncpus\t\nuname\t\nuid\t\nnoise\n");
  assert.equal(bare.zfsVersion, undefined);
  assert.equal(bare.cpuCount, undefined);
  assert.equal(bare.os, undefined);
  assert.equal(bare.uid, undefined);
});

Deno.test("detectTools runs one read-only round trip and caches per host", async () => {
  const fake = new FakeExecutor().on("sh -c", { stdout: "tool\tpv\nzfs\tzfs-2.3.2-1\n" });
  const cache = new DetectCache();
  const [a, b] = await Promise.all([
    detectTools(fake, nas, { cache }),
    detectTools(fake, nas, { cache }),
  ]);
  assert.equal(a, b);
  assert.equal(fake.calls.length, 1);
  assert.equal(fake.calls[0].readOnly, true);
  assert.equal(fake.calls[0].remote, nas);
  await detectTools(fake, createRemote({ host: "other" }), { cache });
  await detectTools(fake, nas, { cache, programs: { compression: "lz4" } });
  assert.equal(fake.calls.length, 3);
  await detectTools(fake, nas); // no cache: detects again
  assert.equal(fake.calls.length, 4);
});

Deno.test("DetectCache expires after its ttl and forgets failures", async () => {
  const clock = new FakeClock(0);
  const cache = new DetectCache({ clock, ttlMs: 1000 });
  let n = 0;
  const load = () => Promise.resolve({ tools: new Set<never>(), notes: [String(++n)] });
  assert.equal((await cache.get("k", load)).notes[0], "1");
  clock.advance(999);
  assert.equal((await cache.get("k", load)).notes[0], "1");
  clock.advance(1);
  assert.equal((await cache.get("k", load)).notes[0], "2");
  await assert.rejects(() => cache.get("bad", () => Promise.reject(new Error("boom"))));
  assert.equal((await cache.get("bad", load)).notes[0], "3");
  cache.clear();
  assert.equal((await cache.get("k", load)).notes[0], "4");
});

Deno.test("without a shell: zfs --version only, minimal assumptions", async () => {
  const fake = new FakeExecutor()
    .on("sh -c", { code: 127, stderr: "sh: not found" })
    .on("zfs --version", { stdout: "zfs-2.1.11-1\n" });
  const info = await detectTools(fake, nas);
  assert.deepEqual([...info.tools], ["sudo"]);
  assert.equal(info.zfsVersion?.minor, 1);
  assert.match(info.notes[0], /Failed to run sh \(exit 127\)/);
  const disabled = new FakeExecutor().on("zfs --version", { code: 127 });
  const d = await detectTools(disabled, nas, { programs: { shell: "-" } });
  assert.equal(d.zfsVersion, undefined);
  assert.match(d.notes[0], /--shell-program=-/);
  assert.deepEqual(disabled.commands, ["zfs --version"]);
});

Deno.test("an ssh transport failure during detection is retryable, not 'no shell'", async () => {
  const fake = new FakeExecutor().on("sh -c", {
    code: 255,
    stderr: "ssh: Could not resolve hostname nas",
  });
  await assert.rejects(() => detectTools(fake, nas), RetryableError);
});

Deno.test("detectTools on this machine with real processes, locally and through (fake) ssh", async () => {
  const ex = new RealExecutor();
  const local = await detectTools(ex, createRemote(), {
    programs: { mbuffer: "definitely-not-installed-xyz" },
  });
  assert.ok(local.tools.has("shell"));
  assert.ok(!local.tools.has("mbuffer"));
  assert.ok(local.cpuCount !== undefined && local.cpuCount >= 1);
  assert.equal(local.os, Deno.build.os === "linux" ? "Linux" : local.os);
  assert.equal(local.uid, Deno.uid());
  const remote = await detectTools(ex, createRemote({ host: "h", sshProgram: FAKE_SSH }));
  assert.deepEqual(
    [...remote.tools].sort(),
    [...(await detectTools(ex, createRemote())).tools].sort(),
  );
});
