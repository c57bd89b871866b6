import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { cachedStatementCount } from "../lib/data/statement-cache";
import { testDatabaseForSuite } from "./support/test-database";

/**
 * The ORM's statements are kept prepared (lib/data/statement-cache.ts): the cache must take with
 * the adapter this project pins, and a statement used again with other arguments must answer for
 * those arguments, inside and outside transactions.
 */
describe("prepared statement cache", () => {
  const database = testDatabaseForSuite({ label: "statement-cache" });

  it("keeps the ORM's statements and answers each use with its own arguments", async () => {
    const { db } = database;
    for (const key of ["first", "second", "third"]) await db.setting.create({ data: { key: `cache-${key}`, value: key.toUpperCase() } });
    const before = cachedStatementCount();
    assert.ok(before > 0, "statements are kept prepared");
    for (const key of ["first", "second", "third"]) {
      assert.equal((await db.setting.findUnique({ where: { key: `cache-${key}` } }))?.value, key.toUpperCase());
    }
    assert.equal(await db.setting.findUnique({ where: { key: "cache-none" } }), null);
    const afterReads = cachedStatementCount();
    for (const key of ["first", "second"]) assert.equal((await db.setting.findUnique({ where: { key: `cache-${key}` } }))?.value, key.toUpperCase());
    assert.equal(cachedStatementCount(), afterReads, "the same query again prepares nothing new");
  });

  it("runs transactions through kept statements, and a rolled-back one leaves nothing", async () => {
    const { db } = database;
    await db.$transaction(async (tx) => {
      await tx.setting.create({ data: { key: "cache-tx", value: "kept" } });
    });
    await assert.rejects(
      db.$transaction(async (tx) => {
        await tx.setting.create({ data: { key: "cache-rolled-back", value: "gone" } });
        throw new Error("roll back");
      }),
      /roll back/,
    );
    assert.equal((await db.setting.findUnique({ where: { key: "cache-tx" } }))?.value, "kept");
    assert.equal(await db.setting.findUnique({ where: { key: "cache-rolled-back" } }), null);
    assert.equal(await db.setting.count({ where: { key: { startsWith: "cache-" } } }), 4);
  });
});
