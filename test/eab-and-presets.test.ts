import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import type { AppError } from "../lib/core/app-error";
import { startAppHarness, type AppHarness } from "./support/app-harness";

/**
 * External Account Binding against a Pebble that requires it (as ZeroSSL, Google and SSL.com do),
 * through the real createAccount path and registration job.
 */
describe("External Account Binding", () => {
  const keyId = "certdeck-eab-kid";
  const hmacKey = randomBytes(32).toString("base64url");
  let app: AppHarness;

  before(async () => {
    app = await startAppHarness({ externalAccountMACKeys: { [keyId]: hmacKey } });
  });
  after(async () => {
    await app?.stop();
  });

  const register = (eab: { eabKeyId?: string; eabHmacKey?: string }) =>
    app.modules.createAccount(app.admin, {
      directoryUrl: app.pebble.directoryUrl,
      email: "ops@example.test",
      termsAgreed: true,
      caBundlePem: app.pebble.httpsCaPem,
      privateNetwork: true,
      ...eab,
    });
  const newAccountRequests = async () => ((await readFile(app.pebble.pebbleLogPath, "utf8")).match(/POST \/sign-me-up/g) ?? []).length;

  it("registers with the right key ID and HMAC key, and keeps the HMAC key encrypted", async () => {
    const created = await register({ eabKeyId: keyId, eabHmacKey: hmacKey });
    assert.ok(created.accountId, JSON.stringify(created));
    assert.deepEqual(await app.waitForJob(created.jobId), { status: "succeeded", error: null });
    const account = await app.modules.db.acmeAccount.findUniqueOrThrow({ where: { id: created.accountId }, omit: { eabHmacKeyEnc: false } });
    assert.equal(account.status, "valid");
    assert.match(account.accountUrl ?? "", /\/my-account\//);
    assert.equal(account.eabKeyId, keyId);
    assert.match(await readFile(app.pebble.pebbleLogPath, "utf8"), new RegExp(`Successful newAccount Binding with CA using kid "${keyId}"`));

    const { decryptSecret } = await import("../lib/data/secret-box");
    assert.notEqual(account.eabHmacKeyEnc, hmacKey);
    assert.equal(decryptSecret(account.eabHmacKeyEnc!), hmacKey);
    const databaseFiles = (await readdir(app.dataDir)).filter((file) => file.startsWith("certdeck.db"));
    assert.ok(databaseFiles.length > 0);
    for (const file of databaseFiles) {
      const bytes = (await readFile(path.join(app.dataDir, file))).toString("latin1");
      assert.ok(!bytes.includes(hmacKey), `${file} holds no HMAC key in clear text`);
    }
    const events = await app.modules.db.jobEvent.findMany({ where: { jobId: created.jobId } });
    assert.ok(
      events.every((event) => !event.message.includes(hmacKey) && !(event.detail ?? "").includes(hmacKey)),
      "no job event holds the HMAC key",
    );
  });

  it("fails with a clear reason when the HMAC key is wrong", async () => {
    const created = await register({ eabKeyId: keyId, eabHmacKey: randomBytes(32).toString("base64url") });
    assert.ok(created.accountId);
    const job = await app.waitForJob(created.jobId);
    assert.equal(job.status, "failed");
    assert.match(
      job.error ?? "",
      /^The CA refused the External Account Binding: the key ID or HMAC key is wrong \(copy both again from the CA's dashboard or its administrator\)\./,
    );
    assert.match(job.error ?? "", /The CA said: "external account binding JWS verification error/);
    const account = await app.modules.db.acmeAccount.findUniqueOrThrow({ where: { id: created.accountId } });
    assert.equal(account.status, "failed");
    assert.equal(account.lastError, job.error);
    assert.equal(account.accountUrl, null);

    // "Register again" with the right pair replaces the stored one and registers the same account.
    const { retryRegistration } = await import("../lib/domain/accounts/retry-registration");
    await assert.rejects(retryRegistration(app.admin, { id: created.accountId, eabKeyId: keyId }), { code: "invalid_input" });
    const retried = await retryRegistration(app.admin, { id: created.accountId, eabKeyId: keyId, eabHmacKey: hmacKey });
    assert.ok(retried.jobId, JSON.stringify(retried));
    assert.deepEqual(await app.waitForJob(retried.jobId), { status: "succeeded", error: null });
    const registered = await app.modules.db.acmeAccount.findUniqueOrThrow({ where: { id: created.accountId } });
    assert.equal(registered.status, "valid");
    assert.equal(registered.lastError, null);
    await assert.rejects(retryRegistration(app.admin, { id: created.accountId }), {
      code: "conflict",
      userMessage: "Only an account whose registration failed can be registered again.",
    });
  });

  it("fails with the same reason for a key ID the CA does not know", async () => {
    const created = await register({ eabKeyId: "not-a-known-kid", eabHmacKey: hmacKey });
    assert.ok(created.accountId);
    const job = await app.waitForJob(created.jobId);
    assert.equal(job.status, "failed");
    assert.match(job.error ?? "", /^The CA refused the External Account Binding: the key ID or HMAC key is wrong/);
  });

  it("refuses up front, without contacting the CA's newAccount, when no binding is given", async () => {
    const requestsBefore = await newAccountRequests();
    const created = await register({});
    assert.ok(created.accountId);
    const job = await app.waitForJob(created.jobId);
    assert.equal(job.status, "failed");
    assert.match(
      job.error ?? "",
      /^This CA requires External Account Binding, and this account has no EAB key ID and HMAC key\. Get them from the CA's dashboard or its administrator, then register again with both\./,
    );
    assert.equal(await newAccountRequests(), requestsBefore, "no newAccount request reached the CA");
  });

  it("refuses a half-filled or malformed binding in the form, storing nothing", async () => {
    const before = await app.modules.db.acmeAccount.count();
    await assert.rejects(register({ eabKeyId: keyId }), (error: AppError) => {
      assert.deepEqual(error.fieldErrors?.eabHmacKey, ["Enter the HMAC key that goes with this key ID"]);
      return true;
    });
    await assert.rejects(register({ eabKeyId: keyId, eabHmacKey: "this is not base64!" }), (error: AppError) => {
      assert.match(error.fieldErrors?.eabHmacKey?.[0] ?? "", /base64url/);
      return true;
    });
    await assert.rejects(register({ eabKeyId: keyId, eabHmacKey: "c2hvcnQ" }), (error: AppError) => {
      assert.match(error.fieldErrors?.eabHmacKey?.[0] ?? "", /too short/);
      return true;
    });
    assert.equal(await app.modules.db.acmeAccount.count(), before);
  });

  it("accepts an HMAC key pasted in standard base64 or across lines, storing it as base64url", async () => {
    const standard = Buffer.from(hmacKey, "base64url").toString("base64");
    const pasted = `${standard.slice(0, 20)}\n${standard.slice(20)}`;
    const created = await register({ eabKeyId: keyId, eabHmacKey: pasted });
    assert.ok(created.accountId, JSON.stringify(created));
    assert.deepEqual(await app.waitForJob(created.jobId), { status: "succeeded", error: null });
    const { decryptSecret } = await import("../lib/data/secret-box");
    const account = await app.modules.db.acmeAccount.findUniqueOrThrow({ where: { id: created.accountId }, omit: { eabHmacKeyEnc: false } });
    assert.equal(decryptSecret(account.eabHmacKeyEnc!), hmacKey);
  });

  it("reads what the directory says for the accounts page, and says why when the CA is unreachable", async () => {
    const { readDirectoryFacts } = await import("../lib/domain/accounts/directory-facts");
    const result = await readDirectoryFacts({ directoryUrl: app.pebble.directoryUrl, caBundlePem: app.pebble.httpsCaPem, privateNetwork: true });
    assert.equal(result.ok, true, JSON.stringify(result));
    if (result.ok) {
      assert.equal(result.facts.externalAccountRequired, true);
      assert.match(result.facts.termsOfService ?? "", /^data:text\/plain/);
      assert.deepEqual(result.facts.profiles, []);
    }
    const { findFreePort } = await import("../lib/testbed/pebble-testbed");
    const down = await readDirectoryFacts({ directoryUrl: `https://127.0.0.1:${await findFreePort()}/dir`, caBundlePem: null, privateNetwork: true });
    assert.equal(down.ok, false);
    if (!down.ok) assert.match(down.reason, /refused the connection/);
  });

  it("requires EAB for presets that need it before anything is stored", async () => {
    const before = await app.modules.db.acmeAccount.count();
    await assert.rejects(
      app.modules.createAccount(app.admin, { directoryUrl: "https://acme.zerossl.com/v2/DV90", email: "ops@example.test", termsAgreed: true }),
      (error: AppError) => {
        assert.equal(error.code, "invalid_input");
        assert.deepEqual(error.fieldErrors?.eabKeyId, [
          "ZeroSSL requires External Account Binding: enter the EAB key ID and HMAC key (ZeroSSL dashboard → Developer → EAB Credentials → Generate)",
        ]);
        return true;
      },
    );
    assert.equal(await app.modules.db.acmeAccount.count(), before);
  });
});
