import type http from "node:http";

/**
 * Connect and answer timeouts for one outgoing HTTP request, told apart so a server that stopped
 * answering is reported as such (and not, 20 seconds later, as "closed the connection").
 *
 * - connect: from the request until the TCP connection is up. A host that drops packets (a
 *   firewall, a wrong address) ends here.
 * - answer: once connected, the longest silence allowed (TLS handshake, response headers, each
 *   chunk of the body). A server that accepted the connection and then stopped (overloaded,
 *   stuck, or a process stopped with SIGSTOP whose kernel still accepts connections) ends here.
 * - total: an upper bound for the whole exchange, so a server that drips one byte at a time
 *   cannot hold a job forever.
 */
export interface RequestTimeouts {
  connectTimeoutMs?: number;
  answerTimeoutMs?: number;
  totalTimeoutMs?: number;
}

export const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;
export const DEFAULT_ANSWER_TIMEOUT_MS = 30_000;

export type TimeoutPhase = "connect" | "answer" | "total";

/** A request given up on; code ETIMEDOUT like Node's own, with the phase and the limit. */
export class OutboundTimeoutError extends Error {
  readonly code = "ETIMEDOUT";
  constructor(
    readonly phase: TimeoutPhase,
    readonly timeoutMs: number,
    readonly host: string,
  ) {
    super(
      phase === "connect"
        ? `no connection to ${host} within ${formatTimeout(timeoutMs)}`
        : phase === "answer"
          ? `${host} accepted the connection but did not answer within ${formatTimeout(timeoutMs)}`
          : `${host} did not finish answering within ${formatTimeout(timeoutMs)}`,
    );
    this.name = "OutboundTimeoutError";
  }
  get seconds(): number {
    return Math.round(this.timeoutMs / 100) / 10;
  }
}

export function formatTimeout(ms: number): string {
  const seconds = Math.round(ms / 100) / 10;
  return `${seconds} s`;
}

/** Installs the timeouts on a request; the request is destroyed with an OutboundTimeoutError when one runs out. */
export function watchRequestTimeouts(request: http.ClientRequest, host: string, timeouts: RequestTimeouts = {}): void {
  const connectMs = timeouts.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
  const answerMs = timeouts.answerTimeoutMs ?? DEFAULT_ANSWER_TIMEOUT_MS;
  const fail = (phase: TimeoutPhase, ms: number) => () => request.destroy(new OutboundTimeoutError(phase, ms, host));
  const connectTimer = setTimeout(fail("connect", connectMs), connectMs);
  const totalTimer = timeouts.totalTimeoutMs ? setTimeout(fail("total", timeouts.totalTimeoutMs), timeouts.totalTimeoutMs) : undefined;
  const connected = () => {
    clearTimeout(connectTimer);
    request.setTimeout(answerMs, fail("answer", answerMs));
  };
  request.once("socket", (socket) => {
    // A kept-alive socket is connected already; a new one is connecting (or, for a pooled
    // agent socket being set up, pending).
    if ((socket as { connecting?: boolean }).connecting || (socket as { pending?: boolean }).pending) socket.once("connect", connected);
    else connected();
  });
  request.once("close", () => {
    clearTimeout(connectTimer);
    clearTimeout(totalTimer);
  });
}
