import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import { setTimeout as delay } from "node:timers/promises";
import { logJobEvent } from "../lib/data/queue/job-log";
import { onJobUpdate, type JobUpdate } from "../lib/data/queue/job-updates";
import { testDatabaseForSuite } from "./support/test-database";

/**
 * Job log lines are written on a connection of their own (lib/data/queue/job-event-writer.ts):
 * they must read back exactly as written, keep their order, and wait for (never block) a
 * transaction of the main connection that holds SQLite's write lock.
 */
describe("job log lines", () => {
  const database = testDatabaseForSuite({ label: "job-log" });
  let jobId: string;

  before(async () => {
    ({ id: jobId } = await database.db.job.create({ data: { type: "register-account" }, select: { id: true } }));
  });

  const linesOf = (id: string) => database.db.jobEvent.findMany({ where: { jobId: id }, orderBy: { id: "asc" } });

  it("stores a line as written and publishes it with its id and time", async () => {
    const heard: JobUpdate[] = [];
    const stopListening = onJobUpdate((update) => heard.push(update));
    const before = new Date();
    await logJobEvent(jobId, "order", "Order placed", { level: "warn", detail: { status: "pending" } });
    stopListening();

    const [line] = await linesOf(jobId);
    assert.equal(line.step, "order");
    assert.equal(line.message, "Order placed");
    assert.equal(line.level, "warn");
    assert.deepEqual(JSON.parse(line.detail ?? "null"), { status: "pending" });
    assert.ok(line.at.getTime() >= before.getTime() && line.at.getTime() <= Date.now(), `stored time ${line.at.toISOString()}`);
    assert.equal(heard.length, 1);
    assert.equal(heard[0].event?.id, line.id);
    assert.equal(heard[0].event?.at.getTime(), line.at.getTime());
  });

  it("keeps the order of lines logged from parallel work", async () => {
    const { id } = await database.db.job.create({ data: { type: "register-account" }, select: { id: true } });
    await Promise.all(Array.from({ length: 20 }, (_, index) => logJobEvent(id, "challenge", `line ${index}`)));
    const lines = await linesOf(id);
    assert.deepEqual(
      lines.map((line) => line.message),
      Array.from({ length: 20 }, (_, index) => `line ${index}`),
    );
  });

  it("waits for a transaction that holds the write lock, which finishes meanwhile", async () => {
    const { id } = await database.db.job.create({ data: { type: "register-account" }, select: { id: true } });
    let logged: Promise<void> | undefined;
    await database.db.$transaction(async (tx) => {
      await tx.job.update({ where: { id }, data: { state: "{}" } });
      logged = logJobEvent(id, "queue", "written while another write is open");
      await delay(50);
      // Still inside the transaction: the thread was free to come back here.
      assert.equal(await tx.jobEvent.count({ where: { jobId: id } }), 0);
    });
    await logged;
    assert.deepEqual(
      (await linesOf(id)).map((line) => line.message),
      ["written while another write is open"],
    );
  });
});
