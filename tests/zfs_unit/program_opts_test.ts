import assert from "node:assert/strict";
import {
  sanitizeRecvOpts,
  sanitizeSendOpts,
  splitProgramOpts,
} from "../../lib/zfs/program_opts.ts";
import { BzfsError } from "../../lib/errors.ts";

Deno.test("splitProgramOpts", () => {
  assert.deepEqual(splitProgramOpts("--raw --compressed"), ["--raw", "--compressed"]);
  assert.deepEqual(splitProgramOpts(" \t-u\n -o  a=b "), ["-u", "-o", "a=b"]);
  assert.deepEqual(splitProgramOpts(""), []);
});

Deno.test("sanitizeSendOpts keeps ordinary options", () => {
  assert.deepEqual(sanitizeSendOpts(["--raw", "--compressed"]), ["--raw", "--compressed"]);
  assert.deepEqual(sanitizeSendOpts(["-L", "-c", "-p", "-w", "-h", "-b"]), [
    "-L",
    "-c",
    "-p",
    "-w",
    "-h",
    "-b",
  ]);
  assert.deepEqual(sanitizeSendOpts(["--props", "--large-block"]), ["--props", "--large-block"]);
});

Deno.test("sanitizeSendOpts strips managed options", () => {
  assert.deepEqual(sanitizeSendOpts(["--dryrun", "-n", "-e", "-d", "-v"]), ["-v"]);
  assert.deepEqual(sanitizeSendOpts(["-Lden"]), ["-L"]);
  assert.deepEqual(sanitizeSendOpts(["-i", "tank@s1", "-w"]), ["-w"]);
  assert.deepEqual(sanitizeSendOpts(["-I", "tank@s1", "-t", "1-abc", "-c"]), ["-c"]);
  assert.deepEqual(sanitizeSendOpts(["-isnap", "-Itank@x", "-ttok"]), []);
  assert.deepEqual(sanitizeSendOpts(["-Lci", "tank@s1", "-p"]), ["-Lc", "-p"]);
  assert.deepEqual(sanitizeSendOpts(["--resume", "1-abc", "--resume=1-def", "--raw"]), ["--raw"]);
  assert.deepEqual(sanitizeSendOpts(["-i"]), []);
});

Deno.test("sanitizeSendOpts keeps -X, --exclude, --redact with their argument", () => {
  assert.deepEqual(sanitizeSendOpts(["-X", "-n/tmp", "-w"]), ["-X", "-n/tmp", "-w"]);
  assert.deepEqual(sanitizeSendOpts(["-LXtank/tmp"]), ["-L", "-X", "tank/tmp"]);
  assert.deepEqual(sanitizeSendOpts(["--exclude", "tank/x", "--redact", "tank#rb"]), [
    "--exclude",
    "tank/x",
    "--redact",
    "tank#rb",
  ]);
  assert.deepEqual(sanitizeSendOpts(["--exclude=tank/x"]), ["--exclude=tank/x"]);
  assert.deepEqual(sanitizeSendOpts(["-X"]), ["-X"]);
  assert.deepEqual(sanitizeSendOpts(["plain", "-"]), ["plain", "-"]);
});

Deno.test("sanitizeSendOpts: '=' in a short option is an error", () => {
  assert.throws(() => sanitizeSendOpts(["-c=1"]), BzfsError);
});

Deno.test("sanitizeRecvOpts strips d e n s F A and --dryrun, keeps the rest", () => {
  assert.deepEqual(sanitizeRecvOpts(["-u"]).opts, ["-u"]);
  assert.deepEqual(sanitizeRecvOpts(["-uFsnAde", "--dryrun", "-v"]).opts, ["-u", "-v"]);
  assert.deepEqual(sanitizeRecvOpts(["-F"]).opts, []);
});

Deno.test("sanitizeRecvOpts keeps -o/-x pairs, normalises compact forms and records names", () => {
  const r = sanitizeRecvOpts([
    "-u",
    "-o",
    "canmount=noauto",
    "-oreadonly=on",
    "-x",
    "keylocation",
    "-uxmountpoint",
    "-o",
    "org.zfsbootmenu:commandline=ro debug",
  ]);
  assert.deepEqual(r.opts, [
    "-u",
    "-o",
    "canmount=noauto",
    "-o",
    "readonly=on",
    "-x",
    "keylocation",
    "-u",
    "-x",
    "mountpoint",
    "-o",
    "org.zfsbootmenu:commandline=ro debug",
  ]);
  assert.deepEqual(r.oNames, ["canmount", "readonly", "org.zfsbootmenu:commandline"]);
  assert.deepEqual(r.xNames, ["keylocation", "mountpoint"]);
});

Deno.test("--preserve-properties become -x once, and -o of a preserved name is refused", () => {
  const r = sanitizeRecvOpts(["-u", "-x", "mountpoint"], {
    preserveProperties: ["mountpoint", "sharenfs"],
  });
  assert.deepEqual(r.opts, ["-u", "-x", "mountpoint", "-x", "sharenfs"]);
  assert.deepEqual(r.xNames, ["mountpoint", "sharenfs"]);
  assert.throws(
    () => sanitizeRecvOpts(["-o", "mountpoint=/x"], { preserveProperties: ["mountpoint"] }),
    /Disallowed ZFS property/,
  );
});
