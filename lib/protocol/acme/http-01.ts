import http from "node:http";
import { AppError } from "@/lib/core/app-error";
import { sharedListeners } from "@/lib/protocol/net/shared-listeners";

export const CHALLENGE_PATH_PREFIX = "/.well-known/acme-challenge/";

/** Where the key authorization for an HTTP-01 token is published while the CA validates. */
export interface Http01Responder {
  readonly description: string;
  publish(token: string, keyAuthorization: string): Promise<void>;
  /** Stops answering; called after the challenges are final, also after a failure. */
  close(): Promise<void>;
}

/**
 * HTTP-01 answered by a listener opened on `port` only while challenges are pending, like certbot
 * --standalone. Jobs running at the same time share one listener (a second bind would fail with
 * EADDRINUSE): the first opens it, the last to finish closes it. Nothing else is served on it.
 */
interface StandaloneListener {
  server: http.Server;
  tokens: Map<string, string>;
}
const listeners = sharedListeners<StandaloneListener>("certdeckStandaloneListeners", {
  open: listen,
  shut: ({ server }) =>
    new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }),
});

/** Whether a job of this process holds the standalone listener on `port` right now. */
export function isStandaloneListenerOpen(port: number): boolean {
  return listeners.isOpen(port);
}

export async function openStandaloneResponder(port: number): Promise<Http01Responder> {
  const lease = await listeners.acquire(port);
  const published = new Set<string>();
  let isClosed = false;
  return {
    description: `standalone listener on port ${port}`,
    async publish(token, keyAuthorization) {
      lease.listener.tokens.set(token, keyAuthorization);
      published.add(token);
    },
    async close() {
      if (isClosed) return;
      isClosed = true;
      for (const token of published) lease.listener.tokens.delete(token);
      await lease.release();
    },
  };
}

async function listen(port: number): Promise<StandaloneListener> {
  const tokens = new Map<string, string>();
  const server = http.createServer((request, response) => {
    const path = (request.url ?? "").split("?")[0];
    const keyAuthorization = path.startsWith(CHALLENGE_PATH_PREFIX) ? tokens.get(path.slice(CHALLENGE_PATH_PREFIX.length)) : undefined;
    if (request.method === "GET" && keyAuthorization) {
      response.writeHead(200, { "content-type": "text/plain" }).end(keyAuthorization);
    } else {
      response.writeHead(404, { "content-type": "text/plain" }).end("not found");
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", (error: NodeJS.ErrnoException) => reject(describeListenError(error, port)));
    server.listen(port, () => resolve());
  });
  return { server, tokens };
}

function describeListenError(error: NodeJS.ErrnoException, port: number): AppError {
  if (error.code === "EADDRINUSE") {
    return new AppError(
      "challenge_failed",
      `Port ${port} is already in use by another program (on a web server, usually nginx). Instead of stopping it, switch this certificate to "Served by CertDeck" and add the nginx location block shown on the form, or pick a free port in Settings.`,
      { cause: error, reason: "port-in-use" },
    );
  }
  if (error.code === "EACCES") {
    return new AppError(
      "challenge_failed",
      `CertDeck may not open port ${port}: ports below 1024 need root or the CAP_NET_BIND_SERVICE capability. Use "Served by CertDeck" behind nginx, or grant the capability.`,
      { cause: error },
    );
  }
  return new AppError("challenge_failed", `Could not open the standalone listener on port ${port} (${error.code}).`, { cause: error });
}
