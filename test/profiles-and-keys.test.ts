/**
 * ACME profiles and "keep the same key on renewal" through the real job runner against Pebble.
 * Pebble 2.4 advertises no profiles (and ignores a "profile" in newOrder), so the profile tests
 * put a directory in front of it that adds meta.profiles the way Let's Encrypt does; every other
 * request goes to Pebble itself, as the directory's URLs point there.
 */
import assert from "node:assert/strict";
import { X509Certificate } from "node:crypto";
import { readFile } from "node:fs/promises";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { fetchDirectory } from "../lib/protocol/acme/directory";
import { LAB_NETWORK } from "../lib/protocol/net/outbound-url";
import { startAppHarness, type AppHarness } from "./support/app-harness";
import { SYSTEM_ACTOR } from "../lib/domain/command/actor";
import { refusalOf } from "./support/refusal";

const LETS_ENCRYPT_STYLE_PROFILES = {
  classic: "https://letsencrypt.org/docs/profiles#classic",
  shortlived: "https://letsencrypt.org/docs/profiles#shortlived",
  tlsserver: "https://letsencrypt.org/docs/profiles#tlsserver",
};

/** Serves Pebble's directory with `profiles` added to its meta; change `profiles` to change what it advertises. */
async function serveDirectoryWithProfiles(app: AppHarness) {
  const state = { profiles: { ...LETS_ENCRYPT_STYLE_PROFILES } as Record<string, string> };
  const server = http.createServer(async (_request, response) => {
    const directory = await fetchDirectory(app.pebble.directoryUrl, app.pebble.httpsCaPem, { network: LAB_NETWORK });
    const body = JSON.stringify({ ...directory, meta: { ...directory.meta, profiles: state.profiles } });
    response.writeHead(200, { "content-type": "application/json" }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    state,
    directoryUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/dir`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe("profiles and keys against Pebble", () => {
  let app: AppHarness;
  let pebbleAccountId: string;
  let profilesAccountId: string;
  let profilesDirectory: Awaited<ReturnType<typeof serveDirectoryWithProfiles>>;

  before(async () => {
    app = await startAppHarness();
    await app.modules.settings.setSetting("standalonePort", app.httpPort);
    pebbleAccountId = await app.registerPebbleAccount();
    profilesDirectory = await serveDirectoryWithProfiles(app);
    const account = await app.modules.createAccount(app.admin, {
      directoryUrl: profilesDirectory.directoryUrl,
      email: "profiles@example.test",
      termsAgreed: true,
      caBundlePem: app.pebble.httpsCaPem,
      privateNetwork: true,
    });
    assert.ok(account.accountId, JSON.stringify(account));
    assert.equal((await app.waitForJob(account.jobId)).status, "succeeded");
    profilesAccountId = account.accountId;
  });

  after(async () => {
    await profilesDirectory?.close();
    await app?.stop();
  });

  async function create(input: { names: string; accountId: string; profile?: string; reuseKey?: boolean }) {
    const created = await app.modules.createCertificate(SYSTEM_ACTOR, { keyType: "ec-p256", challengeMethod: "http-01-standalone", ...input });
    assert.deepEqual(await app.waitForJob(created.jobId), { status: "succeeded", error: null });
    return { certificateId: created.certificateId, jobId: created.jobId };
  }

  async function renew(certificateId: string) {
    const { jobId } = await app.modules.queue.enqueueCertificateJob(certificateId, "renew");
    return { jobId, ...(await app.waitForJob(jobId)) };
  }

  async function jobMessages(jobId: string): Promise<string[]> {
    const events = await app.modules.db.jobEvent.findMany({ where: { jobId }, orderBy: { id: "asc" }, select: { message: true } });
    return events.map((event) => event.message);
  }

  async function publicKeysOf(certificateId: string): Promise<string[]> {
    const versions = await app.modules.db.certificateVersion.findMany({ where: { certificateId }, orderBy: { version: "asc" }, select: { chainPem: true } });
    return versions.map((version) => new X509Certificate(version.chainPem).publicKey.export({ type: "spki", format: "der" }).toString("base64"));
  }

  it("keeps the same private key through two renewals when the certificate asks for it", async () => {
    const { certificateId } = await create({ names: "pinned.example.test", accountId: pebbleAccountId, reuseKey: true });
    const first = await renew(certificateId);
    assert.equal(first.status, "succeeded", first.error ?? "");
    assert.ok((await jobMessages(first.jobId)).includes("Reusing the current private key (this certificate keeps its key on renewal)"));
    assert.equal((await renew(certificateId)).status, "succeeded");

    const keys = await publicKeysOf(certificateId);
    assert.equal(keys.length, 3);
    assert.equal(new Set(keys).size, 1, "all three versions carry the same public key");
    const serials = await app.modules.db.certificateVersion.findMany({ where: { certificateId }, select: { serial: true } });
    assert.equal(new Set(serials.map((version) => version.serial)).size, 3, "three distinct certificates");
    const archive = path.join(app.dataDir, "archive", "pinned.example.test");
    const privateKeys = await Promise.all([1, 2, 3].map((version) => readFile(path.join(archive, `privkey${version}.pem`), "utf8")));
    assert.equal(new Set(privateKeys).size, 1, "privkey1..3.pem are the same key");
  });

  it("takes a fresh private key on renewal by default", async () => {
    const { certificateId } = await create({ names: "rotating.example.test", accountId: pebbleAccountId });
    const renewed = await renew(certificateId);
    assert.equal(renewed.status, "succeeded");
    assert.ok((await jobMessages(renewed.jobId)).includes("Generated a fresh ec-p256 private key"));
    const keys = await publicKeysOf(certificateId);
    assert.equal(keys.length, 2);
    assert.notEqual(keys[0], keys[1]);
  });

  it("refuses a profile at a CA that advertises none, and stores nothing", async () => {
    const before = await app.modules.db.certificate.count();
    const refusal = await refusalOf(
      app.modules.createCertificate(SYSTEM_ACTOR, {
        names: "profiled.example.test",
        accountId: pebbleAccountId,
        keyType: "ec-p256",
        challengeMethod: "http-01-standalone",
        profile: "shortlived",
      }),
    );
    assert.deepEqual(refusal.fieldErrors, { profile: ['This CA does not offer profiles, so "shortlived" cannot be requested. Leave the profile empty.'] });
    assert.equal(await app.modules.db.certificate.count(), before);
  });

  it("refuses a profile the CA does not advertise, and stores nothing", async () => {
    const before = await app.modules.db.certificate.count();
    const refusal = await refusalOf(
      app.modules.createCertificate(SYSTEM_ACTOR, {
        names: "gold.example.test",
        accountId: profilesAccountId,
        keyType: "ec-p256",
        challengeMethod: "http-01-standalone",
        profile: "gold",
      }),
    );
    assert.deepEqual(refusal.fieldErrors, { profile: ['The CA does not offer the profile "gold"; it offers "classic", "shortlived", "tlsserver".'] });
    assert.equal(await app.modules.db.certificate.count(), before);
  });

  it("sends the chosen profile in newOrder and keeps it on renewal", async () => {
    const { certificateId, jobId } = await create({ names: "server.example.test", accountId: profilesAccountId, profile: "tlsserver" });
    assert.equal((await app.modules.db.certificate.findUniqueOrThrow({ where: { id: certificateId } })).profile, "tlsserver");
    assert.ok((await jobMessages(jobId)).includes('Order created for server.example.test (profile "tlsserver")'));
    const renewed = await renew(certificateId);
    assert.equal(renewed.status, "succeeded");
    assert.ok((await jobMessages(renewed.jobId)).includes('Order created for server.example.test (profile "tlsserver")'));
  });

  it("picks shortlived for an IP address certificate, on issue and on renewal", async () => {
    const { certificateId, jobId } = await create({ names: "127.0.0.1", accountId: profilesAccountId });
    assert.equal((await app.modules.db.certificate.findUniqueOrThrow({ where: { id: certificateId } })).profile, "shortlived");
    assert.ok((await jobMessages(jobId)).includes('Order created for 127.0.0.1 (profile "shortlived")'));

    // Stored without a profile (the CA was unreachable when it was added): the job picks it.
    await app.modules.db.certificate.update({ where: { id: certificateId }, data: { profile: null } });
    const renewed = await renew(certificateId);
    assert.equal(renewed.status, "succeeded");
    const messages = await jobMessages(renewed.jobId);
    assert.ok(messages.includes('Using the profile "shortlived": the CA issues IP address certificates with it'));
    assert.ok(messages.includes('Order created for 127.0.0.1 (profile "shortlived")'));
  });

  it("refuses a renewal before ordering once the CA no longer offers the certificate's profile", async () => {
    const { certificateId } = await create({ names: "dropped.example.test", accountId: profilesAccountId, profile: "tlsserver" });
    profilesDirectory.state.profiles = { classic: LETS_ENCRYPT_STYLE_PROFILES.classic, shortlived: LETS_ENCRYPT_STYLE_PROFILES.shortlived };
    try {
      const renewed = await renew(certificateId);
      assert.equal(renewed.status, "failed");
      assert.equal(
        renewed.error,
        `The CA does not offer the profile "tlsserver"; it offers "classic", "shortlived". Change the profile in the certificate's settings, then try again. Nothing was sent to the CA.`,
      );
      assert.ok(!(await jobMessages(renewed.jobId)).some((message) => message.startsWith("Order created")), "no order was placed");
      const certificate = await app.modules.db.certificate.findUniqueOrThrow({ where: { id: certificateId }, include: { currentVersion: true } });
      assert.equal(certificate.currentVersion?.version, 1);
      assert.equal(certificate.lastError, renewed.error);
    } finally {
      profilesDirectory.state.profiles = { ...LETS_ENCRYPT_STYLE_PROFILES };
    }
  });
});
