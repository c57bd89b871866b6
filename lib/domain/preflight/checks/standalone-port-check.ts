/**
 * Standalone method: can the listener open its port? A free port passes; a held one names the
 * program holding it when Linux's /proc tells (it does for every process when CertDeck runs as
 * root, and for the same user's processes otherwise).
 */
import { isStandaloneListenerOpen } from "@/lib/protocol/acme/http-01";
import { findPortHolder, tryBind, type PortHolder } from "@/lib/protocol/net/port-holder";
import type { PreflightCheck } from "@/lib/domain/preflight/preflight-types";

export const SWITCH_METHOD_ADVICE = `switch this certificate to "served by CertDeck" and add the location block, or use the webroot method.`;

export function describePortInUse(port: number, holder: PortHolder | null): PreflightCheck {
  return holder
    ? {
        kind: "standalone-port",
        status: "fail",
        message: `Port ${port} is held by ${holder.command} (pid ${holder.pid}).`,
        fix: `Don't stop ${holder.command}: ${SWITCH_METHOD_ADVICE}`,
        detail: { port, pid: holder.pid, command: holder.command },
      }
    : {
        kind: "standalone-port",
        status: "fail",
        message: `Port ${port} is held by another program.`,
        fix: `Don't stop it: ${SWITCH_METHOD_ADVICE} ("ss -ltnp 'sport = :${port}'" as root shows which program it is.)`,
        detail: { port },
      };
}

export async function checkStandalonePort(port: number): Promise<PreflightCheck> {
  if (isStandaloneListenerOpen(port)) {
    return {
      kind: "standalone-port",
      status: "pass",
      message: `CertDeck's own standalone listener is open on port ${port} right now (a job is being validated); the check uses it too.`,
      detail: { port },
    };
  }
  const error = await tryBind(port);
  if (!error) {
    return {
      kind: "standalone-port",
      status: "pass",
      message: `Port ${port} is free: the standalone listener can open it while the CA validates.`,
      detail: { port },
    };
  }
  if (error.code === "EADDRINUSE") return describePortInUse(port, await findPortHolder(port));
  if (error.code === "EACCES" || error.code === "EPERM") {
    return {
      kind: "standalone-port",
      status: "fail",
      message: `CertDeck may not open port ${port}: ports below 1024 need root or the CAP_NET_BIND_SERVICE capability.`,
      fix: `Use "served by CertDeck" behind nginx, or grant the capability (AmbientCapabilities=CAP_NET_BIND_SERVICE in the systemd unit).`,
      detail: { port, error: error.code },
    };
  }
  return {
    kind: "standalone-port",
    status: "fail",
    message: `The standalone listener cannot open port ${port} (${error.code ?? error.message}).`,
    detail: { port, error: error.code },
  };
}
