/** TLS-ALPN-01: can the acme-tls/1 listener open its port (443 unless Settings say otherwise)? */
import { isTlsAlpnListenerOpen, tlsAlpnPortAdvice } from "@/lib/protocol/acme/tls-alpn-01";
import type { PortHolder } from "@/lib/protocol/net/port-holder";
import { checkListenerPort, describePortHeld } from "@/lib/domain/preflight/checks/listener-port-check";
import type { PreflightCheck } from "@/lib/domain/preflight/preflight-types";

export function describeTlsAlpnPortInUse(port: number, holder: PortHolder | null): PreflightCheck {
  return describePortHeld(port, holder, tlsAlpnPortAdvice(port), "; TLS-ALPN-01 needs it for the few seconds the CA validates");
}

export async function checkTlsAlpnPort(port: number): Promise<PreflightCheck> {
  return checkListenerPort(port, isTlsAlpnListenerOpen(port), {
    listener: "The TLS-ALPN-01 listener",
    ownListenerOpen: `CertDeck's own TLS-ALPN-01 listener is open on port ${port} right now (a job is being validated); this order will share it.`,
    free: `Port ${port} is free: the TLS-ALPN-01 listener can open it while the CA validates.`,
    notPermitted: {
      message: `CertDeck may not open port ${port} for TLS-ALPN-01: ports below 1024 need root or the CAP_NET_BIND_SERVICE capability.`,
      fix: `Grant the capability (AmbientCapabilities=CAP_NET_BIND_SERVICE in the systemd unit), or use HTTP-01 or DNS-01 for this certificate.`,
    },
    held: (holder) => describeTlsAlpnPortInUse(port, holder),
  });
}
