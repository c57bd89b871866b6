import assert from "node:assert/strict";
import { mkdtemp } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { SYSTEM_ACTOR, userActor } from "../lib/domain/command/actor";
import { refusalOf } from "./support/refusal";

const DAY_MS = 24 * 3600 * 1000;

/**
 * A certificate's "Renewal and deploy" settings through the command the page's form calls:
 * stored as given (null = the global setting), the renewal planned again, refused with the
 * field at fault, audited with the names of the settings only (hooks may hold credentials).
 */
describe("renewal settings of a stored certificate", () => {
  let db: typeof import("../lib/data/client").db;
  let update: typeof import("../lib/domain/certificates/renewal-settings").updateRenewalSettings;
  let certificateId: string;
  let notAfter: Date;
  const admin = userActor({ id: "u1", username: "admin" }, "192.0.2.10");

  before(async () => {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), "certdeck-renewal-settings-"));
    process.env.CERTDECK_DATA_DIR = dataDir;
    await (await import("../lib/data/migrate")).applyMigrations(dataDir);
    db = (await import("../lib/data/client")).db;
    update = (await import("../lib/domain/certificates/renewal-settings")).updateRenewalSettings;
    const account = await db.acmeAccount.create({
      data: { label: "test", directoryUrl: "https://ca.example/dir", email: "a@example.test", accountKeyEnc: "v1:x", status: "valid" },
    });
    const now = Date.now();
    notAfter = new Date(now + 60 * DAY_MS);
    const certificate = await db.certificate.create({
      data: {
        name: "settings.example.test",
        identifiers: JSON.stringify([{ type: "dns", value: "settings.example.test" }]),
        keyType: "ec-p256",
        challengeMethod: "http-01-app",
        status: "valid",
        accountId: account.id,
        notAfter,
        renewAfter: new Date(now + 30 * DAY_MS),
      },
    });
    // A 90-day certificate, 30 days into its lifetime.
    const version = await db.certificateVersion.create({
      data: {
        certificateId: certificate.id,
        version: 1,
        serial: "01",
        notBefore: new Date(now - 30 * DAY_MS),
        notAfter,
        issuer: "Test CA",
        fingerprintSha256: "00",
        chainPem: "",
        privateKeyEnc: "v1:x",
      },
    });
    await db.certificate.update({ where: { id: certificate.id }, data: { currentVersionId: version.id } });
    certificateId = certificate.id;
  });
  after(async () => db?.$disconnect());

  const stored = () =>
    db.certificate.findUniqueOrThrow({
      where: { id: certificateId },
      select: { renewBeforeDays: true, maintenanceWindow: true, preHook: true, postHook: true, deployHook: true },
    });
  const globalEverything = { renewBeforeDays: null, maintenanceWindow: null, preHook: null, postHook: null, deployHook: null };

  it("stores the certificate's own values, plans the renewal again and audits which settings changed", async () => {
    const saved = await update(admin, {
      id: certificateId,
      renewBeforeDays: 20,
      maintenanceWindow: " Mon-Fri 01:00-03:00 ",
      preHook: "systemctl stop haproxy  --token=s3cret\r\n",
      postHook: null,
      deployHook: "",
    });
    assert.deepEqual(saved, { name: "settings.example.test", changed: ["renewBeforeDays", "maintenanceWindow", "preHook", "deployHook"] });
    assert.deepEqual(await stored(), {
      renewBeforeDays: 20,
      maintenanceWindow: "Mon-Fri 01:00-03:00",
      preHook: "systemctl stop haproxy  --token=s3cret",
      postHook: null,
      deployHook: "",
    });
    const planned = await db.certificate.findUniqueOrThrow({ where: { id: certificateId }, select: { renewAfter: true, renewReason: true } });
    assert.deepEqual(planned, { renewAfter: new Date(notAfter.getTime() - 20 * DAY_MS), renewReason: "override" });

    const [audit] = await db.auditEvent.findMany({ where: { action: "certificate.settings" } });
    assert.deepEqual([audit.actor, audit.ip, audit.target], ["admin", "192.0.2.10", "settings.example.test"]);
    assert.deepEqual(JSON.parse(audit.detail ?? "null"), { changed: saved.changed });
    assert.doesNotMatch(audit.detail ?? "", /s3cret|systemctl/, "never the hook commands themselves");
  });

  it("refuses what cannot work, naming the field, and changes nothing", async () => {
    const before = await stored();
    const cases: Array<[Partial<Parameters<typeof update>[1]>, string, RegExp]> = [
      [{ renewBeforeDays: 90 }, "renewBeforeDays", /^This certificate is valid for 90 days; renew fewer days than that before it expires$/],
      [{ renewBeforeDays: 1.5 }, "renewBeforeDays", /whole number/],
      [{ renewBeforeDays: Number.NaN }, "renewBeforeDays", /Enter a number of days, or leave it empty/],
      [{ renewBeforeDays: 0 }, "renewBeforeDays", /At least 1 day/],
      [{ maintenanceWindow: "sometimes at night" }, "maintenanceWindow", /^"sometimes at night": not a maintenance window/],
      [{ deployHook: "echo \0 done" }, "deployHook", /NUL character/],
    ];
    for (const [change, field, message] of cases) {
      const refusal = await refusalOf(update(admin, { ...globalEverything, id: certificateId, ...change }));
      assert.equal(refusal.code, "invalid_input", JSON.stringify(change));
      assert.deepEqual(Object.keys(refusal.fieldErrors), [field], JSON.stringify(change));
      assert.match(refusal.fieldErrors[field].join(" "), message);
    }
    const missing = await refusalOf(update(admin, { ...globalEverything, id: "nosuchcertificate" }));
    assert.deepEqual([missing.code, missing.userMessage], ["not_found", "That certificate does not exist."]);
    assert.deepEqual(await stored(), before);
    assert.equal(await db.auditEvent.count({ where: { action: "certificate.settings" } }), 1, "no entry for a refusal");
  });

  it("goes back to the global settings, and writes no entry when nothing changed", async () => {
    const saved = await update(SYSTEM_ACTOR, { id: certificateId, ...globalEverything });
    assert.deepEqual(saved.changed, ["renewBeforeDays", "maintenanceWindow", "preHook", "deployHook"]);
    assert.deepEqual(await stored(), globalEverything);
    assert.deepEqual((await update(SYSTEM_ACTOR, { id: certificateId, ...globalEverything })).changed, []);
    assert.equal(await db.auditEvent.count({ where: { action: "certificate.settings" } }), 2);
  });
});
