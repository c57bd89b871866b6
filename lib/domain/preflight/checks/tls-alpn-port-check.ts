/**
 * TLS-ALPN-01: can the acme-tls/1 listener open its port (443 unless Settings say otherwise)?
 * Same test as the standalone HTTP-01 port: bind and release, and name the holder when /proc tells.
 */
import { isTlsAlpnListenerOpen, tlsAlpnPortAdvice } from "@/lib/protocol/acme/tls-alpn-01";
import { findPortHolder, tryBind, type PortHolder } from "@/lib/protocol/net/port-holder";
import type { PreflightCheck } from "@/lib/domain/preflight/preflight-types";

export function describeTlsAlpnPortInUse(port: number, holder: PortHolder | null): PreflightCheck {
  return {
    kind: "standalone-port",
    status: "fail",
    message: holder
      ? `Port ${port} is held by ${holder.command} (pid ${holder.pid}); TLS-ALPN-01 needs it for the few seconds the CA validates.`
      : `Port ${port} is held by another program; TLS-ALPN-01 needs it for the few seconds the CA validates.`,
    fix: holder
      ? `Don't stop ${holder.command}: ${tlsAlpnPortAdvice(port)}`
      : `Don't stop it: ${tlsAlpnPortAdvice(port)} ("ss -ltnp 'sport = :${port}'" as root shows which program it is.)`,
    detail: holder ? { port, pid: holder.pid, command: holder.command } : { port },
  };
}

export async function checkTlsAlpnPort(port: number): Promise<PreflightCheck> {
  if (isTlsAlpnListenerOpen(port)) {
    return {
      kind: "standalone-port",
      status: "pass",
      message: `CertDeck's own TLS-ALPN-01 listener is open on port ${port} right now (a job is being validated); this order will share it.`,
      detail: { port },
    };
  }
  const error = await tryBind(port);
  if (!error) {
    return {
      kind: "standalone-port",
      status: "pass",
      message: `Port ${port} is free: the TLS-ALPN-01 listener can open it while the CA validates.`,
      detail: { port },
    };
  }
  if (error.code === "EADDRINUSE") return describeTlsAlpnPortInUse(port, await findPortHolder(port));
  if (error.code === "EACCES" || error.code === "EPERM") {
    return {
      kind: "standalone-port",
      status: "fail",
      message: `CertDeck may not open port ${port} for TLS-ALPN-01: ports below 1024 need root or the CAP_NET_BIND_SERVICE capability.`,
      fix: `Grant the capability (AmbientCapabilities=CAP_NET_BIND_SERVICE in the systemd unit), or use HTTP-01 or DNS-01 for this certificate.`,
      detail: { port, error: error.code },
    };
  }
  return {
    kind: "standalone-port",
    status: "fail",
    message: `The TLS-ALPN-01 listener cannot open port ${port} (${error.code ?? error.message}).`,
    detail: { port, error: error.code },
  };
}
