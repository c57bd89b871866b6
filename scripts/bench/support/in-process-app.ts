/**
 * CertDeck in this process, as the benchmarks drive it: a fresh data directory with a migrated
 * SQLite file, the real job runner, a local Pebble (PEBBLE_VA_NOSLEEP=1) whose HTTP-01 checks
 * reach the app's real /.well-known/acme-challenge/[token] route handler, and an ACME account
 * registered there through the real registration job.
 *
 * CERTDECK_DATA_DIR must be set before any lib/ module is imported (lib/core/env.ts reads it once),
 * hence the dynamic imports; one app per process.
 */
import { copyFile, mkdtemp, rm } from "node:fs/promises";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { findFreePort, startPebbleTestbed, type PebbleTestbed } from "../../../lib/testbed/pebble-testbed";

type RouteHandler = (request: Request, context: { params: Promise<Record<string, string>> }) => Promise<Response>;

/** A path pattern ("/api/v1/jobs/:id") and the route handler module that answers it. */
export interface RouteBinding {
  pattern: string;
  methods: Partial<Record<string, RouteHandler>>;
}

async function loadModules() {
  return {
    db: (await import("../../../lib/data/client")).db,
    migrate: await import("../../../lib/data/migrate"),
    runner: await import("../../../lib/jobs/runner"),
    settings: await import("../../../lib/data/settings"),
    createAccount: (await import("../../../lib/domain/accounts/create-account")).createAccount,
    SYSTEM_ACTOR: (await import("../../../lib/domain/command/actor")).SYSTEM_ACTOR,
    createCertificate: (await import("../../../lib/domain/certificates/create-certificate")).createCertificate,
    challengeRoute: await import("../../../app/.well-known/acme-challenge/[token]/route"),
  };
}

export type AppModules = Awaited<ReturnType<typeof loadModules>>;

/** No job finishing for this long means the CA stopped answering. */
export const STALL_MS = 60_000;

/**
 * Why jobs stopped finishing, in a sentence: the job states and the latest warning of the job
 * log. When jobs are still running, the CA stopped answering: Pebble 2.4 was seen to lock up once
 * under many parallel orders; its goroutine stacks are kept for a bug report.
 */
export async function stalledMessage(app: Pick<InProcessApp, "modules" | "pebble">, finished: number, total: number): Promise<string> {
  const { db } = app.modules;
  const states = await db.job.groupBy({ by: ["status"], where: { status: { notIn: ["succeeded", "failed"] } }, _count: true });
  const latest = await db.jobEvent.findFirst({ where: { level: { in: ["warn", "error"] } }, orderBy: { id: "desc" }, select: { message: true } });
  const stateText = states.map((state) => `${state._count} ${state.status}`).join(", ") || "none active";
  let pebbleText = "";
  if (states.some((state) => state.status === "running")) {
    // Go prints every goroutine's stack on SIGQUIT (and exits).
    const keptLog = path.join(os.tmpdir(), `certdeck-pebble-stalled-${Date.now()}.log`);
    try {
      process.kill(app.pebble.pids.pebble, "SIGQUIT");
      await new Promise((resolve) => setTimeout(resolve, 1000));
      await copyFile(app.pebble.pebbleLogPath, keptLog);
      pebbleText = ` Jobs wait on the CA: Pebble 2.4 can stop answering under many parallel orders (its goroutine stacks: ${keptLog}); run the benchmark again.`;
    } catch {
      pebbleText = " Jobs wait on the CA, which is gone.";
    }
  }
  return `${finished} of ${total} finished, then none for ${STALL_MS / 1000} s. Jobs: ${stateText}.${latest ? ` Latest warning: ${latest.message}` : ""}${pebbleText}`;
}

export interface InProcessApp {
  dataDir: string;
  pebble: PebbleTestbed;
  /** Where Pebble connects for HTTP-01, and where `routes` are served: http://127.0.0.1:<port>. */
  httpPort: number;
  baseUrl: string;
  accountId: string;
  modules: AppModules;
  /** How many jobs the runner works on at once now (the server's default unless fixed). */
  runnerConcurrency(): Promise<number>;
  waitForJob(jobId: string, timeoutMs?: number): Promise<{ status: string; error: string | null }>;
  /** Waits until every job has succeeded; throws on a failed job, or when none finishes for a minute. */
  waitForJobs(jobIds: string[]): Promise<void>;
  /** Stops serving HTTP on httpPort (so a peer client can listen there for the same Pebble). */
  closeHttp(): Promise<void>;
  stop(): Promise<void>;
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

/** Serves route handler modules over real HTTP, the way `next start` calls them. */
async function serveRoutes(port: number, routes: RouteBinding[]): Promise<http.Server> {
  const server = http.createServer((incoming, outgoing) => {
    const chunks: Buffer[] = [];
    incoming.on("data", (chunk: Buffer) => chunks.push(chunk));
    incoming.on("end", async () => {
      try {
        const url = new URL(incoming.url ?? "/", `http://127.0.0.1:${port}`);
        for (const route of routes) {
          const params = matchPattern(route.pattern, url.pathname);
          if (!params) continue;
          const handler = route.methods[incoming.method ?? "GET"];
          if (!handler) return outgoing.writeHead(405).end();
          const headers = new Headers();
          for (const [name, value] of Object.entries(incoming.headers)) {
            if (typeof value === "string") headers.set(name, value);
            else if (Array.isArray(value)) headers.set(name, value.join(", "));
          }
          const body = chunks.length > 0 && incoming.method !== "GET" && incoming.method !== "HEAD" ? Buffer.concat(chunks) : undefined;
          const answer = await handler(new Request(url, { method: incoming.method, headers, body }), { params: Promise.resolve(params) });
          outgoing.writeHead(answer.status, Object.fromEntries(answer.headers)).end(Buffer.from(await answer.arrayBuffer()));
          return;
        }
        outgoing.writeHead(404).end();
      } catch (error) {
        console.error("[bench] route handler failed", error);
        if (!outgoing.headersSent) outgoing.writeHead(500);
        outgoing.end();
      }
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", resolve);
  });
  return server;
}

export async function startInProcessApp(options: {
  /** Fixed job runner concurrency; default: the server's (renewalConcurrency setting + interactive slots). */
  runnerConcurrency?: number;
  /** Extra route handlers served next to the challenge route (e.g. the REST API). */
  routes?: (modules: AppModules) => Promise<RouteBinding[]>;
  label: string;
}): Promise<InProcessApp> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), `certdeck-${options.label}-`));
  process.env.CERTDECK_DATA_DIR = dataDir;
  const modules = await loadModules();
  await modules.migrate.applyMigrations(dataDir);
  const httpPort = await findFreePort();
  const pebble = await startPebbleTestbed({ workDir: path.join(dataDir, "pebble"), httpPort });
  // The pre-flight check resolves names through Pebble's DNS server (every name is this host)
  // and probes the port Pebble validates on, as an operator of a lab CA would configure it.
  await modules.settings.setSetting("dnsResolvers", pebble.dnsServer);
  await modules.settings.setSetting("publicIPv4", "127.0.0.1");
  await modules.settings.setSetting("validationHttpPort", httpPort);

  const routes: RouteBinding[] = [
    { pattern: "/.well-known/acme-challenge/:token", methods: { GET: modules.challengeRoute.GET as RouteHandler } },
    ...((await options.routes?.(modules)) ?? []),
  ];
  let server: http.Server | null = await serveRoutes(httpPort, routes);
  const runner = await modules.runner.startJobRunner({ concurrency: options.runnerConcurrency });

  async function waitForJob(jobId: string, timeoutMs = 60_000) {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const job = await modules.db.job.findUniqueOrThrow({ where: { id: jobId }, select: { status: true, error: true } });
      if (job.status === "succeeded" || job.status === "failed") return job;
      if (Date.now() > deadline) throw new Error(`job ${jobId} still ${job.status} after ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  async function waitForJobs(jobIds: string[]) {
    let finished = 0;
    let lastProgressAt = Date.now();
    for (;;) {
      const jobs = await modules.db.job.findMany({ where: { id: { in: jobIds }, status: { in: ["succeeded", "failed"] } }, select: { status: true, error: true } });
      const failed = jobs.find((job) => job.status === "failed");
      if (failed) throw new Error(`a job failed: ${failed.error}`);
      if (jobs.length === jobIds.length) return;
      if (jobs.length > finished) {
        finished = jobs.length;
        lastProgressAt = Date.now();
      }
      if (Date.now() - lastProgressAt > STALL_MS) throw new Error(await stalledMessage({ modules, pebble }, finished, jobIds.length));
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  const account = await modules
    .createAccount(modules.SYSTEM_ACTOR, {
      label: "Pebble (benchmark)",
      directoryUrl: pebble.directoryUrl,
      email: "bench@example.test",
      termsAgreed: true,
      caBundlePem: pebble.httpsCaPem,
      // Pebble on this machine: a lab CA.
      privateNetwork: true,
    })
    .catch((error: unknown) => {
      throw new Error(`the benchmark's ACME account was refused: ${error instanceof Error ? error.message : String(error)}`);
    });
  const registration = await waitForJob(account.jobId);
  if (registration.status !== "succeeded") throw new Error(`registering the benchmark's ACME account failed: ${registration.error}`);
  // Pebble has no rate limits; the guard's defaults are Let's Encrypt's (300 orders in 3 hours),
  // which a few rounds of 100 would reach. An operator of a lab CA sets its limits the same way.
  await modules.db.acmeAccount.update({ where: { id: account.accountId }, data: { ordersPer3HoursLimit: 100_000 } });

  const closeHttp = async () => {
    if (!server) return;
    const closing = server;
    server = null;
    await new Promise<void>((resolve) => {
      closing.close(() => resolve());
      closing.closeAllConnections();
    });
  };

  return {
    dataDir,
    pebble,
    httpPort,
    baseUrl: `http://127.0.0.1:${httpPort}`,
    accountId: account.accountId,
    modules,
    runnerConcurrency: async () => options.runnerConcurrency ?? (await modules.runner.defaultJobRunnerConcurrency()),
    waitForJob,
    waitForJobs,
    closeHttp,
    async stop() {
      await runner.stop();
      await closeHttp();
      await pebble.stop();
      await modules.db.$disconnect();
      if (!process.env.CERTDECK_BENCH_KEEP) await rm(dataDir, { recursive: true, force: true });
    },
  };
}
