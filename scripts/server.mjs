/**
 * CertDeck's production HTTP server: Next.js's request handler behind a plain node:http server,
 * for two things `next start` cannot do.
 *
 * 1. The client's address. Route handlers and server actions never see the socket, and Next.js
 *    only fills X-Forwarded-For when a client did not send one. Here every request gets
 *    `x-certdeck-peer` set to the socket's remote address, replacing any value a client sent;
 *    lib/web/client-address.ts reads it (and believes X-Forwarded-For only from
 *    CERTDECK_TRUSTED_PROXIES).
 * 2. HTTP-01 answers on the cheapest path: the CA asks each token three times, and answers that
 *    this process's jobs published are kept in memory (lib/domain/certificates/app-served-http-01.ts),
 *    so they are served here without routing, rendering or a database read. Other tokens go on
 *    to the route handler, which reads the database.
 *
 * Usage: node scripts/server.mjs (PORT, HOST from the environment). Node built-ins and Next only.
 */
import { createServer } from "node:http";
import path from "node:path";
import { fileURLToPath } from "node:url";
import next from "next";

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const port = Number(process.env.PORT || 3000);
const hostname = process.env.HOST || "0.0.0.0";

const CHALLENGE_PREFIX = "/.well-known/acme-challenge/";
/** The map the app-served HTTP-01 responder fills; shared through globalThis in this process. */
const publishedTokens = () => /** @type {Map<string, string> | undefined} */ (globalThis.certdeckPublishedTokens);

const app = next({ dev: false, dir: projectRoot, hostname, port });
const handle = app.getRequestHandler();
await app.prepare();

const server = createServer((request, response) => {
  request.headers["x-certdeck-peer"] = request.socket.remoteAddress ?? "";
  if (request.method === "GET" && request.url?.startsWith(CHALLENGE_PREFIX)) {
    const token = request.url.slice(CHALLENGE_PREFIX.length).split("?")[0];
    const keyAuthorization = publishedTokens()?.get(token);
    if (keyAuthorization !== undefined) {
      response.writeHead(200, { "content-type": "text/plain", "cache-control": "no-store" }).end(keyAuthorization);
      return;
    }
  }
  void handle(request, response);
});
server.listen(port, hostname, () => console.log(`[certdeck] listening on http://${hostname}:${port}`));

for (const signal of ["SIGINT", "SIGTERM"]) {
  process.once(signal, () => {
    server.close();
    server.closeAllConnections();
    void app.close?.().finally(() => process.exit(0));
    setTimeout(() => process.exit(0), 5000).unref();
  });
}
