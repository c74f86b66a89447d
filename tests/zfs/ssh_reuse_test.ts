/**
 * ssh masters outlive a run (in `~/.ssh/bzfs`, kept by ControlPersist) and the next run attaches
 * to them instead of connecting afresh; `--ssh-exit-on-shutdown` ends them with the run.
 *
 * @module
 */
import assert from "node:assert/strict";
import { labFile } from "../lab/helpers.ts";
import { hostMatching, settle } from "./_procs.ts";

const lab = labFile();

/** The run's pooled shared sockets (`~/.ssh/bzfs/<ns>/c/s<id>`), from its -v -v log. */
function sharedSockets(stderr: string): Set<string> {
  return new Set([...stderr.matchAll(/-S (\/\S+\/c\/s[\w-]{11}) /g)].map((m) => m[1]));
}

/** Host pids of ssh masters listening on a socket. */
function masterPids(socket: string): string[] {
  const escaped = socket.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  return hostMatching(new RegExp(`ssh: ${escaped} \\[mux\\]`)).map((line) => line.split(" ")[0]);
}

lab.test("ssh masters outlive the run and serve the next one; --ssh-exit-on-shutdown ends them", async (l) => {
  const src = `${l.src}/reuse`;
  const dst = `${l.dst}/reuse`;
  await l.createDataset(src, { files: [{ path: "f", size: 1 << 16 }] });
  await l.zfs("snapshot", `${src}@s1`);
  const logDir = `${Deno.makeTempDirSync({ prefix: "reuse." })}/bzfs-logs`;
  const args = ["--log-dir", logDir, "-v", "-v"];

  const first = await l.runCli({ src, dst, args, mode: "pull" });
  assert.equal(first.code, 0, first.stderr);
  const sockets = sharedSockets(first.stderr);
  assert.equal(sockets.size, 1, `one shared master to the source: ${[...sockets]}`);
  const [socket] = sockets;
  const pids = masterPids(socket);
  assert.equal(pids.length, 1, "the master is still running after the run");

  const t1 = performance.now();
  const second = await l.runCli({ src, dst, args, mode: "pull" });
  const secondMs = performance.now() - t1;
  assert.equal(second.code, 0, second.stderr);
  assert.deepEqual(sharedSockets(second.stderr), sockets, "the second run used the same socket");
  assert.deepEqual(masterPids(socket), pids, "and the same master process: no new connection");

  const exitArgs = [...args, "--ssh-exit-on-shutdown"];
  const last = await l.runCli({ src, dst, args: exitArgs, mode: "pull" });
  assert.equal(last.code, 0, last.stderr);
  assert.deepEqual(sharedSockets(last.stderr), sockets);
  assert.deepEqual(await settle(() => masterPids(socket)), [], "--ssh-exit-on-shutdown ends it");
  // the same no-op run once more, now connecting afresh
  const t2 = performance.now();
  const cold = await l.runCli({ src, dst, args: exitArgs, mode: "pull" });
  const coldMs = performance.now() - t2;
  assert.equal(cold.code, 0, cold.stderr);
  assert.deepEqual(await settle(() => masterPids(socket)), []);
  console.log(
    `no-op pull: ${coldMs.toFixed(0)} ms with a new ssh connection, ` +
      `${secondMs.toFixed(0)} ms reusing the previous run's master`,
  );
  const guids = async (ds: string) => (await l.snapshots(ds)).map((s) => s.guid);
  assert.deepEqual(await guids(dst), await guids(src));
});
