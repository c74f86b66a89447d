import assert from "node:assert/strict";
import {
  createRemote,
  DEFAULT_SSH_CIPHER,
  elevationPrefix,
  isLocal,
  remoteKey,
  runsAsRoot,
  sshArgv,
  sshExitArgv,
  userHost,
} from "../../lib/exec/remote.ts";
import { BzfsError, UsageError } from "../../lib/errors.ts";

Deno.test("createRemote fills defaults and freezes", () => {
  const r = createRemote({ host: "nas" });
  assert.equal(r.sshProgram, "ssh");
  assert.equal(r.sshCipher, DEFAULT_SSH_CIPHER);
  assert.equal(r.controlPersistSecs, 600);
  assert.equal(r.reuseConnection, true);
  assert.deepEqual(r.sudo, []);
  assert.ok(Object.isFrozen(r));
  assert.equal(isLocal(r), false);
  assert.equal(isLocal(createRemote()), true);
  assert.equal(isLocal(createRemote({ host: "-" })), true);
  assert.equal(isLocal(createRemote({ host: "" })), true);
});

Deno.test("createRemote rejects option-like and bad values", () => {
  assert.throws(() => createRemote({ host: "-oProxyCommand=x" }), UsageError);
  assert.throws(() => createRemote({ host: "a b" }), UsageError);
  assert.throws(() => createRemote({ host: "h", user: "-l" }), UsageError);
  assert.throws(() => createRemote({ host: "h", port: 0 }), UsageError);
  assert.throws(() => createRemote({ host: "h", port: 70000 }), UsageError);
  assert.throws(() => createRemote({ host: "h", port: 1.5 }), UsageError);
});

Deno.test("userHost and remoteKey", () => {
  assert.equal(userHost(createRemote()), "");
  assert.equal(userHost(createRemote({ host: "nas" })), "nas");
  assert.equal(userHost(createRemote({ host: "::1", user: "bob" })), "bob@::1");
  assert.equal(remoteKey(createRemote()), "-");
  assert.equal(
    remoteKey(createRemote({ host: "nas", user: "u", port: 22, configFile: "/x/bzfs_ssh_config" })),
    "u@nas#22#/x/bzfs_ssh_config",
  );
});

Deno.test("sshArgv multiplexed with all options", () => {
  const r = createRemote({
    user: "root",
    host: "nas",
    port: 2222,
    configFile: "/etc/bzfs_ssh_config",
    controlPersistSecs: 90,
    extraSshOpts: ["-v"],
  });
  assert.deepEqual(sshArgv(r, { controlPath: "/tmp/bzfs.a/1s0" }), [
    "ssh",
    "-F",
    "/etc/bzfs_ssh_config",
    "-p",
    "2222",
    "-c",
    DEFAULT_SSH_CIPHER,
    "-S",
    "/tmp/bzfs.a/1s0",
    "-o",
    "ControlMaster=auto",
    "-o",
    "ControlPersist=90s",
    "-o",
    "BatchMode=yes",
    "-x",
    "-T",
    "-v",
    "root@nas",
  ]); // prettier-ignore
});

Deno.test("sshArgv without control path or reuse is a plain connection", () => {
  const r = createRemote({ host: "nas", sshCipher: "", sshProgram: "hpnssh" });
  const plain = ["hpnssh", "-o", "ControlPath=none", "-o", "BatchMode=yes", "-x", "-T", "nas"];
  assert.deepEqual(sshArgv(r), plain);
  const noReuse = createRemote({
    host: "nas",
    sshCipher: "",
    sshProgram: "hpnssh",
    reuseConnection: false,
  });
  assert.deepEqual(sshArgv(noReuse, { controlPath: "/tmp/x" }), plain);
});

Deno.test("sshArgv refuses local and disabled ssh", () => {
  assert.throws(() => sshArgv(createRemote()), BzfsError);
  assert.throws(() => sshArgv(createRemote({ host: "nas", sshProgram: "-" })), /ssh is disabled/);
});

Deno.test("sshExitArgv", () => {
  const r = createRemote({ host: "nas", port: 2, configFile: "/c/bzfs_ssh_config" });
  assert.deepEqual(sshExitArgv(r, "/tmp/s"), [
    "ssh",
    "-F",
    "/c/bzfs_ssh_config",
    "-p",
    "2",
    "-S",
    "/tmp/s",
    "-O",
    "exit",
    "nas",
  ]); // prettier-ignore
});

Deno.test("elevationPrefix", () => {
  assert.deepEqual(elevationPrefix({ isRoot: false }), ["sudo", "-n"]);
  assert.deepEqual(elevationPrefix({ isRoot: false, sudoProgram: "doas" }), ["doas", "-n"]);
  assert.deepEqual(elevationPrefix({ isRoot: true }), []);
  assert.deepEqual(elevationPrefix({ isRoot: false, noPrivilegeElevation: true }), []);
  assert.deepEqual(elevationPrefix({ isRoot: true, sudoProgram: "-" }), []);
  assert.throws(() => elevationPrefix({ isRoot: false, sudoProgram: "-" }), BzfsError);
});

Deno.test("runsAsRoot", () => {
  assert.equal(runsAsRoot(createRemote({ host: "h", user: "root" }), 1000), true);
  assert.equal(runsAsRoot(createRemote({ host: "h", user: "bob" }), 0), false);
  assert.equal(runsAsRoot(createRemote({ host: "h" }), 0), true);
  assert.equal(runsAsRoot(createRemote(), 0), true);
  assert.equal(runsAsRoot(createRemote(), 1000), false);
  assert.equal(runsAsRoot(createRemote(), null), false);
});
