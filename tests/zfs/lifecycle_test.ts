/**
 * The snapshot lifecycle against real OpenZFS: a simulated week of hourly/daily/weekly
 * creation (in-process phases with a FakeClock), pruning to a plan, replication of only the
 * plan's snapshots, the GUID crosscheck, the `dummy` source, holds, dataset deletion, the
 * snapshot cache, and dry runs that change nothing.
 *
 * ZFS stamps `creation` with the real time, which a FakeClock cannot move; the in-process runs
 * therefore go through {@linkcode FakeCreationExecutor}, which rewrites the `creation` column of
 * `zfs list` for the snapshots those runs created to the fake instant they were created at.
 *
 * @module
 */
import { ok } from "./_assert.ts";
import assert from "node:assert/strict";
import { buildBzfsConfig, type BzfsConfig } from "../../lib/cli/bzfs_config.ts";
import { checkImplemented } from "../../lib/cli/unimplemented.ts";
import { FakeClock } from "../../lib/clock.ts";
import type {
  CommandSpec,
  Executor,
  PipelineRunOptions,
  RenderedPipeline,
  RunResult,
} from "../../lib/exec/executor.ts";
import { RealExecutor } from "../../lib/exec/real_executor.ts";
import { type JobContext, prepareHost } from "../../lib/job/context.ts";
import { createSrcSnapshotsPhase } from "../../lib/job/create_phase.ts";
import { deleteDstPhase } from "../../lib/job/delete_phase.ts";
import { replicatePair } from "../../lib/job/replicate_pair.ts";
import { DryRunExecutor } from "../../lib/exec/dry_run_executor.ts";
import { snapshotFilterGroups } from "../../lib/filter/snapshot_filter_groups.ts";
import { DetectCache } from "../../lib/zfs/detect.ts";
import { type Lab, labFile } from "../lab/helpers.ts";

const lab = labFile();
const HOUR = 3_600_000;

/** Real ZFS, with `creation` of the snapshots created through it replaced by fake times. */
class FakeCreationExecutor implements Executor {
  readonly real = new RealExecutor();
  /** Short snapshot name -> fake creation (Unix seconds). */
  readonly created = new Map<string, number>();
  constructor(readonly clock: FakeClock) {}

  async run(spec: CommandSpec): Promise<RunResult> {
    const r = await this.real.run(spec);
    const [, verb] = spec.argv;
    if (verb === "snapshot" && r.code === 0) {
      for (const a of spec.argv.slice(2)) {
        if (a.includes("@")) this.created.set(a.slice(a.indexOf("@") + 1), this.clock.now() / 1000);
      }
    }
    const o = spec.argv.indexOf("-o");
    if (verb !== "list" || o < 0 || !spec.argv[o + 1].includes("creation")) return r;
    const cols = spec.argv[o + 1].split(",");
    const [ci, ni] = [cols.indexOf("creation"), cols.indexOf("name")];
    const stdout = r.stdout.split("\n").map((line) => {
      const f = line.split("\t");
      if (f.length !== cols.length) return line;
      const short = f[ni].slice(f[ni].search(/[@#]/) + 1);
      const fake = this.created.get(short) ?? this.created.get(short.replace(/_\d+$/, ""));
      if (fake !== undefined) f[ci] = String(Math.floor(fake));
      return f.join("\t");
    }).join("\n");
    return { ...r, stdout };
  }

  runPipeline(p: RenderedPipeline, opts?: PipelineRunOptions): Promise<RunResult> {
    return this.real.runPipeline(p, opts);
  }
}

/** Runs phases in-process against the lab, with the fake clock as "now". */
class InProcess {
  readonly clock: FakeClock;
  readonly exec: FakeCreationExecutor;
  readonly logDir = `${Deno.makeTempDirSync()}/bzfs-logs`;
  /** Shared by every run: tools are detected once, not at every simulated hour. */
  readonly detectCache = new DetectCache();

  constructor(readonly lab: Lab, startIso: string) {
    this.clock = new FakeClock(Date.parse(startIso));
    this.exec = new FakeCreationExecutor(this.clock);
    Deno.env.set("PATH", lab.localEnv().PATH); // local zfs = the lab's wrappers
  }

  /** `argv` ends with SRC DST; they go first, so no optional-value option can take them. */
  config(argv: string[]): BzfsConfig {
    const args = [...argv.slice(-2), ...argv.slice(0, -2), `--log-dir=${this.logDir}`];
    const config = buildBzfsConfig(args, {
      write: { out: () => {}, err: () => {} },
    });
    checkImplemented(config.given);
    return config;
  }

  async #ctx(config: BzfsConfig): Promise<[JobContext, Awaited<ReturnType<typeof hostsOf>>]> {
    const executor = config.options.dryrun ? new DryRunExecutor(this.exec) : this.exec;
    const ctx: JobContext = {
      config,
      executor,
      pipelineExecutor: executor,
      clock: this.clock,
      signal: new AbortController().signal,
      detectCache: this.detectCache,
      startedAt: this.clock.now(),
      localUid: Deno.uid(),
    };
    return [ctx, await hostsOf(ctx)];
  }

  async create(argv: string[]): Promise<void> {
    const [ctx, hosts] = await this.#ctx(this.config(["--skip-replication", ...argv]));
    await createSrcSnapshotsPhase(ctx.config.pairs[0], ctx, hosts);
  }

  async delete(argv: string[]): Promise<void> {
    const [ctx, hosts] = await this.#ctx(this.config(["--skip-replication", ...argv]));
    await deleteDstPhase(ctx.config.pairs[0], ctx, hosts);
  }

  async replicate(argv: string[]): Promise<void> {
    const [ctx, hosts] = await this.#ctx(this.config(argv));
    const groups = snapshotFilterGroups(ctx.config.snapshotFilterArgs);
    await replicatePair(ctx.config.pairs[0], ctx, { force: { available: true }, groups, hosts });
  }
}

async function hostsOf(ctx: JobContext) {
  const pair = ctx.config.pairs[0];
  const [src, dst] = await Promise.all([prepareHost(pair.src, ctx), prepareHost(pair.dst, ctx)]);
  return { src, dst };
}

async function shortNames(l: Lab, ds: string): Promise<string[]> {
  return (await l.snapshots(ds)).map((s) => s.name.slice(s.name.indexOf("@") + 1));
}

function count(names: readonly string[], period: string): number {
  return names.filter((n) => n.endsWith(`_${period}`)).length;
}

lab.test("a week of hourly, daily and weekly snapshots, pruned to a plan, replicated per plan", async (l) => {
  const src = `${l.src}/week`;
  const dst = `${l.dst}/week`;
  await l.createDataset(`${src}/child`, { files: [{ path: "f", size: 1024 }] });
  const run = new InProcess(l, "2025-03-03T00:30:00Z"); // a Monday
  const plan =
    "--create-src-snapshots-plan={'prod': {'onsite': {'hourly': 36, 'daily': 7, 'weekly': 4}}}";
  const create = ["-r", "--create-src-snapshots", "--create-src-snapshots-timezone=UTC", plan];
  for (let k = 0; k < 168; k++) {
    await run.create([...create, src, "dummy"]);
    if (k < 167) run.clock.advance(HOUR);
  }
  // last step 2025-03-09T23:30Z; dailies at 00:30 of 03..09; weeklies at 03 and Sunday 09
  for (const ds of [src, `${src}/child`]) {
    const names = await shortNames(l, ds);
    assert.equal(count(names, "hourly"), 168, ds);
    assert.equal(count(names, "daily"), 7, ds);
    assert.equal(count(names, "weekly"), 2, ds);
    assert.ok(names.includes("prod_onsite_2025-03-09_00:30:00_weekly"));
  }
  const srcSnaps = await l.snapshots(src, { recursive: true });
  assert.equal(
    new Set(srcSnaps.map((s) => s.createtxg)).size * 2,
    srcSnaps.length,
    "-r: one txg per pair",
  );

  // prune the source to a plan (dummy source: by the rules alone), dry run first
  const keep =
    "--delete-dst-snapshots-except-plan={'prod': {'onsite': {'hourly': 24, 'daily': 3, 'weekly': 1}}}";
  const prune = ["-r", "--delete-dst-snapshots", keep, "dummy", src];
  const before = await l.listAll(l.src);
  await run.delete(["--dryrun", ...prune]);
  assert.equal(await l.listAll(l.src), before, "dry run changed nothing");
  await run.delete(prune);
  for (const ds of [src, `${src}/child`]) {
    const names = await shortNames(l, ds);
    // hourly: created at or after 24 h ago (k = 143..167) = 25; daily 07, 08, 09; weekly both
    assert.equal(count(names, "hourly"), 25, ds);
    assert.equal(
      names.filter((n) => n.endsWith("hourly"))[0],
      "prod_onsite_2025-03-08_23:30:00_hourly",
    );
    assert.deepEqual(names.filter((n) => n.endsWith("daily")), [
      "prod_onsite_2025-03-07_00:30:00_daily",
      "prod_onsite_2025-03-08_00:30:00_daily",
      "prod_onsite_2025-03-09_00:30:00_daily",
    ]);
    assert.equal(count(names, "weekly"), 2);
    assert.equal(names.length, 30);
  }

  // replicate only the snapshots of a smaller plan
  const small =
    "--include-snapshot-plan={'prod': {'onsite': {'hourly': 6, 'daily': 2, 'weekly': 1}}}";
  await run.replicate(["-r", small, src, dst]);
  for (const d of ["", "/child"]) {
    const names = await shortNames(l, `${dst}${d}`);
    assert.equal(count(names, "hourly"), 7, "6 h ago..now at xx:30 = 7");
    assert.equal(count(names, "daily"), 2);
    assert.equal(count(names, "weekly"), 2);
    const srcGuids = new Set((await l.snapshots(`${src}${d}`)).map((s) => s.guid));
    for (const s of await l.snapshots(`${dst}${d}`)) assert.ok(srcGuids.has(s.guid), s.name);
  }

  // crosscheck: with a real source nothing the source still has is deleted
  const dstBefore = await l.listAll(l.dst);
  await run.delete(["-r", "--delete-dst-snapshots", src, dst]);
  assert.equal(await l.listAll(l.dst), dstBefore, "every dst GUID is still on the source");
  const oldest = (await l.snapshots(dst)).find((s) => s.name.endsWith("_hourly"))!;
  const oldestHourly = oldest.name.slice(oldest.name.indexOf("@") + 1);
  await l.zfs("destroy", `${src}@${oldestHourly}`);
  await run.delete(["-r", "--delete-dst-snapshots", src, dst]);
  // replication bookmarked the sent snapshot (as prod_onsite_<ts>_<guid>_hourly): same GUID
  const bookmarked = (await l.bookmarks(src)).some((b) => b.guid === oldest.guid);
  assert.ok(bookmarked, "replication left a bookmark of every sent snapshot");
  assert.ok((await shortNames(l, dst)).includes(oldestHourly), "crosscheck: its GUID is on src");
  await run.delete([
    "-r",
    "--delete-dst-snapshots",
    "--delete-dst-snapshots-no-crosscheck",
    src,
    dst,
  ]);
  assert.ok(
    !(await shortNames(l, dst)).includes(oldestHourly),
    "no-crosscheck: bookmarks do not count",
  );
  assert.equal((await shortNames(l, `${dst}/child`)).length, 11, "the child was not touched");

  // a dummy source deletes by the rules alone
  await run.delete([
    "-r",
    "--delete-dst-snapshots",
    "--include-snapshot-regex=.*_weekly",
    "dummy",
    dst,
  ]);
  for (const d of ["", "/child"]) {
    assert.equal(count(await shortNames(l, `${dst}${d}`), "weekly"), 0);
  }
});

lab.test("[smoke] CLI: create when due, cache hits on 2.3, holds kept, dry run changes nothing", async (l) => {
  const src = `${l.src}/cli`;
  const dst = `${l.dst}/cli`;
  await l.createDataset(`${src}/a`, { files: [{ path: "f", size: 1024 }] });
  await l.createDataset(`${src}/b`, { files: [{ path: "f", size: 1024 }] });
  const logDir = `${Deno.makeTempDirSync()}/bzfs-logs`;
  const create = [
    "-r",
    "--skip-replication",
    "--create-src-snapshots",
    "--create-src-snapshots-plan={'ci': {'': {'daily': 3}}}",
    "--cache-snapshots",
    `--log-dir=${logDir}`,
    "-v",
    "-v",
  ];
  ok(await l.runCli({ src, dst: "dummy", args: create }), "create 1");
  assert.equal(count(await shortNames(l, `${src}/a`), "daily"), 1);
  await new Promise((r) => setTimeout(r, 2200)); // let snapshots_changed mature
  const second = await l.runCli({ src, dst: "dummy", args: create });
  ok(second, "create 2");
  assert.match(second.stderr, /zfs list -t snapshot/, "miss: the label files lag the '=' file");
  await new Promise((r) => setTimeout(r, 1200));
  const third = await l.runCli({ src, dst: "dummy", args: create });
  ok(third, "create 3");
  const [major, minor] = (/zfs-(\d+)\.(\d+)/.exec(await l.zfs("version")) ?? []).slice(1).map(
    Number,
  );
  if (major > 2 || (major === 2 && minor >= 2)) {
    assert.match(third.stderr, /3 hits, 0 misses/);
    assert.doesNotMatch(third.stderr, /zfs list -t snapshot/, "answered from the cache");
  } else {
    // OpenZFS < 2.2 has no snapshots_changed: --cache-snapshots is ignored, answers stay right
    assert.match(third.stderr, /zfs list -t snapshot/, "no cache below OpenZFS 2.2");
  }
  assert.equal(count(await shortNames(l, `${src}/a`), "daily"), 1, "daily not due again");

  ok(await l.runCli({ src, dst, args: ["-r"] }), "replicate");
  await l.zfs("snapshot", "-r", `${dst}@local1`);
  await l.zfs("snapshot", "-r", `${dst}@local2`);
  await l.zfs("hold", "keepme", `${dst}/a@local1`);
  await l.zfs("create", `${dst}/orphan`);
  await l.zfs("create", `${dst}/empty_parent`);
  await l.zfs("create", `${dst}/empty_parent/empty_child`);
  const all = [
    "-r",
    "--skip-replication",
    "--delete-dst-datasets",
    "--delete-dst-snapshots",
    "--delete-empty-dst-datasets",
    "--create-src-snapshots",
    "--create-src-snapshots-plan={'ci': {'': {'adhoc': 1}}}",
    `--log-dir=${logDir}`,
  ];
  const before = [await l.listAll(l.src), await l.listAll(l.dst)];
  const dry = await l.runCli({ src, dst, args: [...all, "--dryrun", "-v", "-v"] });
  ok(dry, "dry run");
  assert.match(dry.stderr, /Would execute: zfs snapshot/);
  assert.match(dry.stderr, /zfs destroy -n/);
  assert.deepEqual(
    [await l.listAll(l.src), await l.listAll(l.dst)],
    before,
    "dry run changed nothing",
  );

  ok(await l.runCli({ src, dst, args: all }), "delete");
  assert.deepEqual(await l.datasets(dst), [dst, `${dst}/a`, `${dst}/b`]);
  assert.deepEqual((await shortNames(l, `${dst}/a`)).filter((n) => n.startsWith("local")), [
    "local1",
  ], "held");
  assert.deepEqual((await shortNames(l, `${dst}/b`)).filter((n) => n.startsWith("local")), []);
  assert.equal(count(await shortNames(l, `${src}/a`), "adhoc"), 1);
  await l.zfs("release", "keepme", `${dst}/a@local1`);
});

lab.test("[smoke] CLI: a missing source or a dummy destination deletes nothing", async (l) => {
  const dst = `${l.dst}/refuse`;
  await l.createDataset(`${dst}/x`, { files: [{ path: "f", size: 1024 }] });
  await l.zfs("snapshot", "-r", `${dst}@s1`);
  const before = await l.listAll(l.dst);
  const r = await l.runCli({
    src: `${l.src}/typo`,
    dst,
    args: ["--delete-dst-snapshots", "-r", "--skip-replication", "--delete-dst-datasets"],
  });
  assert.equal(r.code, 3);
  assert.match(r.stderr, /Source dataset does not exist/);
  assert.equal(await l.listAll(l.dst), before);
});

lab.test("--force-delete-dst-tmp-bookmarks removes .TMPBZFS. bookmarks that bookmark mode keeps", async (l) => {
  const src = `${l.src}/tmpbm`;
  const dst = `${l.dst}/tmpbm`;
  await l.createDataset(src, { files: [{ path: "f", size: 1024 }] });
  await l.zfs("snapshot", `${src}@s1`);
  const sync = await l.runCli({ src, dst, args: [] });
  assert.equal(sync.code, 0, sync.stderr);
  // dst-only history: a snapshot the source never had, bookmarked under a temporary name and a
  // normal one, plus a temporary bookmark of the common snapshot
  await l.zfs("snapshot", `${dst}@local`);
  await l.zfs("bookmark", `${dst}@local`, `${dst}#.TMPBZFS.local.x`);
  await l.zfs("bookmark", `${dst}@local`, `${dst}#keepme_local`);
  await l.zfs("bookmark", `${dst}@s1`, `${dst}#.TMPBZFS.s1.x`);
  await l.zfs("destroy", `${dst}@local`);
  const names = async () => (await l.bookmarks(dst)).map((b) => b.name.split("#")[1]).sort();
  const args = ["--skip-replication", "--include-snapshot-regex=keepme.*|\\.TMPBZFS\\..*"];

  const plain = await l.runCli({ src, dst, args: [...args, "--delete-dst-snapshots=bookmarks"] });
  assert.equal(plain.code, 0, plain.stderr);
  assert.deepEqual(await names(), [".TMPBZFS.local.x", ".TMPBZFS.s1.x"], "tmp bookmarks stay");

  const dry = await l.runCli({
    src,
    dst,
    args: [...args, "-n", "--force-delete-dst-tmp-bookmarks"],
  });
  assert.equal(dry.code, 0, dry.stderr);
  assert.deepEqual(await names(), [".TMPBZFS.local.x", ".TMPBZFS.s1.x"], "dry run");
  // zfs has no `destroy -n` for bookmarks: the dry run reports what it would destroy
  assert.match(dry.stderr, /would destroy dst\/tmpbm#\.TMPBZFS\.local\.x/);
  assert.doesNotMatch(dry.stderr, /would destroy dst\/tmpbm#\.TMPBZFS\.s1\.x/);

  const forced = await l.runCli({ src, dst, args: [...args, "--force-delete-dst-tmp-bookmarks"] });
  assert.equal(forced.code, 0, forced.stderr);
  // the crosscheck still applies: the source has s1's GUID, so its tmp bookmark stays
  assert.deepEqual(await names(), [".TMPBZFS.s1.x"]);
  assert.deepEqual((await l.snapshots(dst)).map((s) => s.name), [`${dst}@s1`], "snapshots kept");
});
