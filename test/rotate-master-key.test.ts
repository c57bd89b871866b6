import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readFile, stat } from "node:fs/promises";
import { describe, it } from "node:test";
import { openTestDatabase } from "./support/test-database";

/** `npm run rotate-secret-key` re-encrypts every secret; the old key no longer opens them. */
describe("rotating the master key", () => {
  it("re-encrypts account keys, certificate keys, channel settings, DNS provider credentials and pending job keys", async () => {
    const { dataDir } = await openTestDatabase({ label: "rotate" });
    const { db } = await import("../lib/data/client");
    const box = await import("../lib/data/secret-box");
    const account = await db.acmeAccount.create({
      data: {
        label: "a",
        directoryUrl: "https://ca.example/dir",
        email: "a@example.test",
        accountKeyEnc: box.encryptSecret("account-key"),
        eabHmacKeyEnc: box.encryptSecret("hmac"),
      },
    });
    const certificate = await db.certificate.create({
      data: { name: "r.example.test", identifiers: "[]", keyType: "ec-p256", challengeMethod: "http-01-app", accountId: account.id },
    });
    await db.certificateVersion.create({
      data: {
        certificateId: certificate.id,
        version: 1,
        serial: "01",
        notBefore: new Date(),
        notAfter: new Date(),
        issuer: "x",
        fingerprintSha256: "x",
        chainPem: "x",
        privateKeyEnc: box.encryptSecret("cert-key"),
      },
    });
    await db.notificationChannel.create({ data: { type: "webhook", name: "w", configEnc: box.encryptSecret('{"type":"webhook","url":"https://x/secret"}') } });
    await db.job.create({
      data: { type: "renew", certificateId: certificate.id, state: JSON.stringify({ orderUrl: "u", privateKeyEnc: box.encryptSecret("pending-key") }) },
    });
    await db.dnsProvider.create({
      data: { name: "cf", type: "cloudflare", config: '{"zoneId":null}', credentialsEnc: box.encryptSecret('{"apiToken":"dns-token"}') },
    });
    await db.dnsProvider.create({ data: { name: "by hand", type: "manual", config: "{}" } });
    const oldKey = Buffer.from((await readFile(box.masterKeyFile, "utf8")).trim(), "base64");
    await db.$disconnect();

    const run = spawnSync(process.execPath, ["--conditions=react-server", "--import", "tsx", "scripts/rotate-secret-key.ts"], {
      env: { ...process.env, CERTDECK_DATA_DIR: dataDir, CERTDECK_SECRET_KEY: "" },
      encoding: "utf8",
    });
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stdout, /^Re-encrypted 6 secrets under a new master key\./);
    assert.equal((await stat(box.masterKeyFile)).mode & 0o777, 0o600);
    const newKey = Buffer.from((await readFile(box.masterKeyFile, "utf8")).trim(), "base64");
    assert.notDeepEqual(newKey, oldKey);
    assert.deepEqual(Buffer.from((await readFile(`${box.masterKeyFile}.old`, "utf8")).trim(), "base64"), oldKey);

    const stored = await db.acmeAccount.findUniqueOrThrow({ where: { id: account.id }, omit: { accountKeyEnc: false, eabHmacKeyEnc: false } });
    assert.equal(box.decryptWithKey(newKey, stored.accountKeyEnc), "account-key");
    assert.equal(box.decryptWithKey(newKey, stored.eabHmacKeyEnc!), "hmac");
    assert.throws(() => box.decryptWithKey(oldKey, stored.accountKeyEnc));
    const version = await db.certificateVersion.findFirstOrThrow({ omit: { privateKeyEnc: false } });
    assert.equal(box.decryptWithKey(newKey, version.privateKeyEnc), "cert-key");
    const channel = await db.notificationChannel.findFirstOrThrow({ select: { configEnc: true } });
    assert.match(box.decryptWithKey(newKey, channel.configEnc), /secret/);
    const dnsProvider = await db.dnsProvider.findUniqueOrThrow({ where: { name: "cf" }, select: { credentialsEnc: true } });
    assert.equal(box.decryptWithKey(newKey, dnsProvider.credentialsEnc!), '{"apiToken":"dns-token"}');
    const job = await db.job.findFirstOrThrow();
    assert.equal(box.decryptWithKey(newKey, JSON.parse(job.state!).privateKeyEnc), "pending-key");
    await db.$disconnect();
  });
});
