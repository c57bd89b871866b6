import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { openTestDatabase } from "./support/test-database";

/** The audit log's query (filters, time zone days, pagination) and the scheduler's own entries, on a real SQLite file. */
describe("audit log", () => {
  const minute = 60 * 1000;
  let modules: {
    db: typeof import("../lib/data/client").db;
    queries: typeof import("../lib/domain/audit/queries");
    record: typeof import("../lib/domain/audit/record-audit-event");
    enqueue: typeof import("../lib/domain/renewal/enqueue-due-renewals");
  };

  before(async () => {
    await openTestDatabase({ label: "audit" });
    modules = {
      db: (await import("../lib/data/client")).db,
      queries: await import("../lib/domain/audit/queries"),
      record: await import("../lib/domain/audit/record-audit-event"),
      enqueue: await import("../lib/domain/renewal/enqueue-due-renewals"),
    };
    // 120 entries, one a minute from 2026-11-25 23:00 UTC: alternating actors and actions.
    const start = new Date("2026-11-25T23:00:00Z").getTime();
    await modules.db.auditEvent.createMany({
      data: Array.from({ length: 120 }, (_, index) => ({
        at: new Date(start + index * minute),
        actor: index % 2 === 0 ? "admin" : "operator",
        action: index % 3 === 0 ? "certificate.add" : "settings.change",
        target: `entry-${String(index).padStart(3, "0")}`,
        detail: index === 0 ? JSON.stringify({ names: ["a.example", "b.example"], count: 2 }) : null,
        ip: "192.0.2.1",
      })),
    });
  });

  after(async () => modules?.db.$disconnect());

  const list = (filters: Partial<Parameters<typeof modules.queries.listAuditEvents>[0]>) =>
    modules.queries.listAuditEvents({ action: "", actor: "", from: "", to: "", page: 1, timeZone: "UTC", ...filters });

  it("lists newest first, 50 a page, and clamps a page past the end", async () => {
    const first = await list({});
    assert.equal(first.total, 120);
    assert.equal(first.pageCount, 3);
    assert.equal(first.rows.length, 50);
    assert.equal(first.rows[0].target, "entry-119");
    assert.equal(first.rows[49].target, "entry-070");
    const last = await list({ page: 3 });
    assert.equal(last.rows.length, 20);
    assert.equal(last.rows.at(-1)?.target, "entry-000");
    assert.deepEqual(last.rows.at(-1)?.detail, [
      ["names", "a.example, b.example"],
      ["count", "2"],
    ]);
    assert.equal((await list({ page: 99 })).page, 3);
  });

  it("filters by action and by part of the actor's name", async () => {
    const added = await list({ action: "certificate.add" });
    assert.equal(added.total, 40);
    assert.ok(added.rows.every((row) => row.action === "certificate.add"));
    const byOperator = await list({ actor: "oper" });
    assert.equal(byOperator.total, 60);
    assert.ok(byOperator.rows.every((row) => row.actor === "operator"));
    const both = await list({ action: "certificate.add", actor: "admin" });
    assert.equal(both.total, 20, "index divisible by 6");
    assert.equal((await list({ action: "certificate.delete" })).total, 0);
  });

  it("filters by calendar day in the display time zone, both ends inclusive", async () => {
    // 60 entries on 25 Nov (23:00-23:59 UTC), 60 on 26 Nov (00:00-00:59 UTC).
    assert.equal((await list({ to: "2026-11-25" })).total, 60);
    assert.equal((await list({ from: "2026-11-26" })).total, 60);
    assert.equal((await list({ from: "2026-11-25", to: "2026-11-25" })).total, 60);
    // In Berlin (UTC+1) all 120 fall on 26 Nov.
    assert.equal((await list({ from: "2026-11-26", to: "2026-11-26", timeZone: "Europe/Berlin" })).total, 120);
    assert.equal((await list({ to: "2026-11-25", timeZone: "Europe/Berlin" })).total, 0);
    // In New York (UTC-5) all 120 fall on 25 Nov.
    assert.equal((await list({ from: "2026-11-25", to: "2026-11-25", timeZone: "America/New_York" })).total, 120);
  });

  it("turns a server-zone day into the right instant across a DST change", () => {
    assert.equal(modules.queries.startOfDayInZone("2026-03-29", "Europe/Berlin", 0).toISOString(), "2026-03-28T23:00:00.000Z");
    assert.equal(modules.queries.startOfDayInZone("2026-03-29", "Europe/Berlin", 1).toISOString(), "2026-03-29T22:00:00.000Z");
    assert.equal(modules.queries.startOfDayInZone("2026-12-31", "UTC", 1).toISOString(), "2027-01-01T00:00:00.000Z");
  });

  it("offers the actions found in the log, an unknown one too, with readable labels", async () => {
    // An action this version does not know, as an older or newer version may have written it.
    await modules.db.auditEvent.create({ data: { actor: "admin", action: "something.new", target: "x" } });
    const actions = await modules.queries.listAuditActions();
    assert.ok(actions.includes("certificate.add"));
    assert.ok(actions.includes("something.new"));
    assert.equal(modules.queries.auditActionLabel("certificate.add"), "Added certificate");
    assert.equal(modules.queries.auditActionLabel("something.new"), "something.new");
  });

  it("records a system renewal when the scheduler queues one, and only once", async () => {
    const now = new Date("2026-11-26T12:00:00Z");
    const db = modules.db;
    const account = await db.acmeAccount.create({
      data: { label: "test", directoryUrl: "https://ca.example/dir", email: "a@example.test", accountKeyEnc: "v1:x", status: "valid" },
    });
    const certificate = await db.certificate.create({
      data: {
        name: "due.example",
        identifiers: JSON.stringify([{ type: "dns", value: "due.example" }]),
        keyType: "ec-p256",
        challengeMethod: "http-01-app",
        status: "valid",
        accountId: account.id,
        notAfter: new Date(now.getTime() + 20 * 24 * 60 * minute),
        renewAfter: new Date(now.getTime() - 60 * minute),
      },
    });
    const version = await db.certificateVersion.create({
      data: {
        certificateId: certificate.id,
        version: 1,
        serial: "01",
        notBefore: new Date(now.getTime() - 70 * 24 * 60 * minute),
        notAfter: new Date(now.getTime() + 20 * 24 * 60 * minute),
        issuer: "Test CA",
        fingerprintSha256: "00",
        chainPem: "",
        privateKeyEnc: "v1:x",
      },
    });
    await db.certificate.update({ where: { id: certificate.id }, data: { currentVersionId: version.id } });

    const queued = await modules.enqueue.enqueueDueRenewals({ now, concurrency: 4 });
    assert.equal(queued.length, 1);
    const entries = await db.auditEvent.findMany({ where: { action: "certificate.renew" } });
    assert.equal(entries.length, 1);
    assert.equal(entries[0].actor, "system");
    assert.equal(entries[0].target, "due.example");
    assert.equal(entries[0].ip, null);

    // The job is still queued: the next tick queues nothing and records nothing.
    assert.deepEqual(await modules.enqueue.enqueueDueRenewals({ now, concurrency: 4 }), []);
    assert.equal(await db.auditEvent.count({ where: { action: "certificate.renew" } }), 1);
    const system = await list({ actor: "system" });
    assert.equal(system.total, 1);
    assert.equal(system.rows[0].action, "certificate.renew");
  });
});
