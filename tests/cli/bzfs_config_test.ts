import assert from "node:assert/strict";
import { ALL_BZFS_OPTIONS, buildBzfsConfig } from "../../lib/cli/bzfs_config.ts";
import { attributeName } from "../../lib/cli/option_spec.ts";
import { exitCodeOf } from "../../lib/cli/exit_codes.ts";
import { checkImplemented, IMPLEMENTED_OPTIONS } from "../../lib/cli/unimplemented.ts";
import { NotImplementedOptionError, UsageError } from "../../lib/errors.ts";

const sink = { write: { out: () => {}, err: () => {} } };
const build = (argv: string[]) => buildBzfsConfig(argv, sink);

function rejects(argv: string[], pattern: RegExp) {
  assert.throws(() => build(argv), (e: unknown) => {
    assert.ok(e instanceof UsageError, `UsageError expected for ${JSON.stringify(argv)}`);
    assert.match(e.message, pattern);
    return true;
  });
}

Deno.test("pairs are parsed into endpoints with ssh overrides", () => {
  const c = build(["-r", "tank/a", "root@nas:backup/a", "pool/x", "||1:pool/y"]);
  assert.deepEqual(c.pairs[0], {
    src: { dataset: "tank/a" },
    dst: { dataset: "backup/a", host: "nas", user: "root" },
  });
  assert.deepEqual(c.pairs[1].dst, { dataset: "pool/y", host: "::1" });
  const o = build([
    "a@h1:tank/a",
    "b/c",
    "--ssh-src-user=bob",
    "--ssh-dst-host=h2",
    "--ssh-dst-port=2222",
    "--ssh-dst-config-file=/etc/bzfs_ssh_config",
  ]);
  assert.deepEqual(o.pairs[0].src, { dataset: "tank/a", host: "h1", user: "bob" });
  assert.deepEqual(o.pairs[0].dst, {
    dataset: "b/c",
    host: "h2",
    port: 2222,
    configFile: "/etc/bzfs_ssh_config",
  });
});

Deno.test("the config is frozen", () => {
  const c = build(["tank/a", "backup/a"]);
  assert.ok(Object.isFrozen(c));
  assert.ok(Object.isFrozen(c.options));
  assert.ok(Object.isFrozen(c.pairs[0].src));
  assert.throws(() => {
    (c.options as { recursive: boolean }).recursive = true;
  }, TypeError);
});

Deno.test("flags given without their optional value take upstream's constant", () => {
  assert.equal(build(["a/b", "c/d"]).options.dryrun, undefined);
  assert.equal(build(["a/b", "c/d", "--dryrun"]).options.dryrun, "send");
  assert.equal(build(["a/b", "c/d", "-n", "recv"]).options.dryrun, "recv");
  rejects(
    ["a/b", "c/d", "--skip-missing-snapshots"],
    /--skip-missing-snapshots: A value is required/,
  );
});

Deno.test("same or overlapping source and destination are rejected on the same host", () => {
  rejects(["tank/a", "tank/a"], /must not be the same/);
  rejects(["-r", "tank/a", "tank/a/b"], /trees must not overlap/);
  rejects(["-r", "tank/a/b", "tank/a"], /trees must not overlap/);
  assert.equal(build(["tank/a", "tank/a/b"]).pairs.length, 1, "nested is fine without -r");
  assert.equal(build(["-r", "tank/a", "h:tank/a"]).pairs.length, 1, "other host is fine");
  assert.equal(build(["-r", "tank/a", "tank/ab"]).pairs.length, 1, "prefix is not nesting");
});

Deno.test("injection attempts in dataset arguments are rejected before anything runs", () => {
  for (
    const bad of [
      "tank/data; rm -rf /",
      "$(reboot)",
      "tank/`id`",
      "tank/a\nb",
      "tank/../etc",
      "-oProxyCommand=x:tank",
      "h;id:tank/a",
      "us er@h:tank/a",
    ]
  ) {
    rejects([bad, "backup/a"], /SRC_DATASET|Unknown option/);
    rejects(["backup/a", bad], /DST_DATASET|Unknown option/);
  }
});

Deno.test("odd pair counts and tab-separated pair files", () => {
  rejects(["a/b"], /in pairs/);
  const dir = Deno.makeTempDirSync();
  const file = `${dir}/pairs_bzfs_argument_file`;
  Deno.writeTextFileSync(file, "# src\tdst\ntank/a\tbackup/a\nh:tank/b\tbackup/b\n");
  const c = build([`+${file}`, "tank/c", "backup/c"]);
  assert.deepEqual(c.pairs.map((p) => [p.src.dataset, p.dst.dataset]), [
    ["tank/a", "backup/a"],
    ["tank/b", "backup/b"],
    ["tank/c", "backup/c"],
  ]);
  Deno.writeTextFileSync(file, "tank/a backup/a\n");
  rejects([`+${file}`], /Line 0 of the argument file must be SRC<TAB>DST/);
  rejects(["--no-argument-file", `+${file}`], /disabled/);
  Deno.removeSync(dir, { recursive: true });
});

Deno.test("ssh, log and property options are validated", () => {
  rejects(["a/b", "c/d", "--ssh-src-config-file", "/etc/ssh_config"], /bzfs_ssh_config/);
  assert.equal(build(["a/b", "c/d", "--ssh-src-config-file", "none"]).pairs.length, 1);
  rejects(
    ["a/b", "c/d", "--log-dir", "/var/log/bzfs"],
    /--log-dir: Log directory name must contain bzfs-logs/,
  );
  rejects(["a/b", "c/d", "--ssh-src-host", "-oProxyCommand"], /--ssh-src-host/);
  rejects(["a/b", "c/d", "--ssh-dst-user", "a b"], /--ssh-dst-user/);
  rejects(["a/b", "c/d", "--ssh-cipher", "aes;id"], /--ssh-cipher/);
  rejects(["a/b", "c/d", "--bwlimit", "fast"], /--bwlimit/);
  rejects(["a/b", "c/d", "--preserve-properties", "mount point"], /--preserve-properties/);
});

Deno.test("options whose behaviour is not built yet fail with exit-2 errors naming them", () => {
  const only = new Set(["recursive"]);
  for (const argv of [["--r2r", "pull"], ["--compare-snapshot-lists"], ["--daemon-lifetime=1s"]]) {
    const config = build(["a/b", "c/d", ...argv]);
    assert.throws(() => checkImplemented(config.given, only), (e: unknown) => {
      assert.ok(e instanceof NotImplementedOptionError);
      assert.equal(exitCodeOf(e), 2);
      assert.match(e.message, new RegExp(`^${argv[0].split("=")[0]}: .*not implemented yet`));
      return true;
    });
  }
  checkImplemented(build(["-r", "a/b", "c/d"]).given, only);
});

Deno.test("every option of the table is built: the default gate lets all of them through", () => {
  const all = new Set(
    ALL_BZFS_OPTIONS.filter((spec) => spec.flags[0].startsWith("-") && spec.kind !== "Version")
      .map((spec) => attributeName(spec.flags[0])),
  );
  assert.ok(all.size >= 137, `${all.size} options`);
  checkImplemented(all);
  assert.deepEqual([...all].filter((a) => !IMPLEMENTED_OPTIONS.has(a)), []);
});

Deno.test("snapshot filters and plans are validated up front and plans expand after the rest", () => {
  const c = build([
    "a/b",
    "c/d",
    "--include-snapshot-plan={'prod': {'onsite': {'daily': 7}}}",
    "--include-snapshot-regex=x.*",
  ]);
  assert.deepEqual(c.snapshotFilterArgs.map((e) => e.attr), [
    "includeSnapshotRegex",
    "newSnapshotFilterGroup",
    "includeSnapshotRegex",
    "includeSnapshotTimesAndRanks",
  ]);
  assert.deepEqual(c.snapshotFilterArgs[3].values, ["7daysago..anytime", "latest7"]);
  rejects(["a/b", "c/d", "--include-snapshot-regex=(unclosed"], /--include-snapshot-regex/);
  rejects(["a/b", "c/d", "--include-snapshot-times-and-ranks", "yesterday"], /times-and-ranks/);
  rejects(["a/b", "c/d", "--include-snapshot-plan={'prod': 5}"], /--include-snapshot-plan/);
  rejects(["a/b", "c/d", "--exclude-dataset-regex=a$b"], /--exclude-dataset-regex/);
});

Deno.test("--delete-dst-snapshots-except-plan expands like a plan and implies -except", () => {
  const c = build([
    "dummy",
    "c/d",
    "--delete-dst-snapshots",
    "--delete-dst-snapshots-except-plan={'prod': {'': {'hourly': 36, 'adhoc': 2}}}",
    "--exclude-snapshot-regex=x.*",
  ]);
  assert.equal(c.options.deleteDstSnapshotsExcept, true);
  assert.deepEqual(c.snapshotFilterArgs, [
    { attr: "excludeSnapshotRegex", values: ["x.*"] },
    { attr: "newSnapshotFilterGroup", values: [] },
    { attr: "includeSnapshotRegex", values: ["prod_[1-9][0-9][0-9][0-9].*_hourly"] },
    { attr: "includeSnapshotTimesAndRanks", values: ["36hoursago..anytime", "latest36"] },
    { attr: "newSnapshotFilterGroup", values: [] },
    { attr: "includeSnapshotRegex", values: ["prod_[1-9][0-9][0-9][0-9].*_adhoc"] },
    { attr: "includeSnapshotTimesAndRanks", values: ["notime", "latest2"] },
  ]);
  assert.equal(build(["a/b", "c/d"]).options.deleteDstSnapshotsExcept, false);
  rejects(["a/b", "c/d", "--delete-dst-snapshots-except-plan={}"], /Cowardly refusing/);
  rejects(["a/b", "c/d", "--delete-dst-snapshots-except-plan={'p': {'': {'daily': -1}}}"], /-plan/);
});

Deno.test("helper program options that read or write files are refused at parse time", () => {
  rejects(
    ["a/b", "c/d", "--pv-program-opts=--rate -o /tmp/x"],
    /--pv-program-opts: .*disallowed.*"-o"/,
  );
  rejects(["a/b", "c/d", "--pv-program-opts=--pidfile=/tmp/p"], /--pv-program-opts/);
  rejects(
    ["a/b", "c/d", "--compression-program-opts=-1 --output-file=/x"],
    /--compression-program-opts/,
  );
  rejects(["a/b", "c/d", "--mbuffer-program-opts=-q -O host:9"], /--mbuffer-program-opts: .*"-O"/);
  rejects(["a/b", "c/d", "--mbuffer-program-opts=-ifile"], /--mbuffer-program-opts/);
  assert.equal(build(["a/b", "c/d", "--mbuffer-program-opts=-q -m 256M"]).pairs.length, 1);
});

Deno.test("monitor and creation plans, time formats and zones are checked before any work", () => {
  rejects([
    "a/b",
    "c/d",
    "--monitor-snapshots={'prod': {'': {'daily': {'latest': {'warning': 'soon'}}}}}",
  ], /--monitor-snapshots/);
  rejects(["a/b", "c/d", "--create-src-snapshots"], /requires --create-src-snapshots-plan/);
  rejects([
    "a/b",
    "c/d",
    "--create-src-snapshots",
    "--create-src-snapshots-plan={'p': {'t': {'daily': 'x'}}}",
  ], /--create-src-snapshots-plan/);
  rejects([
    "a/b",
    "c/d",
    "--create-src-snapshots",
    "--create-src-snapshots-plan={'p': {'t': {'daily': 1}}}",
    "--create-src-snapshots-timezone=Mars/Olympus",
  ], /--create-src-snapshots-timezone/);
  rejects([
    "a/b",
    "c/d",
    "--create-src-snapshots",
    "--create-src-snapshots-plan={'p': {'t': {'daily': 1}}}",
    "--create-src-snapshots-timeformat=%Q",
  ], /--create-src-snapshots-timeformat/);
  const ok = build([
    "a/b",
    "c/d",
    "--create-src-snapshots",
    "--create-src-snapshots-plan={'p': {'t': {'daily': 1}}}",
    "--monitor-snapshots={'p': {'t': {'daily': {'latest': {'warning': '4 hours'}}}}}",
  ]);
  assert.equal(ok.options.createSrcSnapshots, true);
});
