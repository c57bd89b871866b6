import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { createPrivateKey, X509Certificate } from "node:crypto";
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { promisify } from "node:util";
import { startAppHarness, type AppHarness } from "./support/app-harness";
import { callRoute, type RouteModule } from "./support/route-call";
import { createTestCertificateAuthority, type TestCertificate, type TestCertificateAuthority } from "../lib/testbed/test-certificates";
import { certificatesDir } from "../lib/core/env";
import { decryptSecret, encryptSecret } from "../lib/data/secret-box";
import { readLiveVersion } from "../lib/protocol/lineage/lineage-files";
import { replaceUploadedCertificate, uploadCertificate } from "../lib/domain/certificates/upload-certificate";
import { getCertificateDetail, getCertificateOverview, listCertificates } from "../lib/domain/certificates/queries";
import { renewCertificate, testRenewal, deployCertificateNow } from "../lib/domain/certificates/renew-certificate";
import { revokeCertificate } from "../lib/domain/certificates/revoke-certificate";
import { updateChallengeSettings } from "../lib/domain/certificates/challenge-settings";
import { checkCertificate } from "../lib/domain/preflight/preflight-commands";
import { updateRenewalSettings } from "../lib/domain/certificates/renewal-settings";
import { collectMetrics } from "../lib/domain/metrics/collect-metrics";
import { runSchedulerTick } from "../lib/jobs/scheduler";
import { createApiToken } from "../lib/domain/api-tokens/api-tokens";
import { uploadedCertificateSchema } from "../lib/web/api/schemas";

/**
 * Issue #12: certificates CertDeck did not issue, uploaded as PEM or PFX. Real SQLite, the real
 * job runner (the deploy after an upload), real files under the data directory; the certificates
 * come from a throwaway CA (lib/testbed/test-certificates.ts), PFX files from `openssl pkcs12 -export`.
 */
const run = promisify(execFile);
const DAY_MS = 24 * 3600_000;

describe("uploaded certificates", () => {
  let app: AppHarness;
  let root: TestCertificateAuthority;
  let intermediate: TestCertificateAuthority;
  let scratch: string;

  before(async () => {
    app = await startAppHarness({ label: "upload" });
    scratch = await mkdtemp(path.join(os.tmpdir(), "certdeck-upload-files-"));
    root = await createTestCertificateAuthority("Elsewhere Root CA");
    intermediate = await root.createIntermediate("Elsewhere Issuing CA");
  });
  after(async () => {
    await app?.stop();
    if (scratch) await rm(scratch, { recursive: true, force: true });
  });

  const bundle = (leaf: TestCertificate) => `${leaf.certificatePem}${intermediate.certificatePem}${leaf.privateKeyPem}`;

  /** A PFX as Windows or a CA's portal exports it: key, leaf, intermediate and root, AES-256. */
  async function pfxOf(leaf: TestCertificate, password: string): Promise<string> {
    const dir = await mkdtemp(path.join(scratch, "pfx-"));
    await writeFile(path.join(dir, "key.pem"), leaf.privateKeyPem, { mode: 0o600 });
    await writeFile(path.join(dir, "cert.pem"), leaf.certificatePem);
    await writeFile(path.join(dir, "ca.pem"), `${intermediate.certificatePem}${root.certificatePem}`);
    await run(
      "openssl",
      ["pkcs12", "-export", "-inkey", "key.pem", "-in", "cert.pem", "-certfile", "ca.pem", "-passout", `pass:${password}`, "-out", "out.pfx"],
      { cwd: dir },
    );
    return (await readFile(path.join(dir, "out.pfx"))).toString("base64");
  }

  async function snapshot() {
    const { db } = app.modules;
    const lineageDirs = async (tree: string) => (await readdir(path.join(certificatesDir(), tree)).catch(() => [] as string[])).sort();
    return {
      certificates: await db.certificate.count(),
      versions: await db.certificateVersion.count(),
      jobs: await db.job.count(),
      audit: await db.auditEvent.count({ where: { action: "certificate.upload" } }),
      live: await lineageDirs("live"),
      archive: await lineageDirs("archive"),
    };
  }

  it("takes a PEM bundle: stored with its key encrypted, files written (key 0600), deployed, counted down like any other", async () => {
    const leaf = await intermediate.issue({ names: ["shop.example.test", "www.shop.example.test"], notAfter: new Date(Date.now() + 60 * DAY_MS) });
    const uploaded = await uploadCertificate(app.admin, { pem: bundle(leaf) });
    assert.equal(uploaded.name, "shop.example.test");
    assert.equal(uploaded.version, 1);
    assert.deepEqual(uploaded.notices, []);

    const { db } = app.modules;
    const certificate = await db.certificate.findUniqueOrThrow({
      where: { id: uploaded.certificateId },
      include: { currentVersion: { omit: { privateKeyEnc: false } } },
    });
    assert.equal(certificate.source, "upload");
    assert.equal(certificate.accountId, null);
    assert.equal(certificate.status, "valid");
    assert.equal(certificate.keyType, "ec-p256");
    assert.deepEqual(JSON.parse(certificate.identifiers), [
      { type: "dns", value: "shop.example.test" },
      { type: "dns", value: "www.shop.example.test" },
    ]);
    assert.equal(certificate.renewAfter, null, "no renewal planned: CertDeck never renews it");
    const version = certificate.currentVersion!;
    assert.equal(version.fingerprintSha256, leaf.fingerprintSha256);
    assert.equal(certificate.notAfter!.getTime(), new Date(new X509Certificate(leaf.certificatePem).validTo).getTime());
    assert.doesNotMatch(version.privateKeyEnc, /PRIVATE KEY/, "the key is encrypted at rest");
    assert.ok(createPrivateKey(decryptSecret(version.privateKeyEnc)).equals(createPrivateKey(leaf.privateKeyPem)));

    const live = path.join(certificatesDir(), "live", "shop.example.test");
    assert.equal(await readFile(path.join(live, "cert.pem"), "utf8"), leaf.certificatePem);
    assert.equal(await readFile(path.join(live, "chain.pem"), "utf8"), intermediate.certificatePem);
    assert.equal(await readFile(path.join(live, "fullchain.pem"), "utf8"), `${leaf.certificatePem}${intermediate.certificatePem}`);
    assert.ok(createPrivateKey(await readFile(path.join(live, "privkey.pem"), "utf8")).equals(createPrivateKey(leaf.privateKeyPem)));
    assert.equal((await stat(path.join(live, "privkey.pem"))).mode & 0o777, 0o600);

    // The deploy runs as for any new version (here: no hook, so deployed as it is).
    assert.deepEqual(await app.waitForJob(uploaded.jobId), { status: "succeeded", error: null });
    assert.equal((await db.job.findUniqueOrThrow({ where: { id: uploaded.jobId } })).type, "deploy");
    assert.equal((await db.certificateVersion.findUniqueOrThrow({ where: { id: version.id } })).deployStatus, "deployed");

    const audit = await db.auditEvent.findFirstOrThrow({ where: { action: "certificate.upload", target: "shop.example.test" } });
    assert.equal(audit.actor, "admin");
    const detail = JSON.parse(audit.detail ?? "{}");
    assert.equal(detail.version, 1);
    assert.equal(detail.from, "pem");
    assert.doesNotMatch(audit.detail ?? "", /PRIVATE KEY/);

    // The overview and the list: its countdown, and it counts as valid.
    const page = await listCertificates({ filter: "valid", search: "shop.example.test", page: 1 });
    assert.equal(page.rows.length, 1);
    assert.equal(page.rows[0].source, "upload");
    assert.equal(page.rows[0].notAfter!.getTime(), certificate.notAfter!.getTime());
    const overview = await getCertificateOverview();
    assert.ok(overview.valid >= 1);
    assert.notEqual(overview.nextRenewal?.id, certificate.id, "never the next renewal");
    const detailPage = await getCertificateDetail(certificate.id);
    assert.equal(detailPage?.source, "upload");
    assert.equal(detailPage?.account, null);
  });

  it("takes a PFX with its password: the chain without the root, the key out of the PFX", async () => {
    const leaf = await intermediate.issue({ names: ["pfx.example.test", "192.0.2.44"] });
    const uploaded = await uploadCertificate(app.admin, { pfxBase64: await pfxOf(leaf, "s3cret pfx"), password: "s3cret pfx" });
    assert.equal(uploaded.name, "pfx.example.test");
    assert.match(uploaded.notices.join(" "), /root certificate \(Elsewhere Root CA\) was left out/);
    const version = await app.modules.db.certificateVersion.findFirstOrThrow({
      where: { certificateId: uploaded.certificateId },
      omit: { privateKeyEnc: false },
    });
    assert.equal(version.chainPem, `${leaf.certificatePem}${intermediate.certificatePem}`);
    assert.ok(createPrivateKey(decryptSecret(version.privateKeyEnc)).equals(createPrivateKey(leaf.privateKeyPem)));
    const certificate = await app.modules.db.certificate.findUniqueOrThrow({ where: { id: uploaded.certificateId } });
    assert.deepEqual(JSON.parse(certificate.identifiers), [
      { type: "dns", value: "pfx.example.test" },
      { type: "ip", value: "192.0.2.44" },
    ]);
    const audit = await app.modules.db.auditEvent.findFirstOrThrow({ where: { action: "certificate.upload", target: "pfx.example.test" } });
    assert.equal(JSON.parse(audit.detail ?? "{}").from, "pfx");
    assert.doesNotMatch(audit.detail ?? "", /s3cret/);
    assert.deepEqual(await app.waitForJob(uploaded.jobId), { status: "succeeded", error: null });
  });

  it("refuses a key of another certificate, an expired certificate, a malformed file and a wrong PFX password, storing nothing", async () => {
    const leaf = await intermediate.issue({ names: ["refused.example.test"] });
    const stranger = await intermediate.issue({ names: ["stranger.example.test"] });
    const expired = await intermediate.issue({
      names: ["refused.example.test"],
      notBefore: new Date(Date.now() - 100 * DAY_MS),
      notAfter: new Date(Date.now() - 10 * DAY_MS),
    });
    const before = await snapshot();

    const cases: Array<{ input: Parameters<typeof uploadCertificate>[1]; field: string; message: RegExp }> = [
      {
        input: { pem: `${leaf.certificatePem}${intermediate.certificatePem}${stranger.privateKeyPem}` },
        field: "pem",
        message: /^The private key belongs to another certificate/,
      },
      { input: { pem: bundle(expired) }, field: "pem", message: /^The certificate expired on .*2\d{3}/ },
      {
        input: { pem: "-----BEGIN CERTIFICATE-----\nnot base64 at all\n-----END CERTIFICATE-----\n" },
        field: "pem",
        message: /^Not a PEM certificate: block 1 does not parse/,
      },
      { input: { pem: "Certificate: see attachment" }, field: "pem", message: /^Not a PEM certificate: no -----BEGIN CERTIFICATE----- block was found/ },
      {
        input: { pfxBase64: Buffer.from("PK\u0003\u0004 a zip, not a pfx").toString("base64"), password: "x" },
        field: "pfxBase64",
        message: /^Not a PFX file/,
      },
      { input: { pfxBase64: await pfxOf(leaf, "right password"), password: "wrong password" }, field: "password", message: /^The PFX password is wrong\.$/ },
      { input: { pem: `${leaf.certificatePem}${intermediate.certificatePem}` }, field: "pem", message: /^No private key/ },
      { input: { pem: `${intermediate.certificatePem}${intermediate.privateKeyPem}` }, field: "pem", message: /^The key belongs to a CA certificate/ },
      { input: {}, field: "pem", message: /^Fix these fields: pem/ },
    ];
    for (const { input, field, message } of cases) {
      await assert.rejects(uploadCertificate(app.admin, input), (error: { code: string; userMessage: string; fieldErrors?: Record<string, string[]> }) => {
        assert.equal(error.code, "invalid_input", error.userMessage);
        assert.match(error.userMessage, message);
        assert.ok(error.fieldErrors?.[field]?.length, `the problem is on ${field}: ${JSON.stringify(error.fieldErrors)}`);
        return true;
      });
    }
    assert.deepEqual(await snapshot(), before, "no row, no version, no job, no audit entry, no file");
  });

  it("is replaced by a newer upload (version 2, live/ follows); an older one, another certificate and an ACME certificate are refused", async () => {
    const first = await intermediate.issue({ names: ["replace.example.test"], notAfter: new Date(Date.now() + 30 * DAY_MS) });
    const uploaded = await uploadCertificate(app.admin, { pem: bundle(first) });
    assert.deepEqual(await app.waitForJob(uploaded.jobId), { status: "succeeded", error: null });

    const older = await intermediate.issue({ names: ["replace.example.test"], notAfter: new Date(Date.now() + 20 * DAY_MS) });
    await assert.rejects(replaceUploadedCertificate(app.admin, { id: uploaded.certificateId, pem: bundle(older) }), {
      code: "invalid_input",
      userMessage: /^It is not newer than version 1: it expires on .*, version 1 on /,
    });
    await assert.rejects(replaceUploadedCertificate(app.admin, { id: uploaded.certificateId, pem: bundle(first) }), {
      code: "invalid_input",
      userMessage: "This is version 1 of replace.example.test already.",
    });
    const other = await intermediate.issue({ names: ["other.example.test"], notAfter: new Date(Date.now() + 90 * DAY_MS) });
    await assert.rejects(replaceUploadedCertificate(app.admin, { id: uploaded.certificateId, pem: bundle(other) }), {
      code: "invalid_input",
      userMessage: "This certificate is for other.example.test, not for replace.example.test: upload it as a new certificate instead.",
    });
    assert.equal(await app.modules.db.certificateVersion.count({ where: { certificateId: uploaded.certificateId } }), 1);

    const newer = await intermediate.issue({ names: ["replace.example.test", "api.replace.example.test"], notAfter: new Date(Date.now() + 90 * DAY_MS) });
    const replaced = await replaceUploadedCertificate(app.admin, { id: uploaded.certificateId, pfxBase64: await pfxOf(newer, "pw"), password: "pw" });
    assert.equal(replaced.version, 2);
    assert.match(replaced.notices.join(" "), /Names added: api\.replace\.example\.test\./);
    assert.deepEqual(await app.waitForJob(replaced.jobId), { status: "succeeded", error: null });
    const certificate = await app.modules.db.certificate.findUniqueOrThrow({ where: { id: uploaded.certificateId }, include: { currentVersion: true } });
    assert.equal(certificate.currentVersion!.version, 2);
    assert.equal(certificate.currentVersion!.fingerprintSha256, newer.fingerprintSha256);
    assert.equal(certificate.notAfter!.getTime(), certificate.currentVersion!.notAfter.getTime());
    assert.equal(certificate.renewAfter, null);
    assert.deepEqual(
      JSON.parse(certificate.identifiers).map((identifier: { value: string }) => identifier.value),
      ["replace.example.test", "api.replace.example.test"],
    );
    assert.equal(await readLiveVersion(certificatesDir(), "replace.example.test"), 2);
    assert.equal(await readFile(path.join(certificatesDir(), "live", "replace.example.test", "cert.pem"), "utf8"), newer.certificatePem);
    assert.equal(
      await readFile(path.join(certificatesDir(), "archive", "replace.example.test", "cert1.pem"), "utf8"),
      first.certificatePem,
      "version 1 stays in archive/",
    );
    const audits = await app.modules.db.auditEvent.findMany({
      where: { action: "certificate.upload", target: "replace.example.test" },
      orderBy: { id: "asc" },
    });
    assert.deepEqual(
      audits.map((audit) => JSON.parse(audit.detail ?? "{}").version),
      [1, 2],
    );
    assert.equal(JSON.parse(audits[1].detail ?? "{}").replaced, 1);

    // Uploading the same name as a new certificate points at "Upload a newer version".
    await assert.rejects(uploadCertificate(app.admin, { pem: bundle(newer) }), {
      code: "conflict",
      userMessage: 'replace.example.test is uploaded already: open it and choose "Upload a newer version".',
    });

    // A certificate CertDeck issues through ACME is renewed, not replaced by uploads.
    const accountId = await app.registerPebbleAccount();
    const acme = await app.modules.db.certificate.create({
      data: {
        name: "acme.example.test",
        identifiers: JSON.stringify([{ type: "dns", value: "acme.example.test" }]),
        keyType: "ec-p256",
        challengeMethod: "http-01-app",
        accountId,
      },
    });
    const acmeLeaf = await intermediate.issue({ names: ["acme.example.test"] });
    await assert.rejects(replaceUploadedCertificate(app.admin, { id: acme.id, pem: bundle(acmeLeaf) }), {
      code: "conflict",
      userMessage: "acme.example.test is issued by CertDeck through ACME and renewed by it: renew it instead of uploading a version.",
    });
    await assert.rejects(uploadCertificate(app.admin, { pem: bundle(acmeLeaf) }), {
      code: "conflict",
      userMessage: "CertDeck already issues acme.example.test through ACME and renews it by itself.",
    });
    await app.modules.db.certificate.delete({ where: { id: acme.id } });
  });

  it("is never renewed: the scheduler and ARI skip it; renew, test renewal, revoke, challenge settings and pre-flight refuse; deploy and expiry warnings still apply", async () => {
    const leaf = await intermediate.issue({ names: ["forgotten.example.test"], notAfter: new Date(Date.now() + 20 * DAY_MS) });
    const uploaded = await uploadCertificate(app.admin, { pem: bundle(leaf) });
    assert.deepEqual(await app.waitForJob(uploaded.jobId), { status: "succeeded", error: null });
    const { db } = app.modules;
    const certificate = await db.certificate.findUniqueOrThrow({ where: { id: uploaded.certificateId } });

    // Webhook channel: the expiry warning of an uploaded certificate goes out like any other.
    const received: Array<Record<string, unknown>> = [];
    const webhook = http.createServer((request, response) => {
      let body = "";
      request.on("data", (chunk) => (body += chunk));
      request.on("end", () => {
        received.push(JSON.parse(body));
        response.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => webhook.listen(0, "127.0.0.1", resolve));
    try {
      await db.notificationChannel.create({
        data: {
          type: "webhook",
          name: "ops",
          configEnc: encryptSecret(
            JSON.stringify({ type: "webhook", url: `http://127.0.0.1:${(webhook.address() as AddressInfo).port}/hook`, privateNetwork: true }),
          ),
        },
      });
      // Two days before it expires: long past any renewal window, and inside the warnings.
      const tick = await runSchedulerTick(new Date(certificate.notAfter!.getTime() - 2 * DAY_MS));
      const renewals = await db.job.findMany({ where: { certificateId: certificate.id, type: { in: ["renew", "issue", "dry-run"] } } });
      assert.deepEqual(renewals, [], "the scheduler queued no renewal");
      const queuedFor = await db.job.findMany({ where: { id: { in: tick.renewalsQueued } }, select: { certificateId: true } });
      assert.ok(!queuedFor.some((job) => job.certificateId === certificate.id));
      const after = await db.certificate.findUniqueOrThrow({ where: { id: certificate.id } });
      assert.equal(after.ariNextCheckAt, null, "ARI is never asked about it");
      assert.equal(after.renewAfter, null);
      assert.ok(tick.expiryWarningsSent >= 1);
      assert.ok(
        received.some((body) => JSON.stringify(body).includes("forgotten.example.test")),
        `an expiry warning for the uploaded certificate: ${JSON.stringify(received)}`,
      );
    } finally {
      webhook.close();
      await db.notificationChannel.deleteMany({});
    }

    const refusal = (what: string) => ({
      code: "conflict",
      userMessage: `forgotten.example.test was uploaded, not issued by CertDeck, so CertDeck cannot ${what} it. Renew it where it was issued, then upload the new version.`,
    });
    await assert.rejects(renewCertificate(app.admin, { id: certificate.id }), refusal("renew"));
    await assert.rejects(testRenewal(app.admin, { id: certificate.id }), refusal("test the renewal of"));
    await assert.rejects(revokeCertificate(app.admin, { id: certificate.id, reason: "superseded" }), refusal("revoke"));
    await assert.rejects(updateChallengeSettings(app.admin, { id: certificate.id, challengeMethod: "http-01-app" }), refusal("change how the CA validates"));
    await assert.rejects(checkCertificate(app.admin, { id: certificate.id }), refusal("run the pre-flight check on"));
    assert.equal(await db.job.count({ where: { certificateId: certificate.id, NOT: { type: "deploy" } } }), 0);
    // "Renew N days before expiry" means nothing for it; its deploy hook does.
    await assert.rejects(
      updateRenewalSettings(app.admin, { id: certificate.id, renewBeforeDays: 5, maintenanceWindow: null, preHook: null, postHook: null, deployHook: null }),
      {
        code: "invalid_input",
        fieldErrors: {
          renewBeforeDays: ["CertDeck does not renew an uploaded certificate: leave this empty, renew it where it was issued and upload the new one"],
        },
      },
    );
    const marker = path.join(scratch, "deployed-forgotten");
    await updateRenewalSettings(app.admin, {
      id: certificate.id,
      renewBeforeDays: null,
      maintenanceWindow: null,
      preHook: null,
      postHook: null,
      deployHook: `echo "$RENEWED_LINEAGE" > ${marker}`,
    });
    assert.equal((await db.certificate.findUniqueOrThrow({ where: { id: certificate.id } })).renewAfter, null);

    // "Deploy now" works as for any certificate, with its deploy hook.
    const deploy = await deployCertificateNow(app.admin, { id: certificate.id });
    assert.deepEqual(await app.waitForJob(deploy.jobId), { status: "succeeded", error: null });
    assert.equal((await readFile(marker, "utf8")).trim(), path.join(certificatesDir(), "live", "forgotten.example.test"));

    // /metrics shows its expiry, and no renewal time.
    const families = await collectMetrics();
    const expiry = families.find((family) => family.name === "certdeck_certificate_expiration_timestamp_seconds")!;
    assert.ok(expiry.samples.some((sample) => sample.labels?.name === "forgotten.example.test" && sample.value === certificate.notAfter!.getTime() / 1000));
    const renewal = families.find((family) => family.name === "certdeck_certificate_renewal_timestamp_seconds")!;
    assert.ok(!renewal.samples.some((sample) => sample.labels?.name === "forgotten.example.test"));
  });

  it("POST /api/v1/certificates/upload: the same command, the documented answer, a refusal with its field", async () => {
    const route = (await import("../app/api/v1/certificates/upload/route")) as RouteModule;
    const writer = await createApiToken(app.admin, { name: "uploader", scope: "write" });
    const reader = await createApiToken(app.admin, { name: "looker", scope: "read" });
    const leaf = await intermediate.issue({ names: ["api-upload.example.test"] });

    const forbidden = await callRoute(route, "POST", "/api/v1/certificates/upload", { token: reader.token!, body: { pem: bundle(leaf) } });
    assert.equal(forbidden.status, 403);

    const response = await callRoute(route, "POST", "/api/v1/certificates/upload", { token: writer.token!, body: { pem: bundle(leaf) } });
    const body = await response.json();
    assert.equal(response.status, 201, JSON.stringify(body));
    assert.deepEqual(uploadedCertificateSchema.parse(body), body, "the documented schema, nothing more");
    assert.equal(body.certificate.name, "api-upload.example.test");
    assert.equal(body.certificate.source, "upload");
    assert.equal(body.certificate.accountId, null);
    assert.equal(body.certificate.renewAfter, null);
    assert.equal(body.job.type, "deploy");
    assert.equal(response.headers.get("location"), `/api/v1/certificates/${body.certificate.id}`);
    const audit = await app.modules.db.auditEvent.findFirstOrThrow({ where: { action: "certificate.upload", target: "api-upload.example.test" } });
    assert.equal(audit.actor, "api:uploader");
    assert.deepEqual(await app.waitForJob(body.job.id), { status: "succeeded", error: null });

    const stranger = await intermediate.issue({ names: ["api-stranger.example.test"] });
    const refused = await callRoute(route, "POST", "/api/v1/certificates/upload", {
      token: writer.token!,
      body: { pem: `${stranger.certificatePem}${leaf.privateKeyPem}` },
    });
    const error = await refused.json();
    assert.equal(refused.status, 422);
    assert.equal(error.error.code, "validation_failed");
    assert.match(error.error.fields.pem[0], /^The private key belongs to another certificate/);
    const wrongPassword = await callRoute(route, "POST", "/api/v1/certificates/upload", {
      token: writer.token!,
      body: { pfxBase64: await pfxOf(stranger, "a"), password: "b" },
    });
    assert.equal(wrongPassword.status, 422);
    assert.deepEqual((await wrongPassword.json()).error.fields, { password: ["The PFX password is wrong."] });
    assert.equal(await app.modules.db.certificate.count({ where: { name: "api-stranger.example.test" } }), 0);
  });
});
