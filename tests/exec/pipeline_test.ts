import assert from "node:assert/strict";
import { Pipeline } from "../../lib/exec/pipeline.ts";
import { createRemote } from "../../lib/exec/remote.ts";
import { toolSet } from "../../lib/exec/tools.ts";

const ALL = toolSet("shell", "compression", "mbuffer", "pv", "ssh");
const SSH = "ssh -o ControlPath=none -o BatchMode=yes -x -T";
const src = createRemote({ host: "src", sshCipher: "", sudo: ["sudo", "-n"] });
const dst = createRemote({ host: "dst", sshCipher: "", sudo: ["doas", "-n"] });
const MB = "mbuffer -s 2097152 -q -m 128M";
const PV = "LC_ALL=C pv --bytes --force --name=1GiB";

const base = Pipeline.create()
  .send(["zfs", "send", "tank/a@s1"])
  .receive(["zfs", "receive", "-u", "bak/a"])
  .compression("zstd", ["-1"])
  .buffer("mbuffer", ["-q", "-m", "128M"])
  .tools({ src: ALL, dst: ALL, local: ALL });

const withPv = base.progress({
  program: "pv",
  opts: ["--bytes"],
  logFile: "/l/x.pv",
  name: "1GiB",
});

Deno.test("local: no compression or mbuffer, argv is sh -c script", () => {
  const r = base.render();
  assert.equal(r.mode, "local");
  assert.equal(r.display, "zfs send tank/a@s1 | zfs receive -u bak/a");
  assert.deepEqual(r.argv, ["sh", "-c", r.display]);
  assert.deepEqual(r.notes, []);
});

Deno.test("local with pv and sudo on both sides", () => {
  const local = createRemote({ sudo: ["sudo", "-n"] });
  const r = withPv.from(local, { sudo: true }).to(local, { sudo: true }).sizeEstimate(5_000_000)
    .render();
  assert.equal(
    r.display,
    `sudo -n zfs send tank/a@s1 | ${PV} --size=5000000 2>> /l/x.pv | sudo -n zfs receive -u bak/a`,
  );
});

Deno.test("push: compress and buffer locally, remote sh -c with mbuffer, decompress, sudo receive", () => {
  const r = base.to(dst, { sudo: true }).render();
  assert.equal(r.mode, "push");
  assert.equal(
    r.display,
    `zfs send tank/a@s1 | zstd -c -1 | ${MB} | ${SSH} dst 'sh -c "${MB} | zstd -dc | doas -n zfs receive -u bak/a"'`,
  );
});

Deno.test("push with pv: pv right after send, sized", () => {
  const r = withPv.to(dst).sizeEstimate(9_000_000).render();
  assert.ok(
    r.display.startsWith(`zfs send tank/a@s1 | ${PV} --size=9000000 2>> /l/x.pv | zstd -c -1 | `),
  );
});

Deno.test("pull: remote send leg, local decompress, pv and receive", () => {
  const r = withPv.from(src, { sudo: true }).render();
  assert.equal(r.mode, "pull");
  assert.equal(
    r.display,
    `${SSH} src 'sh -c "sudo -n zfs send tank/a@s1 | zstd -c -1 | ${MB}"' | ${MB} | zstd -dc | ${PV} 2>> /l/x.pv | zfs receive -u bak/a`,
  );
});

Deno.test("pull-push: relayed through this host with local mbuffer and unsized pv when compressed", () => {
  const r = withPv.from(src).to(dst).sizeEstimate(5_000_000).render();
  assert.equal(r.mode, "pull-push");
  assert.equal(
    r.display,
    `${SSH} src 'sh -c "zfs send tank/a@s1 | zstd -c -1 | ${MB}"' | ${MB} | ${PV} 2>> /l/x.pv | ` +
      `${SSH} dst 'sh -c "${MB} | zstd -dc | zfs receive -u bak/a"'`,
  );
  const plain = withPv.compression("-").from(src).to(dst).sizeEstimate(5_000_000).render();
  assert.match(plain.display, / --size=5000000 /);
});

Deno.test("r2r push: the source runs zfs send | ssh dst ...; no pv", () => {
  const r = withPv.from(src).to(dst).r2r("push").render();
  assert.equal(r.mode, "r2r-push");
  assert.equal(
    r.display,
    `${SSH} src 'sh -c "zfs send tank/a@s1 | zstd -c -1 | ${MB} | ${SSH} dst ` +
      `'"'"'sh -c \\"${MB} | zstd -dc | zfs receive -u bak/a\\"'"'"'"'`,
  );
  assert.ok(!r.display.includes("pv"));
});

Deno.test("r2r pull: the destination runs ssh src ... | zfs receive", () => {
  const r = base.from(src).to(dst).r2r("pull").compression("-").buffer("-").render();
  assert.equal(r.mode, "r2r-pull");
  assert.equal(
    r.display,
    `${SSH} dst 'sh -c "${SSH} src '"'"'zfs send tank/a@s1'"'"' | zfs receive -u bak/a"'`,
  );
});

Deno.test("r2r falls back to pull-push with a note", () => {
  const noSsh = toolSet("shell", "compression", "mbuffer");
  const cases: [Pipeline, RegExp][] = [
    [base.from(src).to(dst).r2r("push").tools({ src: noSsh, dst: ALL, local: ALL }), /no ssh/],
    [
      base.from(src).to(dst).r2r("pull").tools({ src: ALL, dst: toolSet("ssh"), local: ALL }),
      /no shell/,
    ],
    [
      base.from(src).to(createRemote({ host: "dst", configFile: "/c/bzfs_ssh_config" })).r2r(
        "push",
      ),
      /config file/,
    ],
    [
      base.from(createRemote({ host: "src", configFile: "/c/bzfs_ssh_config" })).to(dst).r2r(
        "pull",
      ),
      /config file/,
    ],
    [base.from(src).to(dst).r2r("push").shell("-"), /no shell/],
  ];
  for (const [p, why] of cases) {
    const r = p.render();
    assert.equal(r.mode, "pull-push");
    assert.equal(r.notes.length, 1);
    assert.match(r.notes[0], why);
  }
  const none = base.from(src).to(createRemote({ host: "dst", configFile: "none" })).r2r("push")
    .render();
  assert.equal(none.mode, "r2r-push");
  assert.equal(base.to(dst).r2r("push").render().mode, "push");
});

Deno.test("compression only when both sides have it; mbuffer per side", () => {
  const noZstd = toolSet("shell", "mbuffer");
  const r = base.to(dst).tools({ src: ALL, dst: noZstd, local: ALL }).render();
  assert.equal(
    r.display,
    `zfs send tank/a@s1 | ${MB} | ${SSH} dst 'sh -c "${MB} | zfs receive -u bak/a"'`,
  );
  const onlyDst = base.to(dst).tools({
    src: toolSet(),
    dst: toolSet("shell", "mbuffer"),
    local: ALL,
  }).render();
  assert.equal(
    onlyDst.display,
    `zfs send tank/a@s1 | ${SSH} dst 'sh -c "${MB} | zfs receive -u bak/a"'`,
  );
  const noHelpers = base.to(dst).tools({ src: ALL, dst: toolSet("shell"), local: ALL }).render();
  assert.equal(noHelpers.display, `zfs send tank/a@s1 | ${MB} | ${SSH} dst 'zfs receive -u bak/a'`);
});

Deno.test("a remote host without a shell gets only the zfs command, and no compression anywhere", () => {
  const r = base.from(src).tools({ src: toolSet("compression", "mbuffer"), dst: ALL, local: ALL })
    .render();
  assert.equal(r.display, `${SSH} src 'zfs send tank/a@s1' | ${MB} | zfs receive -u bak/a`);
  const dash = base.from(src).shell("-").render();
  assert.equal(dash.display, `${SSH} src 'zfs send tank/a@s1' | ${MB} | zfs receive -u bak/a`);
});

Deno.test("below the minimum transfer size: no compression or mbuffer, pv still there", () => {
  const small = withPv.to(dst).sizeEstimate(1000).render();
  assert.equal(
    small.display,
    `zfs send tank/a@s1 | ${PV} --size=1000 2>> /l/x.pv | ${SSH} dst 'zfs receive -u bak/a'`,
  );
  const custom = base.to(dst).sizeEstimate(1000, { minPipeTransferSize: 500 }).render();
  assert.match(custom.display, /zstd/);
});

Deno.test("pv only when asked and present locally; without log file writes to stderr", () => {
  assert.ok(!base.render().display.includes("pv"));
  const noLocalPv = withPv.tools({ src: ALL, dst: ALL, local: toolSet("shell") }).render();
  assert.ok(!noLocalPv.display.includes("pv"));
  assert.ok(!withPv.progress(undefined).render().display.includes("pv"));
  assert.ok(!withPv.progress({ program: "-", opts: [] }).render().display.includes("pv"));
  const bare = base.progress({ program: "pv", opts: [] }).render();
  assert.equal(bare.display, "zfs send tank/a@s1 | LC_ALL=C pv --force | zfs receive -u bak/a");
});

Deno.test("mbuffer block size is max(recordsize, 2 MiB)", () => {
  const r = base.buffer("mbuffer", [], { recordSize: 16 * 1024 * 1024 }).to(dst).render();
  assert.match(r.display, /mbuffer -s 16777216 \|/);
});

Deno.test("control paths go into the ssh hops from this host", () => {
  const r = base.from(src).to(dst).controlPaths({ src: "/tmp/b/1d0", dst: "/tmp/b/2d0" }).render();
  assert.match(
    r.display,
    /^ssh -S \/tmp\/b\/1d0 -o ControlMaster=auto -o ControlPersist=600s .* src /,
  );
  assert.match(r.display, /\| ssh -S \/tmp\/b\/2d0 -o ControlMaster=auto .* dst /);
});

Deno.test("custom shells", () => {
  const r = base.to(dst).shell("/bin/bash", "/bin/sh").render();
  assert.equal(r.argv[0], "/bin/sh");
  assert.match(r.display, / dst '\/bin\/bash -c "/);
});

Deno.test("builders are immutable and share nothing", () => {
  const a = base.to(dst);
  const b = a.r2r("push").from(src);
  assert.equal(base.render().mode, "local");
  assert.equal(a.render().mode, "push");
  assert.equal(b.render().mode, "r2r-push");
  const argv = ["zfs", "send", "x@1"];
  const c = base.send(argv);
  argv[2] = "y@2";
  assert.match(c.render().display, /x@1/);
  assert.deepEqual(base.render(), base.render());
});
