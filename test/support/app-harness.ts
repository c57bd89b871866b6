/**
 * The one app harness: CertDeck in this process, as the integration tests, the benchmarks
 * (scripts/bench) and `npm run demo` drive it.
 *
 * - a data directory with a migrated SQLite file (test-database.ts), this process's CERTDECK_DATA_DIR;
 * - a local Pebble CA and its DNS server (lib/testbed/pebble-testbed.ts), validating HTTP-01 on
 *   `httpPort` (where the tests serve the app's challenge route, or the dashboard listens);
 * - the network settings an operator of a lab CA would choose: names resolve through Pebble's DNS
 *   server, this host is 127.0.0.1, the CA validates on `httpPort`;
 * - unless told otherwise, the real job runner in this process.
 *
 * Why it lives in test/ and not in lib/testbed: lib/testbed holds test servers that know nothing
 * of the app (their lint rule allows lib/core only). This harness drives the app itself (its
 * database, job runner, commands and the challenge route handler), so it sits with the tests,
 * and scripts/ imports it from here.
 *
 * The environment is read when first needed (lib/core/env.ts) and the Prisma client opens on
 * first use, so the modules below are imported statically; no query runs before the data
 * directory is set. One harness per process.
 */
import { copyFile } from "node:fs/promises";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { setTimeout as delay } from "node:timers/promises";
import * as challengeRoute from "../../app/.well-known/acme-challenge/[token]/route";
import { db } from "../../lib/data/client";
import * as migrate from "../../lib/data/migrate";
import * as queue from "../../lib/data/queue/queue";
import * as settings from "../../lib/data/settings";
import { createAccount } from "../../lib/domain/accounts/create-account";
import { createCertificate } from "../../lib/domain/certificates/create-certificate";
import { userActor, type Actor } from "../../lib/domain/command/actor";
import * as runner from "../../lib/jobs/runner";
import { findFreePort, startPebbleTestbed, type PebbleTestbed } from "../../lib/testbed/pebble-testbed";
import { waitFor } from "../../lib/testbed/wait-for";
import { openTestDatabase } from "./test-database";

/** The app modules a harness user reaches most (others are imported where needed). */
const modules = { db, migrate, runner, queue, settings, createAccount, createCertificate, challengeRoute };
export type AppModules = typeof modules;

type RouteHandler = (request: Request, context: { params: Promise<Record<string, string>> }) => Promise<Response>;

/** A path pattern ("/api/v1/jobs/:id") and the route handler module that answers it. */
export interface RouteBinding {
  pattern: string;
  /** Handlers by HTTP method; "*" answers any method without its own handler. */
  methods: Partial<Record<string, RouteHandler>>;
}

export interface JobOutcome {
  status: string;
  error: string | null;
}

/** No job finishing for this long means the CA stopped answering (waitForJobs). */
export const STALL_MS = 60_000;

export interface AppHarnessOptions {
  /** Names the temporary data directory: <tmp>/certdeck-<label>-XXXXXX. Default "it". */
  label?: string;
  /** Use this data directory instead of a temporary one (kept at stop). */
  dataDir?: string;
  /** The port Pebble validates HTTP-01 on; default: a free one. */
  httpPort?: number;
  /** Pebble: percent of good nonces refused as badNonce. */
  nonceRejectPercent?: number;
  /** EAB key id -> HMAC key: Pebble then requires EAB. */
  externalAccountMACKeys?: Record<string, string>;
  /** Pebble's -dnsserver (e.g. a BIND testbed for DNS-01), also the app's `dnsResolvers`. */
  pebbleDnsServer?: string;
  /**
   * The job runner in this process: its concurrency (undefined: the server's default, which
   * follows the renewalConcurrency setting), or false for none. Default: 4 at once.
   */
  runner?: { concurrency?: number } | false;
  /**
   * Serve the challenge route handler on `httpPort` (as `next start` would), plus these routes.
   * Default: nothing is served (tests serve what they need with serveChallengeRoute).
   */
  routes?: (modules: AppModules) => RouteBinding[] | Promise<RouteBinding[]>;
}

export interface PebbleAccountOptions {
  label?: string;
  email?: string;
}

export interface AppHarness {
  dataDir: string;
  pebble: PebbleTestbed;
  /** Where Pebble connects for HTTP-01 (and where `routes` are served): http://127.0.0.1:<port>. */
  httpPort: number;
  baseUrl: string;
  modules: AppModules;
  /** Who the tests act as when they call commands: the administrator, from this host. */
  admin: Actor;
  waitForJob(jobId: string, timeoutMs?: number): Promise<JobOutcome>;
  /** Waits until every job has succeeded; throws on a failed job, or when none finishes for STALL_MS. */
  waitForJobs(jobIds: string[]): Promise<void>;
  /** Stores an ACME account at the harness's Pebble and queues its registration (not awaited). */
  createPebbleAccount(options?: PebbleAccountOptions): Promise<{ accountId: string; jobId: string }>;
  /** Registers an ACME account at the harness's Pebble (through the real job) and returns its id. */
  registerPebbleAccount(options?: PebbleAccountOptions): Promise<string>;
  /** How many jobs the runner works on at once now (the server's default unless fixed). */
  runnerConcurrency(): Promise<number>;
  /** Stops this process's job runner (crash tests run the jobs in child processes). */
  stopRunner(): Promise<void>;
  /** Stops serving `routes` on httpPort (so another listener can take the port for the same Pebble). */
  closeHttp(): Promise<void>;
  /** Stops everything this started and removes the temporary data directory (unless CERTDECK_KEEP_TEST_DATA is set). */
  stop(): Promise<void>;
}

export async function startAppHarness(options: AppHarnessOptions = {}): Promise<AppHarness> {
  const database = await openTestDatabase({ label: options.label ?? "it", dataDir: options.dataDir });
  const { dataDir } = database;
  const httpPort = options.httpPort ?? (await findFreePort());
  const pebble = await startPebbleTestbed({
    workDir: path.join(dataDir, "pebble"),
    httpPort,
    nonceRejectPercent: options.nonceRejectPercent,
    externalAccountMACKeys: options.externalAccountMACKeys,
    pebbleDnsServer: options.pebbleDnsServer,
  });
  // The pre-flight check resolves names through Pebble's DNS server (every name is this host),
  // sees this host as 127.0.0.1 and probes the port Pebble validates on, as an operator of a lab
  // CA would configure it.
  await settings.setSetting("dnsResolvers", options.pebbleDnsServer ?? pebble.dnsServer);
  await settings.setSetting("publicIPv4", "127.0.0.1");
  await settings.setSetting("validationHttpPort", httpPort);

  let server: Closable | null = options.routes
    ? await serveRoutes(httpPort, [
        { pattern: "/.well-known/acme-challenge/:token", methods: { GET: challengeRoute.GET as RouteHandler } },
        ...(await options.routes(modules)),
      ])
    : null;
  const admin = userActor({ id: "admin", username: "admin" }, "127.0.0.1");
  const runnerOptions = options.runner === undefined ? { concurrency: 4 } : options.runner;
  const jobRunner = runnerOptions ? await runner.startJobRunner(runnerOptions) : null;

  async function waitForJob(jobId: string, timeoutMs = 30_000): Promise<JobOutcome> {
    return waitFor(() => db.job.findUniqueOrThrow({ where: { id: jobId }, select: { status: true, error: true } }), {
      until: (job) => job.status === "succeeded" || job.status === "failed",
      timeoutMs,
      what: (job) => `job ${jobId} to finish (still ${job?.status})`,
    });
  }

  async function waitForJobs(jobIds: string[]): Promise<void> {
    let finished = 0;
    let lastProgressAt = Date.now();
    await waitFor(
      async () => {
        const jobs = await db.job.findMany({ where: { id: { in: jobIds }, status: { in: ["succeeded", "failed"] } }, select: { status: true, error: true } });
        const failed = jobs.find((job) => job.status === "failed");
        if (failed) throw new Error(`a job failed: ${failed.error}`);
        if (jobs.length > finished) {
          finished = jobs.length;
          lastProgressAt = Date.now();
        }
        if (Date.now() - lastProgressAt > STALL_MS) throw new Error(await stalledMessage({ modules, pebble }, finished, jobIds.length));
        return jobs.length === jobIds.length;
      },
      { timeoutMs: Infinity },
    );
  }

  async function createPebbleAccount({ label, email = "ops@example.test" }: PebbleAccountOptions = {}) {
    // Pebble listens on 127.0.0.1 and its certificates may name 127.0.0.1: a lab CA.
    const account = await createAccount(admin, {
      label,
      directoryUrl: pebble.directoryUrl,
      email,
      termsAgreed: true,
      caBundlePem: pebble.httpsCaPem,
      privateNetwork: true,
    });
    return { accountId: account.accountId, jobId: account.jobId };
  }

  async function registerPebbleAccount(accountOptions: PebbleAccountOptions = {}) {
    const { accountId, jobId } = await createPebbleAccount(accountOptions);
    const job = await waitForJob(jobId);
    if (job.status !== "succeeded") throw new Error(`account registration failed: ${job.error}`);
    return accountId;
  }

  const closeHttp = async () => {
    const closing = server;
    server = null;
    await closing?.close();
  };

  return {
    dataDir,
    admin,
    pebble,
    httpPort,
    baseUrl: `http://127.0.0.1:${httpPort}`,
    modules,
    waitForJob,
    waitForJobs,
    createPebbleAccount,
    registerPebbleAccount,
    runnerConcurrency: async () => (runnerOptions ? runnerOptions.concurrency : undefined) ?? (await runner.defaultJobRunnerConcurrency()),
    stopRunner: async () => jobRunner?.stop(),
    closeHttp,
    async stop() {
      await jobRunner?.stop();
      await closeHttp();
      await pebble.stop();
      await database.stop();
    },
  };
}

/**
 * Why jobs stopped finishing, in a sentence: the job states and the latest warning of the job
 * log. When jobs are still running, the CA stopped answering: Pebble 2.4 was seen to lock up once
 * under many parallel orders; its goroutine stacks are kept for a bug report.
 */
export async function stalledMessage(app: Pick<AppHarness, "modules" | "pebble">, finished: number, total: number): Promise<string> {
  const states = await app.modules.db.job.groupBy({ by: ["status"], where: { status: { notIn: ["succeeded", "failed"] } }, _count: true });
  const latest = await app.modules.db.jobEvent.findFirst({ where: { level: { in: ["warn", "error"] } }, orderBy: { id: "desc" }, select: { message: true } });
  const stateText = states.map((state) => `${state._count} ${state.status}`).join(", ") || "none active";
  let pebbleText = "";
  if (states.some((state) => state.status === "running")) {
    // Go prints every goroutine's stack on SIGQUIT (and exits).
    const keptLog = path.join(os.tmpdir(), `certdeck-pebble-stalled-${Date.now()}.log`);
    try {
      process.kill(app.pebble.pids.pebble, "SIGQUIT");
      await delay(1000);
      await copyFile(app.pebble.pebbleLogPath, keptLog);
      pebbleText = ` Jobs wait on the CA: Pebble 2.4 can stop answering under many parallel orders (its goroutine stacks: ${keptLog}); run the benchmark again.`;
    } catch {
      pebbleText = " Jobs wait on the CA, which is gone.";
    }
  }
  return `${finished} of ${total} finished, then none for ${STALL_MS / 1000} s. Jobs: ${stateText}.${latest ? ` Latest warning: ${latest.message}` : ""}${pebbleText}`;
}

interface Closable {
  close(): Promise<void>;
}

function matchPattern(pattern: string, pathname: string): Record<string, string> | null {
  const patternParts = pattern.split("/");
  const pathParts = pathname.split("/");
  if (patternParts.length !== pathParts.length) return null;
  const params: Record<string, string> = {};
  for (const [index, part] of patternParts.entries()) {
    if (part.startsWith(":")) params[part.slice(1)] = decodeURIComponent(pathParts[index]);
    else if (part !== pathParts[index]) return null;
  }
  return params;
}

/**
 * Serves route handler modules on 127.0.0.1:`port` over real HTTP, the way the production server
 * calls them (headers and body passed on, the answer streamed back). `requests` lists every
 * request's URL, in order.
 */
export async function serveRoutes(port: number, routes: RouteBinding[]): Promise<Closable & { requests: string[] }> {
  const requests: string[] = [];
  const server = http.createServer((incoming, outgoing) => {
    requests.push(incoming.url ?? "/");
    const chunks: Buffer[] = [];
    incoming.on("data", (chunk: Buffer) => chunks.push(chunk));
    incoming.on("end", async () => {
      try {
        const url = new URL(incoming.url ?? "/", `http://127.0.0.1:${port}`);
        const method = incoming.method ?? "GET";
        for (const route of routes) {
          const params = matchPattern(route.pattern, url.pathname);
          if (!params) continue;
          const handler = route.methods[method] ?? route.methods["*"];
          if (!handler) return outgoing.writeHead(405).end();
          const headers = new Headers();
          for (const [name, value] of Object.entries(incoming.headers)) {
            if (typeof value === "string") headers.set(name, value);
            else if (Array.isArray(value)) headers.set(name, value.join(", "));
          }
          const body = chunks.length > 0 && method !== "GET" && method !== "HEAD" ? Buffer.concat(chunks) : undefined;
          const answer = await handler(new Request(url, { method, headers, body }), { params: Promise.resolve(params) });
          outgoing.writeHead(answer.status, Object.fromEntries(answer.headers)).end(Buffer.from(await answer.arrayBuffer()));
          return;
        }
        outgoing.writeHead(404).end();
      } catch (error) {
        console.error("[app-harness] route handler failed", error);
        if (!outgoing.headersSent) outgoing.writeHead(500);
        outgoing.end();
      }
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", resolve);
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

/**
 * Serves a /.well-known/acme-challenge/[token] route handler (the app's real one, or a stand-in)
 * on `port`, the way nginx in front of CertDeck would forward the CA's requests to it.
 */
export function serveChallengeRoute(
  port: number,
  route: { GET(request: Request, context: { params: Promise<{ token: string }> }): Promise<Response> },
): Promise<Closable & { requests: string[] }> {
  return serveRoutes(port, [{ pattern: "/.well-known/acme-challenge/:token", methods: { "*": route.GET as RouteHandler } }]);
}
