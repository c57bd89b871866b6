/**
 * Standalone method: can the listener open its port? A free port passes; a held one names the
 * program holding it when Linux's /proc tells (it does for every process when CertDeck runs as
 * root, and for the same user's processes otherwise).
 */
import { readFile, readdir, readlink } from "node:fs/promises";
import net from "node:net";
import type { PreflightCheck } from "@/lib/preflight/preflight-types";

export interface PortHolder {
  pid: number;
  command: string;
}

/**
 * Inodes of the LISTEN sockets on `port` in /proc/net/tcp or /proc/net/tcp6 text. Columns: sl,
 * local_address (hex ip:hex port), rem_address, st (0A = LISTEN), queues, tr, retrnsmt, uid,
 * timeout, inode.
 */
export function parseListeningInodes(procNetTcp: string, port: number): string[] {
  const inodes: string[] = [];
  for (const line of procNetTcp.split("\n").slice(1)) {
    const fields = line.trim().split(/\s+/);
    if (fields.length < 10) continue;
    const localPort = parseInt(fields[1].split(":").pop() ?? "", 16);
    if (localPort === port && fields[3] === "0A" && fields[9] !== "0") inodes.push(fields[9]);
  }
  return inodes;
}

/** The process that holds a LISTEN socket on `port`, or null when /proc does not say (not Linux, no rights). */
export async function findPortHolder(port: number, procRoot = "/proc"): Promise<PortHolder | null> {
  const tables = await Promise.all(["tcp", "tcp6"].map((file) => readFile(`${procRoot}/net/${file}`, "utf8").catch(() => "")));
  const inodes = new Set(tables.flatMap((table) => parseListeningInodes(table, port)));
  if (inodes.size === 0) return null;
  const targets = new Set([...inodes].map((inode) => `socket:[${inode}]`));
  const pids = (await readdir(procRoot).catch(() => [] as string[])).filter((entry) => /^[0-9]+$/.test(entry)).sort((a, b) => Number(a) - Number(b));
  for (const pid of pids) {
    const fds = await readdir(`${procRoot}/${pid}/fd`).catch(() => [] as string[]);
    for (const fd of fds) {
      const link = await readlink(`${procRoot}/${pid}/fd/${fd}`).catch(() => "");
      if (!targets.has(link)) continue;
      const command = (await readFile(`${procRoot}/${pid}/comm`, "utf8").catch(() => "")).trim();
      return { pid: Number(pid), command: command || "an unnamed program" };
    }
  }
  return null;
}

/** Binds the port on all interfaces (as the standalone listener will) and closes it again. */
export function tryBind(port: number): Promise<NodeJS.ErrnoException | null> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once("error", (error: NodeJS.ErrnoException) => resolve(error));
    server.listen({ port, exclusive: true }, () => server.close(() => resolve(null)));
  });
}

/** lib/acme/http-01.ts keeps its open standalone listeners here: a job of ours may hold the port right now. */
function isOwnStandaloneListenerOpen(port: number): boolean {
  const listeners = (globalThis as { certdeckStandaloneListeners?: Map<number, unknown> }).certdeckStandaloneListeners;
  return Boolean(listeners?.has(port));
}

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
  if (isOwnStandaloneListenerOpen(port)) {
    return {
      kind: "standalone-port",
      status: "pass",
      message: `CertDeck's own standalone listener is open on port ${port} right now (a job is being validated); the check uses it too.`,
      detail: { port },
    };
  }
  const error = await tryBind(port);
  if (!error) {
    return { kind: "standalone-port", status: "pass", message: `Port ${port} is free: the standalone listener can open it while the CA validates.`, detail: { port } };
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
