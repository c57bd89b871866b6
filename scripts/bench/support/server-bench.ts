/**
 * CertDeck as the issue and renew benchmarks measure it: the production server
 * (scripts/server.mjs, started as `npm start` starts it, with its Node flags) driven over HTTP
 * with an API token, against the one app harness's Pebble.
 *
 * Before the server starts, this process prepares its data directory as an operator would: the
 * network settings of a lab CA (test/support/app-harness.ts), an ACME account registered at
 * Pebble through the real registration job, an API token. Then it lets go of the database and
 * starts the server, which migrates, seeds and runs its job runner and scheduler itself.
 *
 * Pebble validates HTTP-01 on one port. So that certbot and lego can take their turns between
 * CertDeck's runs on the same Pebble, a relay (a plain TCP pipe in this process) listens there
 * and passes each connection to whoever's turn it is: the server, certbot's or lego's standalone
 * listener. Every client pays the same hop.
 */
import { readFileSync } from "node:fs";
import net from "node:net";
import path from "node:path";
import { setTimeout as delay } from "node:timers/promises";
import { startAppHarness, type AppHarness } from "../../../test/support/app-harness";
import { ensureProductionBuild, startProductionServer, type ProductionServer } from "../../../test/support/production-server";
import { findFreePort } from "../../../lib/testbed/pebble-testbed";
import { processCpuMs } from "./cpu";

export interface PortRelay {
  port: number;
  /** Where new connections go from now on (null: they are closed). */
  setTarget(port: number | null): void;
  close(): Promise<void>;
}

/** A TCP relay on 127.0.0.1:`port` to 127.0.0.1:<target>. */
export async function startPortRelay(port: number): Promise<PortRelay> {
  let target: number | null = null;
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    if (target === null) return socket.destroy();
    const upstream = net.connect(target, "127.0.0.1");
    for (const end of [socket, upstream]) {
      sockets.add(end);
      end.once("close", () => sockets.delete(end));
      end.on("error", () => {
        socket.destroy();
        upstream.destroy();
      });
    }
    socket.pipe(upstream).pipe(socket);
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", resolve);
  });
  return {
    port,
    setTarget: (next) => {
      target = next;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** A job as GET /api/v1/jobs/{id} describes it (the fields the benchmarks read). */
export interface JobResource {
  id: string;
  status: string;
  error: string | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
}

/** How the benchmark learns that a job finished: the long poll, or asking every POLL_MS. */
export type JobWaitMode = "long poll (?wait=)" | `polling every ${number} ms`;

/** How often the job is asked for when the server has no long poll (as the finding's script did). */
export const POLL_MS = 50;
/** Seconds a long poll may wait (the server answers at once when the job finishes). */
const LONG_POLL_SECONDS = 30;

export interface ServerBench {
  harness: AppHarness;
  server: ProductionServer;
  relay: PortRelay;
  accountId: string;
  /** A read-write API token (cdk_…). */
  token: string;
  /** GET of any path on the server (e.g. /metrics) with the token; throws on a non-2xx answer. */
  getText(pathAndQuery: string): Promise<string>;
  /** GET/POST on the server's REST API with the token; throws on a non-2xx answer. */
  api<T>(method: "GET" | "POST", pathAndQuery: string, body?: unknown): Promise<T>;
  /**
   * Waits until the job has finished, as a script would: with the long poll
   * (GET /jobs/{id}?wait=) when the server offers it, else asking every POLL_MS. Throws when
   * it failed or waits for the operator. Returns the job and how many requests it took.
   */
  waitForJob(jobId: string): Promise<{ job: JobResource; requests: number }>;
  /** How waitForJob waits (known after its first call). */
  jobWaitMode(): JobWaitMode | null;
  /** User + system CPU time of the server process so far, in ms (from /proc; 10 ms resolution). */
  serverCpuMs(): number;
  /** The server's peak resident memory since it started (VmHWM), in MiB. */
  peakResidentMiB(): number;
  /** Where the server writes certbot-style live/ and archive/ trees. */
  certificatesDir: string;
  stop(): Promise<void>;
}

const say = (label: string, line: string) => console.log(`[${label}] ${line}`);

export async function startServerBench(options: {
  label: string;
  /** Changes to the data directory before the server starts (settings), with this process's database. */
  prepare?: (harness: AppHarness) => Promise<void>;
  serverNodeFlags?: string[];
  /** Another checkout with its own build, to compare two versions of the server; default: this one. */
  serverProjectRoot?: string;
}): Promise<ServerBench> {
  await ensureProductionBuild((line) => say(options.label, line));
  // The harness's runner registers the account; the server runs every job after that.
  const harness = await startAppHarness({ label: options.label, runner: { concurrency: 1 } });
  let server: ProductionServer | null = null;
  let relay: PortRelay | null = null;
  try {
    const accountId = await harness.registerPebbleAccount({ label: "Pebble (benchmark)", email: "bench@example.test" });
    const { db } = harness.modules;
    // Pebble has no rate limits; the guard's defaults are Let's Encrypt's (300 orders in 3 hours),
    // which a few rounds of 100 would reach. An operator of a lab CA sets its limits the same way.
    await db.acmeAccount.update({ where: { id: accountId }, data: { ordersPer3HoursLimit: 100_000 } });
    const { createApiToken } = await import("../../../lib/domain/api-tokens/api-tokens");
    const created = await createApiToken(harness.admin, { name: options.label, scope: "write" });
    await options.prepare?.(harness);
    await harness.stopRunner();
    // The server migrates the database at start: it must find it unlocked. Queries from this
    // process (reading results) open it again afterwards.
    await db.$disconnect();

    relay = await startPortRelay(harness.httpPort);
    const serverPort = await findFreePort();
    server = await startProductionServer({
      port: serverPort,
      env: { CERTDECK_DATA_DIR: harness.dataDir },
      extraNodeFlags: options.serverNodeFlags,
      projectRoot: options.serverProjectRoot,
      logPath: path.join(harness.dataDir, "server.log"),
    });
    relay.setTarget(serverPort);
    const baseUrl = server.baseUrl;
    const token = created.token;
    const startedServer = server;
    const startedRelay = relay;
    let waitMode: JobWaitMode | null = null;
    const getText = async (pathAndQuery: string): Promise<string> => {
      const response = await fetch(`${baseUrl}${pathAndQuery}`, { headers: { authorization: `Bearer ${token}` } });
      const text = await response.text();
      if (!response.ok) throw new ApiError("GET", pathAndQuery, response.status, text);
      return text;
    };
    const api = async <T>(method: "GET" | "POST", pathAndQuery: string, body?: unknown): Promise<T> => {
      const response = await fetch(`${baseUrl}/api/v1${pathAndQuery}`, {
        method,
        headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { "content-type": "application/json" }) },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await response.text();
      if (!response.ok) throw new ApiError(method, `/api/v1${pathAndQuery}`, response.status, text);
      return JSON.parse(text) as T;
    };
    const isFinished = (job: JobResource) => {
      if (job.status === "succeeded") return true;
      if (job.status === "failed" || job.status === "waiting") throw new Error(`job ${job.id} ${job.status}: ${job.error ?? "(no error)"}`);
      return false;
    };
    return {
      harness,
      server,
      relay,
      accountId,
      token,
      certificatesDir: harness.dataDir,
      api,
      getText,
      async waitForJob(jobId) {
        let requests = 0;
        for (;;) {
          if (waitMode !== `polling every ${POLL_MS} ms`) {
            try {
              requests++;
              const job = await api<JobResource>("GET", `/jobs/${jobId}?wait=${LONG_POLL_SECONDS}`);
              waitMode = "long poll (?wait=)";
              if (isFinished(job)) return { job, requests };
              continue;
            } catch (error) {
              // A server without the long poll refuses the unknown query parameter.
              if (!(error instanceof ApiError && error.status === 400 && waitMode === null)) throw error;
              waitMode = `polling every ${POLL_MS} ms`;
            }
          }
          requests++;
          const job = await api<JobResource>("GET", `/jobs/${jobId}`);
          if (isFinished(job)) return { job, requests };
          await delay(POLL_MS);
        }
      },
      jobWaitMode: () => waitMode,
      serverCpuMs: () => processCpuMs(startedServer.pid) ?? Number.NaN,
      peakResidentMiB: () => statusKiB(startedServer.pid, "VmHWM") / 1024,
      async stop() {
        await startedServer.stop();
        await startedRelay.close();
        await harness.stop();
      },
    };
  } catch (error) {
    await server?.stop();
    await relay?.close();
    await harness.stop();
    throw error;
  }
}

export class ApiError extends Error {
  constructor(
    readonly method: string,
    readonly pathAndQuery: string,
    readonly status: number,
    readonly body: string,
  ) {
    super(`${method} ${pathAndQuery} answered ${status}: ${body.slice(0, 500)}`);
  }
}

/** A field of /proc/<pid>/status in kB (VmHWM, VmRSS); 0 when the process is gone. */
export function statusKiB(pid: number, field: string): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    return Number(new RegExp(`^${field}:\\s+(\\d+) kB$`, "m").exec(status)?.[1] ?? 0);
  } catch {
    return 0;
  }
}
