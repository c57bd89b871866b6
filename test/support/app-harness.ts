/**
 * Integration-test harness: a temporary data directory with a migrated SQLite file, a local
 * Pebble CA, and the real job runner in this process. CERTDECK_DATA_DIR must be set before any
 * lib/ module is imported (lib/core/env.ts reads it once), hence the dynamic imports.
 */
import { mkdtemp } from "node:fs/promises";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import type { Actor } from "../../lib/domain/command/actor";
import { findFreePort, startPebbleTestbed, type PebbleTestbed } from "../../lib/testbed/pebble-testbed";

export interface AppHarness {
  dataDir: string;
  pebble: PebbleTestbed;
  httpPort: number;
  modules: Awaited<ReturnType<typeof loadModules>>;
  /** Who the tests act as when they call commands: the administrator, from this host. */
  admin: Actor;
  waitForJob(jobId: string, timeoutMs?: number): Promise<{ status: string; error: string | null }>;
  /** Stops this process's job runner (crash tests run the jobs in child processes). */
  stopRunner(): Promise<void>;
  /** Registers an ACME account at the harness's Pebble (through the real job) and returns its id. */
  registerPebbleAccount(): Promise<string>;
  stop(): Promise<void>;
}

async function loadModules() {
  return {
    db: (await import("../../lib/data/client")).db,
    migrate: await import("../../lib/data/migrate"),
    runner: await import("../../lib/jobs/runner"),
    queue: await import("../../lib/data/queue/queue"),
    settings: await import("../../lib/data/settings"),
    createAccount: (await import("../../lib/domain/accounts/create-account")).createAccount,
    userActor: (await import("../../lib/domain/command/actor")).userActor,
    createCertificate: (await import("../../lib/domain/certificates/create-certificate")).createCertificate,
    challengeRoute: await import("../../app/.well-known/acme-challenge/[token]/route"),
  };
}

export async function startAppHarness(
  options: {
    nonceRejectPercent?: number;
    /** EAB key id -> HMAC key: Pebble then requires EAB. */
    externalAccountMACKeys?: Record<string, string>;
    /** Pebble's -dnsserver (e.g. a BIND testbed for DNS-01), also the app's `dnsResolvers`. */
    pebbleDnsServer?: string;
  } = {},
): Promise<AppHarness> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), "certdeck-it-"));
  process.env.CERTDECK_DATA_DIR = dataDir;
  const modules = await loadModules();
  await modules.migrate.applyMigrations(dataDir);
  const httpPort = await findFreePort();
  const pebble = await startPebbleTestbed({
    workDir: path.join(dataDir, "pebble"),
    httpPort,
    nonceRejectPercent: options.nonceRejectPercent,
    externalAccountMACKeys: options.externalAccountMACKeys,
    pebbleDnsServer: options.pebbleDnsServer,
  });
  // The pre-flight check resolves through Pebble's DNS server, sees this host as 127.0.0.1 and
  // probes the port Pebble validates on, as an operator of a lab CA would configure it.
  await modules.settings.setSetting("dnsResolvers", options.pebbleDnsServer ?? pebble.dnsServer);
  await modules.settings.setSetting("publicIPv4", "127.0.0.1");
  await modules.settings.setSetting("validationHttpPort", httpPort);
  const runner = await modules.runner.startJobRunner({ concurrency: 4 });
  const admin = modules.userActor({ id: "admin", username: "admin" }, "127.0.0.1");

  async function waitForJob(jobId: string, timeoutMs = 30_000) {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const job = await modules.db.job.findUniqueOrThrow({ where: { id: jobId }, select: { status: true, error: true } });
      if (job.status === "succeeded" || job.status === "failed") return job;
      if (Date.now() > deadline) throw new Error(`job ${jobId} still ${job.status} after ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  async function registerPebbleAccount() {
    const account = await modules.createAccount(admin, {
      directoryUrl: pebble.directoryUrl,
      email: "ops@example.test",
      termsAgreed: true,
      caBundlePem: pebble.httpsCaPem,
      // Pebble listens on 127.0.0.1 and its certificates may name 127.0.0.1: a lab CA.
      privateNetwork: true,
    });
    const job = await waitForJob(account.jobId);
    if (job.status !== "succeeded") throw new Error(`account registration failed: ${job.error}`);
    return account.accountId;
  }

  return {
    dataDir,
    pebble,
    httpPort,
    modules,
    admin,
    waitForJob,
    registerPebbleAccount,
    stopRunner: () => runner.stop(),
    async stop() {
      await runner.stop();
      await pebble.stop();
      await modules.db.$disconnect();
    },
  };
}

/**
 * Serves the app's real /.well-known/acme-challenge/[token] route handler on `port`, the way
 * nginx in front of CertDeck would forward the CA's requests to it.
 */
export async function serveChallengeRoute(
  port: number,
  route: { GET(request: Request, context: { params: Promise<{ token: string }> }): Promise<Response> },
): Promise<{ close(): Promise<void>; requests: string[] }> {
  const requests: string[] = [];
  const server = http.createServer(async (request, response) => {
    const url = request.url ?? "/";
    requests.push(url);
    const match = /^\/\.well-known\/acme-challenge\/([^/?]+)/.exec(url);
    if (!match) return response.writeHead(404).end();
    const answer = await route.GET(new Request(`http://localhost${url}`), { params: Promise.resolve({ token: match[1] }) });
    response.writeHead(answer.status, Object.fromEntries(answer.headers)).end(await answer.text());
  });
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  return {
    requests,
    close: () => new Promise<void>((resolve) => { server.close(() => resolve()); server.closeAllConnections(); }),
  };
}
