import "server-only";
import { open } from "node:fs/promises";
import { databasePath } from "@/lib/core/env";

/**
 * The database is SQLite in write-ahead-log mode with `synchronous = NORMAL` (what better-sqlite3
 * sets for a WAL database): every commit survives a crash of the process at once, but reaches
 * the disk only when the log is synced, at the next checkpoint. A power cut may take the last
 * commits back, never more, and never leaves a torn database.
 *
 * For a commit whose loss would cost more than the work to redo it, call this after it: a job's
 * saved progress (an order the CA created, a key it certified). It syncs the log file in Node's
 * thread pool, so the server's thread goes on meanwhile, and makes every commit made before the
 * call durable: a commit still in the log is synced here; one a checkpoint already copied into
 * the database file was synced by that checkpoint.
 */
export async function makeCommitsDurable(): Promise<void> {
  let log;
  try {
    log = await open(`${databasePath()}-wal`, "r");
  } catch (error) {
    // No log: the last connection closed and checkpointed it into the (synced) database file.
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return;
    throw error;
  }
  try {
    await log.datasync();
  } finally {
    await log.close();
  }
}
