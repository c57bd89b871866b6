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

/**
 * Installs the timeouts on a request; the request is destroyed with an OutboundTimeoutError when
 * one runs out (or with what `destroyWith` makes of it, for clients that read error codes).
 */
export function watchRequestTimeouts(
  request: http.ClientRequest,
  host: string,
  timeouts: RequestTimeouts = {},
  destroyWith: (timeout: OutboundTimeoutError) => Error = (timeout) => timeout,
): void {
  const connectMs = timeouts.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
  const answerMs = timeouts.answerTimeoutMs ?? DEFAULT_ANSWER_TIMEOUT_MS;
  const fail = (phase: TimeoutPhase, ms: number) => () => request.destroy(destroyWith(new OutboundTimeoutError(phase, ms, host)));
  const connectTimer = setTimeout(fail("connect", connectMs), connectMs);
  const totalTimer = timeouts.totalTimeoutMs ? setTimeout(fail("total", timeouts.totalTimeoutMs), timeouts.totalTimeoutMs) : undefined;
  // The answer timer is our own, not the socket's idle timeout (which, during a TLS handshake,
  // let a silent server run for twice the limit). It runs from the connection on and starts over
  // whenever bytes arrive: the socket's byte count is polled, so nothing reads the response in
  // the caller's place.
  let answerTimer: NodeJS.Timeout | undefined;
  let progress: NodeJS.Timeout | undefined;
  const awaitAnswer = () => {
    clearTimeout(answerTimer);
    answerTimer = setTimeout(fail("answer", answerMs), answerMs);
  };
  const connected = () => {
    clearTimeout(connectTimer);
    awaitAnswer();
    let bytesRead = request.socket?.bytesRead ?? 0;
    progress = setInterval(
      () => {
        const now = request.socket?.bytesRead ?? bytesRead;
        if (now !== bytesRead) {
          bytesRead = now;
          awaitAnswer();
        }
      },
      Math.max(50, Math.min(1000, answerMs / 5)),
    );
  };
  request.once("socket", (socket) => {
    // A kept-alive socket is connected already; a new one is connecting.
    if ((socket as { connecting?: boolean }).connecting) socket.once("connect", connected);
    else connected();
  });
  const done = () => {
    clearTimeout(connectTimer);
    clearTimeout(answerTimer);
    clearTimeout(totalTimer);
    clearInterval(progress);
  };
  request.once("response", (response: http.IncomingMessage) => response.once("end", done));
  request.once("close", done);
}
