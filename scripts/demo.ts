/**
 * `npm run demo`: the dashboard plus a local Let's Encrypt test CA (Pebble) and its DNS server
 * (pebble-challtestsrv), with an ACME account already pointing at them, so a certificate can be
 * issued on a laptop with no public domain.
 *
 * - Data lives in data/demo and is wiped at every start: Pebble makes a fresh CA each run, so
 *   accounts and certificates from an earlier run are useless.
 * - Pebble validates HTTP-01 by connecting to 127.0.0.1:<PORT>, i.e. the dashboard itself, which
 *   serves /.well-known/acme-challenge/<token>; challtestsrv resolves every name to 127.0.0.1.
 * - The database, the test CA and the network settings are prepared by the one app harness that
 *   the tests and benchmarks use (test/support/app-harness.ts), without a job runner here: the
 *   dashboard's own runner registers the account.
 */
import net from "node:net";
import path from "node:path";
import { rm } from "node:fs/promises";
import { waitFor } from "../lib/testbed/wait-for";
import { startAppHarness, type AppHarness } from "../test/support/app-harness";
import { ensureBuilt, exitCodeOf, projectRoot, startNextServer, type RunningChild } from "./next-server.mjs";

const port = Number(process.env.PORT || 3000);
// Loopback by default: the demo has a well-known password. Pebble always connects to 127.0.0.1.
const host = process.env.HOST || "127.0.0.1";
const dataDir = path.join(projectRoot, "data", "demo"); // deliberately not CERTDECK_DATA_DIR: it is wiped
const adminUser = process.env.CERTDECK_ADMIN_USER || "admin";
const adminPassword = process.env.CERTDECK_ADMIN_PASSWORD || "demo-password";
const adminFromEnvironment = Boolean(process.env.CERTDECK_ADMIN_USER && process.env.CERTDECK_ADMIN_PASSWORD);

const say = (line = "") => console.log(line ? `[demo] ${line}` : "");

if (!Number.isInteger(port) || port < 1 || port > 65535) {
  console.error(`[demo] PORT must be a TCP port number, not "${process.env.PORT}"`);
  process.exit(1);
}

/** Resolves when nothing listens on host:port yet (so Next and Pebble's HTTP-01 can use it). */
function portIsFree(checkHost: string, checkPort: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once("error", () => resolve(false));
    server.listen({ host: checkHost, port: checkPort, exclusive: true }, () => server.close(() => resolve(true)));
  });
}

if (!(await portIsFree(host, port)) || (host !== "127.0.0.1" && !(await portIsFree("127.0.0.1", port)))) {
  console.error(`[demo] Port ${port} is already in use. Stop what runs there or pick another: PORT=3001 npm run demo`);
  process.exit(1);
}

process.env.CERTDECK_DATA_DIR = dataDir;
const childEnv = {
  CERTDECK_DATA_DIR: dataDir,
  CERTDECK_ADMIN_USER: adminUser,
  CERTDECK_ADMIN_PASSWORD: adminPassword,
  NEXT_TELEMETRY_DISABLED: "1",
  PRISMA_HIDE_UPDATE_MESSAGE: "1",
};

let app: AppHarness | null = null;
let server: RunningChild | null = null;
let building = false;
let finishing = false;
let interrupts = 0;

/** Stops Pebble (the Next child has exited or was never started) and exits. */
async function finish(code: number): Promise<never> {
  if (!finishing) {
    finishing = true;
    await app?.stop().catch((error: unknown) => console.error(`[demo] stopping Pebble: ${String(error)}`));
  }
  process.exit(code);
}

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    interrupts += 1;
    // While Next runs (build or server), next-server.mjs passes the signal on and we finish when
    // it exits. A second Ctrl-C does not wait any longer.
    if (server && interrupts > 1) server.stop("SIGKILL");
    if (server || building) return;
    void finish(signal === "SIGINT" ? 130 : 143);
  });
}

say(
  `Wiping ${path.relative(process.cwd(), dataDir) || dataDir}: Pebble makes a fresh test CA every run, so the accounts and certificates of an earlier demo are useless.`,
);
await rm(dataDir, { recursive: true, force: true });

try {
  building = true;
  await ensureBuilt({ env: childEnv });
} catch (error) {
  console.error(`[demo] ${(error as Error).message}`);
  await finish((error as { exitCode?: number }).exitCode ?? 1);
} finally {
  building = false;
}

const jobId = await (async () => {
  try {
    say("Starting the local test CA (Pebble) and its DNS server (pebble-challtestsrv)...");
    // The database in data/demo, the test CA validating on the dashboard's port, and the
    // settings of a lab CA: the pre-flight check resolves names through the test CA's DNS server,
    // where every name points at this machine, and probes the port the test CA validates on.
    app = await startAppHarness({ dataDir, httpPort: port, runner: false });
    say(`Pebble directory: ${app.pebble.directoryUrl} (HTTP-01 checks connect to 127.0.0.1:${port})`);
    const { jobId: registration } = await app.createPebbleAccount({ label: "Pebble (local test CA)", email: "demo@example.test" });
    return registration;
  } catch (error) {
    console.error(`[demo] ${error instanceof Error ? error.message : String(error)}`);
    return finish(1);
  }
})();
const { db } = app!.modules;
// The dashboard applies migrations at start and must find the database unlocked: close this
// process's connection first (Prisma reopens it for the status checks below).
await db.$disconnect();

say(`Starting the dashboard on ${host}:${port}...`);
server = startNextServer({ port, host, env: childEnv });
void server.exited.then(async (info) => {
  if (interrupts > 0) say("Stopping the test CA...");
  else if (!finishing) say(`The dashboard stopped (${info.signal ?? `exit code ${info.code}`}); stopping the test CA.`);
  await db.$disconnect().catch(() => undefined);
  await finish(interrupts > 0 && info.code === 0 ? 0 : exitCodeOf(info));
});

/** Waits until the dashboard answers HTTP on 127.0.0.1:<port> (or gives up after 3 minutes). */
async function waitUntilServing(): Promise<boolean> {
  const outcome = await waitFor(
    async () => {
      if (finishing || server?.child.exitCode !== null) return "stopped";
      const answered = await fetch(`http://127.0.0.1:${port}/`, { redirect: "manual", signal: AbortSignal.timeout(2000) }).then(
        () => true,
        () => false,
      );
      return answered ? "serving" : undefined;
    },
    { timeoutMs: 180_000, intervalMs: 500, what: "the dashboard to answer" },
  ).catch(() => "timed out");
  return outcome === "serving";
}

if (await waitUntilServing()) {
  const url = `http://${host === "0.0.0.0" || host === "::" ? "localhost" : host.includes(":") ? `[${host}]` : host}:${port}`;
  say();
  say("CertDeck demo is running.");
  say(`  Open       ${url}`);
  say(adminFromEnvironment ? `  Log in as  ${adminUser} (password from CERTDECK_ADMIN_PASSWORD)` : `  Log in as  ${adminUser} / ${adminPassword}`);
  say('  Account    "Pebble (local test CA)" is set up for you.');
  say("  Then add a certificate for any made-up name such as shop.example.test:");
  say("             the local CA resolves every name to this machine.");
  say("  (Certificates from this test CA are not trusted by browsers; it is for trying things out.)");
  say("  Press Ctrl-C to stop the dashboard and the test CA.");
  say();

  // Report the account registration the dashboard's job runner performs at start.
  const job = await waitFor(
    async () => {
      if (finishing) return null;
      const row = await db.job.findUnique({ where: { id: jobId }, select: { status: true, error: true } }).catch(() => null);
      return row?.status === "succeeded" || row?.status === "failed" ? row : undefined;
    },
    { timeoutMs: 30_000, intervalMs: 500, until: (row) => row !== undefined },
  ).catch(() => null);
  if (job?.status === "succeeded") say("ACME account registered with the local test CA.");
  else if (job?.status === "failed") say(`Registering the ACME account failed: ${job.error ?? "unknown error"} (see Accounts in the dashboard).`);
}
