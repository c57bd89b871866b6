import { seedAdminFromEnvironment } from "@/lib/auth/users";
import { applyMigrations } from "@/lib/db/migrate";
import { dataDir } from "@/lib/env";
import { startJobRunner, type JobRunner } from "@/lib/jobs/runner";
import { startScheduler } from "@/lib/renewal/scheduler";

const globalForServer = globalThis as unknown as { certdeckRunner?: Promise<JobRunner> };

/** Start-up of the dashboard process, called from instrumentation.ts. */
export async function startServerProcess(): Promise<void> {
  if (globalForServer.certdeckRunner) return;
  await applyMigrations(dataDir);
  await seedAdminFromEnvironment();
  globalForServer.certdeckRunner = startJobRunner({ concurrency: 4 });
  const runner = await globalForServer.certdeckRunner;
  const scheduler = startScheduler();
  console.info(`[certdeck] job runner ${runner.workerId} and renewal scheduler started; data directory ${dataDir}`);
  for (const signal of ["SIGTERM", "SIGINT"] as const) {
    process.once(signal, () => {
      scheduler.stop();
      void runner.stop().finally(() => process.exit(0));
    });
  }
}
