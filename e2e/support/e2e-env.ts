import path from "node:path";

/** The shared dashboard's port in e2e runs; Pebble validates HTTP-01 against this same port. */
export const E2E_PORT = Number(process.env.E2E_PORT ?? 3217);
export const E2E_BASE_URL = `http://127.0.0.1:${E2E_PORT}`;
export const E2E_RUNTIME_DIR = path.resolve(".test-runtime", "e2e");
export const E2E_DATA_DIR = path.join(E2E_RUNTIME_DIR, "data");
/** Written by install.ts before the server starts: the Pebble directory URL, the CA its HTTPS uses, its DNS server. */
export const E2E_PEBBLE_INFO = path.join(E2E_RUNTIME_DIR, "pebble.json");
/** The administrator's signed-in session on the shared dashboard, saved by auth.setup.ts. */
export const E2E_ADMIN_SESSION = path.join(E2E_RUNTIME_DIR, "admin-session.json");

/** Written by install.ts once Pebble runs. */
export interface PebbleInfo {
  directoryUrl: string;
  httpsCaPem: string;
  /** challtestsrv's DNS server ("127.0.0.1:port") and management API, to stage DNS in tests. */
  dnsServer: string;
  challtestsrvManagementUrl: string;
  /**
   * For DNS-01 (the shared dashboard only): a second Pebble that resolves through a BIND zone
   * (the "DNS host"), the BIND server, and the TSIG key that may update the zone (nsupdate, as
   * the zone's admin would).
   */
  dns01: {
    directoryUrl: string;
    httpsCaPem: string;
    dnsServer: string;
    zone: string;
    tsig: { name: string; algorithm: string; secret: string };
  } | null;
}
