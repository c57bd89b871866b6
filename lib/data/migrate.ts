import { execFile } from "node:child_process";
import Database from "better-sqlite3";
import { chmod, mkdir } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

/**
 * Applies prisma/migrations to the SQLite file in `dataDir` (creating both when missing) with
 * `prisma migrate deploy`, which uses the JavaScript schema engine configured in
 * prisma.config.ts: no engine binary, works offline.
 */
export async function applyMigrations(dataDir: string, projectRoot = process.cwd()): Promise<void> {
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  const prismaCli = path.join(projectRoot, "node_modules", "prisma", "build", "index.js");
  try {
    await run(process.execPath, [prismaCli, "migrate", "deploy"], {
      cwd: projectRoot,
      env: { ...process.env, CERTDECK_DATA_DIR: dataDir, PRISMA_HIDE_UPDATE_MESSAGE: "1" },
    });
  } catch (error) {
    const { stdout = "", stderr = "" } = error as { stdout?: string; stderr?: string };
    throw new Error(`database migration failed:\n${stdout}\n${stderr}`.trim());
  }
  const databaseFile = path.join(dataDir, "certdeck.db");
  // Write-ahead logging: readers never wait for the job runner's writes, and a crash mid-write
  // leaves the last committed state. The mode is stored in the file, so once is enough.
  const database = new Database(databaseFile);
  try {
    database.pragma("journal_mode = WAL");
  } finally {
    database.close();
  }
  // Sessions and (encrypted) keys live here: readable by the service user only.
  await chmod(databaseFile, 0o600);
}
