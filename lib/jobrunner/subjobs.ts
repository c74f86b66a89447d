/**
 * Sub-job generation (reference 3): for every selected source host and every enabled action,
 * in the fixed order create -> replicate -> prune-src-snapshots -> prune-src-bookmarks ->
 * prune-dst -> monitor-src -> monitor-dst, one complete bzfs argv with a name whose `/` path
 * and `~` barriers encode what it waits for. Pure: the only outside knowledge (which local
 * pools exist) comes in as a function.
 *
 * @module
 */
import { UsageError } from "../errors.ts";
import { validateDatasetName } from "../names/dataset.ts";
import type { Fleet } from "./fleet.ts";
import { FleetError } from "./fleet_error.ts";
import type { HostResolver, Side } from "./localhost.ts";
import { pythonRepr, type ReprValue } from "./python_repr.ts";
import { type SelectedHosts, substituteRoot } from "./select_hosts.ts";
import {
  expandMonitorPlan,
  includePlan,
  monitorPlanForTargets,
  retainPlan,
} from "./subjob_plans.ts";

/** The jobrunner actions, in the order they run on one source host. */
export const ACTIONS = [
  "create-src-snapshots",
  "replicate",
  "prune-src-snapshots",
  "prune-src-bookmarks",
  "prune-dst-snapshots",
  "monitor-src-snapshots",
  "monitor-dst-snapshots",
] as const;

/** One jobrunner action (also the sub-job's log tag). */
export type Action = typeof ACTIONS[number];

/** One generated bzfs run. */
export interface SubJob {
  /** Scheduling name, e.g. `000000src-host/create-src-snapshots/~/prune-src-snapshots`. */
  readonly name: string;
  /** The complete command line, starting with `bzfs`. */
  readonly argv: readonly string[];
  /** The action. */
  readonly action: Action;
  /** The source host. */
  readonly srcHost: string;
  /** The destination host, `""` for source-only actions. */
  readonly dstHost: string;
}

/** ssh settings of one side (`--ssh-src-*` or `--ssh-dst-*` of the jobrunner). */
export interface SshSettings {
  /** User, `""` when not set. */
  readonly user: string;
  /** Port, if set. */
  readonly port?: number;
  /** ssh config file, if set. */
  readonly configFile?: string;
}

/** `--daemon-*-frequency` values. */
export interface DaemonFrequencies {
  /** Replicate sub-jobs. */
  readonly replication: string;
  /** Prune-src sub-jobs. */
  readonly pruneSrc: string;
  /** Prune-dst sub-jobs. */
  readonly pruneDst: string;
  /** Monitor sub-jobs. */
  readonly monitor: string;
}

/** Inputs of {@linkcode generateSubJobs} besides the fleet. */
export interface GenerateOptions {
  /** The enabled actions. */
  readonly actions: ReadonlySet<Action>;
  /** `--job-id` (sanitized here). */
  readonly jobId: string;
  /** `--job-run`, already defaulted (sanitized here). */
  readonly jobRun: string;
  /** This machine's name (first host of every log suffix). */
  readonly localhostName: string;
  /** Localhost detection. */
  readonly resolveHost: HostResolver;
  /** ssh settings per side. */
  readonly ssh: { readonly src: SshSettings; readonly dst: SshSettings };
  /** `--daemon-*-frequency`. */
  readonly daemon: DaemonFrequencies;
  /** Unknown arguments, forwarded to every sub-job. */
  readonly forwarded: readonly string[];
  /** Whether a local destination pool exists (`-:pool`); remote pools always count as existing.
   * @default every pool exists */
  readonly poolExists?: (pool: string) => boolean;
  /** Told about each destination skipped because its local pool is missing. */
  readonly onSkip?: (dstOperand: string) => void;
}

/** The program name at the start of every argv. */
export const BZFS_PROGRAM = "bzfs";
/** bzfs's placeholder for "no such side". */
export const DUMMY_DATASET = "dummy";
const SEP = ",";

/**
 * Replaces characters that do not belong in a log file name (space, `..`, `/`, `\`, `,`) by `!`.
 *
 * @example
 * ```ts
 * import { sanitize } from "./subjobs.ts";
 * console.log(sanitize("a b/c,d")); // "a!b!c!d"
 * ```
 * @param s The text.
 * @returns The sanitized text.
 */
export function sanitize(s: string): string {
  let out = s;
  for (const bad of [" ", "..", "/", "\\", SEP]) out = out.replaceAll(bad, "!");
  return out;
}

/**
 * Generates every sub-job of a run, in creation order (which is also their `NNNNNN` counter).
 *
 * @example One source, one destination, replicate only
 * ```ts ignore
 * const jobs = generateSubJobs(fleet, hosts, { actions: new Set(["replicate"]), ... });
 * console.log(jobs[0].name); // "000000src-host/000000replicate"
 * ```
 * @param fleet The parsed fleet (plans, roots, pairs).
 * @param hosts The selected hosts (in final, possibly shuffled order).
 * @param options Actions, identity, ssh and naming inputs.
 * @returns The sub-jobs.
 * @throws {FleetError} When `--prune-dst-snapshots` is asked with an empty
 *   `--retain-dst-targets`, or a destination dataset name is invalid.
 */
export function generateSubJobs(
  fleet: Fleet,
  hosts: SelectedHosts,
  options: GenerateOptions,
): SubJob[] {
  if (options.actions.has("prune-dst-snapshots") && fleet.retainDstTargets.size === 0) {
    throw new FleetError(
      "--retain-dst-targets must not be empty. Cowardly refusing to delete all snapshots!",
    );
  }
  const gen = new Generator(fleet, hosts, options);
  hosts.srcHosts.forEach((src, i) => gen.forSource(src, i));
  return gen.jobs;
}

class Generator {
  readonly jobs: SubJob[] = [];
  readonly #header: readonly string[];
  readonly #jobId: string;
  readonly #jobRun: string;
  #name = "";
  /** Python reprs of plans that do not depend on the source host, by key. */
  readonly #reprs = new Map<string, string>();
  /** Destination operands per source and destination (validated once). */
  readonly #dstOps = new Map<string, string[]>();
  readonly #sanitized = new Map<string, string>();

  constructor(
    readonly fleet: Fleet,
    readonly hosts: SelectedHosts,
    readonly o: GenerateOptions,
  ) {
    this.#header = [BZFS_PROGRAM, "--no-argument-file", ...o.forwarded];
    this.#jobId = sanitize(o.jobId);
    this.#jobRun = sanitize(o.jobRun);
  }

  forSource(src: string, i: number): void {
    const { actions } = this.o;
    const f = this.fleet;
    this.#name = `${pad(i)}src-host`;
    const srcOperands = () => this.#srcOperands(src);
    const daemon = this.o.daemon;
    if (actions.has("create-src-snapshots")) {
      this.#single("create-src-snapshots", src, [
        "--create-src-snapshots",
        this.#opt("--create-src-snapshots-plan=", "src", () => f.srcSnapshotPlan),
        "--skip-replication",
      ], {
        daemon: undefined,
        ssh: [["src", "src"]],
        operands: dedupe(srcOperands().map((s) => [s, DUMMY_DATASET])),
      });
    }
    if (actions.has("replicate")) this.#replicate(src);
    const pruneSrc = (action: Action, flag: string, plan: () => ReprValue) =>
      this.#single(action, src, [
        flag,
        "--skip-replication",
        this.#opt("--delete-dst-snapshots-except-plan=", action, plan),
      ], {
        daemon: daemon.pruneSrc,
        ssh: [["src", "dst"]],
        operands: dedupe(srcOperands().map((s) => [DUMMY_DATASET, s])),
      });
    if (actions.has("prune-src-snapshots")) {
      pruneSrc("prune-src-snapshots", "--delete-dst-snapshots", () => f.srcSnapshotPlan);
    }
    if (actions.has("prune-src-bookmarks")) {
      pruneSrc(
        "prune-src-bookmarks",
        "--delete-dst-snapshots=bookmarks",
        () => f.srcBookmarkPlan,
      );
    }
    if (actions.has("prune-dst-snapshots")) this.#pruneDst(src);
    if (actions.has("monitor-src-snapshots")) {
      const plan = this.#opt(
        "--monitor-snapshots=",
        "monitor-src",
        () => expandMonitorPlan(f.monitorSnapshotPlan, f.srcSnapshotPlan, "src"),
      );
      this.#single("monitor-src-snapshots", src, [
        plan,
        "--skip-replication",
      ], {
        daemon: daemon.monitor,
        ssh: [["src", "dst"]],
        operands: dedupe(srcOperands().map((s) => [DUMMY_DATASET, s])),
      });
    }
    if (actions.has("monitor-dst-snapshots")) this.#monitorDst(src);
  }

  #replicate(src: string): void {
    const srcOperands = this.#srcOperands(src);
    this.#perDestination("replicate", src, (dst, targets) => {
      const plan = this.#opt("--include-snapshot-plan=", `include\u0000${dst}`, () => {
        const p = includePlan(this.fleet.dstSnapshotPlan, targets);
        return p.size === 0 ? undefined : p;
      });
      if (plan === "") return undefined;
      const dsts = this.#dstOperands(src, dst);
      return {
        opts: [plan],
        daemon: this.o.daemon.replication,
        ssh: [["src", "src"], ["dst", "dst"]],
        operands: srcOperands.map((s, k) => [s, dsts[k]] as const),
      };
    });
  }

  #pruneDst(src: string): void {
    this.#perDestination("prune-dst-snapshots", src, (dst) => {
      const plan = this.#opt(
        "--delete-dst-snapshots-except-plan=",
        `retain\u0000${dst}`,
        () => retainPlan(this.fleet.dstSnapshotPlan, this.fleet.retainDstTargets.get(dst) ?? []),
      );
      return {
        opts: [
          "--delete-dst-snapshots",
          "--skip-replication",
          plan,
        ],
        daemon: this.o.daemon.pruneDst,
        ssh: [["dst", "dst"]],
        operands: dedupe(this.#dstOperands(src, dst).map((d) => [DUMMY_DATASET, d])),
      };
    });
  }

  #monitorDst(src: string): void {
    this.#perDestination("monitor-dst-snapshots", src, (dst, targets) => {
      const plan = this.#opt("--monitor-snapshots=", `monitor\u0000${dst}`, () => {
        const retained = new Set(this.fleet.retainDstTargets.get(dst) ?? []);
        const both = new Set(targets.filter((t) => retained.has(t)));
        const restricted = monitorPlanForTargets(this.fleet.monitorSnapshotPlan, both);
        return expandMonitorPlan(restricted, this.fleet.dstSnapshotPlan, "dst");
      });
      return {
        opts: [plan, "--skip-replication"],
        daemon: this.o.daemon.monitor,
        ssh: [["dst", "dst"]],
        operands: dedupe(this.#dstOperands(src, dst).map((d) => [DUMMY_DATASET, d])),
      };
    });
  }

  /**
   * `<flag><Python repr of the plan>` for a plan that does not depend on the source host,
   * computed once per key; `""` when `plan` returns `undefined`.
   */
  #opt(flag: string, key: string, plan: () => ReprValue | undefined): string {
    let opt = this.#reprs.get(key);
    if (opt === undefined) {
      const value = plan();
      this.#reprs.set(key, opt = value === undefined ? "" : flag + pythonRepr(value));
    }
    return opt;
  }

  #clean(s: string): string {
    let out = this.#sanitized.get(s);
    if (out === undefined) this.#sanitized.set(s, out = sanitize(s));
    return out;
  }

  /** A single-instance action: registered as a child of the running name. */
  #single(action: Action, src: string, opts: string[], more: JobParts): void {
    this.#name += `/${action}`;
    this.#add(this.#name, action, src, "", { ...more, opts });
  }

  /** A per-destination action: siblings `<name>/<j>action`, then the running name moves on. */
  #perDestination(
    action: Action,
    src: string,
    parts: (dst: string, targets: readonly string[]) => (JobParts & { opts: string[] }) | undefined,
  ): void {
    let j = 0;
    for (const [dst, targets] of this.hosts.dstHosts) {
      const p = parts(dst, targets);
      if (p === undefined) continue;
      const operands = this.#existingPools(p.operands);
      if (operands.length === 0) continue;
      this.#add(`${this.#name}/${pad(j)}${action}`, action, src, dst, { ...p, operands });
      j++;
    }
    if (j === 1) this.#name += `/${pad(0)}${action}`;
    else if (j > 1) this.#name += "/~";
  }

  #add(
    name: string,
    action: Action,
    src: string,
    dst: string,
    p: JobParts & { opts: string[] },
  ): void {
    const n = pad(this.jobs.length);
    const l = this.o.localhostName;
    const argv = [
      ...this.#header,
      ...p.opts,
      `--log-file-prefix=bzfs_jobrunner${SEP}${action}${SEP}`,
      `--log-file-infix=${SEP}${this.#jobId}`,
      `--log-file-suffix=${SEP}${this.#jobRun}${SEP}${n}${SEP}${this.#clean(l)}${SEP}${
        this.#clean(src)
      }${SEP}${dst ? this.#clean(dst) : ""}${SEP}`,
      ...(p.daemon === undefined ? [] : [`--daemon-frequency=${p.daemon}`]),
      ...sshOpts(p.ssh, this.o.ssh),
      "--",
      ...p.operands.flat(),
    ];
    this.jobs.push({ name, argv, action, srcHost: src, dstHost: dst });
  }

  #srcOperands(src: string): string[] {
    const host = this.o.resolveHost(src, "src");
    return this.fleet.rootDatasetPairs.map(([s]) => `${host}:${s}`);
  }

  #dstOperands(src: string, dst: string): string[] {
    const key = `${src}\u0000${dst}`;
    let ops = this.#dstOps.get(key);
    if (ops === undefined) this.#dstOps.set(key, ops = this.#resolveDstOperands(src, dst));
    return ops;
  }

  #resolveDstOperands(src: string, dst: string): string[] {
    const root = substituteRoot(this.fleet.dstRootDatasets.get(dst) ?? "", src, dst);
    const host = this.o.resolveHost(dst, "dst");
    return this.fleet.rootDatasetPairs.map(([, d]) => {
      const ds = root ? `${root}/${d}` : d;
      try {
        validateDatasetName(ds, d);
      } catch (e) {
        if (e instanceof UsageError) throw new FleetError(e.message, { cause: e });
        throw e;
      }
      return `${host}:${ds}`;
    });
  }

  #existingPools(pairs: readonly (readonly [string, string])[]): (readonly [string, string])[] {
    const exists = this.o.poolExists;
    if (exists === undefined) return [...pairs];
    return pairs.filter(([, dst]) => {
      const pool = dst.split("/", 1)[0];
      if (!pool.startsWith("-:") || exists(pool)) return true;
      this.o.onSkip?.(dst);
      return false;
    });
  }
}

/** What differs between sub-jobs besides their action options. */
interface JobParts {
  /** `--daemon-frequency`, if any. */
  daemon: string | undefined;
  /** Which jobrunner ssh settings go out under which bzfs side: [from, as]. */
  ssh: (readonly [Side, Side])[];
  /** Operand pairs. */
  operands: readonly (readonly [string, string])[];
}

function sshOpts(
  mapping: readonly (readonly [Side, Side])[],
  ssh: { readonly src: SshSettings; readonly dst: SshSettings },
): string[] {
  const out: string[] = [];
  for (const [from, as] of mapping) {
    if (ssh[from].user) out.push(`--ssh-${as}-user=${ssh[from].user}`);
  }
  for (const [from, as] of mapping) {
    if (ssh[from].port !== undefined) out.push(`--ssh-${as}-port=${ssh[from].port}`);
  }
  for (const [from, as] of mapping) {
    if (ssh[from].configFile) out.push(`--ssh-${as}-config-file=${ssh[from].configFile}`);
  }
  return out;
}

function dedupe(pairs: readonly (readonly [string, string])[]): (readonly [string, string])[] {
  const seen = new Set<string>();
  return pairs.filter(([a, b]) => {
    const key = `${a}\u0000${b}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function pad(n: number): string {
  return String(n).padStart(6, "0");
}
