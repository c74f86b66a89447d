import assert from "node:assert/strict";
import { monitorSnapshots } from "../../lib/monitor/monitor.ts";
import {
  escapeHelp,
  escapeLabelValue,
  labelKeys,
  renderPrometheusTextfile,
  writeTextfileAtomically,
} from "../../lib/monitor/prometheus.ts";
import { parseMonitorPlan } from "../../lib/plan/monitor_plan.ts";

// ---------------------------------------------------------------------------------------------
// A small parser of the Prometheus text exposition format (0.0.4), strict enough to reject what
// node-exporter's textfile collector rejects: unknown comment forms, TYPE after samples, samples
// of a family that are not contiguous, duplicate series, bad escapes, bad values, timestamps.

interface Sample {
  readonly name: string;
  readonly labels: Record<string, string>;
  readonly value: number;
}

interface Parsed {
  readonly help: Map<string, string>;
  readonly type: Map<string, string>;
  readonly samples: Sample[];
}

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*/;

function parseTextFormat(text: string): Parsed {
  assert.ok(text === "" || text.endsWith("\n"), "must end with a newline");
  const out: Parsed = { help: new Map(), type: new Map(), samples: [] };
  const finished = new Set<string>();
  let current: string | undefined;
  const seen = new Set<string>();
  for (const line of text.split("\n").slice(0, -1)) {
    if (line.startsWith("# HELP ")) {
      const [name, ...rest] = line.slice(7).split(" ");
      assert.ok(!out.help.has(name), `second HELP for ${name}`);
      out.help.set(name, unescape(rest.join(" "), false));
      continue;
    }
    if (line.startsWith("# TYPE ")) {
      const [name, type, ...extra] = line.slice(7).split(" ");
      assert.equal(extra.length, 0);
      assert.ok(["gauge", "counter", "untyped", "summary", "histogram"].includes(type));
      assert.ok(!out.samples.some((s) => s.name === name), `TYPE after samples of ${name}`);
      out.type.set(name, type);
      continue;
    }
    assert.ok(!line.startsWith("#"), `unexpected comment: ${line}`);
    assert.notEqual(line.trim(), "", "blank line");
    const sample = parseSample(line);
    if (sample.name !== current) {
      assert.ok(!finished.has(sample.name), `samples of ${sample.name} are not contiguous`);
      if (current) finished.add(current);
      current = sample.name;
    }
    const key = `${sample.name}${JSON.stringify(Object.entries(sample.labels).sort())}`;
    assert.ok(!seen.has(key), `duplicate series ${key}`);
    seen.add(key);
    out.samples.push(sample);
  }
  return out;
}

function parseSample(line: string): Sample {
  const name = NAME.exec(line)?.[0];
  assert.ok(name, `bad metric name in ${line}`);
  let rest = line.slice(name.length);
  const labels: Record<string, string> = {};
  if (rest.startsWith("{")) {
    rest = rest.slice(1);
    while (!rest.startsWith("}")) {
      const label = LABEL_NAME.exec(rest)?.[0];
      assert.ok(label, `bad label name in ${line}`);
      rest = rest.slice(label.length);
      assert.ok(rest.startsWith('="'), `expected =" in ${line}`);
      rest = rest.slice(2);
      let raw = "";
      while (!rest.startsWith('"')) {
        assert.ok(rest.length > 0, `unterminated label value in ${line}`);
        if (rest.startsWith("\\")) {
          raw += rest.slice(0, 2);
          rest = rest.slice(2);
        } else {
          raw += rest[0];
          rest = rest.slice(1);
        }
      }
      assert.ok(!(label in labels), `duplicate label ${label}`);
      labels[label] = unescape(raw, true);
      rest = rest.slice(1);
      if (rest.startsWith(",")) rest = rest.slice(1);
    }
    rest = rest.slice(1);
  }
  assert.ok(rest.startsWith(" "), `expected a space before the value in ${line}`);
  const fields = rest.slice(1).split(" ");
  assert.equal(fields.length, 1, `timestamps are not allowed in textfiles: ${line}`);
  return { name, labels, value: parseValue(fields[0]) };
}

function parseValue(text: string): number {
  if (text === "NaN") return NaN;
  if (text === "+Inf") return Infinity;
  if (text === "-Inf") return -Infinity;
  assert.match(text, /^[-+]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?$/);
  return Number(text);
}

function unescape(text: string, quotes: boolean): string {
  return text.replace(/\\(.)/g, (_, c: string) => {
    if (c === "n") return "\n";
    if (c === "\\") return "\\";
    if (c === '"' && quotes) return '"';
    throw new Error(`bad escape \\${c}`);
  });
}

// ---------------------------------------------------------------------------------------------

const NOW = 1_736_497_805_000;
const HOUR = 3_600_000;
const PLAN =
  `{"prod": {"onsite": {"hourly": {"latest": {"warning": "30 minutes", "critical": "300 minutes"}}},
  "": {"daily": {"latest": {"warning": "4 hours", "critical": "8 hours"},
                 "oldest": {"warning": "3 days", "critical": "4 days"}}}}}`;

function snap(name: string, ageMs: number, txg: bigint) {
  return { name, createTxg: txg, creation: (NOW - ageMs) / 1000 };
}

function report() {
  return monitorSnapshots(
    [
      {
        dataset: "tank/a",
        snapshots: [
          snap("prod_2025-01-01_daily", 30 * HOUR, 1n),
          snap("prod_2025-01-09_daily", 1.5 * HOUR, 2n),
          snap("prod_onsite_2025-01-10_hourly", 2 * HOUR, 3n),
        ],
      },
      {
        dataset: 'weird "pool"\\x\ny',
        snapshots: [snap("prod_2025-01-10_daily", 0.25 * HOUR, 1n)],
      },
      { dataset: "tank/empty", snapshots: [] },
    ],
    parseMonitorPlan(PLAN),
    { now: NOW },
  );
}

Deno.test("renderPrometheusTextfile: parses back, with HELP/TYPE per family and every sample checked", () => {
  const text = renderPrometheusTextfile(report().findings);
  const parsed = parseTextFormat(text);
  const families = [
    "bzfs_snapshot_latest_age_seconds",
    "bzfs_snapshot_oldest_age_seconds",
    "bzfs_monitor_status",
  ];
  assert.deepEqual([...parsed.type.entries()], families.map((f) => [f, "gauge"]));
  assert.deepEqual([...parsed.help.keys()], families);
  assert.match(parsed.help.get("bzfs_monitor_status") ?? "", /0 ok, 1 warning, 2 critical/);

  const row = (
    s: Sample,
  ) => [
    s.name.replace(/^bzfs_/, ""),
    s.labels.dataset,
    s.labels.org,
    s.labels.target,
    s.labels.period,
    s.labels.check,
    s.value,
  ];
  const epochAge = NOW / 1000;
  const weird = 'weird "pool"\\x\ny';
  assert.deepEqual(parsed.samples.map(row), [
    ["snapshot_latest_age_seconds", "tank/a", "prod", "", "daily", undefined, 5400],
    ["snapshot_latest_age_seconds", "tank/a", "prod", "onsite", "hourly", undefined, 7200],
    ["snapshot_latest_age_seconds", weird, "prod", "", "daily", undefined, 900],
    ["snapshot_latest_age_seconds", weird, "prod", "onsite", "hourly", undefined, epochAge],
    ["snapshot_latest_age_seconds", "tank/empty", "prod", "", "daily", undefined, epochAge],
    ["snapshot_latest_age_seconds", "tank/empty", "prod", "onsite", "hourly", undefined, epochAge],
    ["snapshot_oldest_age_seconds", "tank/a", "prod", "", "daily", undefined, 108000],
    ["snapshot_oldest_age_seconds", weird, "prod", "", "daily", undefined, 900],
    ["snapshot_oldest_age_seconds", "tank/empty", "prod", "", "daily", undefined, epochAge],
    ["monitor_status", "tank/a", "prod", "", "daily", "latest", 0],
    ["monitor_status", "tank/a", "prod", "", "daily", "oldest", 0],
    ["monitor_status", "tank/a", "prod", "onsite", "hourly", "latest", 1],
    ["monitor_status", weird, "prod", "", "daily", "latest", 0],
    ["monitor_status", weird, "prod", "", "daily", "oldest", 0],
    ["monitor_status", weird, "prod", "onsite", "hourly", "latest", 2],
    ["monitor_status", "tank/empty", "prod", "", "daily", "latest", 2],
    ["monitor_status", "tank/empty", "prod", "", "daily", "oldest", 2],
    ["monitor_status", "tank/empty", "prod", "onsite", "hourly", "latest", 2],
  ]);
  // Exactly the labels promised, nothing else.
  for (const s of parsed.samples) {
    const expected = s.name === "bzfs_monitor_status"
      ? ["check", "dataset", "org", "period", "target"]
      : ["dataset", "org", "period", "target"];
    assert.deepEqual(Object.keys(s.labels).sort(), expected);
  }
});

Deno.test("renderPrometheusTextfile: exact text of one sample and the escaping", () => {
  const text = renderPrometheusTextfile(report().findings);
  assert.ok(
    text.includes(
      'bzfs_snapshot_latest_age_seconds{dataset="tank/a",org="prod",target="",period="daily"} 5400\n',
    ),
  );
  assert.ok(text.includes('dataset="weird \\"pool\\"\\\\x\\ny"'));
  assert.ok(text.startsWith("# HELP bzfs_snapshot_latest_age_seconds "));
});

Deno.test("renderPrometheusTextfile: muted findings still show their grade; no findings, empty file", () => {
  const r = monitorSnapshots([{ dataset: "tank/empty", snapshots: [] }], parseMonitorPlan(PLAN), {
    now: NOW,
    dontCrit: true,
  });
  assert.equal(r.status, 0);
  const status = parseTextFormat(renderPrometheusTextfile(r.findings)).samples.filter((s) =>
    s.name === "bzfs_monitor_status"
  );
  assert.deepEqual(status.map((s) => s.value), [2, 2, 2]);
  assert.equal(renderPrometheusTextfile([]), "");
  assert.deepEqual(parseTextFormat(""), { help: new Map(), type: new Map(), samples: [] });
});

Deno.test("escaping and label keys", () => {
  assert.equal(escapeLabelValue('a"b\\c\nd'), 'a\\"b\\\\c\\nd');
  assert.equal(escapeHelp('a"b\\c\nd'), 'a"b\\\\c\\nd');
  assert.deepEqual(labelKeys({ prefix: "prod_", infix: "onsite_", suffix: "_10minutely" }), {
    org: "prod",
    target: "onsite",
    period: "10minutely",
  });
  assert.deepEqual(labelKeys({ prefix: "prod_", infix: "", suffix: "" }), {
    org: "prod",
    target: "",
    period: "",
  });
});

Deno.test("the test parser rejects what the textfile collector rejects", () => {
  assert.throws(() => parseTextFormat("a 1\nb 1\na 2\n"), /not contiguous/);
  assert.throws(() => parseTextFormat('a{x="1"} 1\na{x="1"} 2\n'), /duplicate series/);
  assert.throws(() => parseTextFormat("a 1 1700000000\n"), /timestamps/);
  assert.throws(() => parseTextFormat('a{x="\\t"} 1\n'), /bad escape/);
  assert.throws(() => parseTextFormat("a one\n"));
  assert.throws(() => parseTextFormat("a 1\n# TYPE a gauge\n"), /TYPE after samples/);
  assert.deepEqual(parseTextFormat("a NaN\nb +Inf\nc -Inf\n").samples.map((s) => s.value), [
    NaN,
    Infinity,
    -Infinity,
  ]);
});

Deno.test("writeTextfileAtomically: replaces the file whole, mode 0644, no temp file left", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const path = `${dir}/bzfs_monitor.prom`;
    await Deno.writeTextFile(path, "old\n");
    const text = renderPrometheusTextfile(report().findings);
    await writeTextfileAtomically(path, text);
    assert.equal(await Deno.readTextFile(path), text);
    assert.equal((await Deno.stat(path)).mode! & 0o777, 0o644);
    await writeTextfileAtomically(path, "x 1\n", { mode: 0o600 });
    assert.equal((await Deno.stat(path)).mode! & 0o777, 0o600);
    assert.deepEqual([...Deno.readDirSync(dir)].map((e) => e.name), ["bzfs_monitor.prom"]);
    await assert.rejects(
      () => writeTextfileAtomically(`${dir}/missing/x.prom`, "x 1\n"),
      Deno.errors.NotFound,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
