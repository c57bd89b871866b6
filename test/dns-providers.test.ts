/**
 * The DNS provider store on a real SQLite file: validation, secrets kept encrypted and masked,
 * a secret left empty on change keeps the stored one, deletion refused while in use, audit
 * entries without secrets.
 */
import assert from "node:assert/strict";
import { rm } from "node:fs/promises";
import { after, before, describe, it } from "node:test";
import type { AppError } from "../lib/core/app-error";
import { userActor } from "../lib/domain/command/actor";
import type { DnsProviderInput } from "../lib/domain/dns-providers/dns-provider.validation";
import { openTestDatabase } from "./support/test-database";

describe("DNS provider store", () => {
  let dataDir: string;
  let store: typeof import("../lib/domain/dns-providers/provider-store");
  let db: typeof import("../lib/data/client").db;
  const secret = Buffer.from("a-tsig-secret-of-32-bytes-length").toString("base64");

  // The form's fields as the commands take them: numbers as numbers, absent = the default.
  const rfc2136Form = (overrides: Partial<DnsProviderInput> = {}): DnsProviderInput => ({
    name: "primary",
    type: "rfc2136",
    rfc2136Server: "ns1.example.com",
    rfc2136Zone: "Example.COM.",
    tsigKeyName: "certdeck.",
    tsigSecret: `secret "${secret}";`,
    cloudflareApiToken: "",
    cloudflareZoneId: "",
    ...overrides,
  });
  const admin = userActor({ id: "admin", username: "admin" }, null);

  before(async () => {
    ({ dataDir } = await openTestDatabase({ label: "dns-providers" }));
    db = (await import("../lib/data/client")).db;
    store = await import("../lib/domain/dns-providers/provider-store");
  });

  after(async () => {
    await db?.$disconnect();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it("refuses incomplete or malformed input with a message per field, and stores nothing", async () => {
    const fieldsOf = async (input: DnsProviderInput) => {
      let refusal: AppError | undefined;
      await assert.rejects(store.createDnsProvider(admin, input), (error: AppError) => {
        assert.equal(error.code, "invalid_input");
        refusal = error;
        return true;
      });
      return refusal!;
    };
    const result = await fieldsOf(
      rfc2136Form({
        name: " ",
        rfc2136Server: "ns1.example.com:53",
        tsigKeyName: "",
        tsigSecret: "not base64!",
        propagationTimeoutSeconds: 5,
        rfc2136Port: 70000,
      }),
    );
    assert.deepEqual(Object.keys(result.fieldErrors ?? {}).sort(), [
      "name",
      "propagationTimeoutSeconds",
      "rfc2136Port",
      "rfc2136Server",
      "tsigKeyName",
      "tsigSecret",
    ]);
    assert.match(result.fieldErrors!.rfc2136Server[0], /without a port/);
    assert.ok(!JSON.stringify({ ...result, message: result.message, userMessage: result.userMessage }).includes("not base64!"), "a secret is never sent back");
    const missingSecret = await fieldsOf(rfc2136Form({ tsigSecret: "" }));
    assert.deepEqual(missingSecret.fieldErrors, { tsigSecret: ["Paste the TSIG secret (base64, from the server's key file)"] });
    const badToken = await fieldsOf({ name: "cf", type: "cloudflare", cloudflareApiToken: "short", cloudflareZoneId: "xyz" });
    assert.deepEqual(Object.keys(badToken.fieldErrors ?? {}).sort(), ["cloudflareApiToken", "cloudflareZoneId"]);
    assert.equal(await db.dnsProvider.count(), 0);
  });

  it("stores an RFC 2136 provider with defaults, a normalised zone and key, and the secret encrypted", async () => {
    const created = await store.createDnsProvider(admin, rfc2136Form());
    assert.ok(created.id, JSON.stringify(created));
    const row = await db.dnsProvider.findUniqueOrThrow({ where: { id: created.id }, omit: { credentialsEnc: false } });
    assert.equal(row.propagationTimeoutSeconds, 120);
    assert.deepEqual(JSON.parse(row.config), {
      server: "ns1.example.com",
      port: 53,
      zone: "example.com",
      tsigKeyName: "certdeck",
      tsigAlgorithm: "hmac-sha256",
    });
    assert.ok(row.credentialsEnc?.startsWith("v1:") && !row.credentialsEnc.includes(secret));
    assert.equal("credentialsEnc" in (await db.dnsProvider.findUniqueOrThrow({ where: { id: created.id } })), false, "omitted unless asked for");

    const loaded = await store.loadDnsProviderWithSecrets(created.id);
    assert.deepEqual(loaded.type === "rfc2136" && loaded.credentials, { tsigSecret: secret });

    const [listed] = await store.listDnsProviders();
    assert.deepEqual(listed, {
      id: created.id,
      name: "primary",
      type: "rfc2136",
      typeLabel: "RFC 2136 (BIND, Knot, PowerDNS …, TSIG)",
      summary: "ns1.example.com:53, key certdeck (hmac-sha256), zone example.com",
      credentialHint: `••••${secret.slice(-4)}`,
      propagationTimeoutSeconds: 120,
      usedBy: 0,
    });
    const forEdit = await store.getDnsProviderForEdit(created.id);
    assert.deepEqual(forEdit?.values, {
      name: "primary",
      type: "rfc2136",
      propagationTimeoutSeconds: "120",
      rfc2136Server: "ns1.example.com",
      rfc2136Port: "53",
      rfc2136Zone: "example.com",
      tsigKeyName: "certdeck",
      tsigAlgorithm: "hmac-sha256",
    });
    assert.ok(!JSON.stringify(forEdit).includes(secret));

    await assert.rejects(store.createDnsProvider(admin, rfc2136Form()), (error: AppError) => {
      assert.deepEqual(error.fieldErrors, { name: ["Another DNS provider has this name; choose another"] });
      return true;
    });
  });

  it("keeps the stored secret when the field is left empty, replaces it when given, and asks for one when the type changes", async () => {
    const { id } = (await store.listDnsProviders()).find((provider) => provider.name === "primary")!;
    assert.deepEqual(await store.updateDnsProvider(admin, { id, ...rfc2136Form({ tsigSecret: "", rfc2136Port: 5353, propagationTimeoutSeconds: 300 }) }), {
      id,
    });
    const kept = await store.loadDnsProviderWithSecrets(id);
    assert.equal(kept.type === "rfc2136" && kept.credentials.tsigSecret, secret);
    assert.equal(kept.type === "rfc2136" && kept.config.port, 5353);
    assert.equal(kept.propagationTimeoutSeconds, 300);

    const newSecret = Buffer.from("another-secret-for-the-same-key!").toString("base64");
    assert.deepEqual(
      await store.updateDnsProvider(admin, { id, ...rfc2136Form({ tsigSecret: newSecret, rfc2136Port: 5353, propagationTimeoutSeconds: 300 }) }),
      { id },
    );
    const replaced = await store.loadDnsProviderWithSecrets(id);
    assert.equal(replaced.type === "rfc2136" && replaced.credentials.tsigSecret, newSecret);

    await assert.rejects(store.updateDnsProvider(admin, { id, name: "primary", type: "cloudflare" }), (error: AppError) => {
      assert.deepEqual(error.fieldErrors, { cloudflareApiToken: ["Paste the Cloudflare API token"] });
      return true;
    });
    assert.equal((await store.loadDnsProviderWithSecrets(id)).type, "rfc2136", "nothing changed");

    const events = await db.auditEvent.findMany({ where: { action: { startsWith: "dns-provider." } }, orderBy: { id: "asc" } });
    assert.deepEqual(
      events.map((event) => [event.actor, event.action, event.target]),
      [
        ["admin", "dns-provider.add", "primary"],
        ["admin", "dns-provider.change", "primary"],
        ["admin", "dns-provider.change", "primary"],
      ],
    );
    assert.deepEqual(JSON.parse(events[1].detail!).changed, ["settings", "propagation timeout"]);
    assert.deepEqual(JSON.parse(events[2].detail!).changed, ["TSIG secret"]);
    for (const event of events) assert.ok(!event.detail?.includes(secret) && !event.detail?.includes(newSecret), "no secret in the audit log");
  });

  it("refuses to delete a provider that a certificate uses, and deletes it once unused", async () => {
    const manual = await store.createDnsProvider(admin, { name: "by hand", type: "manual", propagationTimeoutSeconds: 60 });
    assert.ok(manual.id);
    assert.equal((await store.listDnsProviders()).find((provider) => provider.id === manual.id)?.credentialHint, null);
    const account = await db.acmeAccount.create({ data: { label: "a", directoryUrl: "https://ca.example/dir", email: "a@example.test", accountKeyEnc: "x" } });
    const certificate = await db.certificate.create({
      data: { name: "wild.example.com", identifiers: "[]", keyType: "ec-p256", challengeMethod: "dns-01", dnsProviderId: manual.id, accountId: account.id },
    });
    await assert.rejects(store.deleteDnsProvider(admin, { id: manual.id }), {
      code: "conflict",
      userMessage: "by hand is used by the certificate wild.example.com. Choose another challenge method or DNS provider for it first.",
    });
    assert.equal((await store.getDnsProviderForEdit(manual.id))?.usedBy, 1);
    await db.certificate.delete({ where: { id: certificate.id } });
    await store.deleteDnsProvider(admin, { id: manual.id });
    assert.equal(await store.getDnsProviderForEdit(manual.id), null);
    assert.equal(await db.auditEvent.count({ where: { action: "dns-provider.delete", target: "by hand" } }), 1);
  });

  it("says so when the provider behind a certificate is gone", async () => {
    await assert.rejects(store.loadDnsProviderWithSecrets("doesnotexist"), { code: "not_found" });
    const tested = await store.testDnsProvider(admin, { id: "doesnotexist" });
    assert.equal(tested.ok, false);
    assert.match(tested.message, /no longer exists/);
  });
});
