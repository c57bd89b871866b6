/**
 * A CertDeck of its own for one spec: a local Pebble CA and the production build on an empty
 * data directory, set up like serve.ts's (names resolve through Pebble's DNS server, this host
 * is 127.0.0.1, HTTP-01 on the dashboard's port), so a spec can start from a fresh install
 * whatever ran before it.
 *
 * Usage: node --conditions=react-server --import tsx e2e/support/fresh-instance.ts <runtime dir> <port>
 * Writes <runtime dir>/pebble.json (directoryUrl, httpsCaPem) once Pebble runs; stops everything
 * on SIGTERM or SIGINT. Start it detached and signal its process group.
 */
import { spawn } from "node:child_process";
import { mkdir, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { startPebbleTestbed } from "../../lib/testbed/pebble-testbed";

const [runtimeDir, portArgument] = process.argv.slice(2);
const port = Number(portArgument);
if (!runtimeDir || !Number.isInteger(port)) {
  console.error("usage: fresh-instance.ts <runtime dir> <port>");
  process.exit(2);
}

await rm(runtimeDir, { recursive: true, force: true });
await mkdir(runtimeDir, { recursive: true });
const pebble = await startPebbleTestbed({ workDir: path.join(runtimeDir, "pebble"), httpPort: port });
await writeFile(path.join(runtimeDir, "pebble.json"), JSON.stringify({ directoryUrl: pebble.directoryUrl, httpsCaPem: pebble.httpsCaPem }));

const server = spawn(process.execPath, ["scripts/server.mjs"], {
  stdio: "inherit",
  env: {
    ...process.env,
    NODE_ENV: "production",
    PORT: String(port),
    HOST: "127.0.0.1",
    CERTDECK_DATA_DIR: path.join(runtimeDir, "data"),
    CERTDECK_TIME_ZONE: "UTC",
    CERTDECK_DNS_RESOLVERS: pebble.dnsServer,
    CERTDECK_PUBLIC_IPV4: "127.0.0.1",
    CERTDECK_VALIDATION_HTTP_PORT: String(port),
    CERTDECK_ADMIN_USER: "",
    CERTDECK_ADMIN_PASSWORD: "",
    NEXT_TELEMETRY_DISABLED: "1",
  },
});
const stop = async (code: number) => {
  server.kill("SIGTERM");
  await pebble.stop();
  process.exit(code);
};
for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => void stop(0));
server.on("exit", (code) => void stop(code ?? 1));
