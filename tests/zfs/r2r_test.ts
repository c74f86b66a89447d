/**
 * `--r2r push|pull` on real OpenZFS: both endpoints are remote (the lab guest reached through an
 * ssh alias), and the data flows directly between them: the source runs
 * `zfs send | ssh DST zfs receive` (push), or the destination runs `ssh SRC zfs send | zfs receive`
 * (pull), instead of relaying the stream through this host. A config file for the other side
 * makes r2r impossible, so the run falls back to relaying, with a warning.
 *
 * Setup: r2r needs ssh WITHOUT `-F` for the other side, so the alias must be known to the default
 * ssh configs: inside the guest, `/root/.ssh/config` maps the alias to the guest itself
 * (127.0.0.1:22, a key generated for this test); on this host a marked block in the user's
 * `~/.ssh/config` (ssh reads the passwd home directory, not `$HOME`) maps the same alias to the
 * lab's forwarded port. Each test installs the block and removes it again.
 *
 * @module
 */
import { ok } from "./_assert.ts";
import assert from "node:assert/strict";
import { join } from "node:path";
import { type Lab, labFile } from "../lab/helpers.ts";
import { repoRoot } from "../lab/paths.ts";
import { run } from "../lab/run.ts";

const lab = labFile();

/** The alias both hosts resolve: unique per lab port, so it never shadows another lab's. */
function aliasOf(l: Lab): string {
  return `zfsvm-r2r-${l.state.port}`;
}

async function passwdHome(): Promise<string> {
  const r = await run(["getent", "passwd", String(Deno.uid() ?? 0)]);
  return r.stdout.trim().split(":")[5];
}

function guestSetup(alias: string): string {
  return [
    "set -e",
    "mkdir -p /root/.ssh && chmod 700 /root/.ssh",
    "[ -f /root/.ssh/id_r2r ] || ssh-keygen -q -t ed25519 -N '' -C r2r-test -f /root/.ssh/id_r2r",
    "touch /root/.ssh/authorized_keys && chmod 600 /root/.ssh/authorized_keys",
    'grep -qF "$(cat /root/.ssh/id_r2r.pub)" /root/.ssh/authorized_keys ||',
    "  cat /root/.ssh/id_r2r.pub >> /root/.ssh/authorized_keys",
    "cat > /root/.ssh/config <<'CONFIG'",
    `Host ${alias}`,
    "  HostName 127.0.0.1",
    "  Port 22",
    "  User root",
    "  IdentityFile /root/.ssh/id_r2r",
    "  IdentitiesOnly yes",
    "  StrictHostKeyChecking no",
    "  UserKnownHostsFile /dev/null",
    "  LogLevel ERROR",
    "CONFIG",
    "chmod 600 /root/.ssh/config",
    `ssh -o BatchMode=yes ${alias} true`,
    "",
  ].join("\n");
}

function withoutBlock(text: string, begin: string, end: string): string {
  const i = text.indexOf(begin);
  const j = text.indexOf(end);
  if (i < 0 || j < i) return text;
  return text.slice(0, i) + text.slice(j + end.length).replace(/^\n/, "");
}

/** Installs the alias on both sides; returns the undo for this host's config. */
async function installAlias(l: Lab): Promise<() => Promise<void>> {
  const alias = aliasOf(l);
  const guest = await l.exec(["sh", "-s"], {
    stdin: new TextEncoder().encode(guestSetup(alias)),
    noThrow: true,
  });
  assert.equal(guest.code, 0, `guest ssh setup failed:\n${guest.stderr}`);
  const labConfig = await Deno.readTextFile(l.state.sshConfig!);
  const body = labConfig.split("\n")
    .filter((line) => !/^\s*(Host\s|Control)/i.test(line) && line.trim() !== "")
    .join("\n");
  const begin = `# BEGIN bzfs r2r test ${alias}`;
  const end = `# END bzfs r2r test ${alias}`;
  const block = `${begin}\nHost ${alias}\n${body}\n${end}\n`;
  const dir = join(await passwdHome(), ".ssh");
  const file = join(dir, "config");
  const dirExisted = await Deno.stat(dir).then(() => true, () => false);
  await Deno.mkdir(dir, { recursive: true, mode: 0o700 });
  let before: string | undefined;
  try {
    before = await Deno.readTextFile(file);
  } catch {
    before = undefined;
  }
  // the first match wins in ssh_config, so our block goes first
  await Deno.writeTextFile(file, block + withoutBlock(before ?? "", begin, end), { mode: 0o600 });
  const check = await run(["ssh", "-o", "BatchMode=yes", alias, "hostname"], { noThrow: true });
  assert.equal(check.code, 0, `ssh ${alias} from this host failed:\n${check.stderr}`);
  return async () => {
    const rest = withoutBlock(await Deno.readTextFile(file), begin, end);
    if (before === undefined && rest.trim() === "") await Deno.remove(file);
    else await Deno.writeTextFile(file, rest);
    if (!dirExisted) await Deno.remove(dir).catch(() => {}); // only when empty
  };
}

/** Runs our CLI with both endpoints remote: `root@ALIAS:dataset` unless told otherwise. */
function runR2r(l: Lab, src: string, dst: string, args: string[], hosts: { dst?: string } = {}) {
  const alias = aliasOf(l);
  const argv = [Deno.execPath(), "run", "--frozen", "--allow-all", join(repoRoot(), "cli.ts")];
  argv.push(...args, `root@${alias}:${src}`, `root@${hosts.dst ?? alias}:${dst}`);
  return run(argv, { noThrow: true, cwd: repoRoot() });
}

/** Runs `fn` with the alias installed on both sides, removing this host's block afterwards. */
function withAlias(fn: (l: Lab) => Promise<void>): (l: Lab) => Promise<void> {
  return async (l) => {
    const undo = await installAlias(l);
    try {
      await fn(l);
    } finally {
      await undo();
    }
  };
}

async function prepare(l: Lab, name: string): Promise<{ src: string; dst: string }> {
  const src = `${l.src}/${name}`;
  await l.createDataset(src, { files: [{ path: "a", size: 3 << 20 }, { path: "b", size: 5000 }] });
  await l.createDataset(`${src}/child`, { files: [{ path: "c", size: 1 << 20 }] });
  await l.zfs("snapshot", "-r", `${src}@s1`);
  return { src, dst: `${l.dst}/${name}` };
}

async function assertReplicated(l: Lab, src: string, dst: string, snaps: string[]) {
  for (const rel of ["", "/child"]) {
    const got = (await l.snapshots(dst + rel)).map((s) => s.name.split("@")[1]);
    assert.deepEqual(got, snaps, `${dst}${rel}`);
    const last = snaps[snaps.length - 1];
    assert.equal(
      await l.checksum(`${dst}${rel}@${last}`),
      await l.checksum(`${src}${rel}@${last}`),
      `content of ${dst}${rel}@${last}`,
    );
    const srcGuids = (await l.snapshots(src + rel)).map((s) => s.guid);
    const dstGuids = (await l.snapshots(dst + rel)).map((s) => s.guid);
    assert.deepEqual(dstGuids, srcGuids.slice(0, dstGuids.length));
  }
}

/** The logged transfer pipelines (`-v -v`): lines with both `zfs send` and `zfs receive`. */
function transferLines(stderr: string): string[] {
  return stderr.split("\n").filter((l) => l.includes("zfs send ") && l.includes("zfs receive "));
}

/**
 * The data path of a logged pipeline: r2r runs ONE ssh from this host (through our control
 * master, `-S`) whose remote command contains the second ssh (`-o ControlPath=none`, it runs on
 * the remote host); relaying runs two ssh legs from this host, both through our masters.
 */
function shapeOf(line: string): "r2r-push" | "r2r-pull" | "relay" | "other" {
  const masters = line.match(/ -S \/\S+/g)?.length ?? 0;
  const inner = line.indexOf("-o ControlPath=none");
  const send = line.indexOf("zfs send ");
  const recv = line.indexOf("zfs receive ");
  const outer = line.indexOf("Executing: ssh ");
  if (masters === 2 && inner < 0) return "relay";
  if (
    masters !== 1 || inner < 0 || outer < 0 || line.lastIndexOf("-o ControlPath=none") !== inner
  ) {
    return "other";
  }
  if (send < inner && inner < recv) return "r2r-push";
  if (inner < send && send < recv) return "r2r-pull";
  return "other";
}

lab.test(
  "[smoke] --r2r push: the source host sends straight to the destination",
  withAlias(async (l) => {
    const { src, dst } = await prepare(l, "r2rpush");
    const args = ["-r", "-v", "-v", "--r2r", "push"];
    const r = await runR2r(l, src, dst, args);
    ok(r, "r2r push");
    const full = transferLines(r.stderr);
    assert.equal(full.length, 2, r.stderr);
    assert.deepEqual(full.map(shapeOf), ["r2r-push", "r2r-push"], full.join("\n"));
    assert.doesNotMatch(r.stderr, /falling back/);
    await assertReplicated(l, src, dst, ["s1"]);

    await l.writeFiles(src, [{ path: "a", size: 2 << 20 }], "changed");
    await l.zfs("snapshot", "-r", `${src}@s2`);
    await l.zfs("snapshot", "-r", `${src}@s3`);
    const inc = await runR2r(l, src, dst, args);
    ok(inc, "r2r push incremental");
    const steps = transferLines(inc.stderr);
    assert.equal(steps.length, 2, inc.stderr);
    assert.ok(steps.every((line) => / -I \S+@s1 \S+@s3/.test(line)), steps.join("\n"));
    assert.deepEqual(steps.map(shapeOf), ["r2r-push", "r2r-push"], steps.join("\n"));
    await assertReplicated(l, src, dst, ["s1", "s2", "s3"]);
  }),
  { ssh: true },
);

lab.test(
  "--r2r pull: the destination host pulls straight from the source",
  withAlias(async (l) => {
    const { src, dst } = await prepare(l, "r2rpull");
    const r = await runR2r(l, src, dst, ["-r", "-v", "-v", "--r2r", "pull"]);
    ok(r, "r2r pull");
    const lines = transferLines(r.stderr);
    assert.equal(lines.length, 2, r.stderr);
    assert.deepEqual(lines.map(shapeOf), ["r2r-pull", "r2r-pull"], lines.join("\n"));
    assert.doesNotMatch(r.stderr, /falling back/);
    await assertReplicated(l, src, dst, ["s1"]);
  }),
  { ssh: true },
);

lab.test(
  "--r2r push with --ssh-dst-config-file falls back to relaying, with a warning",
  withAlias(async (l) => {
    const { src, dst } = await prepare(l, "r2rfallback");
    const r = await runR2r(
      l,
      src,
      dst,
      ["-r", "-v", "-v", "--r2r", "push", "--ssh-dst-config-file", l.state.sshConfig!],
      { dst: l.state.host },
    );
    ok(r, "fallback");
    assert.match(
      r.stderr,
      /\[W\] --r2r=push is not possible \(an ssh config file is set for the other host\); falling back to --r2r=off/,
    );
    const lines = transferLines(r.stderr);
    assert.equal(lines.length, 2, r.stderr);
    assert.deepEqual(lines.map(shapeOf), ["relay", "relay"], lines.join("\n"));
    await assertReplicated(l, src, dst, ["s1"]);
  }),
  { ssh: true },
);
