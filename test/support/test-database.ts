/**
 * The first half of the one harness (the second, with Pebble and the job runner, is
 * app-harness.ts): a data directory with a migrated SQLite file, made this process's
 * CERTDECK_DATA_DIR. lib/core/env.ts reads the environment when asked and the Prisma client
 * opens on first use, so everything may be imported statically; only no query may run before
 * this has been called.
 *
 * One database per process: the Node test runner gives each test file its own process.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { after, before } from "node:test";
import os from "node:os";
import path from "node:path";
import { db, type Database } from "../../lib/data/client";
import { applyMigrations } from "../../lib/data/migrate";

export interface TestDatabase {
  dataDir: string;
  db: Database;
  /** Closes the database and removes the directory when this made it (unless CERTDECK_KEEP_TEST_DATA is set). */
  stop(): Promise<void>;
}

export interface TestDatabaseOptions {
  /** Names the temporary directory: <tmp>/certdeck-<label>-XXXXXX. */
  label?: string;
  /** Use this directory (created when missing) instead of a new temporary one; it is kept at stop. */
  dataDir?: string;
}

export async function openTestDatabase(options: TestDatabaseOptions = {}): Promise<TestDatabase> {
  const isTemporary = options.dataDir === undefined;
  const dataDir = options.dataDir ?? (await mkdtemp(path.join(os.tmpdir(), `certdeck-${options.label ?? "test"}-`)));
  process.env.CERTDECK_DATA_DIR = dataDir;
  await applyMigrations(dataDir);
  return {
    dataDir,
    db,
    async stop() {
      await db.$disconnect();
      if (isTemporary && !process.env.CERTDECK_KEEP_TEST_DATA) await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * The test database of a describe() block: opened in a before() hook (registered first, so the
 * block's own hooks may use it) and stopped after its tests. Its fields are there once the
 * tests run.
 */
export function testDatabaseForSuite(options: TestDatabaseOptions = {}): TestDatabase {
  let opened: TestDatabase | undefined;
  before(async () => {
    opened = await openTestDatabase(options);
  });
  after(async () => opened?.stop());
  const database = () => {
    if (!opened) throw new Error("the suite's test database opens in before(): use it in hooks and tests");
    return opened;
  };
  return {
    get dataDir() {
      return database().dataDir;
    },
    get db() {
      return database().db;
    },
    stop: () => database().stop(),
  };
}
