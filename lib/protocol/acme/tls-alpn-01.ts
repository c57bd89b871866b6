/**
 * TLS-ALPN-01 (RFC 8737): while the CA validates, CertDeck listens on the TLS-ALPN-01 port (443
 * unless the tlsAlpnPort setting says otherwise) and answers TLS handshakes that ask for the
 * "acme-tls/1" protocol with a self-signed certificate made for the name the CA sends in SNI.
 * For an IP identifier the SNI is the address's reverse-DNS name (RFC 8738 §6).
 *
 * Like the standalone HTTP-01 listener, jobs running at the same time share one listener per port
 * (a second bind would fail with EADDRINUSE): the first opens it, the last to close shuts it.
 * Handshakes that offer other ALPN protocols but not acme-tls/1 (browsers, curl) are refused; the
 * listener serves nothing but challenge certificates, and only while an order is being validated.
 */
import { isIP, type Socket } from "node:net";
import tls from "node:tls";
import type { ChallengeResponder } from "@/lib/protocol/acme/challenge-responder";
import { createAcmeIdentifierCertificate } from "@/lib/protocol/x509/acme-identifier-certificate";
import { AppError } from "@/lib/core/app-error";
import { findPortHolder, type PortHolder } from "@/lib/protocol/net/port-holder";
import { sharedListeners } from "@/lib/protocol/net/shared-listeners";

export const ACME_TLS_ALPN_PROTOCOL = "acme-tls/1";

/** A published answer: the server name it is for and its certificate. */
interface PublishedAnswer {
  serverName: string;
  context: tls.SecureContext;
}

interface TlsAlpnListener {
  server: tls.Server;
  /** Open connections, ended when the listener closes (a half-open handshake must not keep the port). */
  sockets: Set<Socket>;
  /** Per server name, the answers in publication order; the newest is presented. */
  answers: Map<string, PublishedAnswer[]>;
}

const listeners = sharedListeners<TlsAlpnListener>("certdeckTlsAlpnListeners", {
  open: listen,
  shut: ({ server, sockets }) =>
    new Promise<void>((resolve) => {
      server.close(() => resolve());
      for (const socket of sockets) socket.destroy();
    }),
});

/** Whether a job of this process holds the TLS-ALPN-01 listener on `port` right now. */
export function isTlsAlpnListenerOpen(port: number): boolean {
  return listeners.isOpen(port);
}

/**
 * The SNI value the CA sends for an identifier: the name itself, or for an IP address its
 * reverse-DNS name ("1.0.0.127.in-addr.arpa", nibbles under "ip6.arpa"), without a trailing dot.
 */
export function tlsAlpnServerName(identifier: { type: "dns" | "ip"; value: string }): string {
  if (identifier.type !== "ip") return identifier.value.toLowerCase().replace(/\.+$/, "");
  if (isIP(identifier.value) === 4) return `${identifier.value.split(".").reverse().join(".")}.in-addr.arpa`;
  const nibbles = [...ipv6Bytes(identifier.value)].flatMap((byte) => [(byte >> 4).toString(16), (byte & 0x0f).toString(16)]);
  return `${nibbles.reverse().join(".")}.ip6.arpa`;
}

/** The 16 bytes of an IPv6 address in any valid spelling ("::", embedded IPv4). */
function ipv6Bytes(address: string): Uint8Array {
  if (isIP(address) !== 6) throw new Error(`not an IPv6 address: ${address}`);
  let text = address.toLowerCase();
  const embedded = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (embedded) {
    const [a, b, c, d] = embedded[1].split(".").map(Number);
    text = `${text.slice(0, -embedded[1].length)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail] = text.includes("::") ? text.split("::") : [text, undefined];
  const headGroups = head ? head.split(":") : [];
  const tailGroups = tail ? tail.split(":") : [];
  const groups = tail === undefined ? headGroups : [...headGroups, ...Array<string>(8 - headGroups.length - tailGroups.length).fill("0"), ...tailGroups];
  const bytes = new Uint8Array(16);
  groups.forEach((group, index) => {
    const value = parseInt(group, 16);
    bytes[index * 2] = value >> 8;
    bytes[index * 2 + 1] = value & 0xff;
  });
  return bytes;
}

function normalizeServerName(serverName: string): string {
  return serverName.toLowerCase().replace(/\.+$/, "");
}

export async function openTlsAlpnResponder(port: number): Promise<ChallengeResponder> {
  const lease = await listeners.acquire(port);
  const { answers } = lease.listener;
  const published: PublishedAnswer[] = [];
  let isClosed = false;
  return {
    type: "tls-alpn-01",
    description: `TLS-ALPN-01 listener on port ${port}`,
    async publish({ identifier, keyAuthorization }) {
      const { certificatePem, privateKeyPem } = await createAcmeIdentifierCertificate(identifier, keyAuthorization);
      const answer = { serverName: tlsAlpnServerName(identifier), context: tls.createSecureContext({ cert: certificatePem, key: privateKeyPem }) };
      const forName = answers.get(answer.serverName) ?? [];
      forName.push(answer);
      answers.set(answer.serverName, forName);
      published.push(answer);
    },
    async close() {
      if (isClosed) return;
      isClosed = true;
      for (const answer of published) {
        const remaining = (answers.get(answer.serverName) ?? []).filter((candidate) => candidate !== answer);
        if (remaining.length > 0) answers.set(answer.serverName, remaining);
        else answers.delete(answer.serverName);
      }
      await lease.release();
    },
  };
}

async function listen(port: number): Promise<TlsAlpnListener> {
  const answers = new Map<string, PublishedAnswer[]>();
  const server = tls.createServer({
    SNICallback(serverName, callback) {
      const forName = answers.get(normalizeServerName(serverName));
      if (forName?.length) callback(null, forName[forName.length - 1].context);
      else callback(new Error(`no TLS-ALPN-01 answer for ${serverName}`));
    },
    // Only the CA's validation handshake is answered; returning undefined aborts the handshake
    // (no_application_protocol) before any certificate is sent.
    ALPNCallback: ({ protocols }) => (protocols.includes(ACME_TLS_ALPN_PROTOCOL) ? ACME_TLS_ALPN_PROTOCOL : undefined),
  });
  // The CA closes the connection once it has seen the certificate (RFC 8737 §3); do not wait for it.
  server.on("secureConnection", (socket) => socket.destroy());
  server.on("tlsClientError", () => {});
  const sockets = new Set<Socket>();
  server.on("connection", (socket: Socket) => {
    sockets.add(socket);
    socket.once("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", (error: NodeJS.ErrnoException) => {
      void describeListenError(error, port).then(reject, reject);
    });
    server.listen(port, () => resolve());
  });
  return { server, sockets, answers };
}

/** What to do instead when the TLS-ALPN-01 port is taken (shared with the pre-flight check). */
export function tlsAlpnPortAdvice(port: number): string {
  return `use HTTP-01 (served by CertDeck behind the web server) or DNS-01 for this certificate, or, if a proxy on port ${port} passes "acme-tls/1" connections on to another port (nginx ssl_preread), enter that port as the TLS-ALPN-01 port in Settings.`;
}

async function describeListenError(error: NodeJS.ErrnoException, port: number): Promise<AppError> {
  if (error.code === "EADDRINUSE") {
    const holder: PortHolder | null = await findPortHolder(port).catch(() => null);
    const who = holder ? `${holder.command} (pid ${holder.pid})` : "another program";
    const dontStop = holder ? `Don't stop ${holder.command}: ` : "";
    return new AppError(
      "challenge_failed",
      `Port ${port} is used by ${who}: TLS-ALPN-01 needs that port for the few seconds the CA validates. ${dontStop}${tlsAlpnPortAdvice(port)}`,
      { cause: error, reason: "port-in-use" },
    );
  }
  if (error.code === "EACCES" || error.code === "EPERM") {
    return new AppError(
      "challenge_failed",
      `CertDeck may not open port ${port} for TLS-ALPN-01: ports below 1024 need root or the CAP_NET_BIND_SERVICE capability (AmbientCapabilities=CAP_NET_BIND_SERVICE in the systemd unit). Or use HTTP-01 or DNS-01 for this certificate.`,
      { cause: error },
    );
  }
  return new AppError("challenge_failed", `Could not open the TLS-ALPN-01 listener on port ${port} (${error.code ?? error.message}).`, { cause: error });
}
