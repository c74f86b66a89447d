import assert from "node:assert/strict";
import { main } from "../../lib/cli/main.ts";
import { ALL_BZFS_OPTIONS } from "../../lib/cli/bzfs_config.ts";
import { attributeName, type OptionSpec } from "../../lib/cli/option_spec.ts";
import { IMPLEMENTED_OPTIONS } from "../../lib/cli/unimplemented.ts";
import { BzfsError, CommandError } from "../../lib/errors.ts";
import { logger } from "../../lib/log/setup.ts";

interface Captured {
  out: string;
  err: string;
  code: number;
}

async function run(
  argv: string[],
  runJob: () => Promise<void> = () => Promise.resolve(),
  env: Record<string, string> = {},
): Promise<Captured & { logDir: string }> {
  const home = Deno.makeTempDirSync();
  const c = { out: "", err: "", code: 0 };
  c.code = await main(argv, {
    env: { HOME: home, ...env },
    writeOut: (t) => (c.out += t),
    writeErr: (t) => (c.err += t),
    runJob,
  });
  return { ...c, logDir: `${home}/bzfs-logs` };
}

function currentLog(logDir: string): string {
  return Deno.readTextFileSync(`${logDir}/current/current.log`);
}

Deno.test("--version prints one line and exits 0", async () => {
  const r = await run(["--version"]);
  assert.equal(r.code, 0);
  assert.match(
    r.out,
    /^bzfs-\d+\.\d+\.\d+ \(bzfs for Deno, option-compatible with bzfs 1\.24\.0\.dev0\)\n$/,
  );
});

Deno.test("--help exits 0 and shows the usage", async () => {
  const r = await run(["--help"]);
  assert.equal(r.code, 0);
  assert.match(r.out, /^Usage: bzfs \[options\] SRC_DATASET DST_DATASET/);
});

Deno.test("usage errors exit 2 with the message and a hint, and run nothing", async () => {
  let ran = false;
  const r = await run(["--threads", "0", "a/b", "c/d"], () => {
    ran = true;
    return Promise.resolve();
  });
  assert.equal(r.code, 2);
  assert.equal(ran, false);
  assert.match(r.err, /^bzfs: error: --threads: Value out of range: "0". Valid range: \[1, 1600\]/);
  assert.match(r.err, /Try 'bzfs --help'/);
  const bad = await run(["tank/data; rm -rf /", "backup/a"]);
  assert.equal(bad.code, 2);
  assert.match(bad.err, /Invalid ZFS dataset name/);
});

Deno.test("a successful run logs the log file and says goodbye", async () => {
  const r = await run(["a/b", "c/d"]);
  assert.equal(r.code, 0);
  const log = currentLog(r.logDir);
  assert.match(log, /\[I\] Log file is: .*\/bzfs-logs\/\d{4}-\d\d-\d\d\/zrun_.*\.log/);
  assert.match(log, /\[I\] Success. Goodbye!/);
  assert.match(r.err, /Success. Goodbye!/);
});

Deno.test("errors map to exit codes and are logged with their cause", async () => {
  const fail = (e: Error) => () => Promise.reject(e);
  const r3 = await run(["a/b", "c/d"], fail(new BzfsError("Boom")));
  assert.equal(r3.code, 3);
  assert.match(currentLog(r3.logDir), /\[E\] Exiting bzfs with status code 3. Cause: Boom/);
  const r255 = await run(
    ["a/b", "c/d"],
    fail(new CommandError("ssh", { argv: ["ssh"], exitCode: 255 })),
  );
  assert.equal(r255.code, 255);
  const r1 = await run(
    ["a/b", "c/d"],
    fail(new CommandError("zfs", { argv: ["zfs"], exitCode: 1 })),
  );
  assert.equal(r1.code, 3);
});

Deno.test("verbosity levels: -q hides info, -v shows debug, -v -v shows trace", async () => {
  const job = () => {
    logger("t").debug("debug line");
    logger("t").trace("trace line");
    return Promise.resolve();
  };
  const quiet = await run(["-q", "a/b", "c/d"], job);
  assert.doesNotMatch(quiet.err, /Goodbye|debug line/);
  assert.match(currentLog(quiet.logDir), /Goodbye/, "the file still gets info");
  const v1 = await run(["-v", "a/b", "c/d"], job);
  assert.match(v1.err, /\[D\] debug line/);
  assert.doesNotMatch(v1.err, /trace line/);
  const v2 = await run(["-v", "-v", "a/b", "c/d"], job);
  assert.match(v2.err, /\[T\] trace line/);
});

Deno.test("secrets from the environment never reach the console or the log file", async () => {
  const secret = "s3cr3t-Pa55w0rd-value";
  const job = () => {
    logger("t").info(`about to use ${secret}`);
    logger("t").trace("ssh -o IdentityAgent={v}", { v: secret });
    return Promise.reject(new BzfsError(`failed with ${secret}`));
  };
  const r = await run(["-v", "-v", "a/b", "c/d"], job, {
    SSH_KEY_PASSPHRASE: secret,
    MY_TOKEN: secret,
  });
  assert.equal(r.code, 3);
  const log = currentLog(r.logDir);
  assert.ok(!log.includes(secret) && !r.err.includes(secret), "secret leaked");
  assert.match(log, /about to use \*\*\*/);
  assert.match(log, /failed with \*\*\*/);
});

Deno.test("every option not yet built is refused by the command with exit 2, naming it", async () => {
  const notBuilt = ALL_BZFS_OPTIONS.filter((spec) =>
    spec.flags[0].startsWith("--") && spec.kind !== "Version" &&
    !IMPLEMENTED_OPTIONS.has(attributeName(spec.flags[0]))
  );
  for (const spec of notBuilt) {
    const value = spec.nargs === "0" || spec.nargs === "?" ? [] : [sampleValue(spec)];
    const r = await run(["a/b", "c/d", spec.flags[0], ...value]);
    assert.equal(r.code, 2, `${spec.flags[0]}: ${r.err}`);
    assert.match(r.err, new RegExp(`${spec.flags[0]}: `));
  }
  assert.ok(IMPLEMENTED_OPTIONS.has("recursive") && IMPLEMENTED_OPTIONS.size > 60);
});

function sampleValue(spec: OptionSpec): string {
  if (spec.choices) return spec.choices[0];
  if (spec.type === "int" || spec.type === "percent") return String(spec.min ?? 1);
  if (spec.type === "float") return "1";
  if (spec.metavar === "DURATION") return "1 seconds";
  if (spec.metavar === "DICT_STRING") return "{}";
  if (spec.kind === "SSHConfigFileName") return "/x/bzfs_ssh_config";
  return "x";
}
