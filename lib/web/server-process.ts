import { issueSetupCode, setupCodePath } from "@/lib/domain/auth/first-run";
import { seedAdminFromEnvironment } from "@/lib/domain/auth/users";
import { applyMigrations } from "@/lib/data/migrate";
import { dataDir, listenPort } from "@/lib/core/env";
import { startJobRunner, type JobRunner } from "@/lib/jobs/runner";
import { startScheduler } from "@/lib/jobs/scheduler";

const globalForServer = globalThis as unknown as { certdeckRunner?: Promise<JobRunner> };

/** Start-up of the dashboard process, called from instrumentation.ts. */
export async function startServerProcess(): Promise<void> {
  if (globalForServer.certdeckRunner) return;
  await applyMigrations(dataDir());
  await seedAdminFromEnvironment();
  await announceSetupCode();
  globalForServer.certdeckRunner = startJobRunner();
  const runner = await globalForServer.certdeckRunner;
  const scheduler = startScheduler();
  console.info(`[certdeck] job runner ${runner.workerId} and renewal scheduler started; data directory ${dataDir()}`);
  for (const signal of ["SIGTERM", "SIGINT"] as const) {
    process.once(signal, () => {
      scheduler.stop();
      void runner.stop().finally(() => process.exit(0));
    });
  }
}

/**
 * While no user exists, whoever reaches the dashboard first would become its administrator: a
 * new one-time setup code (replacing any earlier one) is printed here and written to the data
 * directory, and the first-run form asks for it.
 */
async function announceSetupCode(): Promise<void> {
  const code = await issueSetupCode(dataDir());
  if (!code) return;
  const lines = [
    `First run: open http://localhost:${listenPort()}/login (or this server's address) and enter the setup code ${code}`,
    `The code is also in ${setupCodePath(dataDir())}; it stops working once the administrator exists.`,
  ];
  const rule = "=".repeat(Math.max(...lines.map((line) => line.length)));
  console.info(["", rule, ...lines, rule, ""].join("\n"));
}
