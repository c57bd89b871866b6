import assert from "node:assert/strict";
import { generateKeyPairSync } from "node:crypto";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { startAppHarness, type AppHarness } from "./support/app-harness";
import { callOperation as call, documentedJson, expectError, type OperationId } from "./support/api-operations";
import type { RouteCall } from "./support/route-call";
import { findClosedPort, startEndpointScenarios, type EndpointScenarios } from "../lib/testbed/tls-test-servers";
import { startSshdTestbed } from "../lib/testbed/sshd-testbed";

/**
 * The REST API's watched endpoints and deploy targets, through the real route handlers under
 * app/api/v1, a real SQLite file, the real job runner and real TLS servers on loopback
 * (lib/testbed/tls-test-servers.ts). Every JSON answer is checked against the schema the OpenAPI
 * document publishes for it.
 */
interface EndpointBody {
  id: string;
  address: string;
  serverName: string | null;
  label: string | null;
  status: string;
  message: string | null;
  checkedAt: string | null;
  isUp: boolean;
  hasCaBundle: boolean;
  caBundlePem: string | null;
  servedAsIssued: boolean | null;
  certificate: { id: string; name: string } | null;
  chain: Array<{ fingerprintSha256: string }>;
}

interface TargetBody {
  id: string;
  name: string;
  type: string;
  isDefault: boolean;
  settings: Record<string, unknown> | null;
  publicKey: { publicKey: string } | null;
  hasPrivateKey: boolean;
}

interface CertificateTargetsBody {
  usesDefaults: boolean;
  targets: Array<{ id: string; name: string; deployment: { status: string } | null }>;
  available: Array<{ id: string; isChosen: boolean }>;
}

/** Secrets this test hands to the API: none may ever come back. */
const PASSPHRASE = "correct-horse-passphrase-7731";
const RELOAD_COMMAND = "curl -fsS -u deploy:reload-secret-4410 https://lb.example.test/reload";
const TEST_COMMAND = "nginx -t -c /etc/nginx/nginx.conf # test-secret-9182";
const DEPLOY_COMMAND = 'test -n "$RENEWED_LINEAGE" # Authorization: Bearer command-secret-5521';

describe("REST API /api/v1: endpoints and deploy targets", () => {
  let app: AppHarness;
  let scenarios: EndpointScenarios;
  let readToken: string;
  let writeToken: string;
  let certificateId: string;

  const asWriter = (call: RouteCall & { query?: string } = {}) => ({ token: writeToken, ...call });
  const asReader = (call: RouteCall & { query?: string } = {}) => ({ token: readToken, ...call });

  /** The answer's raw text (to look for secrets in) and its checked JSON. */
  async function textAndJson<T>(operationId: OperationId, response: Response, status: number): Promise<{ text: string; body: T }> {
    const text = await response.clone().text();
    return { text, body: await documentedJson<T>(operationId, response, status) };
  }

  before(async () => {
    app = await startAppHarness({ label: "rest-api-watch" });
    scenarios = await startEndpointScenarios();
    const { createApiToken } = await import("../lib/domain/api-tokens/api-tokens");
    const created = await Promise.all([
      createApiToken(app.admin, { name: "watcher", scope: "read" }),
      createApiToken(app.admin, { name: "fleet-bot", scope: "write" }),
    ]);
    [readToken, writeToken] = created.map((result) => result.token!);
    // The certificate the "valid" server serves, uploaded so that CertDeck manages it.
    const { uploadCertificate } = await import("../lib/domain/certificates/upload-certificate");
    const leaf = scenarios.certificates.valid;
    const uploaded = await uploadCertificate(app.admin, { pem: `${leaf.certificatePem}${scenarios.intermediatePem}${leaf.privateKeyPem}` });
    certificateId = uploaded.certificateId;
    assert.equal((await app.waitForJob(uploaded.jobId)).status, "succeeded");
  });
  after(async () => {
    await scenarios?.close();
    await app?.stop();
  });

  describe("endpoints", () => {
    let endpointId: string;
    let goneId: string;

    it("adds an endpoint as the dashboard's form does, checked at once (201, its location, the served chain)", async () => {
      const response = await call(
        "createEndpoint",
        asWriter({
          body: { address: `127.0.0.1:${scenarios.valid.port}`, serverName: scenarios.name, caBundlePem: scenarios.caBundlePem, label: "shop", certificateId },
        }),
      );
      const added = await documentedJson<EndpointBody>("createEndpoint", response, 201);
      endpointId = added.id;
      assert.equal(response.headers.get("location"), `/api/v1/endpoints/${added.id}`);
      assert.deepEqual(
        [added.address, added.serverName, added.label, added.status, added.isUp, added.servedAsIssued, added.certificate?.id],
        [`127.0.0.1:${scenarios.valid.port}`, scenarios.name, "shop", "ok", true, true, certificateId],
      );
      assert.equal(added.chain[0].fingerprintSha256, scenarios.certificates.valid.fingerprintSha256);
      assert.equal(added.caBundlePem, scenarios.caBundlePem.trim());

      const gone = await documentedJson<EndpointBody>(
        "createEndpoint",
        await call("createEndpoint", asWriter({ body: { address: `127.0.0.1:${await findClosedPort()}`, label: "gone" } })),
        201,
      );
      goneId = gone.id;
      assert.equal(gone.status, "refused");
      assert.match(gone.message ?? "", /connection refused/);

      const audit = await app.modules.db.auditEvent.findFirstOrThrow({ where: { action: "endpoint.add", target: { contains: "shop" } } });
      assert.deepEqual([audit.actor, audit.ip], ["api:fleet-bot", "127.0.0.1"]);
    });

    it("lists endpoints, problems first, with the status, certificate and needs-attention filters", async () => {
      const list = async (query = "") =>
        (await documentedJson<{ endpoints: EndpointBody[] }>("listEndpoints", await call("listEndpoints", asReader({ query })), 200)).endpoints.map(
          (endpoint) => endpoint.id,
        );
      assert.deepEqual(await list(), [goneId, endpointId]);
      assert.deepEqual(await list("status=refused"), [goneId]);
      assert.deepEqual(await list("status=ok"), [endpointId]);
      assert.deepEqual(await list(`certificateId=${certificateId}`), [endpointId]);
      assert.deepEqual(await list("needsAttention=true"), [goneId]);
      assert.deepEqual(await list("needsAttention=false&status=ok"), [endpointId]);
      const refused = await expectError(await call("listEndpoints", asReader({ query: "status=broken&needsAttention=yes" })), 400, "invalid_request");
      assert.deepEqual(Object.keys(refused.fields ?? {}).sort(), ["needsAttention", "status"]);
    });

    it("gets one, changes only the fields sent, and checks it now", async () => {
      const got = await documentedJson<EndpointBody>("getEndpoint", await call("getEndpoint", asReader({ params: { id: endpointId } })), 200);
      assert.equal(got.label, "shop");

      const changed = await documentedJson<EndpointBody>(
        "changeEndpoint",
        await call("changeEndpoint", asWriter({ params: { id: endpointId }, body: { label: "shop front" } })),
        200,
      );
      assert.deepEqual(
        [changed.label, changed.address, changed.serverName, changed.hasCaBundle, changed.certificate?.id, changed.status],
        ["shop front", got.address, got.serverName, true, certificateId, "ok"],
      );
      const cleared = await documentedJson<EndpointBody>(
        "changeEndpoint",
        await call("changeEndpoint", asWriter({ params: { id: endpointId }, body: { label: null } })),
        200,
      );
      assert.equal(cleared.label, null);

      const before = await app.modules.db.endpoint.findUniqueOrThrow({ where: { id: goneId }, select: { checkedAt: true } });
      const checked = await documentedJson<EndpointBody>("checkEndpoint", await call("checkEndpoint", asWriter({ params: { id: goneId } })), 200);
      assert.equal(checked.status, "refused");
      assert.ok(checked.checkedAt && new Date(checked.checkedAt) > before.checkedAt!, "checked again inside the request");
    });

    it("refuses bad input with the form's field messages (422), unknown fields by name, and stores nothing", async () => {
      const count = await app.modules.db.endpoint.count();
      const metadata = await expectError(await call("createEndpoint", asWriter({ body: { address: "169.254.169.254:443" } })), 422, "validation_failed");
      assert.deepEqual(Object.keys(metadata.fields ?? {}), ["address"]);
      const empty = await expectError(
        await call("createEndpoint", asWriter({ body: { address: " ", serverName: "*.example.test" } })),
        422,
        "validation_failed",
      );
      assert.deepEqual(Object.keys(empty.fields ?? {}).sort(), ["address", "serverName"]);
      const typo = await expectError(await call("changeEndpoint", asWriter({ params: { id: endpointId }, body: { lable: "x" } })), 422, "validation_failed");
      assert.deepEqual(typo.fields, { lable: ["Unknown field"] });
      const duplicate = await expectError(
        await call("createEndpoint", asWriter({ body: { address: `127.0.0.1:${scenarios.valid.port}`, serverName: scenarios.name } })),
        422,
        "validation_failed",
      );
      assert.match(duplicate.fields!.address[0], /is watched already/);
      assert.equal(await app.modules.db.endpoint.count(), count);
    });

    it("refuses every change with a read-only token (403)", async () => {
      await expectError(await call("createEndpoint", asReader({ body: { address: "127.0.0.1:443" } })), 403, "forbidden");
      await expectError(await call("changeEndpoint", asReader({ params: { id: endpointId }, body: { label: "x" } })), 403, "forbidden");
      await expectError(await call("checkEndpoint", asReader({ params: { id: endpointId } })), 403, "forbidden");
      const refused = await expectError(await call("deleteEndpoint", asReader({ params: { id: endpointId } })), 403, "forbidden");
      assert.match(refused.message, /read-only/);
      assert.equal(await app.modules.db.endpoint.count({ where: { id: endpointId } }), 1);
    });

    it("deletes one; then, as for ids that never existed, 404", async () => {
      const deleted = await documentedJson<{ id: string; title: string }>(
        "deleteEndpoint",
        await call("deleteEndpoint", asWriter({ params: { id: goneId } })),
        200,
      );
      assert.deepEqual(deleted, { id: goneId, title: deleted.title });
      assert.match(deleted.title, /^gone/);
      for (const id of [goneId, "doesnotexist", "../../etc/passwd"]) {
        await expectError(await call("getEndpoint", asReader({ params: { id } })), 404, "not_found");
        await expectError(await call("changeEndpoint", asWriter({ params: { id }, body: { label: "x" } })), 404, "not_found");
        await expectError(await call("checkEndpoint", asWriter({ params: { id } })), 404, "not_found");
        await expectError(await call("deleteEndpoint", asWriter({ params: { id } })), 404, "not_found");
      }
    });
  });

  describe("deploy targets", () => {
    let sshId: string;
    let pastedId: string;
    let nginxId: string;
    let commandId: string;
    const sshSettings = { host: "127.0.0.1", username: "deploy", fullchainPath: "/etc/ssl/shop/fullchain.pem", keyPath: "/etc/ssl/shop/privkey.pem" };
    const pastedKey = generateKeyPairSync("ed25519", {
      publicKeyEncoding: { type: "spki", format: "pem" },
      privateKeyEncoding: { type: "pkcs8", format: "pem", cipher: "aes-256-cbc", passphrase: PASSPHRASE },
    }).privateKey;

    /** Every secret CertDeck holds for the targets, as stored: the private keys it decrypts for SSH. */
    async function storedPrivateKeys(): Promise<string[]> {
      const { decryptCredentials } = await import("../lib/domain/deploy/targets/target-credentials");
      const targets = await app.modules.db.deployTarget.findMany({ where: { credentialsEnc: { not: null } }, select: { name: true, credentialsEnc: true } });
      return targets.map((target) => decryptCredentials(target).privateKey);
    }

    function assertNoSecret(text: string, keys: string[]): void {
      assert.doesNotMatch(text, /PRIVATE KEY/);
      for (const key of [pastedKey, ...keys]) {
        // Any line of the key's body would be a leak.
        for (const line of key.split("\n").filter((line) => line.length > 20 && !line.startsWith("-----")))
          assert.ok(!text.includes(line), "a private key line");
      }
      for (const secret of [PASSPHRASE, "reload-secret-4410", "test-secret-9182", "command-secret-5521"]) assert.ok(!text.includes(secret), `${secret} leaked`);
    }

    it("adds an SSH target with a generated key and answers its public key line once", async () => {
      const response = await call(
        "createDeployTarget",
        asWriter({ body: { type: "ssh", name: "web-1", ...sshSettings, reloadCommand: RELOAD_COMMAND, privateKeySource: "generate" } }),
      );
      const saved = await documentedJson<{ target: TargetBody; generatedPublicKey: string | null }>("createDeployTarget", response, 201);
      sshId = saved.target.id;
      assert.equal(response.headers.get("location"), `/api/v1/deploy-targets/${sshId}`);
      assert.match(saved.generatedPublicKey ?? "", /^ssh-ed25519 AAAA\S+ certdeck-web-1$/);
      assert.equal(saved.target.publicKey?.publicKey, saved.generatedPublicKey);
      assert.equal(saved.target.hasPrivateKey, true);
      assert.equal(saved.target.settings?.host, "127.0.0.1");
      assert.equal(saved.target.settings?.reloadCommand, undefined, "no command text");

      const pasted = await documentedJson<{ target: TargetBody; generatedPublicKey: string | null }>(
        "createDeployTarget",
        await call(
          "createDeployTarget",
          asWriter({ body: { type: "ssh", name: "web-2", ...sshSettings, privateKeySource: "paste", privateKey: pastedKey, passphrase: PASSPHRASE } }),
        ),
        201,
      );
      pastedId = pasted.target.id;
      assert.equal(pasted.generatedPublicKey, null);
      assert.match(pasted.target.publicKey?.publicKey ?? "", /^ssh-ed25519 /);

      const created = async (body: Record<string, unknown>) =>
        (await documentedJson<{ target: TargetBody }>("createDeployTarget", await call("createDeployTarget", asWriter({ body })), 201)).target.id;
      nginxId = await created({ type: "nginx", name: "local nginx", testCommand: TEST_COMMAND, verifyAddress: `127.0.0.1:${scenarios.valid.port}` });
      commandId = await created({ type: "command", name: "copy script", command: DEPLOY_COMMAND });

      const audit = await app.modules.db.auditEvent.findFirstOrThrow({ where: { action: "deploy-target.add", target: "web-1" } });
      assert.equal(audit.actor, "api:fleet-bot");
    });

    it("lists and gets targets without a private key, a passphrase or a command's text", async () => {
      const keys = await storedPrivateKeys();
      assert.equal(keys.length, 2);
      const { text, body } = await textAndJson<{ targets: TargetBody[] }>("listDeployTargets", await call("listDeployTargets", asReader()), 200);
      assertNoSecret(text, keys);
      assert.deepEqual(
        body.targets.map((target) => [target.name, target.type]),
        [
          ["copy script", "command"],
          ["local nginx", "nginx"],
          ["web-1", "ssh"],
          ["web-2", "ssh"],
        ],
      );
      assert.deepEqual(body.targets.find((target) => target.id === commandId)?.settings, { timeoutSeconds: null, verifyAddress: "", verifyTimeoutSeconds: 30 });
      for (const id of [sshId, pastedId, nginxId, commandId]) {
        const one = await textAndJson<TargetBody>("getDeployTarget", await call("getDeployTarget", asReader({ params: { id } })), 200);
        assertNoSecret(one.text, keys);
        assert.deepEqual(
          one.body,
          body.targets.find((target) => target.id === id),
        );
      }
    });

    it("changes only the fields sent: commands and the key stay as stored", async () => {
      const before = await app.modules.db.deployTarget.findUniqueOrThrow({ where: { id: sshId } });
      const changed = await documentedJson<{ target: TargetBody; generatedPublicKey: string | null }>(
        "changeDeployTarget",
        await call("changeDeployTarget", asWriter({ params: { id: sshId }, body: { type: "ssh", port: 2222, isDefault: true } })),
        200,
      );
      assert.deepEqual([changed.target.settings?.port, changed.target.isDefault, changed.generatedPublicKey], [2222, true, null]);
      const after = await app.modules.db.deployTarget.findUniqueOrThrow({ where: { id: sshId } });
      assert.equal(after.credentialsEnc, before.credentialsEnc, "the key is kept");
      assert.equal(JSON.parse(after.config).reloadCommand, RELOAD_COMMAND, "the command is kept");
      assert.equal(JSON.parse(after.config).fullchainPath, sshSettings.fullchainPath);

      const renewedKey = await documentedJson<{ target: TargetBody; generatedPublicKey: string | null }>(
        "changeDeployTarget",
        await call("changeDeployTarget", asWriter({ params: { id: sshId }, body: { type: "ssh", privateKeySource: "generate" } })),
        200,
      );
      assert.match(renewedKey.generatedPublicKey ?? "", /^ssh-ed25519 /);
      assert.notEqual(renewedKey.target.publicKey?.publicKey, changed.target.publicKey?.publicKey);
    });

    it("refuses a bad change on its field (422), another type, a read-only token (403), and an unknown id (404)", async () => {
      const mode = await expectError(
        await call("changeDeployTarget", asWriter({ params: { id: sshId }, body: { type: "ssh", keyMode: 0o644 } })),
        422,
        "validation_failed",
      );
      assert.deepEqual(Object.keys(mode.fields ?? {}), ["keyMode"]);
      const kind = await expectError(await call("changeDeployTarget", asWriter({ params: { id: sshId }, body: { type: "nginx" } })), 422, "validation_failed");
      assert.deepEqual(Object.keys(kind.fields ?? {}), ["type"]);
      const foreign = await expectError(
        await call("changeDeployTarget", asWriter({ params: { id: nginxId }, body: { type: "nginx", host: "x" } })),
        422,
        "validation_failed",
      );
      assert.deepEqual(foreign.fields, { host: ["Unknown field"] });
      const missing = await expectError(await call("createDeployTarget", asWriter({ body: { type: "ssh", name: "web-3" } })), 422, "validation_failed");
      assert.ok(missing.fields?.host && missing.fields.privateKeySource, JSON.stringify(missing.fields));

      await expectError(await call("createDeployTarget", asReader({ body: { type: "command", name: "x", command: "true" } })), 403, "forbidden");
      await expectError(await call("changeDeployTarget", asReader({ params: { id: sshId }, body: { type: "ssh", port: 22 } })), 403, "forbidden");
      await expectError(await call("deleteDeployTarget", asReader({ params: { id: sshId } })), 403, "forbidden");
      await expectError(await call("testDeployTarget", asReader({ params: { id: sshId } })), 403, "forbidden");
      for (const id of ["doesnotexist", "a/b"]) {
        await expectError(await call("getDeployTarget", asReader({ params: { id } })), 404, "not_found");
        await expectError(await call("changeDeployTarget", asWriter({ params: { id }, body: { type: "ssh", port: 22 } })), 404, "not_found");
      }
      assert.equal(await app.modules.db.deployTarget.count({ where: { name: { in: ["web-3", "x"] } } }), 0);
    });

    it("tests a target as the dashboard's Test does", async () => {
      const tested = await documentedJson<{ ok: boolean; message: string }>(
        "testDeployTarget",
        await call("testDeployTarget", asWriter({ params: { id: commandId } })),
        200,
      );
      assert.equal(tested.ok, true);
      assert.match(tested.message, /shell syntax is valid/);
    });

    it("reads and sets a certificate's targets, and deploy now queues the deploy job (all targets, or one)", async () => {
      const params = { id: certificateId };
      const initial = await documentedJson<CertificateTargetsBody>(
        "getCertificateDeployTargets",
        await call("getCertificateDeployTargets", asReader({ params })),
        200,
      );
      // web-1 was made a default target above.
      assert.deepEqual([initial.usesDefaults, initial.targets.map((target) => target.name)], [true, ["web-1"]]);

      const chosen = await documentedJson<CertificateTargetsBody>(
        "setCertificateDeployTargets",
        await call("setCertificateDeployTargets", asWriter({ params, body: { useDefaults: false, targetIds: [commandId] } })),
        200,
      );
      assert.deepEqual(
        [chosen.usesDefaults, chosen.targets.map((target) => target.id), chosen.available.filter((target) => target.isChosen).map((target) => target.id)],
        [false, [commandId], [commandId]],
      );
      const none = await expectError(
        await call("setCertificateDeployTargets", asWriter({ params, body: { useDefaults: false, targetIds: [] } })),
        422,
        "validation_failed",
      );
      assert.deepEqual(Object.keys(none.fields ?? {}), ["targetIds"]);
      await expectError(await call("setCertificateDeployTargets", asReader({ params, body: { useDefaults: true } })), 403, "forbidden");

      const all = await call("deployCertificate", asWriter({ params }));
      const queued = await documentedJson<{ job: { id: string; type: string; certificateId: string } }>("deployCertificate", all, 202);
      assert.deepEqual([queued.job.type, queued.job.certificateId], ["deploy", certificateId]);
      assert.equal(all.headers.get("location"), `/api/v1/jobs/${queued.job.id}`);
      assert.equal((await app.waitForJob(queued.job.id)).status, "succeeded");
      const deployed = await documentedJson<CertificateTargetsBody>(
        "getCertificateDeployTargets",
        await call("getCertificateDeployTargets", asReader({ params })),
        200,
      );
      assert.equal(deployed.targets[0].deployment?.status, "deployed");

      const one = await documentedJson<{ job: { id: string; type: string } }>(
        "deployCertificate",
        await call("deployCertificate", asWriter({ params, query: `targetId=${commandId}` })),
        202,
      );
      assert.equal((await app.waitForJob(one.job.id)).status, "succeeded");
      const job = await app.modules.db.job.findUniqueOrThrow({ where: { id: one.job.id }, select: { options: true } });
      assert.deepEqual(JSON.parse(job.options ?? "{}").targetIds, [commandId]);

      const notChosen = await expectError(await call("deployCertificate", asWriter({ params, query: `targetId=${nginxId}` })), 404, "not_found");
      assert.match(notChosen.message, /does not deploy to that target/);
      await expectError(await call("deployCertificate", asReader({ params })), 403, "forbidden");
      await expectError(await call("deployCertificate", asWriter({ params: { id: "doesnotexist" } })), 404, "not_found");
      await expectError(await call("getCertificateDeployTargets", asReader({ params: { id: "doesnotexist" } })), 404, "not_found");
    });

    it("deletes a target; then 404", async () => {
      const deleted = await documentedJson<{ id: string; name: string }>(
        "deleteDeployTarget",
        await call("deleteDeployTarget", asWriter({ params: { id: nginxId } })),
        200,
      );
      assert.deepEqual(deleted, { id: nginxId, name: "local nginx" });
      await expectError(await call("getDeployTarget", asReader({ params: { id: nginxId } })), 404, "not_found");
      await expectError(await call("deleteDeployTarget", asWriter({ params: { id: nginxId } })), 404, "not_found");
    });

    it("accepts an SSH host's new key only when it is the one given", async () => {
      const sshd = await startSshdTestbed({ workDir: path.join(app.dataDir, "sshd"), createUser: false });
      try {
        const { createDeployTarget } = await import("../lib/domain/deploy/targets/manage-targets");
        const { id } = await createDeployTarget(app.admin, {
          type: "ssh",
          name: "reinstalled host",
          host: sshd.host,
          port: sshd.port,
          username: "root",
          fullchainPath: "/tmp/certdeck-never-written/fullchain.pem",
          keyPath: "/tmp/certdeck-never-written/privkey.pem",
          privateKeySource: "paste",
          privateKey: sshd.clientKey.privateKey,
        });
        const tested = await documentedJson<{ ok: boolean; hostKey?: { fingerprint: string } }>(
          "testDeployTarget",
          await call("testDeployTarget", asWriter({ params: { id } })),
          200,
        );
        assert.equal(tested.ok, true);
        const pinned = sshd.hostKey.fingerprint;
        assert.equal(tested.hostKey?.fingerprint, pinned, "the first connection pins the key");

        await sshd.restart({ newHostKey: true });
        const changed = sshd.hostKey.fingerprint;
        const refused = await documentedJson<{ ok: boolean; changedHostKey?: { seen: string; pinned: string } }>(
          "testDeployTarget",
          await call("testDeployTarget", asWriter({ params: { id } })),
          200,
        );
        assert.deepEqual([refused.ok, refused.changedHostKey?.seen, refused.changedHostKey?.pinned], [false, changed, pinned]);

        const wrong = await expectError(await call("acceptDeployTargetHostKey", asWriter({ params: { id }, body: { fingerprint: pinned } })), 409, "conflict");
        assert.match(wrong.message, /nothing was changed/);
        await expectError(
          await call("acceptDeployTargetHostKey", asWriter({ params: { id }, body: { fingerprint: "16:27:ac:a5" } })),
          422,
          "validation_failed",
        );
        await expectError(await call("acceptDeployTargetHostKey", asReader({ params: { id }, body: { fingerprint: changed } })), 403, "forbidden");
        assert.equal((await app.modules.db.deployTarget.findUniqueOrThrow({ where: { id } })).hostKeyFingerprint, pinned);

        const accepted = await documentedJson<{ name: string; hostKey: { fingerprint: string } }>(
          "acceptDeployTargetHostKey",
          await call("acceptDeployTargetHostKey", asWriter({ params: { id }, body: { fingerprint: changed } })),
          200,
        );
        assert.deepEqual([accepted.name, accepted.hostKey.fingerprint], ["reinstalled host", changed]);
        assert.equal((await app.modules.db.deployTarget.findUniqueOrThrow({ where: { id } })).hostKeyFingerprint, changed);
      } finally {
        await sshd.stop();
      }
    });

    it("refuses to delete a pull target: its puller is revoked on its certificate's page", async () => {
      const { createPuller } = await import("../lib/domain/certificates/pullers");
      const puller = await createPuller(app.admin, { certificateId, name: "edge-puller", scope: "certificate" });
      const refused = await expectError(await call("deleteDeployTarget", asWriter({ params: { id: puller.id } })), 409, "conflict");
      assert.match(refused.message, /"edge-puller" is a pull target/);
      assert.ok(await app.modules.db.deployTarget.findUnique({ where: { id: puller.id } }), "still there");
    });
  });
});
