/**
 * The system under test: a local Pebble CA (with its DNS server) and the dashboard's production
 * build on a fresh data directory, configured the way an operator of a lab CA would: names
 * resolve through Pebble's DNS server, this host is 127.0.0.1, the CA validates HTTP-01 on the
 * dashboard's own port. Playwright starts this as its web server (before any global setup, which
 * is why Pebble starts here) and stops it at the end.
 */
import { spawn } from "node:child_process";
import { mkdir, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { startBindTestbed } from "../../lib/testbed/bind-testbed";
import { startPebbleTestbed } from "../../lib/testbed/pebble-testbed";
import { E2E_DATA_DIR, E2E_PEBBLE_INFO, E2E_PORT, E2E_RUNTIME_DIR, type PebbleInfo } from "./e2e-env";

await rm(E2E_RUNTIME_DIR, { recursive: true, force: true });
await mkdir(E2E_RUNTIME_DIR, { recursive: true });
const pebble = await startPebbleTestbed({ workDir: path.join(E2E_RUNTIME_DIR, "pebble"), httpPort: E2E_PORT });
// DNS-01 needs a DNS host that answers with authority (SOA, NS, the AA flag), which challtestsrv
// does not: a BIND zone, and a second Pebble that resolves through it (wildcard-manual-dns.spec.ts).
const bind = await startBindTestbed({ workDir: path.join(E2E_RUNTIME_DIR, "bind"), zones: ["wild.test"] });
const dnsPebble = await startPebbleTestbed({ workDir: path.join(E2E_RUNTIME_DIR, "pebble-dns"), httpPort: E2E_PORT, pebbleDnsServer: bind.server });
const info: PebbleInfo = {
  directoryUrl: pebble.directoryUrl,
  httpsCaPem: pebble.httpsCaPem,
  dnsServer: pebble.dnsServer,
  challtestsrvManagementUrl: pebble.challtestsrvManagementUrl,
  dns01: { directoryUrl: dnsPebble.directoryUrl, httpsCaPem: dnsPebble.httpsCaPem, dnsServer: bind.server, zone: "wild.test", tsig: bind.tsig },
};
await writeFile(E2E_PEBBLE_INFO, JSON.stringify(info));

const server = spawn(process.execPath, ["scripts/server.mjs"], {
  stdio: "inherit",
  env: {
    ...process.env,
    NODE_ENV: "production",
    PORT: String(E2E_PORT),
    HOST: "127.0.0.1",
    CERTDECK_DATA_DIR: E2E_DATA_DIR,
    CERTDECK_TIME_ZONE: "UTC",
    CERTDECK_DNS_RESOLVERS: pebble.dnsServer,
    CERTDECK_PUBLIC_IPV4: "127.0.0.1",
    CERTDECK_VALIDATION_HTTP_PORT: String(E2E_PORT),
    // The BIND zone's nameserver (ns1.wild.test → 127.0.0.1) listens on this port, not 53.
    CERTDECK_AUTHORITATIVE_DNS_PORT: String(bind.port),
    NEXT_TELEMETRY_DISABLED: "1",
  },
});
const stop = async (code: number) => {
  server.kill("SIGTERM");
  await Promise.all([pebble.stop(), dnsPebble.stop(), bind.stop()]);
  process.exit(code);
};
for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => void stop(0));
server.on("exit", (code) => void stop(code ?? 1));
