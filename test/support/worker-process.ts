/**
 * A CertDeck worker in its own process, for crash tests: the job runner plus the HTTP-01
 * challenge route on the port Pebble validates on. The parent kills it with SIGKILL.
 * Usage: node --conditions=react-server --import tsx test/support/worker-process.ts <httpPort> <challengeDelayMs>
 * (CERTDECK_DATA_DIR set by the parent).
 */
import http from "node:http";

const [port, challengeDelayMs] = process.argv.slice(2).map(Number);
const { startJobRunner } = await import("../../lib/jobs/runner");
const { findKeyAuthorization } = await import("../../lib/acme/http-01");

// A slow challenge answer keeps the job inside validation long enough to be killed there.
const server = http.createServer(async (request, response) => {
  const token = /^\/\.well-known\/acme-challenge\/([^/?]+)/.exec(request.url ?? "")?.[1];
  await new Promise((resolve) => setTimeout(resolve, challengeDelayMs));
  const answer = token ? await findKeyAuthorization(token) : null;
  if (answer) response.writeHead(200, { "content-type": "text/plain" }).end(answer);
  else response.writeHead(404).end();
});
await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
await startJobRunner({ concurrency: 1 });
process.stdout.write("worker ready\n");
