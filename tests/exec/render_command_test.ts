import assert from "node:assert/strict";
import { displayArgv, renderCommand } from "../../lib/exec/render_command.ts";
import { createRemote } from "../../lib/exec/remote.ts";

Deno.test("renderCommand local, local with sudo, remote with control path", () => {
  assert.deepEqual(renderCommand({ argv: ["zfs", "list"] }), ["zfs", "list"]);
  const local = createRemote({ sudo: ["sudo", "-n"] });
  assert.deepEqual(renderCommand({ argv: ["zfs", "destroy", "t@s"], remote: local, sudo: true }), [
    "sudo",
    "-n",
    "zfs",
    "destroy",
    "t@s",
  ]); // prettier-ignore
  assert.deepEqual(renderCommand({ argv: ["zfs", "list"], remote: local }), ["zfs", "list"]);
  const nas = createRemote({ host: "nas", sshCipher: "", sudo: ["doas", "-n"] });
  const argv = renderCommand({ argv: ["zfs", "destroy", "t@a b"], remote: nas, sudo: true }, {
    controlPath: "/tmp/c",
  });
  assert.deepEqual(argv.slice(-2), ["nas", "doas -n zfs destroy 't@a b'"]);
  assert.ok(argv.includes("-S"));
  assert.equal(displayArgv(["a b", "c"]), "'a b' c");
});

Deno.test("renderCommand refuses sudo without a remote instead of silently dropping it", () => {
  assert.throws(() => renderCommand({ argv: ["zfs", "destroy", "t@s"], sudo: true }), TypeError);
});
