/**
 * Sends one DNS message to one server and returns the answer: UDP first, TCP when the answer is
 * truncated (or when asked), with a timeout per try. Node built-ins only.
 */
import dgram from "node:dgram";
import net from "node:net";
import { decodeHeader, decodeMessage, type DecodedMessage } from "@/lib/protocol/dns/wire/dns-message";

export interface DnsServerAddress {
  /** An IP address (resolve host names before). */
  host: string;
  port: number;
}

export type DnsTransportProblem = "timeout" | "refused" | "unreachable" | "malformed" | "aborted" | "error";

/** A server that did not answer usefully; `problem` says how, for the sentences built on it. */
export class DnsTransportError extends Error {
  readonly problem: DnsTransportProblem;
  constructor(problem: DnsTransportProblem, message: string, options: { cause?: unknown } = {}) {
    super(message, options);
    this.name = "DnsTransportError";
    this.problem = problem;
  }
}

/** "192.0.2.53" on port 53, "127.0.0.1:5353" or "[2001:db8::53]:5353" otherwise. */
export function describeServer(server: DnsServerAddress): string {
  if (server.port === 53) return server.host;
  return net.isIP(server.host) === 6 ? `[${server.host}]:${server.port}` : `${server.host}:${server.port}`;
}

/**
 * "1.1.1.1", "127.0.0.1:8053", "[2001:db8::1]:53", "2001:db8::1" (the forms Node's
 * dns.getServers() and the dnsResolvers setting use) → address and port (1-65535); null for
 * anything else, host names included.
 */
export function parseServerAddress(text: string, defaultPort = 53): DnsServerAddress | null {
  const port = (digits: string | undefined) =>
    digits === undefined ? defaultPort : /^\d{1,5}$/.test(digits) && Number(digits) >= 1 && Number(digits) <= 65535 ? Number(digits) : null;
  const address = (host: string, digits: string | undefined) => {
    const number = port(digits);
    return number === null ? null : { host, port: number };
  };
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(text);
  if (bracketed) return net.isIP(bracketed[1]) === 6 ? address(bracketed[1], bracketed[2]) : null;
  if (net.isIP(text)) return { host: text, port: defaultPort };
  const hostPort = /^([^:]+):(\d+)$/.exec(text);
  if (hostPort && net.isIP(hostPort[1]) === 4) return address(hostPort[1], hostPort[2]);
  return null;
}

function classifySocketError(error: NodeJS.ErrnoException, server: DnsServerAddress): DnsTransportError {
  const where = describeServer(server);
  switch (error.code) {
    case "ECONNREFUSED":
      return new DnsTransportError("refused", `nothing answers DNS at ${where} (connection refused)`, { cause: error });
    case "ENETUNREACH":
    case "EHOSTUNREACH":
    case "EADDRNOTAVAIL":
      return new DnsTransportError("unreachable", `${where} cannot be reached from this host (${error.code})`, { cause: error });
    default:
      return new DnsTransportError("error", `talking to ${where} failed (${error.code ?? error.message})`, { cause: error });
  }
}

function abortError(): DnsTransportError {
  return new DnsTransportError("aborted", "the DNS request was cancelled");
}

type Finish = (error: Error | null, answer?: Buffer) => void;

/**
 * One exchange that ends exactly once: with the answer, an error, the timeout or the caller's
 * abort. `open` creates the socket, wires its events to `finish` and returns what closes it.
 */
function exchangeOnce(
  server: DnsServerAddress,
  options: { timeoutMs: number; signal?: AbortSignal },
  transport: "udp" | "tcp",
  open: (finish: Finish) => () => void,
): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    if (options.signal?.aborted) return reject(abortError());
    let isDone = false;
    let close = () => {};
    const finish: Finish = (error, answer) => {
      if (isDone) return;
      isDone = true;
      clearTimeout(timer);
      options.signal?.removeEventListener("abort", onAbort);
      close();
      if (error) reject(error);
      else resolve(answer!);
    };
    const onAbort = () => finish(abortError());
    const over = transport === "tcp" ? " over TCP" : "";
    const timer = setTimeout(
      () => finish(new DnsTransportError("timeout", `no answer from ${describeServer(server)}${over} within ${options.timeoutMs / 1000} s`)),
      options.timeoutMs,
    );
    options.signal?.addEventListener("abort", onAbort);
    try {
      close = open(finish);
    } catch (error) {
      finish(error as Error);
    }
  });
}

export function exchangeUdp(server: DnsServerAddress, message: Buffer, options: { timeoutMs: number; signal?: AbortSignal }): Promise<Buffer> {
  return exchangeOnce(server, options, "udp", (finish) => {
    const socket = dgram.createSocket(net.isIP(server.host) === 6 ? "udp6" : "udp4");
    const id = message.readUInt16BE(0);
    socket.on("error", (error) => finish(classifySocketError(error, server)));
    socket.on("message", (answer, from) => {
      // Ignore anything that is not the answer to this question from this server.
      if (answer.length < 12 || answer.readUInt16BE(0) !== id || from.port !== server.port) return;
      finish(null, answer);
    });
    // A connected socket hears ICMP "port unreachable" as ECONNREFUSED instead of waiting out the timeout.
    socket.connect(server.port, server.host, () => {
      socket.send(message, (error) => {
        if (error) finish(classifySocketError(error, server));
      });
    });
    return () => socket.close();
  });
}

export function exchangeTcp(server: DnsServerAddress, message: Buffer, options: { timeoutMs: number; signal?: AbortSignal }): Promise<Buffer> {
  return exchangeOnce(server, options, "tcp", (finish) => {
    const socket = net.connect({ host: server.host, port: server.port });
    let received = Buffer.alloc(0);
    socket.on("error", (error) => finish(classifySocketError(error, server)));
    socket.on("connect", () => {
      const length = Buffer.alloc(2);
      length.writeUInt16BE(message.length);
      socket.write(Buffer.concat([length, message]));
    });
    socket.on("data", (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      if (received.length >= 2 && received.length >= 2 + received.readUInt16BE(0)) {
        finish(null, received.subarray(2, 2 + received.readUInt16BE(0)));
      }
    });
    socket.on("end", () => finish(new DnsTransportError("error", `${describeServer(server)} closed the TCP connection without a complete answer`)));
    return () => socket.destroy();
  });
}

export interface DnsExchange {
  bytes: Buffer;
  message: DecodedMessage;
  transport: "udp" | "tcp";
}

/**
 * One question, one answer: `tries` UDP attempts (each `timeoutMs`, or twice the one before with
 * `backoff`, as a stub resolver waits), then TCP when the answer was truncated; `tcp: true` goes
 * straight to TCP.
 */
export async function exchange(
  server: DnsServerAddress,
  message: Buffer,
  options: { timeoutMs?: number; tries?: number; backoff?: boolean; tcp?: boolean; signal?: AbortSignal } = {},
): Promise<DnsExchange> {
  const timeoutMs = options.timeoutMs ?? 2000;
  const decode = (bytes: Buffer, transport: DnsExchange["transport"]): DnsExchange => {
    try {
      return { bytes, message: decodeMessage(bytes), transport };
    } catch (error) {
      throw new DnsTransportError("malformed", `${describeServer(server)} sent an answer CertDeck cannot read (${(error as Error).message})`, { cause: error });
    }
  };
  if (!options.tcp && message.length <= 512) {
    let lastError: unknown;
    for (let attempt = 0; attempt < (options.tries ?? 2); attempt++) {
      try {
        const bytes = await exchangeUdp(server, message, { timeoutMs: options.backoff ? timeoutMs * 2 ** attempt : timeoutMs, signal: options.signal });
        if (!decodeHeader(bytes).isTruncated) return decode(bytes, "udp");
        lastError = undefined;
        break;
      } catch (error) {
        lastError = error;
        if (!(error instanceof DnsTransportError) || error.problem !== "timeout") throw error;
      }
    }
    if (lastError) throw lastError;
  }
  return decode(await exchangeTcp(server, message, { timeoutMs, signal: options.signal }), "tcp");
}
