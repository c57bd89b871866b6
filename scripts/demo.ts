/**
 * `npm run demo`: the dashboard plus a local Let's Encrypt test CA (Pebble) and its DNS server
 * (pebble-challtestsrv), with an ACME account already pointing at them, so a certificate can be
 * issued on a laptop with no public domain.
 *
 * - Data lives in data/demo and is wiped at every start: Pebble makes a fresh CA each run, so
 *   accounts and certificates from an earlier run are useless.
 * - Pebble validates HTTP-01 by connecting to 127.0.0.1:<PORT>, i.e. the dashboard itself, which
 *   serves /.well-known/acme-challenge/<token>; challtestsrv resolves every name to 127.0.0.1.
 * - CERTDECK_DATA_DIR must be set before any lib/ module is imported (lib/core/env.ts reads it once),
 *   hence the dynamic imports below.
 */
import net from "node:net";
import path from "node:path";
import { rm } from "node:fs/promises";
import { startPebbleTestbed, type PebbleTestbed } from "../lib/testbed/pebble-testbed";
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

let pebble: PebbleTestbed | null = null;
let server: RunningChild | null = null;
let building = false;
let finishing = false;
let interrupts = 0;

/** Stops Pebble (the Next child has exited or was never started) and exits. */
async function finish(code: number): Promise<never> {
  if (!finishing) {
    finishing = true;
    await pebble?.stop().catch((error: unknown) => console.error(`[demo] stopping Pebble: ${String(error)}`));
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

say(`Wiping ${path.relative(process.cwd(), dataDir) || dataDir}: Pebble makes a fresh test CA every run, so the accounts and certificates of an earlier demo are useless.`);
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
    pebble = await startPebbleTestbed({ workDir: path.join(dataDir, "pebble"), httpPort: port });
    say(`Pebble directory: ${pebble.directoryUrl} (HTTP-01 checks connect to 127.0.0.1:${port})`);

    const { applyMigrations } = await import("../lib/data/migrate");
    await applyMigrations(dataDir);
    // The pre-flight check resolves names through the test CA's DNS server, where every name
    // points at this machine, and probes the port the test CA validates on.
    const { setSetting } = await import("../lib/data/settings");
    await setSetting("dnsResolvers", pebble.dnsServer);
    await setSetting("publicIPv4", "127.0.0.1");
    await setSetting("validationHttpPort", port);
    const { createAccount } = await import("../lib/domain/accounts/create-account");
    const { SYSTEM_ACTOR } = await import("../lib/domain/command/actor");
    const created = await createAccount(SYSTEM_ACTOR, {
      label: "Pebble (local test CA)",
      directoryUrl: pebble.directoryUrl,
      email: "demo@example.test",
      termsAgreed: true,
      caBundlePem: pebble.httpsCaPem,
      // Pebble on this machine: a lab CA (shown as such on the Accounts page).
      privateNetwork: true,
    }).catch((error: unknown) => {
      throw new Error(`could not create the demo ACME account: ${error instanceof Error ? error.message : String(error)}`);
    });
    return created.jobId;
  } catch (error) {
    console.error(`[demo] ${error instanceof Error ? error.message : String(error)}`);
    return finish(1);
  }
})();
const { db } = await import("../lib/data/client");
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
  const deadline = Date.now() + 180_000;
  while (Date.now() < deadline && !finishing && server?.child.exitCode === null) {
    try {
      await fetch(`http://127.0.0.1:${port}/`, { redirect: "manual", signal: AbortSignal.timeout(2000) });
      return true;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }
  return false;
}

if (await waitUntilServing()) {
  const url = `http://${host === "0.0.0.0" || host === "::" ? "localhost" : host.includes(":") ? `[${host}]` : host}:${port}`;
  say();
  say("CertDeck demo is running.");
  say(`  Open       ${url}`);
  say(
    adminFromEnvironment
      ? `  Log in as  ${adminUser} (password from CERTDECK_ADMIN_PASSWORD)`
      : `  Log in as  ${adminUser} / ${adminPassword}`,
  );
  say('  Account    "Pebble (local test CA)" is set up for you.');
  say("  Then add a certificate for any made-up name such as shop.example.test:");
  say("             the local CA resolves every name to this machine.");
  say("  (Certificates from this test CA are not trusted by browsers; it is for trying things out.)");
  say("  Press Ctrl-C to stop the dashboard and the test CA.");
  say();

  // Report the account registration the dashboard's job runner performs at start.
  const deadline = Date.now() + 30_000;
  for (;;) {
    const job = await db.job.findUnique({ where: { id: jobId }, select: { status: true, error: true } }).catch(() => null);
    if (job?.status === "succeeded") {
      say("ACME account registered with the local test CA.");
      break;
    }
    if (job?.status === "failed") {
      say(`Registering the ACME account failed: ${job.error ?? "unknown error"} (see Accounts in the dashboard).`);
      break;
    }
    if (Date.now() > deadline || finishing) break;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}
