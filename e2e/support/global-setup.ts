import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { startPebbleTestbed } from "../../lib/testbed/pebble-testbed";
import { E2E_PEBBLE_INFO, E2E_PORT, E2E_RUNTIME_DIR, type PebbleInfo } from "./e2e-env";

/** Starts a local Pebble CA that validates HTTP-01 against the dashboard's own port. */
export default async function globalSetup() {
  await mkdir(E2E_RUNTIME_DIR, { recursive: true });
  const pebble = await startPebbleTestbed({ workDir: path.join(E2E_RUNTIME_DIR, "pebble"), httpPort: E2E_PORT });
  const info: PebbleInfo = { directoryUrl: pebble.directoryUrl, httpsCaPem: pebble.httpsCaPem };
  await writeFile(E2E_PEBBLE_INFO, JSON.stringify(info));
  return async () => {
    await pebble.stop();
  };
}
