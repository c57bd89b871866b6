import assert from "node:assert/strict";
import { setTimeout as delay } from "node:timers/promises";
import { describe, it } from "node:test";
import { testDatabaseForSuite } from "./support/test-database";

/**
 * All queries of the process share one SQLite connection (lib/data/transaction-gate.ts): a plain
 * query that arrives while another caller's transaction is open must wait for it to end instead
 * of running inside it, or that transaction's rollback takes it back too.
 */
/** A promise and the function that resolves it (Promise.withResolvers needs Node 22). */
function signal() {
  let resolve!: () => void;
  const promise = new Promise<void>((settle) => (resolve = settle));
  return { promise, resolve };
}

describe("plain queries and open transactions", () => {
  const database = testDatabaseForSuite({ label: "transaction-gate" });

  it("keeps a write made while another caller's transaction is open when that transaction rolls back", async () => {
    const { db } = database;
    const opened = signal();
    const rollBack = signal();
    const transaction = db.$transaction(async (tx) => {
      await tx.setting.create({ data: { key: "gate-in-transaction", value: "rolled back" } });
      opened.resolve();
      await rollBack.promise;
      throw new Error("refused: roll back");
    });
    await opened.promise;

    const plainWrite = db.setting.create({ data: { key: "gate-plain", value: "kept" } });
    // Without the gate the write runs at once, inside the open transaction; with it, it waits.
    const settledEarly = await Promise.race([plainWrite.then(() => true), delay(200).then(() => false)]);
    assert.equal(settledEarly, false, "the plain write waits while the transaction is open");
    rollBack.resolve();

    await assert.rejects(transaction, /refused: roll back/);
    await plainWrite;
    assert.equal((await db.setting.findUnique({ where: { key: "gate-plain" } }))?.value, "kept");
    assert.equal(await db.setting.findUnique({ where: { key: "gate-in-transaction" } }), null);
  });

  it("lets many interleaved transactions and plain writes finish, each rollback taking back only its own rows", async () => {
    const { db } = database;
    const transactions = Array.from({ length: 20 }, (_, index) =>
      db
        .$transaction(async (tx) => {
          await tx.setting.create({ data: { key: `gate-tx-${index}`, value: "written" } });
          await delay(1);
          if (index % 2 === 1) throw new Error("odd ones roll back");
          await tx.setting.update({ where: { key: `gate-tx-${index}` }, data: { value: "committed" } });
        })
        .catch(() => "rolled back"),
    );
    const plainWrites = Array.from({ length: 40 }, (_, index) => db.setting.create({ data: { key: `gate-plain-${index}`, value: "plain" } }));
    await Promise.all([...transactions, ...plainWrites]);

    assert.equal(await db.setting.count({ where: { key: { startsWith: "gate-plain-" } } }), 40);
    const committed = await db.setting.findMany({ where: { key: { startsWith: "gate-tx-" } }, select: { key: true, value: true } });
    assert.deepEqual(committed.map(({ key }) => key).sort(), Array.from({ length: 10 }, (_, half) => `gate-tx-${half * 2}`).sort());
    assert.ok(committed.every(({ value }) => value === "committed"));
  });
});
