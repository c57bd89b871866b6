import path from "node:path";

/** The dashboard's port in e2e runs; Pebble validates HTTP-01 against this same port. */
export const E2E_PORT = Number(process.env.E2E_PORT ?? 3217);
export const E2E_BASE_URL = `http://127.0.0.1:${E2E_PORT}`;
export const E2E_RUNTIME_DIR = path.resolve(".test-runtime", "e2e");
export const E2E_DATA_DIR = path.join(E2E_RUNTIME_DIR, "data");
/** Written by the global setup: the Pebble directory URL and the CA its HTTPS uses. */
export const E2E_PEBBLE_INFO = path.join(E2E_RUNTIME_DIR, "pebble.json");

export interface PebbleInfo {
  directoryUrl: string;
  httpsCaPem: string;
}
