import assert from "node:assert/strict";
import { X509Certificate } from "node:crypto";
import { readdir } from "node:fs/promises";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { waitFor } from "../lib/testbed/wait-for";
import { pathToFileURL } from "node:url";
import { Validator } from "@seriousme/openapi-schema-validator";
import { serveChallengeRoute, startAppHarness, type AppHarness } from "./support/app-harness";
import { APP_API_DIR, callOperation as call, documentedJson, expectError, importRoute, routeFileOf } from "./support/api-operations";

/**
 * The REST API end to end: the real route handlers under app/api/v1, a real SQLite file, the
 * real job runner and a Pebble CA. Every JSON answer is checked against the schema the OpenAPI
 * document publishes for it.
 */
describe("REST API /api/v1", () => {
  let app: AppHarness;
  let challenge: Awaited<ReturnType<typeof serveChallengeRoute>>;
  let operations: typeof import("../lib/web/api/operations").API_OPERATIONS;
  let tokens: typeof import("../lib/domain/api-tokens/api-tokens");
  let readToken: string;
  let writeToken: string;
  let accountId: string;

  async function waitForJobThroughApi(jobId: string): Promise<{ status: string; error: string | null }> {
    const job = await waitFor(
      async () => documentedJson<{ status: string; error: string | null }>("getJob", await call("getJob", { token: readToken, params: { id: jobId } }), 200),
      { until: (job) => job.status === "succeeded" || job.status === "failed", what: (job) => `job ${jobId} to finish (still ${job?.status})` },
    );
    return { status: job.status, error: job.error };
  }

  before(async () => {
    // nginx on this host forwards to CertDeck and sets X-Forwarded-For (README: reverse proxies).
    process.env.CERTDECK_TRUSTED_PROXIES = "127.0.0.1";
    app = await startAppHarness();
    challenge = await serveChallengeRoute(app.httpPort, app.modules.challengeRoute);
    operations = (await import("../lib/web/api/operations")).API_OPERATIONS;
    tokens = await import("../lib/domain/api-tokens/api-tokens");
    const created = await Promise.all([
      tokens.createApiToken(app.admin, { name: "inventory", scope: "read" }),
      tokens.createApiToken(app.admin, { name: "deploy-bot", scope: "write" }),
    ]);
    for (const result of created) assert.ok(result.token);
    [readToken, writeToken] = created.map((result) => result.token);
    accountId = await app.registerPebbleAccount();
  });
  after(async () => {
    await challenge?.close();
    await app?.stop();
  });

  it("answers 401 without a token, with a mistyped, unknown or revoked one, and ignores the session cookie", async () => {
    const missing = await call("listCertificates");
    assert.match(missing.headers.get("www-authenticate") ?? "", /^Bearer /);
    assert.match((await expectError(missing, 401, "unauthorized")).message, /Authorization: Bearer/);
    await expectError(await call("listCertificates", { token: "not-a-token" }), 401, "unauthorized");
    await expectError(await call("listCertificates", { token: `cdk_${"A".repeat(43)}` }), 401, "unauthorized");

    const doomed = await tokens.createApiToken(app.admin, { name: "short-lived", scope: "write" });
    assert.ok(doomed.token);
    assert.equal((await call("listCertificates", { token: doomed.token })).status, 200);
    await tokens.revokeApiToken(app.admin, { id: doomed.id });
    await assert.rejects(tokens.revokeApiToken(app.admin, { id: doomed.id }), { code: "conflict", userMessage: "That token was already revoked." });
    await expectError(await call("listCertificates", { token: doomed.token }), 401, "unauthorized");
    await expectError(await call("createCertificate", { token: doomed.token, body: { names: ["x.example.test"] } }), 401, "unauthorized");

    // A signed-in browser's cookie is not a credential here (no CSRF through the API).
    const { createFirstAdmin } = await import("../lib/domain/auth/users");
    const { createSessionRecord } = await import("../lib/domain/auth/session-store");
    const admin = await createFirstAdmin("admin", "correct horse battery staple");
    assert.ok(admin);
    const session = await createSessionRecord(admin.id);
    await expectError(await call("listCertificates", { headers: { cookie: `certdeck_session=${session.token}` } }), 401, "unauthorized");
  });

  it("refuses every change with a read-only token (403) and stores nothing", async () => {
    const body = { names: ["readonly.example.test"], challengeMethod: "http-01-app", accountId, keyType: "ec-p256" };
    const refused = await expectError(await call("createCertificate", { token: readToken, body }), 403, "forbidden");
    assert.match(refused.message, /read-only/);
    assert.equal(await app.modules.db.certificate.count(), 0);
    assert.equal((await call("listCertificates", { token: readToken })).status, 200);
    for (const operationId of ["renewCertificate", "dryRunCertificate", "deleteCertificate"] as const) {
      await expectError(await call(operationId, { token: readToken, params: { id: "doesnotexist" } }), 403, "forbidden");
    }
    await expectError(await call("revokeCertificate", { token: readToken, params: { id: "doesnotexist" }, body: { reason: "superseded" } }), 403, "forbidden");
  });

  it("refuses bad input with the dashboard's field messages and stores nothing", async () => {
    const valid = { names: ["fine.example.test"], challengeMethod: "http-01-app", accountId, keyType: "ec-p256" };
    const badNames = await expectError(
      await call("createCertificate", { token: writeToken, body: { ...valid, names: ["bad_name.example.test", "a..b.example.test"] } }),
      422,
      "validation_failed",
    );
    assert.deepEqual(Object.keys(badNames.fields ?? {}), ["names"]);
    assert.ok(
      badNames.fields?.names.some((message) => message.includes('"bad_name.example.test"')),
      JSON.stringify(badNames.fields),
    );
    assert.ok(
      badNames.fields?.names.some((message) => message.includes('"a..b.example.test"')),
      JSON.stringify(badNames.fields),
    );

    const wildcard = await expectError(
      await call("createCertificate", { token: writeToken, body: { ...valid, names: "*.example.test" } }),
      422,
      "validation_failed",
    );
    assert.ok(wildcard.fields?.names?.length, "wildcards need dns-01, as in the form");
    const typos = await expectError(
      await call("createCertificate", { token: writeToken, body: { ...valid, challenge_method: "dns-01", keyType: "dsa-1024" } }),
      422,
      "validation_failed",
    );
    assert.deepEqual(Object.keys(typos.fields ?? {}).sort(), ["challenge_method", "keyType"]);
    assert.match(typos.fields!.keyType[0], /ec-p256/);
    const unknownAccount = await expectError(
      await call("createCertificate", { token: writeToken, body: { ...valid, accountId: "nosuchaccount" } }),
      422,
      "validation_failed",
    );
    assert.deepEqual(unknownAccount.fields, { accountId: ["That ACME account does not exist"] });
    const webroot = await expectError(
      await call("createCertificate", {
        token: writeToken,
        body: { ...valid, challengeMethod: "http-01-webroot", webrootPaths: { "fine.example.test": "relative/path" } },
      }),
      422,
      "validation_failed",
    );
    assert.match(webroot.fields!.webrootPaths[0], /^"fine\.example\.test": enter an absolute path/);

    await expectError(
      await call("createCertificate", { token: writeToken, rawBody: { text: "names=a.example.test", contentType: "application/x-www-form-urlencoded" } }),
      415,
      "unsupported_media_type",
    );
    await expectError(
      await call("createCertificate", { token: writeToken, rawBody: { text: "{not json", contentType: "application/json" } }),
      400,
      "invalid_request",
    );
    const query = await expectError(await call("listCertificates", { token: readToken, query: "pageSize=501&state=failed" }), 400, "invalid_request");
    assert.deepEqual(Object.keys(query.fields ?? {}).sort(), ["pageSize", "state"]);
    await expectError(await call("listCertificates", { token: readToken, query: "page=1&page=2" }), 400, "invalid_request");

    assert.equal(await app.modules.db.certificate.count(), 0);
    assert.equal(await app.modules.db.job.count({ where: { certificateId: { not: null } } }), 0);
  });

  it("names a body key called constructor, __proto__ or toString as the field at fault (422), on create and revoke, and stores nothing", async () => {
    const valid = `"names": ["proto.example.test"], "challengeMethod": "http-01-app", "accountId": "${accountId}", "keyType": "ec-p256"`;
    const raw = (text: string) => ({ token: writeToken, rawBody: { text, contentType: "application/json" } });
    for (const key of ["constructor", "__proto__", "toString", "hasOwnProperty", "valueOf"]) {
      for (const value of ["1", "{}", '{"polluted": true}', "null", '"x"']) {
        // "__proto__" is named under "body": a key of that name in the answer would trap clients that copy it.
        const expected = key === "__proto__" ? { body: ["Unknown field: __proto__"] } : { [key]: ["Unknown field"] };
        const created = await expectError(await call("createCertificate", raw(`{${valid}, "${key}": ${value}}`)), 422, "validation_failed");
        assert.deepEqual(created.fields, expected, `${key}: ${value}`);
        assert.equal(created.message, `Fix these fields: ${key}.`);
        const revoked = await expectError(
          await call("revokeCertificate", { ...raw(`{"reason": "superseded", "${key}": ${value}}`), params: { id: "doesnotexist" } }),
          422,
          "validation_failed",
        );
        assert.deepEqual(revoked.fields, expected, `${key}: ${value}`);
      }
      // As the only key, or nested where an object is expected.
      const alone = await expectError(await call("createCertificate", raw(`{"${key}": {"names": ["x.example.test"]}}`)), 422, "validation_failed");
      assert.equal(alone.message, `Fix these fields: ${key}.`);
      const nested = await expectError(await call("createCertificate", raw(`{${valid}, "webrootPaths": {"${key}": "/var/www"}}`)), 422, "validation_failed");
      assert.ok(nested.fields && Object.keys(nested.fields).length > 0, JSON.stringify(nested));
    }
    assert.equal(({} as Record<string, unknown>).polluted, undefined, "Object.prototype untouched");
    assert.equal(await app.modules.db.certificate.count({ where: { name: "proto.example.test" } }), 0);
  });

  it("creates a certificate, runs its job and serves the issued fullchain.pem", async () => {
    const created = await documentedJson<{
      certificate: { id: string; name: string; status: string; identifiers: string[] };
      job: { id: string; type: string };
    }>(
      "createCertificate",
      await call("createCertificate", {
        token: writeToken,
        body: { names: ["api.example.test", "www.api.example.test"], challengeMethod: "http-01-app", accountId, keyType: "ec-p256" },
        headers: { "x-forwarded-for": "198.51.100.7" },
      }),
      201,
    );
    assert.equal(created.certificate.name, "api.example.test");
    assert.deepEqual(created.certificate.identifiers, ["api.example.test", "www.api.example.test"]);
    assert.equal(created.certificate.status, "pending");
    assert.equal(created.job.type, "issue");
    const certificateId = created.certificate.id;

    assert.deepEqual(await waitForJobThroughApi(created.job.id), { status: "succeeded", error: null });
    const certificate = await documentedJson<{ status: string; currentVersion: { serial: string; notAfter: string; version: number } | null }>(
      "getCertificate",
      await call("getCertificate", { token: readToken, params: { id: certificateId } }),
      200,
    );
    assert.equal(certificate.status, "valid");
    assert.ok(certificate.currentVersion);

    const download = await call("downloadFullchain", { token: readToken, params: { id: certificateId } });
    assert.equal(download.status, 200);
    assert.match(download.headers.get("content-type") ?? "", /^text\/plain/);
    const pem = await download.text();
    assert.doesNotMatch(pem, /PRIVATE KEY/);
    const leaf = new X509Certificate(pem);
    assert.equal(leaf.serialNumber.toLowerCase(), certificate.currentVersion.serial);
    assert.equal(new Date(leaf.validTo).toISOString(), certificate.currentVersion.notAfter);
    assert.equal(leaf.subjectAltName, "DNS:api.example.test, DNS:www.api.example.test");
    const stored = await app.modules.db.certificateVersion.findFirstOrThrow({ where: { certificateId }, select: { chainPem: true } });
    assert.equal(pem, stored.chainPem);

    const log = await documentedJson<{ events: Array<{ id: number; step: string }> }>(
      "listJobEvents",
      await call("listJobEvents", { token: readToken, params: { id: created.job.id } }),
      200,
    );
    assert.ok(log.events.length >= 3, "the job's log");
    assert.equal(log.events[0].step, "queue");
    const tail = await documentedJson<{ events: Array<{ id: number }> }>(
      "listJobEvents",
      await call("listJobEvents", { token: readToken, params: { id: created.job.id }, query: `after=${log.events.at(-2)!.id}` }),
      200,
    );
    assert.deepEqual(
      tail.events.map((event) => event.id),
      [log.events.at(-1)!.id],
    );

    const audit = await app.modules.db.auditEvent.findFirstOrThrow({ where: { action: "certificate.add", target: "api.example.test" } });
    assert.equal(audit.actor, "api:deploy-bot");
    assert.equal(audit.ip, "198.51.100.7");
    assert.deepEqual(JSON.parse(audit.detail!), { names: ["api.example.test", "www.api.example.test"], method: "http-01-app" });
    const writer = await app.modules.db.apiToken.findFirstOrThrow({ where: { name: "deploy-bot" } });
    assert.ok(writer.lastUsedAt, "lastUsedAt recorded");
  });

  it("lists with filters and pagination counted in SQL", async () => {
    const second = await call("createCertificate", {
      token: writeToken,
      body: { names: "second.example.test", challengeMethod: "http-01-app", accountId, keyType: "ec-p256" },
    });
    const { job } = await documentedJson<{ job: { id: string } }>("createCertificate", second, 201);
    assert.equal((await waitForJobThroughApi(job.id)).status, "succeeded");
    const list = async (query: string) =>
      documentedJson<{ certificates: Array<{ name: string }>; total: number; page: number; pageCount: number }>(
        "listCertificates",
        await call("listCertificates", { token: readToken, query }),
        200,
      );
    const all = await list("");
    assert.equal(all.total, 2);
    const firstPage = await list("pageSize=1");
    const secondPage = await list("pageSize=1&page=2");
    assert.deepEqual([firstPage.pageCount, firstPage.certificates.length, secondPage.certificates.length], [2, 1, 1]);
    assert.notEqual(firstPage.certificates[0].name, secondPage.certificates[0].name);
    assert.equal((await list("status=valid")).total, 2);
    assert.equal((await list("status=failed")).total, 0);
    // Pebble's certificates live for years: none expires within a day, both within ten years.
    assert.equal((await list("expiringWithinDays=1")).total, 0);
    assert.equal((await list("expiringWithinDays=3650")).total, 2);
  });

  it("renews, runs a dry run, and answers 409 while another job works on the certificate", async () => {
    const certificate = await app.modules.db.certificate.findUniqueOrThrow({ where: { name: "api.example.test" }, select: { id: true } });
    const params = { id: certificate.id };
    const renewal = await documentedJson<{ job: { id: string; type: string } }>(
      "renewCertificate",
      await call("renewCertificate", { token: writeToken, params }),
      202,
    );
    assert.equal(renewal.job.type, "renew");
    assert.deepEqual(await waitForJobThroughApi(renewal.job.id), { status: "succeeded", error: null });
    const renewed = await documentedJson<{ currentVersion: { version: number } }>(
      "getCertificate",
      await call("getCertificate", { token: readToken, params }),
      200,
    );
    assert.equal(renewed.currentVersion.version, 2);

    const dryRun = await documentedJson<{ job: { id: string; type: string } }>(
      "dryRunCertificate",
      await call("dryRunCertificate", { token: writeToken, params }),
      202,
    );
    assert.equal(dryRun.job.type, "dry-run");
    assert.deepEqual(await waitForJobThroughApi(dryRun.job.id), { status: "succeeded", error: null });
    assert.equal(
      (await documentedJson<{ currentVersion: { version: number } }>("getCertificate", await call("getCertificate", { token: readToken, params }), 200))
        .currentVersion.version,
      2,
    );

    // A job queued for later holds the certificate: nothing else may start meanwhile.
    const held = await app.modules.db.job.create({ data: { type: "deploy", certificateId: certificate.id, runAfter: new Date(Date.now() + 3600_000) } });
    try {
      const conflict = await expectError(await call("renewCertificate", { token: writeToken, params }), 409, "conflict");
      assert.ok(conflict.message.includes(`/api/v1/jobs/${held.id}`), conflict.message);
      await expectError(await call("deleteCertificate", { token: writeToken, params }), 409, "conflict");
      await expectError(await call("revokeCertificate", { token: writeToken, params, body: { reason: "superseded" } }), 409, "conflict");
    } finally {
      await app.modules.db.job.delete({ where: { id: held.id } });
    }
    assert.deepEqual(
      (
        await app.modules.db.auditEvent.findMany({
          where: { target: "api.example.test", action: { in: ["certificate.renew", "certificate.test-renewal"] } },
          orderBy: { id: "asc" },
        })
      ).map((event) => [event.action, event.actor]),
      [
        ["certificate.renew", "api:deploy-bot"],
        ["certificate.test-renewal", "api:deploy-bot"],
      ],
    );
  });

  it("revokes with a reason at the CA, then refuses a second revocation", async () => {
    const certificate = await app.modules.db.certificate.findUniqueOrThrow({ where: { name: "api.example.test" }, select: { id: true } });
    const params = { id: certificate.id };
    const badReason = await expectError(await call("revokeCertificate", { token: writeToken, params, body: { reason: "because" } }), 422, "validation_failed");
    assert.match(badReason.fields!.reason[0], /keyCompromise/);
    const revocation = await documentedJson<{ job: { id: string; type: string } }>(
      "revokeCertificate",
      await call("revokeCertificate", { token: writeToken, params, body: { reason: "superseded" } }),
      202,
    );
    assert.deepEqual(await waitForJobThroughApi(revocation.job.id), { status: "succeeded", error: null });
    const revoked = await documentedJson<{ currentVersion: { revokedAt: string | null; revocationReason: string | null } }>(
      "getCertificate",
      await call("getCertificate", { token: readToken, params }),
      200,
    );
    assert.ok(revoked.currentVersion.revokedAt);
    assert.equal(revoked.currentVersion.revocationReason, "superseded");
    assert.match(
      (await expectError(await call("revokeCertificate", { token: writeToken, params, body: { reason: "superseded" } }), 409, "conflict")).message,
      /already revoked/,
    );
  });

  it("deletes a certificate: its files move aside, it is gone from the API, the audit log says who", async () => {
    const certificate = await app.modules.db.certificate.findUniqueOrThrow({ where: { name: "second.example.test" }, select: { id: true } });
    const params = { id: certificate.id };
    const deleted = await documentedJson<{ name: string; filesMovedTo: string | null }>(
      "deleteCertificate",
      await call("deleteCertificate", { token: writeToken, params }),
      200,
    );
    assert.equal(deleted.name, "second.example.test");
    assert.ok(deleted.filesMovedTo?.includes("deleted"), deleted.filesMovedTo ?? "no files moved");
    await expectError(await call("getCertificate", { token: readToken, params }), 404, "not_found");
    await expectError(await call("downloadFullchain", { token: readToken, params }), 404, "not_found");
    await expectError(await call("deleteCertificate", { token: writeToken, params }), 404, "not_found");
    const audit = await app.modules.db.auditEvent.findFirstOrThrow({ where: { action: "certificate.delete", target: "second.example.test" } });
    assert.equal(audit.actor, "api:deploy-bot");
  });

  it("answers 404 for ids that do not exist or cannot exist", async () => {
    for (const id of ["doesnotexist", "../../etc/passwd", "x".repeat(200)]) {
      await expectError(await call("getCertificate", { token: readToken, params: { id } }), 404, "not_found");
      await expectError(await call("getJob", { token: readToken, params: { id } }), 404, "not_found");
      await expectError(await call("listJobEvents", { token: readToken, params: { id } }), 404, "not_found");
    }
  });

  it("lists ACME accounts without secrets", async () => {
    const { accounts } = await documentedJson<{ accounts: Array<Record<string, unknown>> }>(
      "listAccounts",
      await call("listAccounts", { token: readToken }),
      200,
    );
    assert.deepEqual(accounts, [{ id: accountId, label: accounts[0].label, directoryUrl: app.pebble.directoryUrl, status: "valid" }]);
  });

  it("serves an OpenAPI 3.1 document that validates, resolves its references, and matches the route files one to one", async () => {
    const response = await call("getOpenApiDocument", { token: readToken });
    assert.equal(response.status, 200);
    const document = (await response.json()) as { openapi: string; paths: Record<string, Record<string, unknown>> };
    assert.equal(document.openapi, "3.1.0");
    // Watched endpoints and deploy targets, beside the certificates.
    const methodsOf = (openApiPath: string) => Object.keys(document.paths[openApiPath] ?? {}).sort();
    assert.deepEqual(
      Object.fromEntries(
        [
          "/endpoints",
          "/endpoints/{id}",
          "/endpoints/{id}/check",
          "/deploy-targets",
          "/deploy-targets/{id}",
          "/deploy-targets/{id}/test",
          "/deploy-targets/{id}/host-key",
          "/certificates/{id}/deploy-targets",
          "/certificates/{id}/deploy",
        ].map((openApiPath) => [openApiPath, methodsOf(openApiPath)]),
      ),
      {
        "/endpoints": ["get", "post"],
        "/endpoints/{id}": ["delete", "get", "patch"],
        "/endpoints/{id}/check": ["post"],
        "/deploy-targets": ["get", "post"],
        "/deploy-targets/{id}": ["delete", "get", "patch"],
        "/deploy-targets/{id}/test": ["post"],
        "/deploy-targets/{id}/host-key": ["post"],
        "/certificates/{id}/deploy-targets": ["get", "put"],
        "/certificates/{id}/deploy": ["post"],
      },
    );
    const validation = await new Validator().validate(document);
    assert.deepEqual(validation.errors, undefined, JSON.stringify(validation.errors, null, 2));
    assert.equal(validation.valid, true);

    // Every "$ref": "#/..." points at something in the document.
    const resolve = (pointer: string) =>
      pointer
        .slice(2)
        .split("/")
        .map((part) => part.replace(/~1/g, "/").replace(/~0/g, "~"))
        .reduce<unknown>((node, part) => (node as Record<string, unknown> | undefined)?.[part], document);
    const refs: string[] = [];
    JSON.stringify(document, (key, value) => (key === "$ref" ? (refs.push(value as string), value) : value));
    assert.ok(refs.length > 20);
    for (const ref of refs) assert.ok(ref.startsWith("#/") && resolve(ref) !== undefined, `unresolved ${ref}`);

    // Documented path + method → an exported handler in the route file that path names.
    const documented = new Set<string>();
    for (const [openApiPath, pathItem] of Object.entries(document.paths)) {
      for (const method of Object.keys(pathItem).map((key) => key.toUpperCase())) {
        const route = (await importRoute(openApiPath)) as Record<string, unknown>;
        assert.equal(typeof route[method], "function", `${method} ${openApiPath} is exported by ${path.relative(process.cwd(), routeFileOf(openApiPath))}`);
        documented.add(`${method} ${openApiPath}`);
      }
    }
    // And the other way: every handler under app/api/v1 is documented.
    const routeFiles = (await readdir(APP_API_DIR, { recursive: true })).filter((file) => path.basename(file) === "route.ts");
    const exported = new Set<string>();
    for (const file of routeFiles) {
      const openApiPath =
        "/" +
        path
          .dirname(file)
          .split(path.sep)
          .map((segment) => segment.replace(/^\[(.+)\]$/, "{$1}"))
          .join("/");
      const route = (await import(pathToFileURL(path.join(APP_API_DIR, file)).href)) as Record<string, unknown>;
      for (const method of ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"])
        if (typeof route[method] === "function") exported.add(`${method} ${openApiPath}`);
    }
    assert.deepEqual([...exported].sort(), [...documented].sort());
    assert.equal(documented.size, Object.keys(operations).length);
  });
});
