/**
 * Job configs end to end against real OpenZFS: the examples in `examples/` with the lab's
 * hosts and pools, each run as its own `deno run` process with the narrow permission flags
 * the README shows, plus the proof that a missing permission fails with a clear message.
 *
 * @module
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import type { JobConfig } from "../../mod.ts";
import { type Lab, labFile } from "../lab/helpers.ts";
import { run, type RunResult } from "../lab/run.ts";

const lab = labFile();
const REPO = new URL("../../", import.meta.url);

/**
 * The narrow permission flags of the README. Read and write are unscoped only because bzfs's
 * log directory keeps `current` symlinks, and Deno grants `symlink` only with unscoped
 * read and write; everything else is by name.
 */
const NARROW_FLAGS = [
  "--allow-run=zfs,zpool,ssh,sh,hostname",
  "--allow-env",
  "--allow-read",
  "--allow-write",
  "--allow-sys=hostname,uid",
];

interface ExampleRun {
  result: RunResult;
  logDir: string;
}

/**
 * Writes a job config script that takes an example's fleet, overrides hosts/pools for the
 * lab, and runs it with `runJobConfig`; then runs that script with `flags` and `args`.
 */
async function runExample(
  l: Lab,
  example: string,
  overrides: Partial<JobConfig>,
  args: string[],
  flags: readonly string[] = NARROW_FLAGS,
): Promise<ExampleRun> {
  const dir = await Deno.makeTempDir({ prefix: "jr-e2e-" });
  const logDir = join(dir, "bzfs-logs");
  await Deno.mkdir(logDir);
  const script = join(dir, `${example}_lab.ts`);
  const exampleUrl = new URL(`examples/${example}.ts`, REPO).href;
  const modUrl = new URL("mod.ts", REPO).href;
  await Deno.writeTextFile(
    script,
    [
      `import { config } from ${JSON.stringify(exampleUrl)};`,
      `import { runJobConfig } from ${JSON.stringify(modUrl)};`,
      `const overrides = ${JSON.stringify({ logDir, ...overrides })};`,
      "Deno.exit(await runJobConfig({ ...config, ...overrides }));",
      "",
    ].join("\n"),
  );
  const argv = [
    Deno.execPath(),
    "run",
    "--no-prompt",
    `--config=${new URL("deno.json", REPO).pathname}`,
    "--frozen",
    ...flags,
    pathToFileURL(script).href,
    ...args,
  ];
  const result = await run(argv, { env: l.localEnv(), noThrow: true });
  return { result, logDir };
}

function ok(r: ExampleRun, what: string): void {
  assert.equal(r.result.code, 0, `${what} failed:\n${r.result.stderr}\n${r.result.stdout}`);
}

async function snapNames(l: Lab, ds: string): Promise<string[]> {
  return (await l.snapshots(ds, { types: "snapshot" })).map((s) => s.name.split("@")[1]);
}

async function logFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for await (const day of Deno.readDir(dir)) {
    if (!day.isDirectory || day.name.startsWith(".") || day.name === "current") continue;
    for await (const f of Deno.readDir(join(dir, day.name))) {
      if (f.name.endsWith(".log")) out.push(f.name);
    }
  }
  return out.sort();
}

const TS = ["2026-11-01_02:00:00", "2026-11-02_02:00:00", "2026-11-03_02:00:00"];

lab.test("[smoke] usb_backup example: local replication of two datasets, plan-filtered, own log per sub-job", async (l) => {
  const media = `${l.src}/jr_usb/media`;
  const docs = `${l.src}/jr_usb/documents`;
  for (const ds of [media, docs]) {
    await l.createDataset(ds);
    for (const ts of TS) await l.zfs("snapshot", `${ds}@bzfs_${ts}_daily`);
    await l.zfs("snapshot", `${ds}@bzfs_${TS[2]}_hourly`); // not in the destination plan
    await l.zfs("snapshot", `${ds}@manual`); // not a plan snapshot at all
  }
  const r = await runExample(l, "usb_backup", {
    rootDatasetPairs: [
      [media, `${l.dst}/jr_usb/media`],
      [docs, `${l.dst}/jr_usb/documents`],
      [docs, "usbmissing/backups/documents"],
    ],
  }, ["--replicate", "--jobrunner-log-level=DEBUG"]);
  ok(r, "usb backup");
  const dailies = TS.map((ts) => `bzfs_${ts}_daily`);
  assert.deepEqual(await snapNames(l, `${l.dst}/jr_usb/media`), dailies);
  assert.deepEqual(await snapNames(l, `${l.dst}/jr_usb/documents`), dailies);
  assert.match(
    r.result.stderr,
    /Skipping dst dataset for which local dst pool does not exist: -:usbmissing\/backups\/documents/,
  );
  const logs = await logFiles(r.logDir);
  assert.equal(logs.length, 1, `one replicate sub-job, one log: ${logs}`);
  assert.match(logs[0], /^bzfs_jobrunner,replicate,.*,usb-backup,.*,000000,nas,nas,nas,-/);
  const again = await runExample(l, "usb_backup", {
    rootDatasetPairs: [[media, `${l.dst}/jr_usb/media`]],
  }, ["--replicate"]);
  ok(again, "incremental no-op");
  assert.match(again.result.stderr, /Succeeded\. Bye!/);
});
