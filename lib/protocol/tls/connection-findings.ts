import type { TlsFinding } from "@/lib/protocol/tls/tls-endpoint-status";

/** The part of a Node socket/TLS error the classification looks at. */
export interface ConnectionErrorLike {
  code?: string;
  message: string;
  /** OpenSSL's reason string ("wrong version number"), when OpenSSL raised it. */
  reason?: string;
}

export interface ConnectionContext {
  /** "127.0.0.1:443", "[::1]:443", "shop.example:443". */
  endpoint: string;
  host: string;
  /** The SNI name sent, if any. */
  servername: string | null;
}

/** Records that are not TLS: an HTTP server's "HTTP/1.1 400" read as a TLS record header. */
const NOT_TLS_CODES = new Set([
  "ERR_SSL_WRONG_VERSION_NUMBER",
  "ERR_SSL_PACKET_LENGTH_TOO_LONG",
  "ERR_SSL_UNKNOWN_PROTOCOL",
  "ERR_SSL_HTTP_REQUEST",
  "ERR_SSL_RECORD_LENGTH_MISMATCH",
]);

/**
 * Plain words for a connection or handshake that failed before any certificate was seen. Pure:
 * the probe passes what Node raised.
 */
export function classifyConnectionError(error: ConnectionErrorLike, context: ConnectionContext): TlsFinding {
  const { endpoint, host, servername } = context;
  // The caller's lookup refused the address a name resolves to (a metadata or link-local address): its sentence says why.
  if (error.reason === "outbound-address") return { status: "unreachable", message: error.message };
  const code = error.code ?? "";
  const forName = servername ? ` for ${servername}` : "";
  switch (code) {
    case "ENOTFOUND":
      return { status: "dns-failed", message: `The name ${host} does not resolve: DNS has no address for it.` };
    case "EAI_AGAIN":
      return { status: "dns-failed", message: `The name ${host} could not be resolved: the DNS server did not answer (temporary failure).` };
    case "ECONNREFUSED":
      return { status: "refused", message: `Nothing listens on ${endpoint} (connection refused).` };
    case "EHOSTUNREACH":
    case "ENETUNREACH":
    case "EADDRNOTAVAIL":
      return { status: "unreachable", message: `${endpoint} cannot be reached from here (no route to the host).` };
    case "ETIMEDOUT":
      return { status: "timeout", message: `${endpoint} did not answer (the connection timed out; a firewall may drop the packets).` };
    case "ECONNRESET":
    case "EPIPE":
      return {
        status: "handshake-failed",
        message: `${endpoint} closed the connection during the TLS handshake${forName}: it may not speak TLS on this port, or has no certificate for that name.`,
      };
  }
  if (NOT_TLS_CODES.has(code)) {
    return { status: "not-tls", message: `${endpoint} answers, but not with TLS (probably plain HTTP): use the HTTPS port, or enable ssl on this listener.` };
  }
  if (/UNRECOGNIZED_NAME/.test(code)) {
    return { status: "handshake-failed", message: `${endpoint} refused the TLS handshake: it has no certificate${forName} (unrecognized name).` };
  }
  if (/PROTOCOL_VERSION|UNSUPPORTED_PROTOCOL/.test(code)) {
    return {
      status: "handshake-failed",
      message: `${endpoint} refused the TLS handshake: no TLS version in common (it may offer only TLS 1.0/1.1, which are switched off here).`,
    };
  }
  if (/HANDSHAKE_FAILURE/.test(code)) {
    return {
      status: "handshake-failed",
      message: `${endpoint} refused the TLS handshake${forName} (handshake failure alert): no cipher in common, or no certificate for that name.`,
    };
  }
  if (code.startsWith("ERR_SSL_")) {
    return { status: "handshake-failed", message: `The TLS handshake with ${endpoint} failed: ${error.reason ?? error.message}.` };
  }
  // "Client network socket disconnected before secure TLS connection was established".
  if (/before secure TLS connection/i.test(error.message)) {
    return {
      status: "handshake-failed",
      message: `${endpoint} closed the connection during the TLS handshake${forName}: it may not speak TLS on this port, or has no certificate for that name.`,
    };
  }
  return { status: "unreachable", message: `Could not connect to ${endpoint}: ${error.message}.` };
}

/** The probe's own deadlines: no TCP connection, or a connection that never completed TLS. */
export function timeoutFinding(phase: "connect" | "handshake", endpoint: string, timeoutMs: number): TlsFinding {
  const seconds = `${Math.round(timeoutMs / 100) / 10} s`;
  return phase === "connect"
    ? { status: "timeout", message: `${endpoint} did not accept a connection within ${seconds}: the host is down, or a firewall drops the packets.` }
    : {
        status: "timeout",
        message: `${endpoint} accepted the connection but did not complete a TLS handshake within ${seconds}: something listens there that does not speak TLS, or it hangs.`,
      };
}
