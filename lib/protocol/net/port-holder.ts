/**
 * Who holds a listening TCP port, read from Linux's /proc (it tells for every process when
 * CertDeck runs as root, and for the same user's processes otherwise), and whether a port can be
 * bound right now.
 */
import { readFile, readdir, readlink } from "node:fs/promises";
import net from "node:net";

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
