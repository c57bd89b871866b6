/** Standalone method: can the standalone HTTP-01 listener open its port? */
import { isStandaloneListenerOpen } from "@/lib/protocol/acme/http-01";
import type { PortHolder } from "@/lib/protocol/net/port-holder";
import { checkListenerPort, describePortHeld } from "@/lib/domain/preflight/checks/listener-port-check";
import type { PreflightCheck } from "@/lib/domain/preflight/preflight-types";

export const SWITCH_METHOD_ADVICE = `switch this certificate to "served by CertDeck" and add the location block, or use the webroot method.`;

export function describePortInUse(port: number, holder: PortHolder | null): PreflightCheck {
  return describePortHeld(port, holder, SWITCH_METHOD_ADVICE);
}

export async function checkStandalonePort(port: number): Promise<PreflightCheck> {
  return checkListenerPort(port, isStandaloneListenerOpen(port), {
    listener: "The standalone listener",
    ownListenerOpen: `CertDeck's own standalone listener is open on port ${port} right now (a job is being validated); the check uses it too.`,
    free: `Port ${port} is free: the standalone listener can open it while the CA validates.`,
    notPermitted: {
      message: `CertDeck may not open port ${port}: ports below 1024 need root or the CAP_NET_BIND_SERVICE capability.`,
      fix: `Use "served by CertDeck" behind nginx, or grant the capability (AmbientCapabilities=CAP_NET_BIND_SERVICE in the systemd unit).`,
    },
    held: (holder) => describePortInUse(port, holder),
  });
}
