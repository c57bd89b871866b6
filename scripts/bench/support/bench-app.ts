/**
 * CertDeck in this process, as the benchmarks drive it: the one app harness
 * (test/support/app-harness.ts) with the job runner at the server's concurrency, the app's real
 * /.well-known/acme-challenge/[token] route handler (and any other routes) served on the port
 * Pebble validates on, and an ACME account registered through the real registration job.
 */
import { startAppHarness, type AppHarness, type AppHarnessOptions } from "../../../test/support/app-harness";

export { STALL_MS, stalledMessage, type RouteBinding } from "../../../test/support/app-harness";

export interface BenchApp extends AppHarness {
  accountId: string;
}

export async function startBenchApp(options: {
  label: string;
  /** Fixed job runner concurrency; default: the server's (renewalConcurrency setting + interactive slots). */
  runnerConcurrency?: number;
  /** Extra route handlers served next to the challenge route (e.g. the REST API). */
  routes?: AppHarnessOptions["routes"];
}): Promise<BenchApp> {
  const app = await startAppHarness({ label: options.label, runner: { concurrency: options.runnerConcurrency }, routes: options.routes ?? (() => []) });
  try {
    const accountId = await app.registerPebbleAccount({ label: "Pebble (benchmark)", email: "bench@example.test" });
    // Pebble has no rate limits; the guard's defaults are Let's Encrypt's (300 orders in 3 hours),
    // which a few rounds of 100 would reach. An operator of a lab CA sets its limits the same way.
    await app.modules.db.acmeAccount.update({ where: { id: accountId }, data: { ordersPer3HoursLimit: 100_000 } });
    return { ...app, accountId };
  } catch (error) {
    await app.stop();
    throw error;
  }
}
