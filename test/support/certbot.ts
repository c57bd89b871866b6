/**
 * Runs the real certbot (Debian's 2.1 at /usr/bin/certbot) against the test Pebble, to produce
 * genuine certbot directories for the import tests. Everything certbot writes stays under one
 * temporary directory: --config-dir (what is imported), --work-dir and --logs-dir.
 */
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import http from "node:http";
import path from "node:path";
import type { PebbleTestbed } from "../../lib/testbed/pebble-testbed";

export const CERTBOT_BINARY = "/usr/bin/certbot";

export interface CertbotRun {
  stdout: string;
  stderr: string;
}

/**
 * `certbot <subcommand> <args>` with a private config/work/logs directory under `baseDir`,
 * Pebble as the server, its HTTPS CA trusted through REQUESTS_CA_BUNDLE (never --no-verify-ssl),
 * and no questions asked. Rejects with certbot's output when it fails.
 */
export function runCertbot(
  pebble: PebbleTestbed,
  baseDir: string,
  subcommand: string,
  args: string[],
  { timeoutMs = 120_000 }: { timeoutMs?: number } = {},
): Promise<CertbotRun> {
  if (!existsSync(CERTBOT_BINARY)) throw new Error('certbot is not installed: run "apt-get install -y certbot" as root');
  const fullArgs = [
    subcommand,
    "--config-dir",
    path.join(baseDir, "config"),
    "--work-dir",
    path.join(baseDir, "work"),
    "--logs-dir",
    path.join(baseDir, "logs"),
    "--server",
    pebble.directoryUrl,
    "--agree-tos",
    "-m",
    "ops@example.test",
    "--non-interactive",
    "--no-eff-email",
    ...args,
  ];
  return new Promise((resolve, reject) => {
    execFile(
      CERTBOT_BINARY,
      fullArgs,
      { env: { ...process.env, REQUESTS_CA_BUNDLE: pebble.httpsCaPath }, encoding: "utf8", timeout: timeoutMs },
      async (error, stdout, stderr) => {
        if (!error) return resolve({ stdout, stderr });
        const log = await readFile(path.join(baseDir, "logs", "letsencrypt.log"), "utf8").catch(() => "");
        reject(
          new Error(
            `certbot ${subcommand} failed (${error.message})\n--- stdout ---\n${stdout}\n--- stderr ---\n${stderr}\n--- log tail ---\n${log.slice(-3000)}`,
          ),
        );
      },
    );
  });
}

/**
 * A minimal static file server for `root` on 127.0.0.1:`port`: what nginx serving a webroot does
 * for /.well-known/acme-challenge/. Records every path requested.
 */
export async function serveDirectory(port: number, root: string): Promise<{ requests: string[]; close(): Promise<void> }> {
  const requests: string[] = [];
  const server = http.createServer(async (request, response) => {
    const urlPath = decodeURIComponent((request.url ?? "/").split("?")[0]);
    requests.push(urlPath);
    const file = path.join(root, path.normalize(urlPath));
    if (!file.startsWith(root + path.sep)) return void response.writeHead(404).end();
    try {
      const body = await readFile(file);
      response.writeHead(200, { "content-type": "text/plain" }).end(body);
    } catch {
      response.writeHead(404, { "content-type": "text/plain" }).end("not found");
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => resolve());
  });
  return {
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
