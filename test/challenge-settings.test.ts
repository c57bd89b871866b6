import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { startAppHarness, type AppHarness } from "./support/app-harness";
import { SYSTEM_ACTOR } from "../lib/domain/command/actor";
import { refusalOf } from "./support/refusal";

/**
 * A certificate's "Challenge settings": the same rules as the add form, checked against the
 * certificate's own names; bad input changes nothing; no change while a job works on it.
 */
describe("challenge settings of a stored certificate", () => {
  let app: AppHarness;
  let update: typeof import("../lib/domain/certificates/challenge-settings").updateChallengeSettings;
  let wildcardId: string;
  let plainId: string;
  let providerId: string;

  before(async () => {
    app = await startAppHarness();
    const accountId = await app.registerPebbleAccount();
    // No job runs here: the certificates' first issue jobs stay queued until the test ends them.
    await app.stopRunner();
    update = (await import("../lib/domain/certificates/challenge-settings")).updateChallengeSettings;
    const { createDnsProvider } = await import("../lib/domain/dns-providers/provider-store");
    const provider = await createDnsProvider(app.admin, { name: "Manual", type: "manual" });
    assert.ok(provider.id);
    providerId = provider.id;

    const wildcard = await app.modules.createCertificate(SYSTEM_ACTOR, {
      names: "*.settings.test\nsettings.test",
      accountId,
      keyType: "ec-p256",
      challengeMethod: "dns-01",
      dnsProviderId: providerId,
    });
    const plain = await app.modules.createCertificate(SYSTEM_ACTOR, {
      names: "www.settings.test\nshop.settings.test",
      accountId,
      keyType: "ec-p256",
      challengeMethod: "http-01-app",
    });
    wildcardId = wildcard.certificateId;
    plainId = plain.certificateId;
  });

  after(async () => app?.stop());

  const stored = (id: string) =>
    app.modules.db.certificate.findUniqueOrThrow({
      where: { id },
      select: { challengeMethod: true, webrootPath: true, webrootPaths: true, dnsProviderId: true, profile: true, reuseKey: true },
    });

  it("refuses changes while a job works on the certificate", async () => {
    const before = await stored(plainId);
    const refusal = await refusalOf(update(SYSTEM_ACTOR, { id: plainId, challengeMethod: "http-01-standalone" }));
    assert.equal(refusal.code, "conflict");
    assert.match(refusal.userMessage, /A job is working on this certificate right now/);
    assert.deepEqual(await stored(plainId), before);
    // The queued first issuance ends (as if it had failed), so the settings may change.
    await app.modules.db.job.updateMany({ where: { status: "queued" }, data: { status: "failed", finishedAt: new Date() } });
  });

  it("refuses what the add form refuses, naming the field, and stores nothing", async () => {
    const plainBefore = await stored(plainId);
    const wildcardBefore = await stored(wildcardId);
    type Settings = Omit<Parameters<typeof update>[1], "id">;
    const cases: Array<[string, Settings, string, RegExp]> = [
      [wildcardId, { challengeMethod: "http-01-app" }, "challengeMethod", /wildcard names need the DNS-01 challenge/],
      [wildcardId, { challengeMethod: "tls-alpn-01" }, "challengeMethod", /wildcard names need the DNS-01 challenge/],
      [plainId, { challengeMethod: "dns-01" }, "dnsProviderId", /Choose the DNS provider/],
      [plainId, { challengeMethod: "dns-01", dnsProviderId: "nosuchprovider" }, "dnsProviderId", /does not exist/],
      [plainId, { challengeMethod: "http-01-webroot" }, "webrootPath", /Enter the web server's document root/],
      [plainId, { challengeMethod: "http-01-webroot", webrootPath: "/var/www/../etc" }, "webrootPath", /absolute path without "\.\."/],
      [
        plainId,
        { challengeMethod: "http-01-webroot", webrootPaths: { "www.settings.test": "/var/www/www" } },
        "webrootPath",
        /or one for shop\.settings\.test/,
      ],
      [
        plainId,
        { challengeMethod: "http-01-webroot", webrootPath: "/var/www/html", webrootPaths: { "other.test": "/var/www/x" } },
        "webrootPaths",
        /Not among this certificate's names: other\.test/,
      ],
      [
        plainId,
        { challengeMethod: "http-01-webroot", webrootPath: "/var/www/html", webrootPaths: { "shop.settings.test": "var/www/shop" } },
        "webrootPaths",
        /^"shop\.settings\.test": enter an absolute path/,
      ],
      // Not one of the methods: what a tampered form or a script could send.
      [plainId, { challengeMethod: "carrier-pigeon" as Settings["challengeMethod"] }, "challengeMethod", /Choose how to prove control/],
    ];
    for (const [id, settings, field, message] of cases) {
      const refusal = await refusalOf(update(SYSTEM_ACTOR, { id, ...settings }));
      assert.equal(refusal.code, "invalid_input", JSON.stringify(settings));
      assert.match(refusal.fieldErrors[field]?.join(" ") ?? "", message, `${JSON.stringify(settings)} → ${JSON.stringify(refusal.fieldErrors)}`);
    }
    assert.deepEqual(await stored(plainId), plainBefore);
    assert.deepEqual(await stored(wildcardId), wildcardBefore);
  });

  it("saves a method with its settings, clears the other methods' settings, and says what changed", async () => {
    const webroot = await update(SYSTEM_ACTOR, {
      id: plainId,
      challengeMethod: "http-01-webroot",
      webrootPath: "/var/www/html/",
      webrootPaths: { "Shop.Settings.test": "/var/www/shop/" },
      dnsProviderId: providerId,
      reuseKey: true,
    });
    assert.deepEqual(webroot, { name: "www.settings.test", changed: ["challengeMethod", "webrootPath", "webrootPaths", "reuseKey"] });
    assert.deepEqual(await stored(plainId), {
      challengeMethod: "http-01-webroot",
      webrootPath: "/var/www/html",
      webrootPaths: JSON.stringify({ "shop.settings.test": "/var/www/shop" }),
      dnsProviderId: null,
      profile: null,
      reuseKey: true,
    });

    const dns = await update(SYSTEM_ACTOR, { id: plainId, challengeMethod: "dns-01", dnsProviderId: providerId, webrootPath: "/var/www/html" });
    assert.deepEqual(dns, { name: "www.settings.test", changed: ["challengeMethod", "webrootPath", "webrootPaths", "dnsProviderId", "reuseKey"] });
    assert.deepEqual(await stored(plainId), {
      challengeMethod: "dns-01",
      webrootPath: null,
      webrootPaths: null,
      dnsProviderId: providerId,
      profile: null,
      reuseKey: false,
    });

    // The command writes the audit entry: who, which certificate, which settings (never their values).
    const audit = await app.modules.db.auditEvent.findMany({
      where: { action: "certificate.challenge-settings" },
      orderBy: { id: "asc" },
      select: { actor: true, target: true, detail: true },
    });
    assert.deepEqual(
      audit.map((event) => ({ ...event, detail: JSON.parse(event.detail ?? "null") })),
      [
        { actor: "system", target: "www.settings.test", detail: { changed: webroot.changed } },
        { actor: "system", target: "www.settings.test", detail: { changed: dns.changed } },
      ],
      "one entry per saved change, none for the refusals",
    );
  });
});
