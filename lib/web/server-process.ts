import { issueSetupCode, setupCodePath } from "@/lib/domain/auth/first-run";
import { seedAdminFromEnvironment } from "@/lib/domain/auth/users";
import { applyMigrations } from "@/lib/data/migrate";
import { formatMode, tightenDataDirectory } from "@/lib/data/data-directory";
import { dataDir, listenPort } from "@/lib/core/env";
import { startJobRunner, type JobRunner } from "@/lib/jobs/runner";
import { startScheduler } from "@/lib/jobs/scheduler";

const globalForServer = globalThis as unknown as { certdeckRunner?: Promise<JobRunner> };

/** Start-up of the dashboard process, called from instrumentation.ts. */
export async function startServerProcess(): Promise<void> {
  if (globalForServer.certdeckRunner) return;
  await applyMigrations(dataDir());
  await secureDataDirectory(dataDir());
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

/** An existing data directory others may read is made owner-only, and the log says so. */
export async function secureDataDirectory(directory: string): Promise<void> {
  try {
    const changed = await tightenDataDirectory(directory);
    if (changed) {
      console.warn(
        `[certdeck] the data directory ${directory} was readable by other users (mode ${formatMode(changed.previousMode)}): changed to 0700, owner only`,
      );
    }
  } catch (error) {
    console.error(
      `[certdeck] the data directory ${directory} is readable by other users and its mode could not be changed (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}): run chmod 700 ${directory} as its owner`,
    );
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
