/**
 * The shared system under test (install.ts): Pebble, a BIND zone with a second Pebble for
 * DNS-01 (wildcard-manual-dns.spec.ts), and the dashboard's production build on a fresh data
 * directory at E2E_PORT. Playwright starts this as its web server and stops it at the end.
 */
import { E2E_PORT, E2E_RUNTIME_DIR } from "./e2e-env";
import { startInstall } from "./install";

const install = await startInstall({ dir: E2E_RUNTIME_DIR, port: E2E_PORT, dns01Zone: "wild.test", serverOutput: "inherit" });
let stopping = false;
const stop = async (code: number) => {
  if (stopping) return;
  stopping = true;
  await install.stop();
  process.exit(code);
};
for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => void stop(0));
void install.exited.then(({ code }) => stop(code ?? 1));
