import assert from "node:assert/strict";
import { access } from "node:fs/promises";
import path from "node:path";
import { describe, it } from "node:test";
import { makeCommitsDurable } from "../lib/data/durability";
import { testDatabaseForSuite } from "./support/test-database";

/**
 * What lib/data/durability.ts relies on: the main connection runs the database in write-ahead-log
 * mode with synchronous = NORMAL (commits reach the log, which is synced on demand), and syncing
 * works whether or not a log file exists.
 */
describe("durability of commits", () => {
  const database = testDatabaseForSuite({ label: "durability" });

  it("runs the database in WAL mode with synchronous = NORMAL", async () => {
    const [journal] = await database.db.$queryRawUnsafe<Array<{ journal_mode: string }>>("PRAGMA journal_mode");
    const [synchronous] = await database.db.$queryRawUnsafe<Array<{ synchronous: number | bigint }>>("PRAGMA synchronous");
    assert.equal(journal.journal_mode, "wal");
    assert.equal(Number(synchronous.synchronous), 1, "NORMAL: a commit is not synced by itself, so the points that need it call makeCommitsDurable");
  });

  it("syncs the log after a commit", async () => {
    await database.db.setting.create({ data: { key: "durability-test", value: "1" } });
    await access(path.join(database.dataDir, "certdeck.db-wal"));
    await makeCommitsDurable();
    assert.equal((await database.db.setting.findUnique({ where: { key: "durability-test" } }))?.value, "1");
  });

  it("has nothing to sync when the log was checkpointed away", async () => {
    await database.db.$disconnect();
    await assert.rejects(access(path.join(database.dataDir, "certdeck.db-wal")), { code: "ENOENT" });
    await makeCommitsDurable();
  });
});
