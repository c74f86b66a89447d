/**
 * `--log-syslog-*`: a logtape sink that forwards records at or above a level to syslog, as
 * RFC 3164-style messages `<PRI>Mmm dd HH:MM:SS HOST PREFIX: [L] text`.
 *
 * The priority is computed as upstream's Python `SysLogHandler` does: `facility << 3 | severity`
 * with the raw `--log-syslog-facility` number, and severities critical 2, error 3, warning 4,
 * info 6, debug 7 (Python maps its unknown TRACE level to warning, 4; so do we).
 *
 * Transports: `host:port` over UDP (one datagram per message) or TCP (LF-terminated messages,
 * RFC 6587 non-transparent framing); a socket path as a unix stream socket, else as a unix
 * datagram socket: directly when the runtime offers one (`Deno.listenDatagram`, `--unstable-net`),
 * otherwise through one long-lived util-linux `logger --socket PATH --prio-prefix` child (for
 * `/dev/log`, which is a datagram socket on most systems). Without `--allow-net` (the CLI's
 * default permissions) `host:port` also goes through `logger --server HOST --port PORT`. Sending is asynchronous; {@linkcode SyslogSink.drain}
 * waits for everything queued. Failures never throw into the logger: the first one is reported
 * once through `onError` and the sink stops sending.
 *
 * @module
 */
import type { LogLevel, LogRecord } from "@logtape/logtape";
import { BzfsError } from "../errors.ts";

/** `--log-syslog-level` choices. */
export type SyslogLevelName = "CRITICAL" | "ERROR" | "WARN" | "INFO" | "DEBUG" | "TRACE";

/** Settings of a syslog sink (the `--log-syslog-*` options). */
export interface SyslogSettings {
  /** `--log-syslog-address`: `host:port` or a socket path. */
  readonly address: string;
  /** `--log-syslog-socktype` for `host:port`. @default "UDP" */
  readonly socktype?: "UDP" | "TCP";
  /** `--log-syslog-facility`. @default 1 */
  readonly facility?: number;
  /** `--log-syslog-prefix`. @default "bzfs" */
  readonly prefix?: string;
  /** `--log-syslog-level`. @default "ERROR" */
  readonly level?: SyslogLevelName;
}

/** Where a syslog address points. */
export type SyslogTarget =
  | { readonly kind: "udp" | "tcp"; readonly hostname: string; readonly port: number }
  | { readonly kind: "unix"; readonly path: string };

/** The `--log-syslog-address` is malformed. */
export class SyslogAddressError extends BzfsError {}

/**
 * Parses `--log-syslog-address` like upstream: with a `:` it is `host:port` (split at the last
 * colon; brackets around an IPv6 host are removed), otherwise a unix socket path.
 *
 * @example
 * ```ts
 * import { parseSyslogAddress } from "./syslog.ts";
 * parseSyslogAddress("127.0.0.1:514", "UDP"); // { kind: "udp", hostname: "127.0.0.1", port: 514 }
 * parseSyslogAddress("/dev/log", "UDP"); // { kind: "unix", path: "/dev/log" }
 * ```
 * @param address The option value.
 * @param socktype `--log-syslog-socktype`.
 * @returns The target.
 * @throws {SyslogAddressError} When the port is not an integer in 0..65535.
 */
export function parseSyslogAddress(address: string, socktype: "UDP" | "TCP"): SyslogTarget {
  const a = address.trim();
  const colon = a.lastIndexOf(":");
  if (colon < 0) return { kind: "unix", path: a };
  const host = a.slice(0, colon).trim().replace(/^\[(.*)\]$/, "$1");
  const portText = a.slice(colon + 1).trim();
  const port = Number(portText);
  if (!/^\d+$/.test(portText) || port > 65535) {
    throw new SyslogAddressError(`Invalid --log-syslog-address port: '${address}'`);
  }
  return { kind: socktype === "TCP" ? "tcp" : "udp", hostname: host || "localhost", port };
}

const SEVERITY: Record<LogLevel, number> = {
  fatal: 2,
  error: 3,
  warning: 4,
  info: 6,
  debug: 7,
  trace: 4,
};

const LEVEL_OF: Record<SyslogLevelName, LogLevel> = {
  CRITICAL: "fatal",
  ERROR: "error",
  WARN: "warning",
  INFO: "info",
  DEBUG: "debug",
  TRACE: "trace",
};

const ORDER: LogLevel[] = ["trace", "debug", "info", "warning", "error", "fatal"];

/**
 * The logtape level of a `--log-syslog-level` name.
 *
 * @example
 * ```ts
 * import { syslogLogLevel } from "./syslog.ts";
 * syslogLogLevel("WARN"); // "warning"
 * ```
 * @param name The option value.
 * @returns The logtape level.
 */
export function syslogLogLevel(name: SyslogLevelName): LogLevel {
  return LEVEL_OF[name];
}

/**
 * The syslog priority of a record: `facility * 8 + severity`.
 *
 * @example
 * ```ts
 * import { syslogPriority } from "./syslog.ts";
 * syslogPriority(1, "error"); // 11
 * ```
 * @param facility `--log-syslog-facility`.
 * @param level The record's level.
 * @returns The `PRI` number.
 */
export function syslogPriority(facility: number, level: LogLevel): number {
  return facility * 8 + SEVERITY[level];
}

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

function two(n: number): string {
  return String(n).padStart(2, "0");
}

/** Inputs of {@linkcode formatSyslogMessage}. */
export interface SyslogMessageParts {
  /** The `PRI` number. */
  readonly priority: number;
  /** When, in epoch milliseconds (rendered in local time). */
  readonly timestamp: number;
  /** The sending host's name (spaces are not allowed and become `-`). */
  readonly hostname: string;
  /** The tag (`--log-syslog-prefix`, with `%` removed like upstream, spaces as `_`). */
  readonly prefix: string;
  /** The message text. */
  readonly text: string;
}

/**
 * Renders one RFC 3164-style message (no trailer; the transport adds framing).
 *
 * @example
 * ```ts
 * import { formatSyslogMessage } from "./syslog.ts";
 * formatSyslogMessage({
 *   priority: 11,
 *   timestamp: new Date(2024, 8, 3, 12, 26, 15).getTime(),
 *   hostname: "h1",
 *   prefix: "bzfs",
 *   text: "[E] boom",
 * }); // "<11>Sep  3 12:26:15 h1 bzfs: [E] boom"
 * ```
 * @param parts Priority, time, host, tag and text.
 * @returns The message.
 */
export function formatSyslogMessage(parts: SyslogMessageParts): string {
  const d = new Date(parts.timestamp);
  const ts = `${MONTHS[d.getMonth()]} ${String(d.getDate()).padStart(2, " ")} ${
    two(d.getHours())
  }:${two(d.getMinutes())}:${two(d.getSeconds())}`;
  const host = parts.hostname.replace(/\s/g, "-") || "-";
  const tag = parts.prefix.replace(/%/g, "").trim().replace(/\s/g, "_");
  const text = parts.text.replace(/[\r\n]+/g, " ");
  return `<${parts.priority}>${ts} ${host} ${tag}: ${text}`;
}

/** Sends encoded messages; created per target. */
export interface SyslogTransport {
  /** Sends one message (a stream transport appends the LF frame end). */
  send(bytes: Uint8Array): Promise<void>;
  /** Releases the socket. */
  close(): void;
}

interface DatagramLike {
  send(data: Uint8Array, addr: { transport: "unixpacket"; path: string }): Promise<number>;
  close(): void;
}

type ListenDatagram = (options: { transport: "unixpacket"; path: string }) => DatagramLike;

function unixDatagramApi(): ListenDatagram | undefined {
  const fn = (Deno as unknown as { listenDatagram?: ListenDatagram }).listenDatagram;
  return typeof fn === "function" ? fn : undefined;
}

async function udpTransport(hostname: string, port: number): Promise<SyslogTransport> {
  const dgram = await import("node:dgram");
  const socket = dgram.createSocket(hostname.includes(":") ? "udp6" : "udp4");
  socket.unref();
  return {
    send: (bytes) =>
      new Promise((resolve, reject) =>
        socket.send(bytes, port, hostname, (err) => err ? reject(err) : resolve())
      ),
    close: () => socket.close(),
  };
}

const LF = new Uint8Array([10]);

function streamTransport(conn: Deno.Conn): SyslogTransport {
  return {
    async send(bytes) {
      const framed = new Uint8Array(bytes.length + 1);
      framed.set(bytes);
      framed.set(LF, bytes.length);
      let off = 0;
      while (off < framed.length) off += await conn.write(framed.subarray(off));
    },
    close: () => conn.close(),
  };
}

function unixDatagramTransport(listen: ListenDatagram, path: string): SyslogTransport {
  const local = Deno.makeTempFileSync({ prefix: "bzfs_syslog_", suffix: ".sock" });
  Deno.removeSync(local);
  const conn = listen({ transport: "unixpacket", path: local });
  return {
    async send(bytes) {
      await conn.send(bytes, { transport: "unixpacket", path });
    },
    close() {
      conn.close();
      try {
        Deno.removeSync(local);
      } catch { /* already gone */ }
    },
  };
}

/**
 * Opens the transport for a target.
 *
 * @example
 * ```ts ignore
 * const t = await openSyslogTransport({ kind: "udp", hostname: "127.0.0.1", port: 514 });
 * await t.send(new TextEncoder().encode("<11>hello"));
 * t.close();
 * ```
 * @param target Where to send.
 * @returns The transport.
 * @throws {Deno.errors.ConnectionRefused} (and other socket errors) when the target is unreachable.
 */
export async function openSyslogTransport(target: SyslogTarget): Promise<SyslogTransport> {
  if (target.kind !== "unix" && !netGranted(target.hostname, target.port)) {
    // the CLI runs without --allow-net: let util-linux logger do the networking
    const where = ["--server", target.hostname, "--port", String(target.port)];
    return loggerTransport([...where, target.kind === "udp" ? "--udp" : "--tcp", "--rfc3164"]);
  }
  switch (target.kind) {
    case "udp":
      return await udpTransport(target.hostname, target.port);
    case "tcp":
      return streamTransport(
        await Deno.connect({ hostname: target.hostname, port: target.port }),
      );
    case "unix": {
      try {
        return streamTransport(await Deno.connect({ transport: "unix", path: target.path }));
      } catch (e) {
        const listen = unixDatagramApi();
        if (listen) return unixDatagramTransport(listen, target.path);
        if (!(await Deno.stat(target.path).then((st) => st.isSocket, () => false))) throw e;
        return loggerTransport(["--socket", target.path, "--socket-errors=on"]);
      }
    }
  }
}

const HEADER = /^<(\d+)>[A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d \S+ ([^:]*): /;

function netGranted(hostname: string, port: number): boolean {
  try {
    const host = hostname.includes(":") ? `[${hostname}]:${port}` : `${hostname}:${port}`;
    return Deno.permissions.querySync({ name: "net", host }).state === "granted";
  } catch {
    return false;
  }
}

/**
 * Sending through util-linux `logger` (a unix datagram socket such as `/dev/log` without
 * `Deno.listenDatagram`, or a `host:port` without `--allow-net`): one long-lived
 * `logger <where> --prio-prefix --tag PREFIX` child reads `<PRI>text` lines and writes the header
 * itself.
 */
function loggerTransport(where: readonly string[]): SyslogTransport {
  let child: Deno.ChildProcess | undefined;
  let writer: WritableStreamDefaultWriter<Uint8Array> | undefined;
  let tag = "";
  const encoder = new TextEncoder();
  const start = () => {
    child = new Deno.Command("logger", {
      args: [...where, "--prio-prefix", "--tag", tag],
      stdin: "piped",
      stdout: "null",
      stderr: "inherit", // logger's own socket errors reach the user
    }).spawn();
    child.unref();
    writer = child.stdin.getWriter();
  };
  return {
    async send(bytes) {
      const line = new TextDecoder().decode(bytes);
      const m = HEADER.exec(line);
      const body = m ? `<${m[1]}>${line.slice(m[0].length)}` : line;
      if (!writer) {
        tag = m?.[2] ?? "bzfs";
        start();
      }
      await writer!.write(encoder.encode(body.replace(/\n/g, " ") + "\n"));
    },
    close() {
      writer?.close().catch(() => {});
      writer = undefined;
      child = undefined;
    },
  };
}

/** A logtape sink that forwards to syslog. */
export interface SyslogSink {
  /** The logtape sink function. */
  (record: LogRecord): void;
  /** Resolves when every queued message was sent (or dropped after a failure). */
  drain(): Promise<void>;
  /** Closes the socket (after {@linkcode SyslogSink.drain}). */
  close(): void;
}

/** Seams of {@linkcode createSyslogSink}. */
export interface SyslogSinkOptions {
  /** Renders the record's text (e.g. the level tag plus the redacted message). */
  readonly render: (record: LogRecord) => string;
  /** Reports the first failure (the sink stops sending afterwards). */
  readonly onError?: (message: string) => void;
  /** Host name in the header. @default Deno.hostname() */
  readonly hostname?: string;
  /** Opens the transport. @default openSyslogTransport */
  readonly open?: (target: SyslogTarget) => Promise<SyslogTransport>;
}

function localHostname(): string {
  try {
    return Deno.hostname();
  } catch {
    return "-";
  }
}

/**
 * Creates a syslog sink for the `--log-syslog-*` settings. Records below the level are
 * ignored; the socket opens on the first message.
 *
 * @example
 * ```ts ignore
 * const sink = createSyslogSink({ address: "127.0.0.1:514" }, { render: (r) => String(r.message) });
 * // configure logtape with { sinks: { syslog: sink } }, then at the end:
 * await sink.drain();
 * sink.close();
 * ```
 * @param settings The options.
 * @param options Rendering and seams.
 * @returns The sink.
 * @throws {SyslogAddressError} When the address is malformed.
 */
export function createSyslogSink(settings: SyslogSettings, options: SyslogSinkOptions): SyslogSink {
  const target = parseSyslogAddress(settings.address, settings.socktype ?? "UDP");
  const min = ORDER.indexOf(syslogLogLevel(settings.level ?? "ERROR"));
  const facility = settings.facility ?? 1;
  const prefix = settings.prefix ?? "bzfs";
  const hostname = options.hostname ?? localHostname();
  const open = options.open ?? openSyslogTransport;
  const encoder = new TextEncoder();
  let transport: Promise<SyslogTransport> | undefined;
  let failed = false;
  let queue: Promise<void> = Promise.resolve();
  let opened: SyslogTransport | undefined;
  const fail = (e: unknown) => {
    if (failed) return;
    failed = true;
    const why = e instanceof Error ? e.message : String(e);
    options.onError?.(`Cannot send to syslog at ${settings.address}: ${why}`);
  };
  const sink = ((record: LogRecord) => {
    if (failed || ORDER.indexOf(record.level) < min) return;
    const message = formatSyslogMessage({
      priority: syslogPriority(facility, record.level),
      timestamp: record.timestamp,
      hostname,
      prefix,
      text: options.render(record),
    });
    const bytes = encoder.encode(message);
    transport ??= open(target).then((t) => (opened = t));
    queue = queue.then(async () => {
      if (failed) return;
      try {
        const t = await transport!;
        await t.send(bytes);
      } catch (e) {
        fail(e);
      }
    });
  }) as SyslogSink;
  sink.drain = () => queue;
  sink.close = () => {
    try {
      opened?.close();
    } catch { /* already closed */ }
    opened = undefined;
  };
  return sink;
}
