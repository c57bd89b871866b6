import path from "node:path";

/**
 * Runtime configuration, read from the environment once. Every variable is documented in the
 * README's "Configuration" table.
 */
// turbopackIgnore: these are run-time locations chosen by the operator, not project files.
export const dataDir = path.resolve(/*turbopackIgnore: true*/ process.env.CERTDECK_DATA_DIR ?? "data");
export const databasePath = path.join(dataDir, "certdeck.db");

/** Where certbot-style live/ and archive/ trees are written. */
export const certificatesDir = path.resolve(/*turbopackIgnore: true*/ process.env.CERTDECK_CERTS_DIR ?? dataDir);

/** Time zone used for every date shown in the UI: the server's, unless overridden. */
export const displayTimeZone =
  process.env.CERTDECK_TIME_ZONE ?? Intl.DateTimeFormat().resolvedOptions().timeZone;

export const isProduction = process.env.NODE_ENV === "production";

/** Cookies get the Secure flag when the dashboard is served over HTTPS (set by the operator). */
export const secureCookies = process.env.CERTDECK_SECURE_COOKIES === "true";

/** The port the dashboard listens on (Next.js reads PORT too); shown in the nginx snippet. */
export const listenPort = Number(process.env.PORT ?? 3000);
