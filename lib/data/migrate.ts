import { createHash, randomUUID } from "node:crypto";
import { chmod, mkdir, readdir, readFile } from "node:fs/promises";
import path from "node:path";
import Database from "better-sqlite3";

/**
 * Applies prisma/migrations to the SQLite file in `dataDir` (creating both when missing), in
 * this process, as `prisma migrate deploy` does and with the same bookkeeping, so the Prisma CLI
 * (`prisma migrate status`, `migrate deploy`) reads the result as its own:
 *
 * - the `_prisma_migrations` table, one row per applied migration: a random id, the SHA-256 of
 *   its migration.sql, its directory name, start and finish times (ISO text, as Prisma stores
 *   them in SQLite) and one applied step;
 * - migrations in directory-name order; each script runs as it is, outside a transaction (SQLite
 *   ignores `PRAGMA foreign_keys` inside one, and Prisma's table rebuilds rely on it);
 * - a migration that failed (no finish time, not rolled back) stops the start-up until the
 *   operator resolves it (`prisma migrate resolve`), as Prisma refuses to go on (P3009).
 *
 * It used to run `prisma migrate deploy` as a child process: about 1.4 s of CPU and 180 MB of
 * resident memory at every start, beside the server's own. Here: a few milliseconds when nothing
 * is pending.
 */
export async function applyMigrations(dataDir: string, projectRoot = process.cwd()): Promise<void> {
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  const migrationsDir = path.join(/*turbopackIgnore: true*/ projectRoot, "prisma", "migrations");
  const migrations = await readMigrations(migrationsDir);
  const databaseFile = path.join(dataDir, "certdeck.db");
  const database = new Database(databaseFile);
  try {
    // Write-ahead logging: readers never wait for the job runner's writes, and a crash mid-write
    // leaves the last committed state. The mode is stored in the file, so once is enough.
    database.pragma("journal_mode = WAL");
    // Another process migrating the same file at the same moment waits for its write instead of failing.
    database.pragma("busy_timeout = 10000");
    database.exec(MIGRATIONS_TABLE);
    const rows = database.prepare(`SELECT "migration_name", "finished_at", "rolled_back_at" FROM "_prisma_migrations"`).all() as Array<{
      migration_name: string;
      finished_at: string | null;
      rolled_back_at: string | null;
    }>;
    const failed = rows.find((row) => row.finished_at === null && row.rolled_back_at === null);
    if (failed) {
      throw new Error(
        `database migration failed: the migration ${failed.migration_name} failed earlier and was not resolved, so no newer one is applied. ` +
          `Its error is in the "logs" column of the _prisma_migrations table; fix the database, then mark it with \`npx prisma migrate resolve --applied ${failed.migration_name}\` ` +
          `(or --rolled-back) and start again.`,
      );
    }
    const applied = new Set(rows.filter((row) => row.rolled_back_at === null).map((row) => row.migration_name));
    for (const migration of migrations) {
      if (applied.has(migration.name)) continue;
      const id = randomUUID();
      database
        .prepare(`INSERT INTO "_prisma_migrations" ("id", "checksum", "migration_name", "started_at", "applied_steps_count") VALUES (?, ?, ?, ?, 0)`)
        .run(id, migration.checksum, migration.name, prismaTimestamp());
      try {
        database.exec(migration.script);
      } catch (error) {
        const message = (error as Error).message;
        database.prepare(`UPDATE "_prisma_migrations" SET "logs" = ? WHERE "id" = ?`).run(message, id);
        throw new Error(`database migration failed: ${migration.name}: ${message}`, { cause: error });
      }
      database.prepare(`UPDATE "_prisma_migrations" SET "finished_at" = ?, "applied_steps_count" = 1 WHERE "id" = ?`).run(prismaTimestamp(), id);
    }
  } finally {
    database.close();
  }
  // Sessions and (encrypted) keys live here: readable by the service user only.
  await chmod(databaseFile, 0o600);
}

interface Migration {
  name: string;
  script: string;
  checksum: string;
}

/** Prisma's own definition of its bookkeeping table in SQLite. */
const MIGRATIONS_TABLE = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    TEXT PRIMARY KEY NOT NULL,
    "checksum"              TEXT NOT NULL,
    "finished_at"           DATETIME,
    "migration_name"        TEXT NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        DATETIME,
    "started_at"            DATETIME NOT NULL DEFAULT current_timestamp,
    "applied_steps_count"   INTEGER UNSIGNED NOT NULL DEFAULT 0
)`;

/** "2026-12-02T06:07:25.411+00:00", as Prisma writes these columns in SQLite. */
function prismaTimestamp(now = new Date()): string {
  return now.toISOString().replace(/Z$/, "+00:00");
}

/** Every <name>/migration.sql below `migrationsDir`, by name; the lock file must name SQLite. */
async function readMigrations(migrationsDir: string): Promise<Migration[]> {
  const lock = await readFile(path.join(migrationsDir, "migration_lock.toml"), "utf8").catch(() => null);
  if (lock !== null && !/^provider\s*=\s*"sqlite"\s*$/m.test(lock)) {
    throw new Error(`database migration failed: ${path.join(migrationsDir, "migration_lock.toml")} is not for SQLite`);
  }
  const entries = await readdir(migrationsDir, { withFileTypes: true });
  const names = entries
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
  const migrations: Migration[] = [];
  for (const name of names) {
    const file = path.join(migrationsDir, name, "migration.sql");
    const script = await readFile(file, "utf8").catch(() => {
      throw new Error(`database migration failed: ${file} is missing; restore it, or delete the directory if it holds no migration`);
    });
    migrations.push({ name, script, checksum: createHash("sha256").update(script).digest("hex") });
  }
  return migrations;
}
