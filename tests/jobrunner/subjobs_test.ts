import assert from "node:assert/strict";
import { FleetError } from "../../lib/jobrunner/fleet_error.ts";
import { sanitize } from "../../lib/jobrunner/subjobs.ts";
import { DST_PLAN, plan, SRC_PLAN, workedExampleArgv } from "./_fixtures.ts";

const HEAD = ["bzfs", "--no-argument-file", "--recursive", "--log-dir=/tmp/x"];
const P = "000000src-host/create-src-snapshots";
const PB = `${P}/~/prune-src-snapshots/prune-src-bookmarks`;
const LATEST_ON = "'latest': {'warning': '30 minutes', 'critical': '300 minutes'}";
const LATEST_OFF = "'latest': {'warning': '4 hours', 'critical': '8 hours'}";

function log(tag: string, n: number, dst = ""): string[] {
  return [
    `--log-file-prefix=bzfs_jobrunner,${tag},`,
    "--log-file-infix=,myjob",
    `--log-file-suffix=,run1,${String(n).padStart(6, "0")},mgmt,src1,${dst},`,
  ];
}

/** The table of section 4 of the reference, argv by argv. */
const WORKED_EXAMPLE: [string, string[]][] = [
  [P, [
    ...HEAD,
    "--create-src-snapshots",
    `--create-src-snapshots-plan=${SRC_PLAN}`,
    "--skip-replication",
    ...log("create-src-snapshots", 0),
    "--",
    "src1:tank/data",
    "dummy",
  ]],
  [`${P}/000000replicate`, [
    ...HEAD,
    "--include-snapshot-plan={'prod': {'onsite': {'hourly': 72, 'daily': 62}}}",
    ...log("replicate", 1, "dstA"),
    "--daemon-frequency=minutely",
    "--",
    "src1:tank/data",
    "dstA:bak/src1/data",
  ]],
  [`${P}/000001replicate`, [
    ...HEAD,
    "--include-snapshot-plan={'prod': {'offsite': {'daily': 62}}}",
    ...log("replicate", 2, "dstB"),
    "--daemon-frequency=minutely",
    "--",
    "src1:tank/data",
    "dstB:arch/data",
  ]],
  [`${P}/~/prune-src-snapshots`, [
    ...HEAD,
    "--delete-dst-snapshots",
    "--skip-replication",
    `--delete-dst-snapshots-except-plan=${SRC_PLAN}`,
    ...log("prune-src-snapshots", 3),
    "--daemon-frequency=minutely",
    "--",
    "dummy",
    "src1:tank/data",
  ]],
  [PB, [
    ...HEAD,
    "--delete-dst-snapshots=bookmarks",
    "--skip-replication",
    `--delete-dst-snapshots-except-plan=${SRC_PLAN}`,
    ...log("prune-src-bookmarks", 4),
    "--daemon-frequency=minutely",
    "--",
    "dummy",
    "src1:tank/data",
  ]],
  [`${PB}/000000prune-dst-snapshots`, [
    ...HEAD,
    "--delete-dst-snapshots",
    "--skip-replication",
    "--delete-dst-snapshots-except-plan={'prod': {'onsite': {'hourly': 72, 'daily': 62}}}",
    ...log("prune-dst-snapshots", 5, "dstA"),
    "--daemon-frequency=minutely",
    "--",
    "dummy",
    "dstA:bak/src1/data",
  ]],
  [`${PB}/000001prune-dst-snapshots`, [
    ...HEAD,
    "--delete-dst-snapshots",
    "--skip-replication",
    "--delete-dst-snapshots-except-plan={'prod': {'offsite': {'daily': 62, 'weekly': 0}}}",
    ...log("prune-dst-snapshots", 6, "dstB"),
    "--daemon-frequency=minutely",
    "--",
    "dummy",
    "dstB:arch/data",
  ]],
  [`${PB}/~/monitor-src-snapshots`, [
    ...HEAD,
    "--monitor-snapshots={'prod': {'onsite': {'hourly': {" + LATEST_ON +
    ", 'oldest': {'warning': '30 minutes', 'critical': '300 minutes', 'cycles': 36}}}, " +
    "'offsite': {'daily': {" + LATEST_OFF +
    ", 'oldest': {'warning': '4 hours', 'critical': '8 hours', 'cycles': 31}}}}}",
    "--skip-replication",
    ...log("monitor-src-snapshots", 7),
    "--daemon-frequency=minutely",
    "--",
    "dummy",
    "src1:tank/data",
  ]],
  [`${PB}/~/monitor-src-snapshots/000000monitor-dst-snapshots`, [
    ...HEAD,
    "--monitor-snapshots={'prod': {'onsite': {'hourly': {" + LATEST_ON +
    ", 'oldest': {'warning': '30 minutes', 'critical': '300 minutes', 'cycles': 72}}}}}",
    "--skip-replication",
    ...log("monitor-dst-snapshots", 8, "dstA"),
    "--daemon-frequency=minutely",
    "--",
    "dummy",
    "dstA:bak/src1/data",
  ]],
  [`${PB}/~/monitor-src-snapshots/000001monitor-dst-snapshots`, [
    ...HEAD,
    "--monitor-snapshots={'prod': {'offsite': {'daily': {" + LATEST_OFF +
    ", 'oldest': {'warning': '4 hours', 'critical': '8 hours', 'cycles': 40}}}}}",
    "--skip-replication",
    ...log("monitor-dst-snapshots", 9, "dstB"),
    "--daemon-frequency=minutely",
    "--",
    "dummy",
    "dstB:arch/data",
  ]],
];

Deno.test("worked example (reference section 4): 10 sub-jobs, argv by argv", async () => {
  const { jobs } = await plan(workedExampleArgv());
  assert.equal(jobs.length, 10);
  for (let i = 0; i < WORKED_EXAMPLE.length; i++) {
    const [name, argv] = WORKED_EXAMPLE[i];
    assert.equal(jobs[i].name, name, `name of job ${i}`);
    assert.deepEqual(jobs[i].argv, argv, `argv of job ${i} (${name})`);
  }
  assert.deepEqual(
    jobs.map((j) => j.name),
    [...jobs.map((j) => j.name)].sort(),
    "creation order is name order here",
  );
});

Deno.test("worked example run on dstA: pull mode, only jobs 1 and 5, nested without ~", async () => {
  const { jobs } = await plan(
    workedExampleArgv(["--dst-host=dstA"], ["--replicate", "--prune-dst-snapshots"]),
    { host: "dstA", pools: ["bak"] },
  );
  assert.deepEqual(jobs.map((j) => j.name), [
    "000000src-host/000000replicate",
    "000000src-host/000000replicate/000000prune-dst-snapshots",
  ]);
  assert.deepEqual(jobs[0].argv.slice(-3), ["--", "src1:tank/data", "-:bak/src1/data"]);
  assert.deepEqual(jobs[1].argv.slice(-3), ["--", "dummy", "-:bak/src1/data"]);
  assert.ok(jobs[1].argv.includes("--log-file-suffix=,run1,000001,dstA,src1,dstA,"));
});

Deno.test("one destination: names nest create -> replicate -> prune-src", async () => {
  const { jobs } = await plan(
    workedExampleArgv(["--dst-host=dstB"], [
      "--create-src-snapshots",
      "--replicate",
      "--prune-src-snapshots",
    ]),
  );
  assert.deepEqual(jobs.map((j) => j.name), [
    "000000src-host/create-src-snapshots",
    "000000src-host/create-src-snapshots/000000replicate",
    "000000src-host/create-src-snapshots/000000replicate/prune-src-snapshots",
  ]);
});

Deno.test("a second source needs ^SRC_HOST in every non-empty root", async () => {
  const argv = workedExampleArgv().map((a) =>
    a === "--src-hosts=['src1']" ? "--src-hosts=['src1', 'src2']" : a
  );
  await assert.rejects(plan(argv), (e: unknown) => {
    assert.ok(e instanceof FleetError);
    assert.match(e.message, /Cowardly refusing.*dstB/);
    return true;
  });
  const fixed = argv.map((a) => a.replace("'dstB': 'arch'", "'dstB': 'arch/^SRC_HOST'"));
  const { jobs } = await plan(fixed);
  assert.equal(jobs.length, 20);
  const second = jobs.filter((j) => j.name.startsWith("000001src-host/"));
  assert.equal(second.length, 10, "an independent tree for src2");
  assert.ok(second.some((j) => j.argv.at(-1) === "dstB:arch/src2/data"));
  assert.ok(second[0].argv.includes("--log-file-suffix=,run1,000010,mgmt,src2,,"));
});

Deno.test("rule 4 counts sources after --src-host; rule 5 skips empty roots", async () => {
  const twoSources = (extra: string[]) =>
    workedExampleArgv(extra, ["--replicate"]).map((a) =>
      a === "--src-hosts=['src1']" ? "--src-hosts=['src1', 'src2']" : a
    ).map((a) => a.replace("'dstB': 'arch'", "'dstB': ''")).map((a) =>
      a.replace("bak/^SRC_HOST", "bak/^SRC_HOST/^DST_HOST")
    );
  await assert.rejects(
    plan(twoSources([])),
    /Cowardly refusing to proceed as multiple source hosts must not.*"dstB":""/,
  );
  const { jobs } = await plan(twoSources(["--src-host=src2"]));
  assert.deepEqual(jobs.map((j) => j.argv.at(-1)), ["dstA:bak/src2/dstA/data", "dstB:data"]);
  assert.equal(jobs[0].name, "000000src-host/000000replicate", "index counts selected hosts");
});

Deno.test("host filters must name configured hosts; keys must cover each other", async () => {
  await assert.rejects(
    plan(workedExampleArgv(["--src-host=nope"])),
    /--src-host must be a subset of --src-hosts/,
  );
  await assert.rejects(plan(workedExampleArgv(["--dst-host=nope"])), /--dst-host must be a subset/);
  const noRetain = workedExampleArgv().map((a) =>
    a.startsWith("--retain-dst-targets=") ? "--retain-dst-targets={'dstA': ['onsite']}" : a
  );
  await assert.rejects(
    plan(noRetain),
    /--dst-hosts.keys must be a subset of --retain-dst-targets.keys/,
  );
  const noRoot = workedExampleArgv().map((a) =>
    a.startsWith("--dst-root-datasets=") ? "--dst-root-datasets={'dstA': 'bak'}" : a
  );
  await assert.rejects(
    plan(noRoot),
    /--dst-hosts.keys must be a subset of --dst-root-dataset.keys/,
  );
  const emptyRetain = workedExampleArgv([], ["--prune-dst-snapshots"]).map((a) =>
    a.startsWith("--retain-dst-targets=") ? "--retain-dst-targets={}" : a
  ).map((a) => a.startsWith("--dst-hosts=") ? "--dst-hosts={}" : a).map((a) =>
    a.startsWith("--dst-root-datasets=") ? "--dst-root-datasets={}" : a
  );
  await assert.rejects(plan(emptyRetain), /--retain-dst-targets must not be empty/);
});

Deno.test("fleet values are type-checked like upstream", async () => {
  const bad = (opt: string, value: string) =>
    workedExampleArgv().map((a) => a.startsWith(`${opt}=`) ? `${opt}=${value}` : a);
  await assert.rejects(
    plan(bad("--src-hosts", "'src1'")),
    /--src-hosts must be of type list but got str/,
  );
  await assert.rejects(
    plan(bad("--dst-hosts", "{'dstA': 'onsite'}")),
    /targets must be of type list/,
  );
  await assert.rejects(
    plan(bad("--src-snapshot-plan", "{'prod': {'onsite': {'hourly': -1}}}")),
    /non-negative/,
  );
  await assert.rejects(
    plan(bad("--src-snapshot-plan", "{'prod': {'onsite': {'': 1}}}")),
    /must not be empty/,
  );
  await assert.rejects(
    plan(bad("--monitor-snapshot-plan", "{'prod': {'onsite': {'hourly': {'warning': 1.5}}}}")),
    /must be of type str or int but got float/,
  );
  await assert.rejects(plan(bad("--src-hosts", "['bad host']")), FleetError);
  await assert.rejects(
    plan(bad("--dst-root-datasets", "{'dstA': 'bak@x', 'dstB': 'arch'}")),
    /Invalid ZFS dataset name/,
  );
});

Deno.test("replicate: empty include plan means no sub-job; a suspended destination is still pruned", async () => {
  const argv = workedExampleArgv([], ["--replicate", "--prune-dst-snapshots"]).map((a) =>
    a.startsWith("--dst-hosts=") ? "--dst-hosts={'dstA': ['onsite'], 'dstB': []}" : a
  );
  const { jobs } = await plan(argv);
  assert.deepEqual(jobs.map((j) => j.name), [
    "000000src-host/000000replicate",
    "000000src-host/000000replicate/000000prune-dst-snapshots",
    "000000src-host/000000replicate/000001prune-dst-snapshots",
  ]);
});

Deno.test("local destination pools that are not attached are skipped with a warning", async () => {
  const warnings: string[] = [];
  const argv = workedExampleArgv([], ["--replicate", "--monitor-dst-snapshots"]);
  const { jobs } = await plan(argv, { host: "dstA", pools: [], warn: (m) => warnings.push(m) });
  assert.deepEqual(jobs.map((j) => j.argv.at(-1)), ["dstB:arch/data", "dstB:arch/data"]);
  assert.deepEqual(jobs.map((j) => j.name), [
    "000000src-host/000000replicate",
    "000000src-host/000000replicate/000000monitor-dst-snapshots",
  ]);
  assert.deepEqual(warnings, [
    "Skipping dst dataset for which local dst pool does not exist: -:bak/src1/data",
    "Skipping dst dataset for which local dst pool does not exist: -:bak/src1/data",
  ]);
});

Deno.test("ssh settings: src ones become --ssh-dst-* on source-only prune/monitor jobs", async () => {
  const argv = workedExampleArgv([
    "--ssh-src-user=alice",
    "--ssh-dst-user=bob",
    "--ssh-src-port=2222",
    "--ssh-dst-port=2223",
    "--ssh-src-config-file=/etc/bzfs_ssh_config_src",
    "--ssh-dst-config-file=/etc/bzfs_ssh_config_dst",
    "--dst-host=dstA",
  ]);
  const { jobs } = await plan(argv);
  const ssh = (i: number) => jobs[i].argv.filter((a) => a.startsWith("--ssh-"));
  const byAction = new Map(jobs.map((j, i) => [j.action, ssh(i)]));
  assert.deepEqual(byAction.get("create-src-snapshots"), [
    "--ssh-src-user=alice",
    "--ssh-src-port=2222",
    "--ssh-src-config-file=/etc/bzfs_ssh_config_src",
  ]);
  assert.deepEqual(byAction.get("replicate"), [
    "--ssh-src-user=alice",
    "--ssh-dst-user=bob",
    "--ssh-src-port=2222",
    "--ssh-dst-port=2223",
    "--ssh-src-config-file=/etc/bzfs_ssh_config_src",
    "--ssh-dst-config-file=/etc/bzfs_ssh_config_dst",
  ]);
  for (
    const a of ["prune-src-snapshots", "prune-src-bookmarks", "monitor-src-snapshots"] as const
  ) {
    assert.deepEqual(byAction.get(a), [
      "--ssh-dst-user=alice",
      "--ssh-dst-port=2222",
      "--ssh-dst-config-file=/etc/bzfs_ssh_config_src",
    ], a);
  }
  for (const a of ["prune-dst-snapshots", "monitor-dst-snapshots"] as const) {
    assert.deepEqual(byAction.get(a), [
      "--ssh-dst-user=bob",
      "--ssh-dst-port=2223",
      "--ssh-dst-config-file=/etc/bzfs_ssh_config_dst",
    ], a);
  }
  assert.ok(jobs.every((j) => !j.argv.some((a) => a.includes("alice@") || a.includes("bob@"))));
});

Deno.test("localhost: same user gives '-', another user the loopback address, IPv6 uses '|'", async () => {
  const base = workedExampleArgv(["--dst-host=dstA"], ["--replicate"]);
  const pull = await plan(base, { host: "dstA", pools: ["bak"] });
  assert.deepEqual(pull.jobs[0].argv.slice(-2), ["src1:tank/data", "-:bak/src1/data"]);
  const push = await plan(base, { host: "src1" });
  assert.deepEqual(push.jobs[0].argv.slice(-2), ["-:tank/data", "dstA:bak/src1/data"]);
  const other = await plan([...base.slice(0, 3), "--ssh-src-user=backup", ...base.slice(3)], {
    host: "src1",
  });
  assert.deepEqual(other.jobs[0].argv.slice(-2), ["127.0.0.1:tank/data", "dstA:bak/src1/data"]);
  const v6 = base.map((a) => a === "--src-hosts=['src1']" ? "--src-hosts=['fe80::1']" : a);
  const r6 = await plan(v6);
  assert.equal(r6.jobs[0].argv.at(-2), "fe80||1:tank/data");
  assert.ok(r6.jobs[0].argv.includes("--log-file-suffix=,run1,000000,mgmt,fe80::1,dstA,"));
});

Deno.test("create/prune-src/monitor-src operands are de-duplicated; replicate ones are not", async () => {
  const argv = workedExampleArgv(["--dst-host=dstB"], [
    "--create-src-snapshots",
    "--replicate",
    "--prune-src-snapshots",
  ]);
  argv.push("tank/data", "data2");
  const { jobs } = await plan(argv);
  assert.deepEqual(jobs[0].argv.slice(-3), ["--", "src1:tank/data", "dummy"]);
  assert.deepEqual(jobs[1].argv.slice(-5), [
    "--",
    "src1:tank/data",
    "dstB:arch/data",
    "src1:tank/data",
    "dstB:arch/data2",
  ]);
  assert.deepEqual(jobs[2].argv.slice(-3), ["--", "dummy", "src1:tank/data"]);
});

Deno.test("daemon frequencies, sanitized ids, generated --job-run", async () => {
  const argv = workedExampleArgv([
    "--daemon-replication-frequency=10secondly",
    "--daemon-prune-src-frequency=hourly",
    "--daemon-prune-dst-frequency=daily",
    "--daemon-monitor-snapshots-frequency=5minutely",
    "--dst-host=dstA",
  ]).map((a) => a === "--job-id=myjob" ? "--job-id=my job/a,b" : a).filter((a) =>
    a !== "--job-run=run1"
  );
  const { jobs } = await plan(argv);
  const freq = new Map(
    jobs.map((j) => [j.action, j.argv.find((a) => a.startsWith("--daemon-frequency="))]),
  );
  assert.equal(freq.get("create-src-snapshots"), undefined);
  assert.equal(freq.get("replicate"), "--daemon-frequency=10secondly");
  assert.equal(freq.get("prune-src-bookmarks"), "--daemon-frequency=hourly");
  assert.equal(freq.get("prune-dst-snapshots"), "--daemon-frequency=daily");
  assert.equal(freq.get("monitor-dst-snapshots"), "--daemon-frequency=5minutely");
  assert.ok(jobs[0].argv.includes("--log-file-infix=,my!job!a!b"));
  assert.ok(jobs[0].argv.includes("--log-file-suffix=,generated,000000,mgmt,src1,,"));
  assert.equal(sanitize("a..b\\c"), "a!b!c");
});

Deno.test("--jitter shuffles source hosts and destination order (not the structure)", async () => {
  const argv = workedExampleArgv(["--jitter"], ["--replicate"]).map((a) =>
    a === "--src-hosts=['src1']" ? "--src-hosts=['src1', 'src2', 'src3']" : a
  ).map((a) => a.replace("'dstB': 'arch'", "'dstB': 'arch/^SRC_HOST'"));
  const reversed = () => 0; // Fisher-Yates with 0 rotates: deterministic but not identity
  const { jobs } = await plan(argv, { random: reversed });
  const order = jobs.filter((j) => j.name.endsWith("000000replicate")).map((j) => j.srcHost);
  assert.notDeepEqual(order, ["src1", "src2", "src3"]);
  assert.deepEqual([...order].sort(), ["src1", "src2", "src3"]);
  assert.equal(jobs.length, 6);
  assert.equal(jobs[0].dstHost, "dstB", "destination order shuffled too");
});

Deno.test("zero actions: zero sub-jobs", async () => {
  const { jobs } = await plan(workedExampleArgv([], []));
  assert.equal(jobs.length, 0);
  assert.match(DST_PLAN, /weekly/);
});
