import assert from "node:assert/strict";
import dgram from "node:dgram";
import { main } from "../../lib/cli/main.ts";
import { Redactor } from "../../lib/log/redact.ts";
import { logger, setupLogging } from "../../lib/log/setup.ts";
import {
  createSyslogSink,
  formatSyslogMessage,
  parseSyslogAddress,
  SyslogAddressError,
  syslogLogLevel,
  syslogPriority,
} from "../../lib/log/syslog.ts";

/** A UDP syslog server on 127.0.0.1 collecting datagrams. */
async function udpServer(): Promise<{ port: number; messages: string[]; close(): void }> {
  const socket = dgram.createSocket("udp4");
  const messages: string[] = [];
  socket.on("message", (msg: Uint8Array) => messages.push(new TextDecoder().decode(msg)));
  await new Promise<void>((resolve) => socket.bind(0, "127.0.0.1", () => resolve()));
  return { port: socket.address().port, messages, close: () => socket.close() };
}

/** A stream syslog server (TCP or unix) collecting LF-framed messages. */
function streamServer(listener: Deno.Listener): { messages: () => string[]; close(): void } {
  let text = "";
  const conns: Deno.Conn[] = [];
  (async () => {
    for await (const conn of listener) {
      conns.push(conn);
      (async () => {
        try {
          for await (const chunk of conn.readable) text += new TextDecoder().decode(chunk);
        } catch { /* closed */ }
      })();
    }
  })().catch(() => {});
  return {
    messages: () => text.split("\n").filter((l) => l !== ""),
    close() {
      listener.close();
      for (const c of conns) {
        try {
          c.close();
        } catch { /* already closed */ }
      }
    },
  };
}

async function until(cond: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 200 && !cond(); i++) await new Promise((r) => setTimeout(r, 10));
  assert.ok(cond(), `timed out waiting for ${what}`);
}

const HEADER = /^<(\d+)>[A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d (\S+) (\S+): (.*)$/;

Deno.test("parseSyslogAddress: host:port by socktype, socket paths, bad ports", () => {
  assert.deepEqual(parseSyslogAddress(" 127.0.0.1:514 ", "UDP"), {
    kind: "udp",
    hostname: "127.0.0.1",
    port: 514,
  });
  assert.deepEqual(parseSyslogAddress("logs.example.com:1514", "TCP"), {
    kind: "tcp",
    hostname: "logs.example.com",
    port: 1514,
  });
  assert.deepEqual(parseSyslogAddress("[::1]:514", "UDP"), {
    kind: "udp",
    hostname: "::1",
    port: 514,
  });
  assert.deepEqual(parseSyslogAddress("/dev/log", "TCP"), { kind: "unix", path: "/dev/log" });
  assert.throws(() => parseSyslogAddress("host:abc", "UDP"), SyslogAddressError);
  assert.throws(() => parseSyslogAddress("host:70000", "UDP"), /Invalid --log-syslog-address/);
});

Deno.test("syslogPriority is facility << 3 | severity like Python's SysLogHandler", () => {
  assert.equal(syslogPriority(1, "error"), 11);
  assert.equal(syslogPriority(1, "fatal"), 10);
  assert.equal(syslogPriority(0, "warning"), 4);
  assert.equal(syslogPriority(7, "info"), 62);
  assert.equal(syslogPriority(3, "debug"), 31);
  // Python maps an unknown level name (TRACE) to "warning".
  assert.equal(syslogPriority(1, "trace"), 12);
  assert.equal(syslogLogLevel("CRITICAL"), "fatal");
  assert.equal(syslogLogLevel("WARN"), "warning");
  assert.equal(syslogLogLevel("TRACE"), "trace");
});

Deno.test("formatSyslogMessage renders an RFC 3164 header and one line", () => {
  const ts = new Date(2024, 8, 3, 2, 6, 5).getTime();
  assert.equal(
    formatSyslogMessage({ priority: 11, timestamp: ts, hostname: "h1", prefix: "bzfs", text: "x" }),
    "<11>Sep  3 02:06:05 h1 bzfs: x",
  );
  const ts2 = new Date(2024, 11, 24, 23, 59, 59).getTime();
  assert.equal(
    formatSyslogMessage({
      priority: 14,
      timestamp: ts2,
      hostname: "my host",
      prefix: " my%tag ",
      text: "a\nb\r\nc",
    }),
    "<14>Dec 24 23:59:59 my-host mytag: a b c",
  );
});

Deno.test("UDP: records at or above the level arrive as datagrams with the right priority", async () => {
  const server = await udpServer();
  try {
    const sink = createSyslogSink(
      { address: `127.0.0.1:${server.port}`, facility: 3, level: "WARN", prefix: "zz" },
      { render: (r) => String(r.message.join("")), hostname: "hostA" },
    );
    const rec = (level: "info" | "warning" | "error" | "fatal", text: string) =>
      sink({
        level,
        message: [text],
        timestamp: Date.now(),
        category: [],
        properties: {},
        rawMessage: text,
      });
    rec("info", "not sent");
    rec("warning", "careful");
    rec("error", "boom");
    rec("fatal", "dead");
    await sink.drain();
    await until(() => server.messages.length === 3, "3 datagrams");
    const parsed = server.messages.map((m) => m.match(HEADER)!);
    assert.deepEqual(parsed.map((m) => Number(m[1])), [3 * 8 + 4, 3 * 8 + 3, 3 * 8 + 2]);
    assert.deepEqual(parsed.map((m) => m[2]), ["hostA", "hostA", "hostA"]);
    assert.deepEqual(parsed.map((m) => m[3]), ["zz", "zz", "zz"]);
    assert.deepEqual(parsed.map((m) => m[4]), ["careful", "boom", "dead"]);
    sink.close();
  } finally {
    server.close();
  }
});

Deno.test("TCP: messages are LF-framed on one connection, in order", async () => {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const server = streamServer(listener);
  try {
    const sink = createSyslogSink(
      { address: `127.0.0.1:${listener.addr.port}`, socktype: "TCP", level: "DEBUG" },
      { render: (r) => String(r.message.join("")), hostname: "h" },
    );
    for (let i = 0; i < 5; i++) {
      sink({
        level: "debug",
        message: [`m${i}`],
        timestamp: Date.now(),
        category: [],
        properties: {},
        rawMessage: "",
      });
    }
    await sink.drain();
    await until(() => server.messages().length === 5, "5 TCP messages");
    assert.deepEqual(server.messages().map((m) => m.match(HEADER)![4]), [
      "m0",
      "m1",
      "m2",
      "m3",
      "m4",
    ]);
    assert.ok(server.messages().every((m) => m.startsWith("<15>")), server.messages().join("|"));
    sink.close();
  } finally {
    server.close();
  }
});

Deno.test("unix socket path: messages reach a stream socket listener", async () => {
  const dir = Deno.makeTempDirSync();
  const path = `${dir}/syslog.sock`;
  const server = streamServer(Deno.listen({ transport: "unix", path }));
  try {
    const sink = createSyslogSink({ address: path }, {
      render: (r) => String(r.message.join("")),
      hostname: "h",
    });
    sink({
      level: "error",
      message: ["via unix"],
      timestamp: Date.now(),
      category: [],
      properties: {},
      rawMessage: "",
    });
    await sink.drain();
    await until(() => server.messages().length === 1, "a unix message");
    assert.match(server.messages()[0], /^<11>.* h bzfs: via unix$/);
    sink.close();
  } finally {
    server.close();
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("an unreachable syslog reports once and never throws into the logger", async () => {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = listener.addr.port;
  listener.close();
  const errors: string[] = [];
  const sink = createSyslogSink({ address: `127.0.0.1:${port}`, socktype: "TCP" }, {
    render: () => "x",
    onError: (m) => errors.push(m),
  });
  for (let i = 0; i < 3; i++) {
    sink({
      level: "error",
      message: ["x"],
      timestamp: Date.now(),
      category: [],
      properties: {},
      rawMessage: "",
    });
  }
  await sink.drain();
  assert.equal(errors.length, 1);
  assert.match(errors[0], new RegExp(`^Cannot send to syslog at 127\\.0\\.0\\.1:${port}: `));
  sink.close();
});

Deno.test("setupLogging: syslog gets redacted records at max(syslog level, overall level)", async () => {
  const server = await udpServer();
  const lines: string[] = [];
  const redactor = new Redactor();
  redactor.add("hunter22");
  const handle = setupLogging({
    verbose: 0,
    quiet: false,
    redactor,
    writeConsole: (l) => lines.push(l),
    syslog: { address: `127.0.0.1:${server.port}`, level: "DEBUG", facility: 1, prefix: "bz" },
  });
  try {
    const log = logger("t");
    log.debug("debug is below the overall INFO level");
    log.info("info with secret hunter22");
    log.error("error {x}", { x: 42 });
    await handle.drain();
    await until(() => server.messages.length === 3, "3 datagrams");
    const parsed = server.messages.map((m) => m.match(HEADER)!);
    assert.match(parsed[0][4], /^\[W\] No messages with priority lower than INFO/);
    assert.deepEqual(parsed.slice(1).map((m) => m[4]), [
      "[I] info with secret ***",
      "[E] error 42",
    ]);
    assert.deepEqual(parsed.map((m) => Number(m[1])), [12, 14, 11]);
    assert.ok(lines.some((l) =>
      l.includes(
        "No messages with priority lower than INFO will be sent to syslog because syslog log level DEBUG is lower than overall log level INFO.",
      )
    ));
  } finally {
    handle.close();
    server.close();
  }
});

Deno.test("setupLogging: a malformed syslog address is reported and logging still works", () => {
  const lines: string[] = [];
  const handle = setupLogging({
    verbose: 0,
    quiet: false,
    redactor: new Redactor(),
    writeConsole: (l) => lines.push(l),
    syslog: { address: "host:port" },
  });
  logger().info("still logging");
  handle.close();
  assert.match(lines[0], /^\[E\] Invalid --log-syslog-address port: 'host:port'$/);
  assert.match(lines[1], /\[I\] still logging$/);
});

Deno.test("bzfs main: --log-syslog-* sends the run's error lines (default level ERROR) over TCP", async () => {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const server = streamServer(listener);
  const home = Deno.makeTempDirSync();
  try {
    const code = await main([
      "--log-syslog-address",
      `127.0.0.1:${listener.addr.port}`,
      "--log-syslog-socktype",
      "TCP",
      "--log-syslog-facility",
      "5",
      "--log-syslog-prefix",
      "bzfs_test",
      "tank/a",
      "backup/a",
    ], {
      env: { HOME: home },
      writeOut: () => {},
      writeErr: () => {},
      runJob: () => Promise.reject(new Error("simulated failure")),
    });
    assert.equal(code, 3);
    await until(() => server.messages().length >= 1, "the error line");
    const m = server.messages();
    assert.equal(m.length, 1, m.join("\n"));
    const h = m[0].match(HEADER)!;
    assert.equal(Number(h[1]), 5 * 8 + 3);
    assert.equal(h[3], "bzfs_test");
    assert.equal(h[4], "[E] Exiting bzfs with status code 3. Cause: simulated failure");
  } finally {
    server.close();
    Deno.removeSync(home, { recursive: true });
  }
});

/** A unix datagram listener in a child Deno (`Deno.listenDatagram` needs `--unstable-net`). */
async function unixDatagramServer(path: string) {
  const code = `
    const conn = Deno.listenDatagram({ transport: "unixpacket", path: Deno.env.get("SOCK") });
    console.log("ready");
    for await (const [data] of conn) console.log(JSON.stringify(new TextDecoder().decode(data)));
  `;
  const child = new Deno.Command(Deno.execPath(), {
    args: ["eval", "--unstable-net", code],
    env: { SOCK: path },
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  const lines: string[] = [];
  const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = "";
  (async () => {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      buffer += value;
      const parts = buffer.split("\n");
      buffer = parts.pop()!;
      lines.push(...parts);
    }
  })().catch(() => {});
  await until(() => lines.includes("ready"), "the datagram listener");
  return {
    messages: () => lines.filter((l) => l !== "ready").map((l) => JSON.parse(l) as string),
    async close() {
      child.kill();
      await child.status;
      await reader.cancel().catch(() => {});
    },
  };
}

Deno.test({
  name: "unix datagram socket (like /dev/log): delivered through logger with tag and priority",
  ignore: !(await new Deno.Command("logger", { args: ["--help"], stdout: "null" }).output()
    .then((o) => o.success, () => false)),
  fn: async () => {
    const dir = Deno.makeTempDirSync();
    const path = `${dir}/dev-log`;
    const server = await unixDatagramServer(path);
    try {
      const sink = createSyslogSink({ address: path, facility: 2, prefix: "bzfs_dg" }, {
        render: (r) => String(r.message.join("")),
        hostname: "h",
      });
      const rec = (level: "error" | "fatal", text: string) =>
        sink({
          level,
          message: [text],
          timestamp: Date.now(),
          category: [],
          properties: {},
          rawMessage: "",
        });
      rec("error", "first");
      rec("fatal", "second");
      await sink.drain();
      await until(() => server.messages().length === 2, "2 datagrams");
      const m = server.messages();
      assert.match(m[0], /^<19>[A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d bzfs_dg(\[\d+\])?: first$/);
      assert.match(m[1], /^<18>.* bzfs_dg(\[\d+\])?: second$/);
      sink.close();
    } finally {
      await server.close();
      Deno.removeSync(dir, { recursive: true });
    }
  },
});

/** Runs the real CLI with the task's permissions (no --allow-net) against a missing pool. */
async function runCliWithoutNet(args: string[]): Promise<number> {
  const home = Deno.makeTempDirSync();
  try {
    const out = await new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "--frozen",
        "--allow-run",
        "--allow-env",
        "--allow-read",
        "--allow-write",
        "--allow-sys=hostname,uid",
        new URL("../../cli.ts", import.meta.url).pathname,
        ...args,
        "nosuchpool_bzfs/a",
        "nosuchpool_bzfs/b",
      ],
      env: { HOME: home, PATH: "/usr/bin:/bin" },
      stdout: "null",
      stderr: "null",
    }).output();
    return out.code;
  } finally {
    Deno.removeSync(home, { recursive: true });
  }
}

Deno.test({
  name: "the CLI without --allow-net reaches a host:port syslog through logger (UDP and TCP)",
  ignore: !(await new Deno.Command("logger", { args: ["--help"], stdout: "null" }).output()
    .then((o) => o.success, () => false)),
  fn: async () => {
    const udp = await udpServer();
    const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
    const tcp = streamServer(listener);
    try {
      const udpArgs = ["--log-syslog-address", `127.0.0.1:${udp.port}`, "--log-syslog-facility=4"];
      assert.equal(await runCliWithoutNet(udpArgs), 3);
      await until(() => udp.messages.some((m) => m.includes("Exiting bzfs")), "the UDP exit line");
      const exit = udp.messages.find((m) => m.includes("Exiting bzfs"))!;
      assert.match(
        exit,
        /^<35>[A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d \S+ bzfs: \[E\] Exiting bzfs with status code 3\. /,
      );
      const tcpArgs = [
        "--log-syslog-address",
        `127.0.0.1:${listener.addr.port}`,
        "--log-syslog-socktype=TCP",
        "--log-syslog-prefix=bz_tcp",
      ];
      assert.equal(await runCliWithoutNet(tcpArgs), 3);
      await until(
        () => tcp.messages().some((m) => m.includes("Exiting bzfs")),
        "the TCP exit line",
      );
      assert.ok(
        tcp.messages().every((m) => /^<11>.* bz_tcp: \[E\] /.test(m)),
        tcp.messages().join("\n"),
      );
    } finally {
      udp.close();
      tcp.close();
    }
  },
});
