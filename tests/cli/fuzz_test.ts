/**
 * Fuzzing the command line: seeded random argv vectors (valid options with good and bad values,
 * unknown options, `--opt=value` forms, `--`, argument files, hostile dataset names) fed to
 * `buildBzfsConfig` and to `main`. Invariants: nothing crashes, every rejection is a UsageError
 * (exit 2) with a message, an accepted config only holds valid names, and no process is spawned
 * (the job runner is a stub that records calls).
 *
 * Reproduce a failure with its printed seed: `BZFS_FUZZ_SEED=<n> deno test -A tests/cli/fuzz_test.ts`.
 */
import assert from "node:assert/strict";
import { ALL_BZFS_OPTIONS, buildBzfsConfig, type BzfsConfig } from "../../lib/cli/bzfs_config.ts";
import { exitCodeOf } from "../../lib/cli/exit_codes.ts";
import { main } from "../../lib/cli/main.ts";
import type { OptionSpec } from "../../lib/cli/option_spec.ts";
import { HelpShown } from "../../lib/cli/parse_args.ts";
import { checkImplemented } from "../../lib/cli/unimplemented.ts";
import { UsageError } from "../../lib/errors.ts";
import { validateDatasetName } from "../../lib/names/dataset.ts";

const SEED = Number(Deno.env.get("BZFS_FUZZ_SEED") ?? "20261125");
const VECTORS = 10_000;
const MAIN_VECTORS = 600;

/** mulberry32: small, fast, seeded. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6D2B79F5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

class Gen {
  constructor(readonly random: () => number) {}
  int(n: number): number {
    return Math.floor(this.random() * n);
  }
  pick<T>(xs: readonly T[]): T {
    return xs[this.int(xs.length)];
  }
  chance(p: number): boolean {
    return this.random() < p;
  }
}

const HOSTILE = [
  ";",
  "|",
  "&",
  "$",
  "`",
  "'",
  '"',
  "\\",
  "\n",
  "\t",
  " ",
  "*",
  "?",
  "(",
  ")",
  "<",
  ">",
  "\u0000",
  "\u00e9",
  "\u202e",
  "@",
  "#",
  "%",
  "..",
  "//",
  "-",
  "=",
  ",",
  "+",
  "~",
  "!",
];
const WORDS = ["tank", "backup", "a", "b_c", "d-e", "x.y", "f:g", "pool1", "tmp", "..", "."];

function component(g: Gen): string {
  let s = g.pick(WORDS);
  if (g.chance(0.25)) s += g.pick(HOSTILE) + g.pick(WORDS);
  if (g.chance(0.05)) s = "";
  if (g.chance(0.03)) s = "x".repeat(g.int(300));
  return s;
}

/** A dataset-ish operand: usually valid, often with an injection attempt or odd syntax. */
function datasetName(g: Gen): string {
  const parts = Array.from({ length: 1 + g.int(4) }, () => component(g));
  let name = parts.join("/");
  if (g.chance(0.1)) {
    name = `${g.pick(["root", "", "u;x"])}@${g.pick(["host", "h;rm -rf /", ""])}:${name}`;
  }
  if (g.chance(0.05)) name = "/" + name;
  if (g.chance(0.05)) name += "/";
  if (g.chance(0.05)) name += "@snap";
  if (g.chance(0.03)) name = "dummy";
  if (g.chance(0.03)) name = "+" + name; // argument file that does not exist
  return name;
}

const NUMBERS = [
  "0",
  "1",
  "-1",
  "7",
  "100",
  "1600",
  "1601",
  "1.5",
  "NaN",
  "1e9",
  "",
  " ",
  "99%",
  "0%",
  "abc",
];
const DURATIONS = [
  "10 seconds",
  "90mins",
  "0 seconds",
  "1second",
  "-5secs",
  "soon",
  "",
  "1000years",
];
const REGEXES = [
  ".*",
  "a.*",
  "!b",
  "(",
  "[a-",
  "(?<=a)b",
  "x{2,1}",
  "\\",
  "(?P<n>a)(?P=n)",
  "",
  "*",
];
const PLANS = [
  "{'prod': {'onsite': {'hourly': 36}}}",
  "{'prod': {'': {'daily': 1}}}",
  "{'p': {'o': {'hourly': -1}}}",
  "{",
  "[]",
  "{'a_b': {'c': {'daily': 1}}}",
  "{'x': {'y': {'2yearly': 'z'}}}",
];

function optionValue(g: Gen, spec: OptionSpec, tmp: string): string {
  if (spec.choices && g.chance(0.7)) return g.pick(spec.choices);
  const flag = spec.flags[0];
  if (flag === "--log-dir") return `${tmp}/${g.pick(["bzfs-logs", "logs", "a/bzfs-logs-x", ""])}`;
  if (spec.type || spec.kind === "CheckRange" || spec.kind === "CheckPercentRange") {
    return g.pick(NUMBERS);
  }
  if (/timeout|lifetime|ttl|secs/.test(flag)) return g.pick(DURATIONS);
  if (/regex/.test(flag)) return g.pick(REGEXES);
  if (/plan|monitor-snapshots$/.test(flag)) return g.pick(PLANS);
  if (/times-and-ranks/.test(flag)) {
    return g.pick([
      "0..0",
      "notime",
      "2024-01-01..2025-01-01",
      "latest 10",
      "oldest 5%",
      "x..y",
      "",
    ]);
  }
  if (/config-file/.test(flag)) return g.pick([`${tmp}/bzfs_ssh_config`, "/etc/passwd", "", "x y"]);
  if (/host|user/.test(flag)) {
    return g.pick(["nas", "127.0.0.1", "-oProxyCommand=x", "a b", "", "u@h"]);
  }
  if (/program-opts|opts$/.test(flag)) {
    return g.pick(["-v", "-o x", "--output-file f", "-q -m 1M", ""]);
  }
  if (/dataset/.test(flag)) return datasetName(g);
  return g.chance(0.5) ? component(g) : g.pick(HOSTILE) + component(g);
}

const UNKNOWN = ["--nope", "-Z", "--recursiv", "--threads2", "---", "-", "--=x", "--no-such=1"];

const CLEAN_NUMBERS: Readonly<Record<string, readonly string[]>> = {
  "--threads": ["1", "4", "50%"],
  "--retries": ["0", "3"],
  "--max-concurrent-ssh-sessions-per-tcp-connection": ["1", "8"],
};

/** A vector that is mostly valid: flags, choices and clean dataset pairs. */
function cleanArgv(g: Gen): string[] {
  const out: string[] = [];
  for (let i = g.int(4); i > 0; i--) {
    const spec = g.pick(
      ALL_BZFS_OPTIONS.filter((s) =>
        (s.kind === "StoreTrue" || s.choices !== undefined || s.flags[0] in CLEAN_NUMBERS) &&
        !s.hidden && s.kind !== "Version" && s.flags[0] !== "--help"
      ),
    );
    out.push(spec.flags[0]);
    if (spec.nargs !== "0") out.push(g.pick(spec.choices ?? CLEAN_NUMBERS[spec.flags[0]] ?? ["x"]));
  }
  const name = () =>
    Array.from({ length: 1 + g.int(3) }, () => g.pick(WORDS.slice(0, 8))).join("/");
  for (let k = g.chance(0.2) ? 2 : 1; k > 0; k--) out.push(`p${k}/${name()}`, `q${k}/${name()}`);
  return out;
}

function argv(g: Gen, tmp: string): string[] {
  if (g.chance(0.3)) return cleanArgv(g);
  const out: string[] = [];
  const n = g.int(7);
  for (let i = 0; i < n; i++) {
    if (g.chance(0.08)) {
      out.push(g.pick(UNKNOWN));
      continue;
    }
    const spec = g.pick(ALL_BZFS_OPTIONS.filter((s) => s.flags[0].startsWith("-")));
    const flag = g.pick(spec.flags);
    if (spec.kind === "Version" || flag === "--help" || flag === "-h") {
      if (g.chance(0.9)) continue; // rare: they short-circuit everything else
    }
    if (spec.nargs === "0") {
      out.push(flag);
      if (g.chance(0.05)) out.push(optionValue(g, spec, tmp)); // a stray value
    } else if (g.chance(0.3) && flag.startsWith("--")) {
      out.push(`${flag}=${optionValue(g, spec, tmp)}`);
    } else {
      out.push(flag);
      const values = spec.nargs === "+" || spec.nargs === "*" ? 1 + g.int(3) : 1;
      if (g.chance(0.05)) continue; // a missing value
      for (let k = 0; k < values; k++) out.push(optionValue(g, spec, tmp));
    }
  }
  const operands = g.pick([0, 1, 2, 2, 2, 2, 3, 4]);
  const positional = Array.from({ length: operands }, () => datasetName(g));
  if (g.chance(0.1)) out.push("--");
  const at = g.int(out.length + 1);
  out.splice(at, 0, ...positional);
  return out;
}

const quiet = { write: { out: () => {}, err: () => {} } };

/** Accepted configs hold only names that the name validators accept. */
function checkAccepted(config: BzfsConfig, args: readonly string[]): void {
  assert.ok(Object.isFrozen(config), `config not frozen for ${JSON.stringify(args)}`);
  assert.ok(config.pairs.length > 0, `no pairs accepted for ${JSON.stringify(args)}`);
  for (const pair of config.pairs) {
    for (const side of [pair.src, pair.dst]) {
      validateDatasetName(side.dataset, "fuzz");
      assert.doesNotMatch(side.dataset, /[;|&$`'"\\\s<>*?]/, JSON.stringify(args));
      assert.doesNotMatch(side.host ?? "", /[;|&$`'"\\\s<>]|^-/, JSON.stringify(args));
      assert.doesNotMatch(side.user ?? "", /[;|&$`'"\\\s<>]|^-/, JSON.stringify(args));
    }
  }
}

/** Fails the test if anything tries to spawn a process while `fn` runs. */
async function withoutSpawning<T>(fn: () => Promise<T>): Promise<{ value: T; spawns: string[] }> {
  const spawns: string[] = [];
  const original = Deno.Command;
  class NoCommand {
    constructor(cmd: string | URL, opts?: Deno.CommandOptions) {
      spawns.push([String(cmd), ...(opts?.args ?? [])].join(" "));
      throw new Error(`Fuzz: a process was spawned: ${cmd}`);
    }
  }
  Object.defineProperty(Deno, "Command", { value: NoCommand, configurable: true, writable: true });
  try {
    return { value: await fn(), spawns };
  } finally {
    Object.defineProperty(Deno, "Command", { value: original, configurable: true, writable: true });
  }
}

Deno.test(`fuzz: ${VECTORS} random argv vectors through buildBzfsConfig (seed ${SEED})`, async () => {
  const tmp = Deno.makeTempDirSync();
  const g = new Gen(prng(SEED));
  const stats = { accepted: 0, usage: 0, help: 0 };
  const { spawns } = await withoutSpawning(() => {
    for (let i = 0; i < VECTORS; i++) {
      const args = argv(g, tmp);
      try {
        const config = buildBzfsConfig(args, quiet);
        checkImplemented(config.given);
        checkAccepted(config, args);
        stats.accepted++;
      } catch (e) {
        if (e instanceof HelpShown) {
          stats.help++;
          continue;
        }
        if (!(e instanceof UsageError)) {
          assert.fail(`vector ${i} (seed ${SEED}) threw ${e}: ${JSON.stringify(args)}`);
        }
        assert.ok(e.message.trim().length > 0, `empty message for ${JSON.stringify(args)}`);
        assert.equal(exitCodeOf(e), 2);
        stats.usage++;
      }
    }
    return Promise.resolve();
  });
  assert.deepEqual(spawns, []);
  // the generator must exercise both outcomes substantially
  assert.ok(stats.accepted >= 200, `accepted ${stats.accepted}`);
  assert.ok(stats.usage >= 5000, `rejected ${stats.usage}`);
  console.log(`fuzz buildBzfsConfig: ${JSON.stringify(stats)}`);
});

Deno.test(`fuzz: ${VECTORS} random dataset names: accepted ones are safe, others are UsageErrors`, () => {
  const g = new Gen(prng(SEED ^ 0x5bd1e995));
  let accepted = 0;
  for (let i = 0; i < VECTORS; i++) {
    let name = datasetName(g);
    if (g.chance(0.3)) {
      name = Array.from(
        { length: 1 + g.int(20) },
        () => String.fromCharCode(g.chance(0.8) ? 32 + g.int(95) : g.int(0x3000)),
      ).join("");
    }
    try {
      const ok = validateDatasetName(name, "--fuzz");
      assert.doesNotMatch(ok, /[;|&$`'"\\\s<>*?@#%]/, JSON.stringify(name));
      assert.ok(![...ok].some((c) => c.charCodeAt(0) < 32 || c === "\u007f"), JSON.stringify(name));
      assert.ok(!ok.startsWith("/") && !ok.endsWith("/") && !ok.includes("//"), ok);
      accepted++;
    } catch (e) {
      if (!(e instanceof UsageError)) assert.fail(`${JSON.stringify(name)} threw ${e}`);
      assert.ok(e.message.length > 0);
      assert.equal(exitCodeOf(e), 2);
    }
  }
  assert.ok(accepted > 500, `accepted ${accepted}`);
});

Deno.test(`fuzz: ${MAIN_VECTORS} random argv vectors through main: exit 0 (job stub) or 2`, async () => {
  const home = Deno.makeTempDirSync();
  const g = new Gen(prng(SEED + 1));
  const calls: BzfsConfig[] = [];
  const codes = new Map<number, number>();
  const { spawns } = await withoutSpawning(async () => {
    for (let i = 0; i < MAIN_VECTORS; i++) {
      const args = argv(g, home);
      let err = "";
      const before = calls.length;
      const code = await main(args, {
        env: { HOME: home },
        writeOut: () => {},
        writeErr: (t) => (err += t),
        runJob: (config) => {
          calls.push(config);
          return Promise.resolve();
        },
      });
      codes.set(code, (codes.get(code) ?? 0) + 1);
      if (code === 2) {
        assert.match(err, /^bzfs: error: \S/, JSON.stringify(args));
        assert.equal(calls.length, before, "a rejected argv never reaches the job runner");
      } else if (code === 0) {
        assert.ok(
          calls.length === before + 1 || args.some((a) => /^-(h|-help|-version)/.test(a)),
          JSON.stringify(args),
        );
      } else {
        assert.fail(`exit ${code} for ${JSON.stringify(args)}: ${err}`);
      }
    }
  });
  assert.deepEqual(spawns, []);
  assert.ok((codes.get(2) ?? 0) > MAIN_VECTORS / 2, JSON.stringify([...codes]));
  assert.ok(calls.length >= 10, `job runner reached ${calls.length} times`);
});
