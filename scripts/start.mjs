/**
 * `npm start`: build once if there is no production build, then run scripts/server.mjs on
 * ${PORT:-3000} / ${HOST:-0.0.0.0}. Database migrations, the admin seed
 * (CERTDECK_ADMIN_USER / CERTDECK_ADMIN_PASSWORD) and the job runner are handled by the app at
 * start (instrumentation.ts). SIGINT/SIGTERM are passed on to Next; we exit with its code.
 */
import { ensureBuilt, exitCodeOf, startNextServer } from "./next-server.mjs";

try {
  await ensureBuilt();
} catch (error) {
  console.error(`[certdeck] ${/** @type {Error} */ (error).message}`);
  process.exit(/** @type {{ exitCode?: number }} */ (error).exitCode ?? 1);
}

const server = startNextServer({ port: process.env.PORT || 3000, host: process.env.HOST || "0.0.0.0" });
process.exit(exitCodeOf(await server.exited));
