/**
 * The port check both of CertDeck's own validation listeners need (standalone HTTP-01 and
 * TLS-ALPN-01): can the listener open its port? Bind and release; a held port names the program
 * holding it when Linux's /proc tells (it does for every process when CertDeck runs as root, and
 * for the same user's processes otherwise). Each method brings its own words.
 */
import { findPortHolder, tryBind, type PortHolder } from "@/lib/protocol/net/port-holder";
import type { PreflightCheck } from "@/lib/domain/preflight/preflight-types";

export interface ListenerPortWording {
  /** "The standalone listener", for the message of an unexpected bind error. */
  listener: string;
  /** Pass: CertDeck's own listener holds the port right now. */
  ownListenerOpen: string;
  /** Pass: the port is free. */
  free: string;
  /** Fail: the port is privileged and CertDeck may not bind it. */
  notPermitted: { message: string; fix: string };
  /** Fail: another program holds the port (the holder when /proc tells). */
  held(holder: PortHolder | null): PreflightCheck;
}

export async function checkListenerPort(port: number, isOwnListenerOpen: boolean, wording: ListenerPortWording): Promise<PreflightCheck> {
  if (isOwnListenerOpen) return { kind: "standalone-port", status: "pass", message: wording.ownListenerOpen, detail: { port } };
  const error = await tryBind(port);
  if (!error) return { kind: "standalone-port", status: "pass", message: wording.free, detail: { port } };
  if (error.code === "EADDRINUSE") return wording.held(await findPortHolder(port));
  if (error.code === "EACCES" || error.code === "EPERM") {
    return { kind: "standalone-port", status: "fail", ...wording.notPermitted, detail: { port, error: error.code } };
  }
  return {
    kind: "standalone-port",
    status: "fail",
    message: `${wording.listener} cannot open port ${port} (${error.code ?? error.message}).`,
    detail: { port, error: error.code },
  };
}

/**
 * Fail: another program holds the port. `why` follows the holder in the message ("; TLS-ALPN-01
 * needs it…"); `advice` follows "Don't stop nginx:" in the fix.
 */
export function describePortHeld(port: number, holder: PortHolder | null, advice: string, why = ""): PreflightCheck {
  return holder
    ? {
        kind: "standalone-port",
        status: "fail",
        message: `Port ${port} is held by ${holder.command} (pid ${holder.pid})${why}.`,
        fix: `Don't stop ${holder.command}: ${advice}`,
        detail: { port, pid: holder.pid, command: holder.command },
      }
    : {
        kind: "standalone-port",
        status: "fail",
        message: `Port ${port} is held by another program${why}.`,
        fix: `Don't stop it: ${advice} ("ss -ltnp 'sport = :${port}'" as root shows which program it is.)`,
        detail: { port },
      };
}
