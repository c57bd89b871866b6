import path from "node:path";

/**
 * Runtime configuration from the environment, read when asked (never at import time, so a test
 * or a script can set the environment first and import in any order). Every variable is
 * documented in the README's "Configuration" table.
 */

// turbopackIgnore: these are run-time locations chosen by the operator, not project files.
export function dataDir(): string {
  return path.resolve(/*turbopackIgnore: true*/ process.env.CERTDECK_DATA_DIR ?? "data");
}

export function databasePath(): string {
  return path.join(dataDir(), "certdeck.db");
}

/** Where certbot-style live/ and archive/ trees are written. */
export function certificatesDir(): string {
  return path.resolve(/*turbopackIgnore: true*/ process.env.CERTDECK_CERTS_DIR ?? dataDir());
}

/** Time zone used for every date shown in the UI: the server's, unless overridden. */
export function displayTimeZone(): string {
  return process.env.CERTDECK_TIME_ZONE ?? Intl.DateTimeFormat().resolvedOptions().timeZone;
}

/** Cookies get the Secure flag when the dashboard is served over HTTPS (set by the operator). */
export function secureCookies(): boolean {
  return process.env.CERTDECK_SECURE_COOKIES === "true";
}

/** The port the dashboard listens on (Next.js reads PORT too); shown in the nginx snippet. */
export function listenPort(): number {
  return Number(process.env.PORT ?? 3000);
}

/**
 * Reverse proxies whose X-Forwarded-For is believed ("127.0.0.1, 10.0.0.0/8"); empty (the
 * default): the address of whoever connected is the client's, whatever headers it sends.
 */
export function trustedProxies(): string {
  return process.env.CERTDECK_TRUSTED_PROXIES ?? "";
}
