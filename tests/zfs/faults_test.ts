/**
 * Fault injection against real OpenZFS (issue 9): SIGKILL mid-send then resume, an ssh connection
 * cut mid-send then retry, a full destination pool, two concurrent runs of one job, and SIGTERM
 * during a recursive run leaving no orphan process on either side.
 *
 * @module
 */
import assert from "node:assert/strict";
import { type Lab, labFile } from "../lab/helpers.ts";
import { fillRandom, guestMatching, hostMatching, killTree, settle, spawnCli } from "./_procs.ts";

const lab = labFile();

function logDirArgs(): string[] {
  return ["--log-dir", `${Deno.makeTempDirSync({ prefix: "faults." })}/bzfs-logs`];
}

async function snapshotIds(l: Lab, ds: string, types = "snapshot"): Promise<string[]> {
  return (await l.snapshots(ds, { types })).map((s) =>
    `${s.name.replace(/^[^@#]*/, "")} ${s.guid}`
  );
}

async function resumeToken(l: Lab, ds: string): Promise<string> {
  const r = await l.exec(["zfs", "get", "-H", "-o", "value", "receive_resume_token", ds], {
    noThrow: true,
  });
  return r.code === 0 ? r.stdout.trim() : "";
}

lab.test("SIGKILL of the whole job mid-send: the next run resumes with zfs send -t", async (l) => {
  const src = `${l.src}/kill`;
  const dst = `${l.dst}/kill`;
  await l.zfs("create", src);
  await fillRandom(l, src, 96);
  await l.zfs("snapshot", `${src}@s1`);
  const args = [...logDirArgs(), "-v", "-v"];
  const cli = spawnCli(l, { src, dst, args, mode: "pull" });
  await cli.waitFor(/zfs send .*@s1/);
  // let some data arrive, then cut power to this job: the CLI and every descendant at once
  await new Promise((r) => setTimeout(r, 2500));
  const killed = killTree(cli.pid);
  const first = await cli.done();
  assert.equal(first.signal, "SIGKILL", first.stderr);
  assert.ok(killed.length > 2, `killed the whole tree: ${killed}`);
  const token = await settleToken(l, dst);
  assert.notEqual(token, "", "the interrupted receive left a resume token");
  const again = await l.runCli({ src, dst, args, mode: "pull" });
  assert.equal(again.code, 0, again.stderr);
  assert.match(again.stderr, /zfs send -t /, "resumed from the token");
  assert.deepEqual(await snapshotIds(l, dst), await snapshotIds(l, src));
  assert.equal(await l.checksum(`${dst}@s1`), await l.checksum(`${src}@s1`));
  assert.equal(await resumeToken(l, dst), "-");
});

/** The receive in the guest may still be winding down; wait until the token shows. */
async function settleToken(l: Lab, ds: string): Promise<string> {
  const until = Date.now() + 20_000;
  for (;;) {
    const t = await resumeToken(l, ds);
    if ((t !== "" && t !== "-") || Date.now() > until) return t === "-" ? "" : t;
    await new Promise((r) => setTimeout(r, 500));
  }
}
