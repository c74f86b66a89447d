import assert from "node:assert/strict";
import { BZFS_OPTIONS } from "../../lib/cli/bzfs_options.ts";
import { JOBRUNNER_OPTIONS } from "../../lib/cli/jobrunner_options.ts";
import { HelpShown, parseArgs } from "../../lib/cli/parse_args.ts";
import { UsageError } from "../../lib/errors.ts";

const sink = { out: (_s: string) => {}, err: (_s: string) => {} };
const parse = (argv: string[]) =>
  parseArgs(argv, BZFS_OPTIONS, { name: "bzfs", description: "d", write: sink });

function usageError(argv: string[], pattern: RegExp) {
  assert.throws(() => parse(argv), (e: unknown) => {
    assert.ok(e instanceof UsageError, `expected UsageError for ${argv.join(" ")}`);
    assert.match(e.message, pattern);
    return true;
  });
}

Deno.test("defaults of every option are present when nothing is given", () => {
  const p = parse(["a", "b"]);
  assert.equal(p.values.recursive, false);
  assert.equal(p.values.zfsSendProgramOpts, "--raw --compressed");
  assert.deepEqual(p.values.threads, { value: 100, percent: true });
  assert.equal(p.values.retries, 2);
  assert.equal(p.values.verbose, 0);
  assert.equal(p.values.yearly_year, 2025);
  assert.equal(p.values.skipMissingSnapshots, "dataset");
  assert.deepEqual(p.values.includeDataset, []);
  assert.equal(p.given.size, 0);
  assert.deepEqual(p.positionals, ["a", "b"]);
});

Deno.test("snapshot filter occurrences keep command-line order and stay apart", () => {
  const p = parse([
    "src",
    "dst",
    "--include-snapshot-times-and-ranks",
    "notime",
    "latest 3",
    "--include-snapshot-regex",
    "a.*",
    "b",
    "--new-snapshot-filter-group",
    "--include-snapshot-times-and-ranks",
    "1 day ago..anytime",
  ]);
  assert.deepEqual(p.events.map((e) => [e.attr, e.values]), [
    ["includeSnapshotTimesAndRanks", ["notime", "latest 3"]],
    ["includeSnapshotRegex", ["a.*", "b"]],
    ["newSnapshotFilterGroup", []],
    ["includeSnapshotTimesAndRanks", ["1 day ago..anytime"]],
  ]);
  assert.deepEqual(p.positionals, ["src", "dst"]);
});

Deno.test("--opt=value takes one value, so positionals may follow", () => {
  const p = parse(["--exclude-dataset=skip", "--include-snapshot-regex=a", "src", "dst"]);
  assert.deepEqual(p.values.excludeDataset, ["skip"]);
  assert.deepEqual(p.events.map((e) => [e.attr, e.values]), [
    ["excludeDataset", ["skip"]],
    ["includeSnapshotRegex", ["a"]],
  ]);
  assert.deepEqual(p.positionals, ["src", "dst"]);
});

Deno.test("a later --preserve-properties replaces the list; file-or-literal options extend", () => {
  const p = parse([
    "a",
    "b",
    "--preserve-properties=x",
    "--preserve-properties",
    "y",
    "z",
    "--include-dataset=d1",
    "--include-dataset=d2",
  ]);
  assert.deepEqual(p.values.preserveProperties, ["y", "z"]);
  assert.deepEqual(p.values.includeDataset, ["d1", "d2"]);
});

Deno.test("an option taking zero or more values, given with none, is an empty list", () => {
  const p = parse(["a", "b", "--zfs-recv-o-include-regex", "--zfs-set-include-regex"]);
  assert.deepEqual(p.values.zfsRecvOIncludeRegex, []);
  assert.deepEqual(p.values.zfsSetIncludeRegex, []);
  assert.equal(parse(["a", "b"]).values.zfsRecvOIncludeRegex, undefined);
  assert.deepEqual(
    parse(["a", "b", "--zfs-recv-o-include-regex", "x", "y"]).values.zfsRecvOIncludeRegex,
    [
      "x",
      "y",
    ],
  );
});

Deno.test("short, combined and aliased flags", () => {
  const p = parse(["-rvv", "-q", "-p", "--f1", "-n", "recv", "a", "b"]);
  assert.equal(p.values.recursive, true);
  assert.equal(p.values.verbose, 2);
  assert.equal(p.values.quiet, true);
  assert.equal(p.values.noPrivilegeElevation, true);
  assert.equal(p.values.forceOnce, true);
  assert.equal(parse(["--no-stream", "--no-use-bookmark", "a", "b"]).values.noStream, true);
  assert.equal(parse(["a", "b"]).values.noStream, false);
  assert.equal(p.values.dryrun, "recv");
});

Deno.test("numbers, percentages and ranges", () => {
  assert.deepEqual(parse(["--threads", "4", "a", "b"]).values.threads, {
    value: 4,
    percent: false,
  });
  assert.equal(parse(["--retry-min-sleep-secs=0.5", "a", "b"]).values.retryMinSleepSecs, 0.5);
  assert.equal(parse(["--ssh-src-port", "2222", "a", "b"]).values.sshSrcPort, 2222);
  usageError(
    ["--threads", "0", "a", "b"],
    /--threads: Value out of range: "0". Valid range: \[1, 1600\]/,
  );
  usageError(["--threads", "2000%", "a", "b"], /--threads/);
  usageError(["--threads", "abc", "a", "b"], /--threads: Invalid number or percentage/);
  usageError(["--retries", "-1", "a", "b"], /--retries/);
  usageError(["--retries", "1.5", "a", "b"], /--retries: Invalid integer/);
  usageError(["--ssh-dst-port", "70000", "a", "b"], /--ssh-dst-port: Value out of range/);
  usageError(["--ssh-dst-port", "0", "a", "b"], /--ssh-dst-port/);
  usageError(["--daily_hour", "24", "a", "b"], /--daily_hour: Value out of range.*\[0, 23\]/);
  usageError(["--retry-max-sleep-secs", "x", "a", "b"], /--retry-max-sleep-secs: Invalid number/);
});

Deno.test("choices, unknown options and suggestions", () => {
  usageError(["--recursiv", "a", "b"], /Unknown option '--recursiv'. Did you mean --recursive\?/);
  usageError(["--recurs", "a", "b"], /Unknown option '--recurs'/);
  usageError(["--r2r", "sideways", "a", "b"], /Allowed choices are off, pull, push/);
  usageError(["--dryrun", "tank/a", "b"], /Allowed choices are recv, send/);
  usageError(["--skip-on-error", "maybe", "a", "b"], /fail, tree, dataset/);
  usageError([], /Missing required argument/);
});

Deno.test("string kinds are checked", () => {
  usageError(["--bwlimit", "  ", "a", "b"], /--bwlimit: Value must not be empty/);
  usageError(["--log-file-prefix", "../x", "a", "b"], /--log-file-prefix: Invalid file name part/);
  usageError(["--log-file-suffix", "a/b", "a", "b"], /--log-file-suffix/);
  usageError(["--log-file-infix", "a\tb", "a", "b"], /--log-file-infix/);
  usageError(["--log-dir", " ", "a", "b"], /--log-dir: Invalid directory name/);
  usageError(["--ssh-src-config-file", "a;b", "a", "b"], /--ssh-src-config-file/);
  usageError(["a", "b", "--include-snapshot-times-and-ranks", "-r"], /Expected at least one value/);
  usageError(["--include-dataset", "x", "a", "b"], /Missing required argument/);
  assert.equal(parse(["--log-file-prefix", "", "a", "b"]).values.logFilePrefix, "");
});

Deno.test("+FILE values are read, filtered and can be disabled", () => {
  const dir = Deno.makeTempDirSync();
  const file = `${dir}/x_bzfs_argument_file`;
  Deno.writeTextFileSync(file, "# comment\nfoo\n\n  \nbar/baz\n");
  assert.deepEqual(parse(["a", "b", "--include-dataset", `+${file}`, "q"]).values.includeDataset, [
    "foo",
    "bar/baz",
    "q",
  ]);
  usageError(["a", "b", "--no-argument-file", "--include-dataset", `+${file}`], /disabled/);
  usageError(
    ["a", "b", "--include-dataset", `+${dir}/plain.txt`],
    /must contain bzfs_argument_file/,
  );
  usageError(["a", "b", "--include-dataset", `+${dir}/missing_bzfs_argument_file`], /Cannot read/);
  Deno.symlinkSync(file, `${dir}/link_bzfs_argument_file`);
  usageError(["a", "b", "--include-dataset", `+${dir}/link_bzfs_argument_file`], /symlink/);
  Deno.removeSync(dir, { recursive: true });
});

Deno.test("--help prints and signals HelpShown, even with other errors", () => {
  let text = "";
  assert.throws(
    () =>
      parseArgs(["--bogus", "--help"], BZFS_OPTIONS, {
        name: "bzfs",
        description: "d",
        write: { out: (s) => (text += s), err: () => {} },
      }),
    HelpShown,
  );
  assert.match(text, /--recursive/);
});

Deno.test("the jobrunner keeps unknown options for bzfs and rejects protected ones", () => {
  const opts = { name: "bzfs_jobrunner", description: "d", allowUnknown: true, write: sink };
  const p = parseArgs(
    [
      "--replicate",
      "--recursive",
      "--log-dir=/x/bzfs-logs",
      "--job-id",
      "j",
      "--root-dataset-pairs",
      "a",
      "b",
    ],
    JOBRUNNER_OPTIONS,
    opts,
  );
  assert.equal(p.values.replicate, true);
  assert.equal(p.values.jobId, "j");
  assert.deepEqual(p.values.rootDatasetPairs, ["a", "b"]);
  assert.deepEqual(p.unknown, ["--recursive", "--log-dir=/x/bzfs-logs"]);
  assert.throws(
    () => parseArgs(["--delete-dst-snapshots", "--job-id", "j"], JOBRUNNER_OPTIONS, opts),
    /--delete-dst-snapshots: Overriding a protected argument is not allowed/,
  );
});
