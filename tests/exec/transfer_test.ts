import assert from "node:assert/strict";
import { runTransfer } from "../../lib/exec/transfer.ts";
import { Pipeline } from "../../lib/exec/pipeline.ts";
import { FakeExecutor } from "../../lib/exec/fake_executor.ts";
import { RealExecutor } from "../../lib/exec/real_executor.ts";
import { createRemote } from "../../lib/exec/remote.ts";
import { SshMux } from "../../lib/exec/ssh_mux.ts";
import { RetryableError } from "../../lib/errors.ts";

const FAKE_SSH = new URL("./fixtures/fake_ssh.sh", import.meta.url).pathname;

Deno.test("runTransfer leases one dedicated connection per remote hop and releases them", async () => {
  const mux = new SshMux("/t");
  const src = createRemote({ host: "src", sshCipher: "" });
  const dst = createRemote({ host: "dst", sshCipher: "" });
  const fake = new FakeExecutor();
  const modes: string[] = [];
  const p = Pipeline.create().from(src).to(dst);
  await Promise.all([
    runTransfer(fake, p, { mux, onRendered: (r) => modes.push(r.mode) }),
    runTransfer(fake, p, { mux }),
  ]);
  assert.deepEqual(modes, ["pull-push"]);
  assert.match(fake.pipelines[0].display, /-S \/t\/1d0 .* src .* -S \/t\/2d0 .* dst /);
  assert.match(fake.pipelines[1].display, /-S \/t\/1d1 .* src .* -S \/t\/2d1 .* dst /);
  assert.equal(mux.acquire(src, "dedicated").controlPath, "/t/1d0"); // released again
});

Deno.test("runTransfer without a mux, local endpoints, and failures release leases", async () => {
  const fake = new FakeExecutor([], { pipelineResult: { code: 1, stderr: "cannot receive" } });
  const mux = new SshMux("/t");
  const dst = createRemote({ host: "dst" });
  await assert.rejects(() => runTransfer(fake, Pipeline.create().to(dst), { mux }), RetryableError);
  assert.equal(mux.acquire(dst, "dedicated").controlPath, "/t/1d0");
  const r = await runTransfer(fake, Pipeline.create(), { check: false });
  assert.equal(r.code, 1);
  assert.doesNotMatch(fake.pipelines[1].display, /ssh/);
});

Deno.test("runTransfer end to end with a real mux directory and fake ssh", async () => {
  const mux = await SshMux.create();
  try {
    const p = Pipeline.create()
      .send(["printf", "hello"])
      .receive(["cat"])
      .to(createRemote({ host: "dst", sshProgram: FAKE_SSH }));
    const r = await runTransfer(new RealExecutor(), p, { mux });
    assert.equal(r.stdout, "hello");
  } finally {
    await mux.close();
  }
});
