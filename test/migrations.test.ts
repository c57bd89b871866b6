import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { cp, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { after, describe, it } from "node:test";
import { promisify } from "node:util";
import Database from "better-sqlite3";
import { applyMigrations } from "../lib/data/migrate";

const run = promisify(execFile);

/**
 * The start-up migration runs in the server's process (lib/data/migrate.ts) with Prisma's own
 * bookkeeping. The Prisma CLI is the judge: after it, `prisma migrate status` finds nothing
 * pending, the schema is the one `prisma migrate deploy` builds, and a failed migration stops the
 * next start as Prisma would.
 */
describe("database migrations at start-up", () => {
  const dirs: string[] = [];
  const tempDir = async (label: string) => {
    const dir = await mkdtemp(path.join(os.tmpdir(), `certdeck-migrations-${label}-`));
    dirs.push(dir);
    return dir;
  };
  after(async () => {
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  });

  const prisma = (dataDir: string, ...args: string[]) =>
    run(process.execPath, [path.join("node_modules", "prisma", "build", "index.js"), ...args], {
      env: { ...process.env, CERTDECK_DATA_DIR: dataDir, PRISMA_HIDE_UPDATE_MESSAGE: "1" },
    });

  const schemaOf = (file: string) => {
    const database = new Database(file, { readonly: true });
    try {
      return database.prepare(`SELECT "type", "name", "sql" FROM sqlite_master WHERE "name" NOT LIKE 'sqlite_%' ORDER BY "type", "name"`).all();
    } finally {
      database.close();
    }
  };

  it("builds the schema `prisma migrate deploy` builds, recorded so that the Prisma CLI finds nothing pending", async () => {
    const ours = await tempDir("ours");
    await applyMigrations(ours);
    const status = await prisma(ours, "migrate", "status");
    assert.match(status.stdout, /Database schema is up to date!/);
    const deploy = await prisma(ours, "migrate", "deploy");
    assert.match(deploy.stdout, /No pending migrations to apply\./);

    const theirs = await tempDir("prisma");
    await prisma(theirs, "migrate", "deploy");
    assert.deepEqual(schemaOf(path.join(ours, "certdeck.db")), schemaOf(path.join(theirs, "certdeck.db")));
    // A database Prisma migrated needs nothing more.
    await applyMigrations(theirs);
    assert.deepEqual(schemaOf(path.join(ours, "certdeck.db")), schemaOf(path.join(theirs, "certdeck.db")));

    const database = new Database(path.join(ours, "certdeck.db"), { readonly: true });
    try {
      assert.equal(database.pragma("journal_mode", { simple: true }), "wal");
    } finally {
      database.close();
    }
  });

  it("applies only new migrations, and stops at a failed one until it is resolved", async () => {
    // A project with the real migrations plus one of its own.
    const project = await tempDir("project");
    await cp(path.join("prisma", "migrations"), path.join(project, "prisma", "migrations"), { recursive: true });
    const dataDir = await tempDir("data");
    await applyMigrations(dataDir, project);

    const added = path.join(project, "prisma", "migrations", "29990101000000_added");
    await mkdir(added);
    await writeFile(path.join(added, "migration.sql"), `CREATE TABLE "Added" ("id" TEXT NOT NULL PRIMARY KEY);\n`);
    await applyMigrations(dataDir, project);
    const broken = path.join(project, "prisma", "migrations", "29990102000000_broken");
    await mkdir(broken);
    await writeFile(path.join(broken, "migration.sql"), `ALTER TABLE "NoSuchTable" ADD COLUMN "x" TEXT;\n`);
    await assert.rejects(applyMigrations(dataDir, project), /29990102000000_broken: no such table: NoSuchTable/);
    await assert.rejects(applyMigrations(dataDir, project), /29990102000000_broken failed earlier and was not resolved/);

    const database = new Database(path.join(dataDir, "certdeck.db"), { readonly: true });
    try {
      const rows = database
        .prepare(`SELECT "migration_name", "finished_at", "logs", "applied_steps_count" FROM "_prisma_migrations" ORDER BY "migration_name"`)
        .all() as Array<{
        migration_name: string;
        finished_at: string | null;
        logs: string | null;
        applied_steps_count: number;
      }>;
      assert.deepEqual(
        rows.slice(-2).map((row) => [row.migration_name, row.finished_at === null, row.applied_steps_count]),
        [
          ["29990101000000_added", false, 1],
          ["29990102000000_broken", true, 0],
        ],
      );
      assert.match(rows.at(-1)!.logs ?? "", /no such table: NoSuchTable/);
      assert.ok(database.prepare(`SELECT 1 FROM sqlite_master WHERE "name" = 'Added'`).get(), "the added migration ran once");
    } finally {
      database.close();
    }
  });
});
