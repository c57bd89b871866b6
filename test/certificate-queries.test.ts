import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { openTestDatabase } from "./support/test-database";

/** The overview counts, filters, search, ordering and pagination, on a real SQLite file. */
describe("certificate list and overview queries", () => {
  const now = new Date("2026-11-26T12:00:00Z");
  const day = 24 * 3600 * 1000;
  let modules: {
    db: typeof import("../lib/data/client").db;
    queries: typeof import("../lib/domain/certificates/queries");
  };

  before(async () => {
    await openTestDatabase({ label: "queries" });
    modules = { db: (await import("../lib/data/client")).db, queries: await import("../lib/domain/certificates/queries") };
    const account = await modules.db.acmeAccount.create({
      data: { label: "test", directoryUrl: "https://ca.example/dir", email: "a@example.test", accountKeyEnc: "v1:x", status: "valid" },
    });
    const seed = async (name: string, notAfterDays: number | null, renewAfterDays: number | null, status = "valid") =>
      modules.db.certificate.create({
        data: {
          name,
          identifiers: JSON.stringify([
            { type: "dns", value: name },
            { type: "dns", value: `www.${name}` },
          ]),
          keyType: "ec-p256",
          challengeMethod: "http-01-app",
          status,
          accountId: account.id,
          notAfter: notAfterDays === null ? null : new Date(now.getTime() + notAfterDays * day),
          renewAfter: renewAfterDays === null ? null : new Date(now.getTime() + renewAfterDays * day),
        },
      });
    await seed("healthy.example", 80, 50);
    await seed("window.example", 20, -10);
    await seed("critical.example", 3, -27);
    await seed("gone.example", -2, -32);
    await seed("broken.example", 60, 30, "failed");
    await seed("pending.example", null, null, "pending");
    for (let index = 0; index < 30; index++) await seed(`bulk-${String(index).padStart(2, "0")}.example`, 100 + index, 70 + index);
  });

  after(async () => modules?.db.$disconnect());

  it("counts each state for the overview and finds the next expiry", async () => {
    const overview = await modules.queries.getCertificateOverview(now);
    assert.deepEqual(
      { ...overview, nextExpiry: overview.nextExpiry?.name },
      { total: 36, valid: 31, renewalWindow: 2, expiring: 1, expired: 1, failing: 1, nextExpiry: "critical.example", nextRenewal: null },
      "nothing is scheduled for renewal while no certificate has an issued version",
    );
  });

  it("filters", async () => {
    const names = async (filter: Parameters<typeof modules.queries.listCertificates>[0]["filter"]) =>
      (await modules.queries.listCertificates({ filter, search: "", page: 1, now })).rows.map((row) => row.name);
    assert.deepEqual(await names("renewal-window"), ["critical.example", "window.example"]);
    assert.deepEqual(await names("expiring"), ["critical.example"]);
    assert.deepEqual(await names("expired"), ["gone.example"]);
    assert.deepEqual(await names("failing"), ["broken.example"]);
  });

  it("sorts never-issued first, then soonest expiry, and paginates by 25", async () => {
    const first = await modules.queries.listCertificates({ filter: "all", search: "", page: 1, now });
    assert.equal(first.total, 36);
    assert.equal(first.pageCount, 2);
    assert.deepEqual(
      first.rows.slice(0, 6).map((row) => row.name),
      ["pending.example", "gone.example", "critical.example", "window.example", "broken.example", "healthy.example"],
    );
    const second = await modules.queries.listCertificates({ filter: "all", search: "", page: 2, now });
    assert.equal(second.rows.length, 11);
    assert.equal(second.rows.at(-1)?.name, "bulk-29.example");
    const beyond = await modules.queries.listCertificates({ filter: "all", search: "", page: 99, now });
    assert.equal(beyond.page, 2, "a page past the end shows the last page");
  });

  it("searches any of the names, case-insensitively", async () => {
    const byAltName = await modules.queries.listCertificates({ filter: "all", search: "WWW.Window", page: 1, now });
    assert.deepEqual(
      byAltName.rows.map((row) => row.name),
      ["window.example"],
    );
    assert.deepEqual(byAltName.rows[0].identifiers, ["window.example", "www.window.example"]);
    const none = await modules.queries.listCertificates({ filter: "all", search: "nothing-like-this", page: 1, now });
    assert.equal(none.total, 0);
  });

  it("counts an uploaded certificate (no renewal time, no account) as valid until it expires, in the tiles and the filters alike", async () => {
    const uploaded = await modules.db.certificate.create({
      data: {
        name: "uploaded.example",
        identifiers: JSON.stringify([{ type: "dns", value: "uploaded.example" }]),
        keyType: "ec-p256",
        challengeMethod: "none",
        source: "upload",
        status: "valid",
        notAfter: new Date(now.getTime() + 40 * day),
      },
    });
    try {
      const overview = await modules.queries.getCertificateOverview(now);
      assert.deepEqual([overview.total, overview.valid, overview.renewalWindow], [37, 32, 2]);
      const valid = await modules.queries.listCertificates({ filter: "valid", search: "uploaded", page: 1, now });
      assert.deepEqual(
        valid.rows.map((row) => [row.name, row.source]),
        [["uploaded.example", "upload"]],
      );
      for (const filter of ["valid", "renewal-window", "expiring", "expired", "failing"] as const) {
        const listed = await modules.queries.listCertificates({ filter, search: "", page: 1, now });
        const tile = {
          valid: overview.valid,
          "renewal-window": overview.renewalWindow,
          expiring: overview.expiring,
          expired: overview.expired,
          failing: overview.failing,
        }[filter];
        assert.equal(listed.total, tile, `the ${filter} tile and filter agree`);
      }
    } finally {
      await modules.db.certificate.delete({ where: { id: uploaded.id } });
    }
  });
});
