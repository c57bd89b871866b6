import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { serveChallengeRoute, startAppHarness, type AppHarness } from "./support/app-harness";
import { callRoute, type RouteCall, type RouteModule } from "./support/route-call";
import { SYSTEM_ACTOR } from "../lib/domain/command/actor";

/**
 * /metrics against a real issuance (Pebble), read back through a strict parser of the
 * Prometheus text format 0.0.4.
 */
interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}
interface Exposition {
  types: Map<string, string>;
  help: Map<string, string>;
  samples: Sample[];
}

/**
 * Parses the text format strictly: HELP and TYPE at most once per family and before its
 * samples, a family's lines together, valid names, only the three escapes in label values, no
 * duplicate series, a final line feed.
 */
function parseExposition(text: string): Exposition {
  assert.ok(text.endsWith("\n"), "ends with a line feed");
  const types = new Map<string, string>();
  const help = new Map<string, string>();
  const samples: Sample[] = [];
  const finished = new Set<string>();
  const series = new Set<string>();
  let current: string | null = null;
  const enter = (family: string, lineNumber: number) => {
    if (family === current) return;
    assert.ok(!finished.has(family), `line ${lineNumber}: family ${family} is split`);
    if (current) finished.add(current);
    current = family;
  };
  for (const [index, line] of text.slice(0, -1).split("\n").entries()) {
    const lineNumber = index + 1;
    assert.notEqual(line, "", `line ${lineNumber} is empty`);
    const meta = /^# (HELP|TYPE) ([a-zA-Z_:][a-zA-Z0-9_:]*) (.*)$/.exec(line);
    if (meta) {
      const [, kind, family, rest] = meta;
      enter(family, lineNumber);
      if (kind === "HELP") {
        assert.ok(!help.has(family), `line ${lineNumber}: second HELP for ${family}`);
        assert.doesNotMatch(rest.replace(/\\[\\n]/g, ""), /\\/, `line ${lineNumber}: bad escape in HELP`);
        help.set(
          family,
          rest.replace(/\\(.)/g, (_, character: string) => (character === "n" ? "\n" : character)),
        );
      } else {
        assert.ok(!types.has(family), `line ${lineNumber}: second TYPE for ${family}`);
        assert.ok(["counter", "gauge", "histogram", "summary", "untyped"].includes(rest), `line ${lineNumber}: type ${rest}`);
        assert.ok(!samples.some((sample) => sample.name === family), `line ${lineNumber}: TYPE after samples`);
        types.set(family, rest);
      }
      continue;
    }
    assert.ok(!line.startsWith("#"), `line ${lineNumber}: unexpected comment`);
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{.*\})? ([^ ]+)$/.exec(line);
    assert.ok(match, `line ${lineNumber}: not a sample: ${line}`);
    const [, name, labelText, valueText] = match;
    enter(name, lineNumber);
    assert.ok(types.has(name), `line ${lineNumber}: ${name} has no TYPE`);
    const labels: Record<string, string> = {};
    if (labelText) {
      let rest = labelText.slice(1, -1);
      while (rest.length > 0) {
        const label = /^([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\\n]|\\["\\n])*)"(,|$)/.exec(rest);
        assert.ok(label, `line ${lineNumber}: bad labels at ${rest}`);
        assert.ok(!(label[1] in labels), `line ${lineNumber}: label ${label[1]} twice`);
        labels[label[1]] = label[2].replace(/\\(["\\n])/g, (_, character: string) => (character === "n" ? "\n" : character));
        rest = rest.slice(label[0].length);
      }
    }
    assert.match(valueText, /^(NaN|[+-]Inf|[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?)$/, `line ${lineNumber}: value ${valueText}`);
    const key = `${name}${JSON.stringify(Object.entries(labels).sort())}`;
    assert.ok(!series.has(key), `line ${lineNumber}: duplicate series ${key}`);
    series.add(key);
    samples.push({ name, labels, value: valueText === "+Inf" ? Infinity : valueText === "-Inf" ? -Infinity : Number(valueText) });
  }
  return { types, help, samples };
}

function valueOf(exposition: Exposition, name: string, labels: Record<string, string> = {}): number | undefined {
  return exposition.samples.find((sample) => sample.name === name && Object.entries(labels).every(([key, value]) => sample.labels[key] === value))?.value;
}

describe("/metrics", () => {
  let app: AppHarness;
  let challenge: Awaited<ReturnType<typeof serveChallengeRoute>>;
  let route: RouteModule;
  let token: string;
  let stopScheduler: () => void;
  const testStartedAt = Date.now();

  const scrape = (call: RouteCall = {}) => callRoute(route, "GET", "/metrics", call);

  before(async () => {
    // nginx on this host forwards to CertDeck and sets X-Forwarded-For (README: reverse proxies).
    process.env.CERTDECK_TRUSTED_PROXIES = "127.0.0.1";
    app = await startAppHarness();
    challenge = await serveChallengeRoute(app.httpPort, app.modules.challengeRoute);
    route = (await import("../app/metrics/route")) as RouteModule;
    const created = await (await import("../lib/domain/api-tokens/api-tokens")).createApiToken(app.admin, { name: "prometheus", scope: "read" });
    assert.ok(created.token);
    token = created.token;
    // The real scheduler, as the server process runs it: it ticks at once, then every minute.
    stopScheduler = (await import("../lib/jobs/scheduler")).startScheduler().stop;
  });
  after(async () => {
    stopScheduler?.();
    await challenge?.close();
    await app?.stop();
  });

  it("carries the issued certificate's expiry and renewal time, counts and job results", async () => {
    const accountId = await app.registerPebbleAccount();
    const created = await app.modules.createCertificate(SYSTEM_ACTOR, {
      names: "metrics.example.test www.metrics.example.test",
      accountId,
      keyType: "ec-p256",
      challengeMethod: "http-01-app",
    });
    assert.deepEqual(await app.waitForJob(created.jobId), { status: "succeeded", error: null });
    const certificate = await app.modules.db.certificate.findUniqueOrThrow({
      where: { id: created.certificateId },
      select: { renewAfter: true, currentVersion: { select: { notAfter: true, issuer: true } } },
    });
    const version = certificate.currentVersion!;

    const response = await scrape({ token });
    assert.equal(response.status, 200);
    assert.equal(response.headers.get("content-type"), "text/plain; version=0.0.4; charset=utf-8");
    const exposition = parseExposition(await response.text());

    const labels = { name: "metrics.example.test", issuer: version.issuer };
    assert.match(version.issuer, /^Pebble Intermediate CA/);
    assert.equal(valueOf(exposition, "certdeck_certificate_expiration_timestamp_seconds", labels), version.notAfter.getTime() / 1000);
    assert.equal(valueOf(exposition, "certdeck_certificate_renewal_timestamp_seconds", labels), certificate.renewAfter!.getTime() / 1000);
    assert.equal(exposition.samples.filter((sample) => sample.name === "certdeck_certificate_expiration_timestamp_seconds").length, 1);
    assert.equal(valueOf(exposition, "certdeck_certificates", { status: "valid" }), 1);
    assert.equal(valueOf(exposition, "certdeck_certificates", { status: "failed" }), 0);
    assert.equal(valueOf(exposition, "certdeck_certificates_failing"), 0);
    assert.equal(valueOf(exposition, "certdeck_jobs_total", { type: "issue", result: "succeeded" }), 1);
    assert.equal(valueOf(exposition, "certdeck_jobs_total", { type: "register-account", result: "succeeded" }), 1);
    assert.equal(valueOf(exposition, "certdeck_jobs_total", { type: "renew", result: "failed" }), 0);
    for (const family of [
      "certdeck_certificate_expiration_timestamp_seconds",
      "certdeck_certificates",
      "certdeck_certificates_failing",
      "certdeck_scheduler_lag_seconds",
    ]) {
      assert.equal(exposition.types.get(family), "gauge", family);
      assert.ok(exposition.help.get(family)?.length, `${family} has HELP`);
    }
    assert.equal(exposition.types.get("certdeck_jobs_total"), "counter");

    // The scheduler ticked at start (its first tick runs at once).
    const lastTick = valueOf(exposition, "certdeck_scheduler_last_tick_timestamp_seconds");
    assert.ok(lastTick !== undefined && lastTick * 1000 >= testStartedAt && lastTick * 1000 <= Date.now(), `last tick ${lastTick}`);
    assert.equal(valueOf(exposition, "certdeck_scheduler_lag_seconds"), 0);
    assert.equal(valueOf(exposition, "certdeck_scheduler_interval_seconds"), 60);
  });

  it("carries the watched endpoints: served expiry, up, served as issued, counts by status", async () => {
    const { readFile } = await import("node:fs/promises");
    const { archivePaths } = await import("../lib/protocol/lineage/lineage-files");
    const { startTlsTestServer, findClosedPort } = await import("../lib/testbed/tls-test-servers");
    const { addEndpoint } = await import("../lib/domain/endpoints/endpoints");
    const certificate = await app.modules.db.certificate.findUniqueOrThrow({ where: { name: "metrics.example.test" }, include: { currentVersion: true } });
    const paths = archivePaths(app.dataDir, certificate.name, 1);
    const server = await startTlsTestServer({ chainPem: await readFile(paths.fullchain, "utf8"), privateKeyPem: await readFile(paths.privkey, "utf8") });
    try {
      const caBundlePem = await app.pebble.getIssuerRootPem();
      const served = await addEndpoint(app.admin, {
        address: server.address,
        serverName: "www.metrics.example.test",
        caBundlePem,
        certificateId: certificate.id,
      });
      assert.equal(served.check?.status, "ok", served.check?.message);
      const closedPort = await findClosedPort();
      assert.equal((await addEndpoint(app.admin, { address: `127.0.0.1:${closedPort}`, label: "gone" })).check?.status, "refused");

      const exposition = parseExposition(await (await scrape({ token })).text());
      const labels = { endpoint: server.address, server_name: "www.metrics.example.test" };
      assert.equal(valueOf(exposition, "certdeck_endpoint_expiry_timestamp_seconds", labels), certificate.currentVersion!.notAfter.getTime() / 1000);
      assert.equal(valueOf(exposition, "certdeck_endpoint_up", labels), 1);
      assert.equal(valueOf(exposition, "certdeck_endpoint_served_as_issued", { ...labels, certificate: "metrics.example.test" }), 1);
      const closed = { endpoint: `127.0.0.1:${closedPort}`, server_name: "" };
      assert.equal(valueOf(exposition, "certdeck_endpoint_up", closed), 0);
      assert.equal(valueOf(exposition, "certdeck_endpoint_expiry_timestamp_seconds", closed), undefined, "nothing served, no expiry");
      assert.equal(valueOf(exposition, "certdeck_endpoint_served_as_issued", closed), undefined, "not a managed certificate");
      assert.equal(valueOf(exposition, "certdeck_endpoints", { status: "ok" }), 1);
      assert.equal(valueOf(exposition, "certdeck_endpoints", { status: "refused" }), 1);
      assert.equal(valueOf(exposition, "certdeck_endpoints", { status: "stale" }), 0);
      for (const family of ["certdeck_endpoint_expiry_timestamp_seconds", "certdeck_endpoint_up", "certdeck_endpoint_served_as_issued", "certdeck_endpoints"]) {
        assert.equal(exposition.types.get(family), "gauge", family);
        assert.ok(exposition.help.get(family)?.length, `${family} has HELP`);
      }

      // Another certificate where this one should be: served as issued drops to 0.
      const { createTestCertificateAuthority } = await import("../lib/testbed/test-certificates");
      const other = await (await createTestCertificateAuthority("Other Root")).issue({ names: ["www.metrics.example.test"] });
      const foreign = await startTlsTestServer({ chainPem: other.certificatePem, privateKeyPem: other.privateKeyPem });
      try {
        const { editEndpoint } = await import("../lib/domain/endpoints/endpoints");
        await editEndpoint(app.admin, {
          id: served.id,
          address: foreign.address,
          serverName: "www.metrics.example.test",
          caBundlePem,
          certificateId: certificate.id,
        });
        const after = parseExposition(await (await scrape({ token })).text());
        assert.equal(valueOf(after, "certdeck_endpoint_served_as_issued", { endpoint: foreign.address, certificate: "metrics.example.test" }), 0);
        assert.equal(valueOf(after, "certdeck_endpoints", { status: "ok" }), 0);
      } finally {
        await foreign.close();
      }
    } finally {
      await server.close();
    }
  });

  it("escapes label values a CA could put in its name, and counts failing certificates", async () => {
    const issuer = 'Odd "Test" CA \\ Unit\nTwo';
    const account = await app.modules.db.acmeAccount.findFirstOrThrow({ select: { id: true } });
    const notAfter = new Date("2031-05-01T10:00:00.250Z");
    const certificate = await app.modules.db.certificate.create({
      data: {
        name: "odd.example.test",
        identifiers: JSON.stringify([{ type: "dns", value: "odd.example.test" }]),
        keyType: "ec-p256",
        challengeMethod: "http-01-app",
        accountId: account.id,
        status: "failed",
        notAfter,
      },
    });
    const version = await app.modules.db.certificateVersion.create({
      data: {
        certificateId: certificate.id,
        version: 1,
        serial: "01",
        notBefore: new Date("2026-01-01T00:00:00Z"),
        notAfter,
        issuer,
        fingerprintSha256: "00",
        chainPem: "",
        privateKeyEnc: "",
      },
    });
    await app.modules.db.certificate.update({ where: { id: certificate.id }, data: { currentVersionId: version.id } });

    const exposition = parseExposition(await (await scrape({ token })).text());
    assert.equal(valueOf(exposition, "certdeck_certificate_expiration_timestamp_seconds", { name: "odd.example.test", issuer }), notAfter.getTime() / 1000);
    assert.equal(valueOf(exposition, "certdeck_certificate_renewal_timestamp_seconds", { name: "odd.example.test" }), undefined, "no renewal time set");
    assert.equal(valueOf(exposition, "certdeck_certificates_failing"), 1);
    assert.equal(valueOf(exposition, "certdeck_certificates", { status: "failed" }), 1);
  });

  it("needs a valid token, or an address on the allow-list behind the proxy", async () => {
    const refused = await scrape();
    assert.equal(refused.status, 401);
    assert.match(refused.headers.get("www-authenticate") ?? "", /^Bearer /);
    assert.equal((await refused.json()).error.code, "unauthorized");
    assert.equal((await scrape({ token: `cdk_${"B".repeat(43)}` })).status, 401);

    await app.modules.settings.setSetting("metricsAllowFrom", "10.0.0.0/8, ::1");
    try {
      assert.equal((await scrape({ headers: { "x-forwarded-for": "10.1.2.3" } })).status, 200);
      assert.equal((await scrape({ headers: { "x-forwarded-for": "::1" } })).status, 200);
      // What the client wrote in front of the proxy's hop does not count.
      assert.equal((await scrape({ headers: { "x-forwarded-for": "10.1.2.3, 203.0.113.9" } })).status, 401);
      assert.equal((await scrape({ headers: { "x-forwarded-for": "203.0.113.9" } })).status, 401);
      // A token that is sent must be valid, even from an allowed address.
      assert.equal((await scrape({ token: "wrong", headers: { "x-forwarded-for": "10.1.2.3" } })).status, 401);
    } finally {
      await app.modules.settings.setSetting("metricsAllowFrom", "");
    }
    assert.equal((await scrape({ headers: { "x-forwarded-for": "10.1.2.3" } })).status, 401);
  });

  it("exposes every certificate of a 10,000-certificate fleet", async () => {
    const account = await app.modules.db.acmeAccount.findFirstOrThrow({ select: { id: true } });
    const count = 10_000;
    const baseSeconds = Date.parse("2027-01-01T00:00:00Z") / 1000;
    // Seeded in SQL (Prisma's own DateTime text format), so the fleet takes milliseconds, not seconds.
    const timestamp = (secondsSql: string) => `strftime('%Y-%m-%dT%H:%M:%S', ${secondsSql}, 'unixepoch') || '.000+00:00'`;
    const now = timestamp("unixepoch('now')");
    await app.modules.db.$executeRawUnsafe(
      `WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < ${count - 1})
       INSERT INTO Certificate (id, name, identifiers, keyType, challengeMethod, status, accountId, notAfter, renewAfter, createdAt, updatedAt)
       SELECT 'fleet' || i, printf('fleet-%05d.example.test', i), printf('[{"type":"dns","value":"fleet-%05d.example.test"}]', i), 'ec-p256', 'http-01-app', 'valid', ?,
              ${timestamp(`${baseSeconds} + i`)}, ${timestamp(`${baseSeconds - 30 * 86_400} + i`)}, ${now}, ${now}
       FROM n`,
      account.id,
    );
    await app.modules.db.$executeRawUnsafe(
      `INSERT INTO CertificateVersion (id, certificateId, version, serial, notBefore, notAfter, issuer, fingerprintSha256, chainPem, privateKeyEnc, createdAt)
       SELECT 'v' || id, id, 1, '01', ${timestamp(`${baseSeconds - 90 * 86_400}`)}, notAfter, 'Fleet CA', '00', '', '', ${now}
       FROM Certificate WHERE id LIKE 'fleet%'`,
    );
    await app.modules.db.$executeRawUnsafe(`UPDATE Certificate SET currentVersionId = 'v' || id WHERE id LIKE 'fleet%'`);
    const sample = await app.modules.db.certificate.findUniqueOrThrow({ where: { name: "fleet-09999.example.test" }, select: { notAfter: true } });
    assert.equal(sample.notAfter?.getTime(), (baseSeconds + 9999) * 1000, "seeded dates read back by Prisma");

    const exposition = parseExposition(await (await scrape({ token })).text());
    const fleet = exposition.samples.filter(
      (sample) => sample.name === "certdeck_certificate_expiration_timestamp_seconds" && sample.labels.issuer === "Fleet CA",
    );
    assert.equal(fleet.length, count);
    assert.equal(valueOf(exposition, "certdeck_certificate_expiration_timestamp_seconds", { name: "fleet-09999.example.test" }), baseSeconds + 9999);
    assert.equal(valueOf(exposition, "certdeck_certificate_renewal_timestamp_seconds", { name: "fleet-00000.example.test" }), baseSeconds - 30 * 86_400);
    assert.equal(valueOf(exposition, "certdeck_certificates", { status: "valid" }), count + 1);
  });
});
