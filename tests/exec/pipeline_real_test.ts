import assert from "node:assert/strict";
import { Pipeline } from "../../lib/exec/pipeline.ts";
import { RealExecutor } from "../../lib/exec/real_executor.ts";
import { createRemote } from "../../lib/exec/remote.ts";
import { SshMux } from "../../lib/exec/ssh_mux.ts";
import { toolSet } from "../../lib/exec/tools.ts";
import { RetryableError } from "../../lib/errors.ts";

const FAKE_SSH = new URL("./fixtures/fake_ssh.sh", import.meta.url).pathname;
const ALL = toolSet("shell", "compression", "mbuffer", "pv", "ssh");
const PAYLOAD = `it's "quoted" $HOME \`id\` \\back\\slash\nline2 ; | & > < * ?`;

function remote(host: string) {
  return createRemote({
    host,
    sshProgram: FAKE_SSH,
    sshCipher: "",
    sudo: ["env", "BZFS_ELEVATED=1"],
  });
}

Deno.test("every data path streams the exact bytes through real processes (fake ssh)", async () => {
  const dir = await Deno.makeTempDir();
  const mux = await SshMux.create();
  try {
    const base = Pipeline.create()
      .send(["printf", "%s", PAYLOAD])
      .compression("zstd", ["-1"])
      .buffer("mbuffer", ["-q", "-m", "16M"])
      .progress({ program: "pv", opts: ["--bytes"], logFile: `${dir}/x.pv`, name: "tiny" })
      .tools({ src: ALL, dst: ALL, local: ALL });
    const modes: [string, Pipeline][] = [
      ["local", base],
      ["push", base.to(remote("dst"), { sudo: true })],
      ["pull", base.from(remote("src"), { sudo: true })],
      ["pull-push", base.from(remote("src")).to(remote("dst"))],
      ["r2r-push", base.from(remote("src")).to(remote("dst")).r2r("push")],
      ["r2r-pull", base.from(remote("src")).to(remote("dst")).r2r("pull")],
    ];
    const ex = new RealExecutor({ mux });
    for (const [mode, p] of modes) {
      const out = `${dir}/out ${mode}'s`;
      const leases = [
        mux.acquire(remote("src"), "dedicated"),
        mux.acquire(remote("dst"), "dedicated"),
      ];
      const rendered = p
        .receive(["sh", "-c", 'cat > "$1"; echo "elevated=${BZFS_ELEVATED:-no}"', "sh", out])
        .controlPaths({ src: leases[0].controlPath, dst: leases[1].controlPath })
        .render();
      assert.equal(rendered.mode, mode);
      const r = await ex.runPipeline(rendered);
      leases.forEach((l) => l.release());
      assert.equal(await Deno.readTextFile(out), PAYLOAD, `${mode}: ${rendered.display}`);
      // only push asks for sudo on the receiving side
      assert.equal(r.stdout.trim(), mode === "push" ? "elevated=1" : "elevated=no", mode);
    }
    assert.ok((await Deno.stat(`${dir}/x.pv`)).size > 0, "pv wrote its progress to the log file");
  } finally {
    await mux.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a failing receive makes the pipeline fail as retryable with its stderr", async () => {
  const p = Pipeline.create()
    .send(["head", "-c", "100000", "/dev/zero"])
    .receive(["sh", "-c", "cat >/dev/null; echo 'cannot receive: checksum mismatch' >&2; exit 1"])
    .to(remote("dst"));
  await assert.rejects(() => new RealExecutor().runPipeline(p.render()), (e: unknown) => {
    assert.ok(e instanceof RetryableError);
    assert.match(String((e.cause as Error).message), /checksum mismatch/);
    return true;
  });
});

const SIZE = 200 * 1024 * 1024;

Deno.test("200 MB stream locally and pushed through zstd + mbuffer + ssh, byte count exact", async () => {
  const ex = new RealExecutor();
  const base = Pipeline.create().send(["head", "-c", String(SIZE), "/dev/zero"]).receive([
    "wc",
    "-c",
  ]);
  for (
    const [name, p] of [
      ["local", base],
      [
        "push",
        base.to(remote("dst")).compression("zstd", ["-1"]).buffer("mbuffer", ["-q", "-m", "16M"])
          .tools({ src: ALL, dst: ALL, local: ALL }),
      ],
    ] as const
  ) {
    const t0 = performance.now();
    const r = await ex.runPipeline(p.render());
    const secs = (performance.now() - t0) / 1000;
    assert.equal(Number(r.stdout.trim()), SIZE);
    console.log(`${name}: ${(SIZE / 1024 / 1024 / secs).toFixed(0)} MiB/s`);
  }
});
