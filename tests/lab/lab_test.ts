/**
 * Unit tests of the lab's pure parts (no VM needed): quoting, ssh config, wrappers,
 * argument parsing, deterministic data, zfs list parsing, CLI argv building.
 *
 * @module
 */

import assert from "node:assert/strict";
import { shellJoin, shellQuote } from "./shell_quote.ts";
import { renderSshConfig, renderWrapper } from "./ssh_config.ts";
import { parseLabArgs } from "./lab.ts";
import { denoTestArgv, parseTestZfsArgs } from "./test_zfs.ts";
import { deterministicBytes } from "./data.ts";
import { Lab, parseSnapInfo } from "./helpers.ts";
import type { LabState } from "./lab_state.ts";
import { ensureHostTools } from "./host_deps.ts";
import { mountsBelow } from "./safe_remove.ts";
import { groupMembers, killGroup, spawnGroup } from "./process_group.ts";

const HOSTILE = ["it's", "a  b", "$HOME", "`id`", "q''", "nl\n", "", "-x", "*", "é"];

Deno.test("shellQuote round-trips hostile words through sh", async () => {
  const script = `for a in ${HOSTILE.map(shellQuote).join(" ")}; do printf '[%s]' "$a"; done`;
  const out = await new Deno.Command("sh", { args: ["-c", script] }).output();
  assert.equal(new TextDecoder().decode(out.stdout), HOSTILE.map((w) => `[${w}]`).join(""));
  assert.equal(shellJoin(["zfs", "list", "-o", "name,guid"]), "zfs list -o name,guid");
});

Deno.test("zfs wrapper quotes every argument word for the remote shell", async () => {
  const dir = await Deno.makeTempDir();
  try {
    // Replace ssh by a stub that evaluates the remote command line locally, like sshd would.
    const stub = `${dir}/ssh`;
    await Deno.writeTextFile(stub, '#!/bin/sh\nshift 4\nexec sh -c "$1"\n', { mode: 0o755 });
    await Deno.writeTextFile(`${dir}/zfs`, renderWrapper("printf", "/cfg"), { mode: 0o755 });
    const out = await new Deno.Command(`${dir}/zfs`, {
      args: ["[%s]", ...HOSTILE],
      env: { PATH: `${dir}:/usr/bin:/bin` },
    }).output();
    assert.equal(new TextDecoder().decode(out.stderr), "");
    assert.equal(new TextDecoder().decode(out.stdout), HOSTILE.map((w) => `[${w}]`).join(""));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("ssh config pins the host key under the alias and shares connections", () => {
  const text = renderSshConfig({ stateDir: "/s", port: 2222, key: "/k/id", hostKeyPub: "" });
  for (
    const line of [
      "Host zfsvm",
      "HostName 127.0.0.1",
      "Port 2222",
      "HostKeyAlias zfsvm",
      'UserKnownHostsFile "/s/known_hosts"',
      "StrictHostKeyChecking yes",
      "BatchMode yes",
      "ControlMaster auto",
      "ControlPersist 120",
      'IdentityFile "/k/id"',
    ]
  ) assert.ok(text.includes(`  ${line}\n`) || text.includes(`${line}\n`), line);
});

Deno.test("lab and test:zfs argument parsing", () => {
  assert.deepEqual(parseLabArgs(["start", "--zfs", "2.1"]).variant, "2.1");
  assert.equal(parseLabArgs(["status"]).variant, "2.3");
  assert.deepEqual(parseLabArgs(["ssh", "--", "zfs", "list"]).rest, ["zfs", "list"]);
  assert.throws(() => parseLabArgs(["start", "--zfs", "0.8"]), /Unknown --zfs '0.8'/);
  assert.throws(() => parseLabArgs(["reboot"]), /unknown command 'reboot'/);
  const t = parseTestZfsArgs(["--smoke", "--zfs=2.1", "--", "--fail-fast"]);
  assert.deepEqual([t.smoke, t.variant, t.extra], [true, "2.1", ["--fail-fast"]]);
  const argv = denoTestArgv(true, []);
  assert.deepEqual(argv.slice(1, 6), ["test", "--frozen", "--allow-all", "--filter", "[smoke]"]);
  assert.match(argv[argv.length - 1], /tests\/zfs\/$/);
});

Deno.test("deterministic data repeats per seed and differs between seeds", () => {
  const a = deterministicBytes("src/a:f", 1001);
  assert.equal(a.length, 1001);
  assert.deepEqual(deterministicBytes("src/a:f", 1001), a);
  assert.notDeepEqual(deterministicBytes("src/b:f", 1001), a);
  assert.ok(new Set(a).size > 200, "looks random, so it does not compress away");
});

Deno.test("parseSnapInfo reads zfs list -H -p output", () => {
  assert.deepEqual(parseSnapInfo("src/a@s1\t123\t9\nsrc/a#b1\t123\t9\n"), [
    { name: "src/a@s1", guid: "123", createtxg: 9 },
    { name: "src/a#b1", guid: "123", createtxg: 9 },
  ]);
});

Deno.test("CLI argv per mode: remote sides get user@zfsvm and the ssh config", () => {
  const state: LabState = {
    mode: "vm",
    variant: "2.3",
    stateDir: "/s",
    sshConfig: "/s/bzfs_ssh_config",
    host: "zfsvm",
    srcPool: "src",
    dstPool: "dst",
    poolDir: "/var/tmp/pools",
    zfsVersion: "zfs-2.3.2",
  };
  const lab = new Lab(state);
  const tail = (mode: "local" | "push" | "pull" | "pull-push") =>
    lab.cliArgv({ mode, src: "src/a", dst: "dst/a", args: ["-r"] }).slice(4).join(" ");
  assert.match(tail("local"), /cli\.ts -r src\/a dst\/a$/);
  assert.match(
    tail("push"),
    /-r --ssh-dst-config-file \/s\/bzfs_ssh_config src\/a root@zfsvm:dst\/a$/,
  );
  assert.match(
    tail("pull"),
    /-r --ssh-src-config-file \/s\/bzfs_ssh_config root@zfsvm:src\/a dst\/a$/,
  );
  assert.match(
    tail("pull-push"),
    /--ssh-src-config-file \S+ --ssh-dst-config-file \S+ root@zfsvm:src\/a root@zfsvm:dst\/a$/,
  );
});

Deno.test("missing host tools are installed with apt-get update once, then install", async () => {
  const dir = await Deno.makeTempDir();
  const oldPath = Deno.env.get("PATH") ?? "";
  try {
    const log = `${dir}/calls`;
    const fake = `#!/bin/sh\necho "$DEBIAN_FRONTEND $*" >> ${log}\n`;
    await Deno.writeTextFile(`${dir}/apt-get`, fake, { mode: 0o755 });
    Deno.env.set("PATH", `${dir}:${oldPath}`);
    const tools = [
      { command: "bzfs-lab-no-such-tool-1", pkg: "pkg-one" },
      { command: "bzfs-lab-no-such-tool-2", pkg: "pkg-two" },
      { command: "sh", pkg: "dash" },
    ];
    if (Deno.uid() !== 0) {
      await assert.rejects(ensureHostTools(tools), /Missing host packages: pkg-one pkg-two/);
      return;
    }
    await ensureHostTools(tools);
    assert.equal(
      await Deno.readTextFile(log),
      "noninteractive update -q\n" +
        "noninteractive install -y -q --no-install-recommends pkg-one pkg-two\n",
    );
  } finally {
    Deno.env.set("PATH", oldPath);
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("mountsBelow finds mounts strictly below a tree, deepest first, unescaped", () => {
  const info = [
    "22 1 0:21 / /proc rw - proc proc rw",
    "90 1 0:5 / /c/x.building/rootfs/dev rw - devtmpfs dev rw",
    "91 90 0:6 / /c/x.building/rootfs/dev/pts rw - devpts devpts rw",
    "92 1 0:7 / /c/x.building2/rootfs/proc rw - proc proc rw",
    "93 1 0:8 / /c/x.building/a\\040b rw - tmpfs t rw",
  ].join("\n");
  assert.deepEqual(mountsBelow("/c/x.building", info), [
    "/c/x.building/rootfs/dev/pts",
    "/c/x.building/rootfs/dev",
    "/c/x.building/a b",
  ]);
});

Deno.test("killGroup ends a child and the grandchildren it left in the background", async () => {
  const child = spawnGroup(["sh", "-c", "sleep 100 & sleep 100 & echo started; wait"]);
  for (let i = 0; i < 50 && groupMembers(child.pid).length < 3; i++) {
    await new Promise((r) => setTimeout(r, 50));
  }
  assert.equal(groupMembers(child.pid).length, 3, "sh and two sleeps");
  await killGroup(child.pid);
  assert.equal((await child.status).signal, "SIGTERM");
  assert.deepEqual(groupMembers(child.pid), []);
});
