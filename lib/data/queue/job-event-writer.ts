import "server-only";
import { setTimeout as delay } from "node:timers/promises";
import Database from "better-sqlite3";
import { databasePath } from "@/lib/core/env";

/** One line of a job's log, as the writer stores it. */
export interface JobEventRow {
  jobId: string;
  at: Date;
  level: string;
  step: string;
  message: string;
  detail: string | null;
}

/**
 * Writes job log lines on a connection of their own, with one prepared statement, instead of
 * through the ORM: a job writes about fifteen lines, and each went through Prisma's request
 * pipeline (about 0.3 ms of CPU on the server's one thread, this about 0.02 ms). The line is
 * committed like every other write (lib/data/durability.ts says how durable that is).
 *
 * The main connection may hold SQLite's write lock across awaits (an interactive transaction);
 * this connection never waits inside SQLite for it (that would block the thread the transaction
 * needs to finish) but tries again after a short pause.
 */
export async function appendJobEvent(row: JobEventRow): Promise<number> {
  const writer = openWriter();
  // ISO 8601 with "+00:00", as Prisma's SQLite adapter writes DateTime columns.
  const at = row.at.toISOString().replace("Z", "+00:00");
  for (let pause = 1; ; pause = Math.min(pause * 2, 50)) {
    try {
      const inserted = writer.insert.get(row.jobId, at, row.level, row.step, row.message, row.detail) as { id: number | bigint };
      return Number(inserted.id);
    } catch (error) {
      if (!isBusy(error) || Date.now() - startOf(row) > BUSY_GIVE_UP_MS) throw error;
      await delay(pause);
    }
  }
}

/** How long a line waits for the write lock before its job sees the error (SQLite's own busy_timeout on the main connection is 10 s). */
const BUSY_GIVE_UP_MS = 10_000;

const startOf = (row: JobEventRow) => row.at.getTime();

function isBusy(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  return typeof code === "string" && code.startsWith("SQLITE_BUSY");
}

interface Writer {
  path: string;
  database: Database.Database;
  insert: Database.Statement;
}

// Kept on globalThis: Next.js may load this module once per bundle (instrumentation, routes).
const globalForWriter = globalThis as unknown as { certdeckJobEventWriter?: Writer };

function openWriter(): Writer {
  const file = databasePath();
  const open = globalForWriter.certdeckJobEventWriter;
  if (open?.path === file && open.database.open) return open;
  open?.database.close();
  const database = new Database(file);
  // As the main connection's (lib/data/durability.ts); appends touch a few pages, so a small cache will do.
  database.pragma("synchronous = NORMAL");
  database.pragma("cache_size = -1024");
  database.pragma("busy_timeout = 0");
  const insert = database.prepare(`INSERT INTO "JobEvent" ("jobId", "at", "level", "step", "message", "detail") VALUES (?, ?, ?, ?, ?, ?) RETURNING "id"`);
  const writer = { path: file, database, insert };
  globalForWriter.certdeckJobEventWriter = writer;
  return writer;
}
