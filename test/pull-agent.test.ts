import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { createPrivateKey, X509Certificate } from "node:crypto";
import { access, mkdir, readFile, stat, writeFile } from "node:fs/promises";
import https from "node:https";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { serveChallengeRoute, startAppHarness, type AppHarness } from "./support/app-harness";
import { makeCertificateSet } from "./support/openssl-certificates";
import type { RouteModule } from "./support/route-call";

/** One request the pull server answered, as the test sees it on the wire. */
interface Served {
  method: string;
  path: string;
  status: number;
  bodyBytes: number;
}

interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a command with sh and a clean environment; never throws on a non-zero exit. */
function runShell(args: string[], env: Record<string, string> = {}): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const cleanEnv: NodeJS.ProcessEnv = { NODE_ENV: "test", PATH: process.env.PATH ?? "/usr/bin:/bin", ...env };
    const child = spawn("sh", args, { env: cleanEnv, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

const quote = (value: string) => `'${value.replaceAll("'", `'\\''`)}'`;
const exists = (file: string) =>
  access(file).then(
    () => true,
    () => false,
  );
const AGENT = path.resolve("agent", "certdeck-pull");

/**
 * The pull deploy target end to end: the app's real pull route handlers served over HTTPS on
 * loopback (as Next.js would after proxy.ts), certificates issued by Pebble, and the real
 * agent/certdeck-pull run with sh and curl, installed by the dashboard's one-line installer.
 */
describe("the pull agent against the app's pull API", () => {
  let app: AppHarness;
  let challenge: Awaited<ReturnType<typeof serveChallengeRoute>>;
  let server: https.Server;
  let baseUrl: string;
  let caBundle: string;
  let work: string;
  const served: Served[] = [];
  let modules: Awaited<ReturnType<typeof loadPullModules>>;
  let certificateA: { id: string; name: string };
  let certificateB: { id: string; name: string };
  let pullerA: { id: string; token: string };
  const actor = { kind: "user" as const, userId: "pull-test", name: "admin", address: "192.0.2.10" };

  async function loadPullModules() {
    return {
      pullers: await import("../lib/domain/certificates/pullers"),
      queries: await import("../lib/domain/deploy/pull/queries"),
      protocol: await import("../lib/domain/deploy/pull/pull-protocol"),
      renew: await import("../lib/domain/certificates/renew-certificate"),
      routes: {
        manifest: (await import("../app/api/pull/v1/manifest/route")) as RouteModule,
        files: (await import("../app/api/pull/v1/files/[file]/route")) as RouteModule,
        report: (await import("../app/api/pull/v1/report/route")) as RouteModule,
        install: (await import("../app/api/pull/v1/install/route")) as RouteModule,
      },
    };
  }

  /** Serves /api/pull/v1/* through the route modules, recording status and body size of each answer. */
  async function startPullServer(tlsDir: string) {
    const tls = await makeCertificateSet(tlsDir, "localhost");
    caBundle = path.join(tlsDir, "ca.pem");
    server = https.createServer({ key: tls.key, cert: tls.fullchain }, async (request, response) => {
      const url = new URL(request.url ?? "/", "https://localhost");
      const chunks: Buffer[] = [];
      for await (const chunk of request) chunks.push(chunk as Buffer);
      const headers = new Headers();
      for (const [name, value] of Object.entries(request.headers)) if (typeof value === "string") headers.set(name, value);
      // What scripts/server.mjs sets from the socket.
      headers.set("x-certdeck-peer", (request.socket.remoteAddress ?? "").replace(/^::ffff:/, ""));
      let route: RouteModule | undefined;
      let params: Record<string, string> = {};
      const file = /^\/api\/pull\/v1\/files\/([^/]+)$/.exec(url.pathname);
      if (url.pathname === "/api/pull/v1/manifest") route = modules.routes.manifest;
      else if (url.pathname === "/api/pull/v1/report") route = modules.routes.report;
      else if (url.pathname === "/api/pull/v1/install") route = modules.routes.install;
      else if (file) [route, params] = [modules.routes.files, { file: decodeURIComponent(file[1]) }];
      const handler = route?.[request.method as "GET" | "POST"];
      const answer = handler
        ? await handler(new Request(url, { method: request.method, headers, body: chunks.length ? Buffer.concat(chunks) : undefined }), {
            params: Promise.resolve(params),
          })
        : new Response("no such route\n", { status: 404 });
      const body = Buffer.from(await answer.arrayBuffer());
      served.push({ method: request.method ?? "", path: url.pathname, status: answer.status, bodyBytes: body.length });
      response.writeHead(answer.status, Object.fromEntries(answer.headers)).end(body);
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    baseUrl = `https://localhost:${(server.address() as AddressInfo).port}`;
  }

  /** curl, as a person would call the API by hand (the CA bundle of the test server). */
  async function curl(pathAndQuery: string, token: string | null, extra: string[] = []) {
    const auth = token === null ? [] : ["-H", `Authorization: Bearer ${token}`];
    const result = await runShell(["-c", 'curl -sS -q --cacert "$0" -w "\\n%{http_code}" "$@"', caBundle, ...auth, ...extra, `${baseUrl}${pathAndQuery}`]);
    assert.equal(result.code, 0, result.stderr);
    const cut = result.stdout.lastIndexOf("\n");
    return { status: Number(result.stdout.slice(cut + 1)), body: result.stdout.slice(0, cut) };
  }

  async function issue(names: string): Promise<{ id: string; name: string }> {
    const created = await app.modules.createCertificate(app.admin, {
      names,
      accountId: await accountIdPromise,
      keyType: "ec-p256",
      challengeMethod: "http-01-app",
    });
    assert.deepEqual(await app.waitForJob(created.jobId), { status: "succeeded", error: null });
    return { id: created.certificateId, name: names };
  }
  let accountIdPromise: Promise<string>;

  async function currentVersion(certificateId: string) {
    const certificate = await app.modules.db.certificate.findUniqueOrThrow({ where: { id: certificateId }, include: { currentVersion: true } });
    return certificate.currentVersion!;
  }

  /** Writes an agent configuration, as an operator (or the installer) would. */
  async function writeEnv(name: string, values: Record<string, string>): Promise<string> {
    const file = path.join(work, "etc", `${name}.env`);
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(
      file,
      Object.entries(values)
        .map(([key, value]) => `${key}=${quote(value)}\n`)
        .join(""),
      { mode: 0o600 },
    );
    return file;
  }

  const deploymentOf = async (targetId: string, versionNumber: number) =>
    app.modules.db.deployment.findFirst({ where: { targetId, version: { version: versionNumber } } });

  before(async () => {
    app = await startAppHarness();
    work = path.join(app.dataDir, "pull-work");
    modules = await loadPullModules();
    challenge = await serveChallengeRoute(app.httpPort, app.modules.challengeRoute);
    accountIdPromise = app.registerPebbleAccount();
    await startPullServer(path.join(work, "tls"));
    certificateA = await issue("pull.example.test");
    certificateB = await issue("other-pull.example.test");
  });

  after(async () => {
    await new Promise<void>((resolve) => {
      if (!server) return resolve();
      server.close(() => resolve());
      server.closeAllConnections();
    });
    await challenge?.close();
    await app?.stop();
  });

  const root = () => path.join(work, "root");
  const destA = () => path.join(work, "ssl", "a");
  const reloadLog = () => path.join(work, "reloads.log");
  const installedEnv = () => path.join(root(), "etc", "certdeck-pull", "web1.env");
  const installedAgent = () => path.join(root(), "usr", "local", "bin", "certdeck-pull");

  it("adds a puller whose token is shown once and never stored or logged", async () => {
    const created = await modules.pullers.createPuller(actor, {
      certificateId: certificateA.id,
      name: " Web1 ",
      scope: "certificate-and-key",
      reloadHint: "systemctl reload nginx",
    });
    assert.equal(created.name, "web1");
    assert.match(created.token, /^cdp_[A-Za-z0-9_-]{43}$/);
    assert.equal(created.tokenPrefix, created.token.slice(0, 12));
    pullerA = { id: created.id, token: created.token };
    const stored = await app.modules.db.deployTarget.findUniqueOrThrow({ where: { id: created.id }, include: { certificates: true } });
    assert.equal(stored.type, "pull");
    assert.deepEqual(JSON.parse(stored.config), { scope: "certificate-and-key", reloadHint: "systemctl reload nginx" });
    assert.equal(stored.tokenHash, modules.protocol.hashPullToken(created.token));
    assert.deepEqual(
      stored.certificates.map((link) => link.certificateId),
      [certificateA.id],
    );
    assert.equal(stored.lastSeenAt, null);
    const audit = await app.modules.db.auditEvent.findFirstOrThrow({ where: { action: "deploy-target.add", target: "web1" } });
    assert.equal(audit.actor, "admin");
    assert.equal(audit.ip, "192.0.2.10");
    assert.ok(!JSON.stringify(audit).includes(created.token), "the audit entry never holds the token");
    assert.match(audit.detail ?? "", /"tokenPrefix":"cdp_/);

    await assert.rejects(
      modules.pullers.createPuller(actor, { certificateId: certificateB.id, name: "web1", scope: "certificate" }),
      (error: { code?: string; fieldErrors?: Record<string, string[]> }) => {
        assert.equal(error.code, "invalid_input");
        assert.match(error.fieldErrors?.name?.[0] ?? "", /"web1" is taken/);
        return true;
      },
    );
    await assert.rejects(modules.pullers.createPuller(actor, { certificateId: certificateA.id, name: "../etc/passwd", scope: "certificate" }), {
      code: "invalid_input",
    });
    await assert.rejects(modules.pullers.createPuller(actor, { certificateId: certificateA.id, name: "web9", scope: "everything" as "certificate" }), {
      code: "invalid_input",
    });
    await assert.rejects(modules.pullers.createPuller(actor, { certificateId: "doesnotexist", name: "web9", scope: "certificate" }), { code: "not_found" });
    // API tokens cannot make pullers (it hands out key material).
    const apiActor = { kind: "api-token" as const, tokenId: "t", name: "api:ci", scope: "write" as const, address: null };
    await assert.rejects(modules.pullers.createPuller(apiActor, { certificateId: certificateA.id, name: "web9", scope: "certificate" }), { code: "forbidden" });
  });

  it("the one-line installer installs the agent, and its first run installs version 1 with a 0600 key, reloads and reports", async () => {
    const before = (await modules.queries.listPullers(certificateA.id)).pullers[0];
    assert.equal(before.installedVersion, null);
    assert.equal(before.isBehind, true);
    const reload = `echo "reload $CERTDECK_VERSION $CERTDECK_CERTIFICATE_NAME" >> ${quote(reloadLog())}`;
    // What the dashboard shows, with sudo left out and the install root moved into the test's directory.
    const oneLine = `curl -fsS --cacert "$CA" -H "Authorization: Bearer $TOKEN" "$URL/api/pull/v1/install" | CERTDECK_URL="$URL" CERTDECK_CA_BUNDLE="$CA" sh`;
    served.length = 0;
    const run = await runShell(["-c", oneLine], {
      CA: caBundle,
      TOKEN: pullerA.token,
      URL: baseUrl,
      CERTDECK_INSTALL_ROOT: root(),
      DEST_DIR: destA(),
      RELOAD_COMMAND: reload,
    });
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /installed version 1 of pull\.example\.test in /);

    // The installer wrote the agent as shipped, the units, and a root-only env file with the token.
    assert.equal(await readFile(installedAgent(), "utf8"), await readFile(AGENT, "utf8"));
    assert.equal((await stat(installedAgent())).mode & 0o777, 0o755);
    assert.equal(await readFile(path.join(root(), "etc/systemd/system/certdeck-pull@.timer"), "utf8"), await readFile("agent/certdeck-pull@.timer", "utf8"));
    assert.ok(await exists(path.join(root(), "etc/systemd/system/certdeck-pull@.service")));
    const env = await readFile(installedEnv(), "utf8");
    assert.equal((await stat(installedEnv())).mode & 0o777, 0o600);
    assert.match(env, new RegExp(`^CERTDECK_TOKEN=${pullerA.token}$`, "m"));
    assert.match(env, /^CERTDECK_CERTIFICATE='pull\.example\.test'$/m);
    assert.ok(env.includes(`RELOAD_COMMAND=${quote(reload)}\n`), env);

    assert.deepEqual(
      served.map(({ method, path: at, status }) => `${method} ${at} ${status}`),
      [
        "GET /api/pull/v1/install 200",
        "GET /api/pull/v1/manifest 200",
        "GET /api/pull/v1/files/cert.pem 200",
        "GET /api/pull/v1/files/chain.pem 200",
        "GET /api/pull/v1/files/fullchain.pem 200",
        "GET /api/pull/v1/files/privkey.pem 200",
        "POST /api/pull/v1/report 200",
      ],
    );
    const version = await currentVersion(certificateA.id);
    const key = (await app.modules.db.certificateVersion.findUniqueOrThrow({ where: { id: version.id }, select: { privateKeyEnc: true } })).privateKeyEnc;
    assert.ok(key.length > 0);
    const files = Object.fromEntries(
      await Promise.all(
        ["cert.pem", "chain.pem", "fullchain.pem", "privkey.pem"].map(async (name) => [name, await readFile(path.join(destA(), name), "utf8")]),
      ),
    );
    const leaf = new X509Certificate(files["cert.pem"]);
    assert.equal(leaf.fingerprint256, version.fingerprintSha256);
    assert.equal(files["fullchain.pem"], version.chainPem.replace(/\n*$/, "\n"));
    assert.equal(files["cert.pem"] + files["chain.pem"], files["fullchain.pem"]);
    assert.ok(leaf.checkPrivateKey(createPrivateKey(files["privkey.pem"])), "privkey.pem belongs to cert.pem");
    // The same bytes as the lineage's live/ files.
    assert.equal(files["privkey.pem"], await readFile(path.join(app.dataDir, "live", certificateA.name, "privkey.pem"), "utf8"));
    assert.equal((await stat(path.join(destA(), "privkey.pem"))).mode & 0o777, 0o600);
    for (const name of ["cert.pem", "chain.pem", "fullchain.pem"]) assert.equal((await stat(path.join(destA(), name))).mode & 0o777, 0o644, name);
    assert.equal(await readFile(reloadLog(), "utf8"), "reload 1 pull.example.test\n");

    const deployment = await deploymentOf(pullerA.id, 1);
    assert.equal(deployment?.status, "installed");
    assert.ok(deployment?.finishedAt);
    assert.equal(deployment?.error, null);
    const target = await app.modules.db.deployTarget.findUniqueOrThrow({ where: { id: pullerA.id } });
    assert.ok(target.lastSeenAt && Date.now() - target.lastSeenAt.getTime() < 60_000);
    assert.equal(target.lastSeenAddress, "127.0.0.1");
    const listed = (await modules.queries.listPullers(certificateA.id)).pullers[0];
    assert.equal(listed.installedVersion, 1);
    assert.equal(listed.isBehind, false);
    assert.equal(listed.lastSeenAddress, "127.0.0.1");
  });

  it("a second run with nothing new is one 304 with no body, and changes no file", async () => {
    const before = await Promise.all(["cert.pem", "privkey.pem", "fullchain.pem"].map((name) => stat(path.join(destA(), name))));
    served.length = 0;
    const run = await runShell([installedAgent(), installedEnv()]);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stdout, "", "quiet when nothing is new");
    assert.equal(run.stderr, "");
    assert.deepEqual(served, [{ method: "GET", path: "/api/pull/v1/manifest", status: 304, bodyBytes: 0 }]);
    const after = await Promise.all(["cert.pem", "privkey.pem", "fullchain.pem"].map((name) => stat(path.join(destA(), name))));
    for (const [index, stats] of after.entries()) {
      assert.equal(stats.ino, before[index].ino);
      assert.equal(stats.mtimeMs, before[index].mtimeMs);
    }
    assert.equal(await readFile(reloadLog(), "utf8"), "reload 1 pull.example.test\n", "no reload either");
  });

  it("picks up a renewal on the next run: version 2 installed, reloaded and reported", async () => {
    const { jobId } = await modules.renew.renewCertificate(actor, { id: certificateA.id });
    assert.deepEqual(await app.waitForJob(jobId), { status: "succeeded", error: null });
    const version2 = await currentVersion(certificateA.id);
    assert.equal(version2.version, 2);
    const waiting = (await modules.queries.listPullers(certificateA.id)).pullers[0];
    assert.deepEqual([waiting.installedVersion, waiting.isBehind], [1, true]);

    // A download of version 1's files now is refused: the agent never mixes two versions.
    const stale = await curl("/api/pull/v1/files/cert.pem?version=1", pullerA.token);
    assert.equal(stale.status, 409);
    assert.match(JSON.parse(stale.body).error.message, /no longer the current version of pull\.example\.test \(now 2\)/);

    served.length = 0;
    const run = await runShell([installedAgent(), installedEnv()]);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /installed version 2 of pull\.example\.test/);
    assert.equal(served[0].status, 200, "the old ETag no longer matches");
    assert.equal(served.length, 6);
    const leaf = new X509Certificate(await readFile(path.join(destA(), "cert.pem"), "utf8"));
    assert.equal(leaf.fingerprint256, version2.fingerprintSha256);
    assert.ok(leaf.checkPrivateKey(createPrivateKey(await readFile(path.join(destA(), "privkey.pem"), "utf8"))));
    assert.equal(await readFile(reloadLog(), "utf8"), "reload 1 pull.example.test\nreload 2 pull.example.test\n");
    assert.equal((await deploymentOf(pullerA.id, 2))?.status, "installed");
    const listed = (await modules.queries.listPullers(certificateA.id)).pullers[0];
    assert.deepEqual([listed.installedVersion, listed.isBehind, listed.lastReport?.status], [2, false, "installed"]);

    // And then nothing again.
    served.length = 0;
    assert.equal((await runShell([installedAgent(), installedEnv()])).code, 0);
    assert.deepEqual(
      served.map(({ status, bodyBytes }) => [status, bodyBytes]),
      [[304, 0]],
    );
  });

  it("reports a failed reload with its last lines, exits non-zero, and installs again on the next run", async () => {
    const dest = path.join(work, "ssl", "a-second");
    const failing = await writeEnv("failing", {
      CERTDECK_URL: baseUrl,
      CERTDECK_TOKEN: pullerA.token,
      CERTDECK_CA_BUNDLE: caBundle,
      DEST_DIR: dest,
      RELOAD_COMMAND: "echo 'nginx: [emerg] cannot load certificate' >&2; exit 3",
    });
    const run = await runShell([AGENT, failing]);
    assert.equal(run.code, 1);
    assert.match(run.stderr, /\[emerg\] cannot load certificate/);
    assert.match(run.stderr, /certdeck-pull: version 2 of pull\.example\.test is in .*, but the reload command failed \(status 3\)/);
    const failed = await deploymentOf(pullerA.id, 2);
    assert.equal(failed?.status, "failed");
    assert.match(failed?.error ?? "", /nginx: \[emerg\] cannot load certificate\nThe reload command exited with status 3/);
    assert.equal(await exists(path.join(dest, ".certdeck-pull.state")), false);

    const fixed = await writeEnv("failing", {
      CERTDECK_URL: baseUrl,
      CERTDECK_TOKEN: pullerA.token,
      CERTDECK_CA_BUNDLE: caBundle,
      DEST_DIR: dest,
      RELOAD_COMMAND: "true",
    });
    served.length = 0;
    const again = await runShell([AGENT, fixed]);
    assert.equal(again.code, 0, again.stderr);
    assert.equal(served[0].status, 200, "no state after a failed reload: the version is fetched again");
    const installed = await deploymentOf(pullerA.id, 2);
    assert.equal(installed?.status, "installed");
    assert.equal(installed?.error, null);
    assert.equal(installed?.attempts, 3, "installed by the first agent, failed, installed");
  });

  it("a token for another certificate never reads this one", async () => {
    const other = await modules.pullers.createPuller(actor, { certificateId: certificateB.id, name: "web2", scope: "certificate-and-key" });
    // The token names its certificate: without a name it reads B, never A.
    const manifest = await curl("/api/pull/v1/manifest", other.token);
    assert.equal(manifest.status, 200);
    const entries = modules.protocol.parseManifest(manifest.body);
    assert.equal(entries.certificate, certificateB.name);
    assert.equal(entries.fingerprint_sha256, (await currentVersion(certificateB.id)).fingerprintSha256);
    const key = await curl("/api/pull/v1/files/privkey.pem", other.token);
    const leafB = new X509Certificate((await currentVersion(certificateB.id)).chainPem);
    const leafA = new X509Certificate((await currentVersion(certificateA.id)).chainPem);
    assert.ok(leafB.checkPrivateKey(createPrivateKey(key.body)));
    assert.ok(!leafA.checkPrivateKey(createPrivateKey(key.body)));
    // Asking for A by name or id is refused.
    for (const asked of [certificateA.name, certificateA.id]) {
      for (const at of ["/api/pull/v1/manifest", "/api/pull/v1/files/privkey.pem", "/api/pull/v1/files/cert.pem"]) {
        const refused = await curl(`${at}?certificate=${encodeURIComponent(asked)}`, other.token);
        assert.equal(refused.status, 403, `${at} ${asked}`);
        assert.match(JSON.parse(refused.body).error.message, /belongs to the puller "web2" of other-pull\.example\.test, not to /);
      }
    }
    // The agent set up for A with B's token stops before writing anything.
    const dest = path.join(work, "ssl", "mixed");
    const mixed = await writeEnv("mixed", {
      CERTDECK_URL: baseUrl,
      CERTDECK_TOKEN: other.token,
      CERTDECK_CA_BUNDLE: caBundle,
      CERTDECK_CERTIFICATE: certificateA.name,
      DEST_DIR: dest,
    });
    const run = await runShell([AGENT, mixed]);
    assert.equal(run.code, 1);
    assert.match(
      run.stderr,
      /^certdeck-pull: CertDeck refused the manifest \(HTTP 403\): This token belongs to the puller 'web2' of other-pull\.example\.test, not to pull\.example\.test/,
    );
    assert.equal(await exists(dest), false);
  });

  it("a certificate-only token never gets privkey.pem, and its agent installs the certificate files only", async () => {
    const certOnly = await modules.pullers.createPuller(actor, { certificateId: certificateA.id, name: "monitor", scope: "certificate" });
    const manifest = modules.protocol.parseManifest((await curl("/api/pull/v1/manifest", certOnly.token)).body);
    assert.equal(manifest.files, "cert.pem chain.pem fullchain.pem");
    assert.equal(manifest.scope, "certificate");
    const key = await curl("/api/pull/v1/files/privkey.pem", certOnly.token);
    assert.equal(key.status, 403);
    assert.doesNotMatch(key.body, /PRIVATE KEY/);
    assert.deepEqual(Object.keys(JSON.parse(key.body).error), ["code", "message"]);
    assert.equal(JSON.parse(key.body).error.code, "forbidden");
    assert.equal((await curl("/api/pull/v1/files/secrets.pem", certOnly.token)).status, 404);

    const dest = path.join(work, "ssl", "monitor");
    const env = await writeEnv("monitor", { CERTDECK_URL: baseUrl, CERTDECK_TOKEN: certOnly.token, CERTDECK_CA_BUNDLE: caBundle, DEST_DIR: dest });
    const run = await runShell([AGENT, env]);
    assert.equal(run.code, 0, run.stderr);
    assert.ok(await exists(path.join(dest, "fullchain.pem")));
    assert.equal(await exists(path.join(dest, "privkey.pem")), false);
    assert.equal((await deploymentOf(certOnly.id, 2))?.status, "installed");
    const listed = (await modules.queries.listPullers(certificateA.id)).pullers;
    assert.deepEqual(
      listed.map((puller) => [puller.name, puller.scope]),
      [
        ["web1", "certificate-and-key"],
        ["monitor", "certificate"],
      ],
    );
  });

  it("refuses missing, malformed, API and revoked tokens with 401", async () => {
    const missing = await curl("/api/pull/v1/manifest", null);
    assert.equal(missing.status, 401);
    assert.match(JSON.parse(missing.body).error.message, /Authorization: Bearer cdp_/);
    assert.equal((await curl("/api/pull/v1/manifest", "cdp_short")).status, 401);
    const apiToken = await curl("/api/pull/v1/manifest", `cdk_${"A".repeat(43)}`);
    assert.equal(apiToken.status, 401);
    assert.match(JSON.parse(apiToken.body).error.message, /REST API token/);

    const revoked = await modules.pullers.revokePuller(actor, { id: pullerA.id });
    assert.deepEqual(revoked, { certificateId: certificateA.id });
    assert.equal(await app.modules.db.deployTarget.count({ where: { id: pullerA.id } }), 0);
    assert.equal(await app.modules.db.deployment.count({ where: { targetId: pullerA.id } }), 0);
    const audit = await app.modules.db.auditEvent.findFirstOrThrow({ where: { action: "deploy-target.remove", target: "web1" } });
    assert.match(audit.detail ?? "", /"certificate":"pull\.example\.test"/);
    await assert.rejects(modules.pullers.revokePuller(actor, { id: pullerA.id }), { code: "not_found" });

    for (const at of ["/api/pull/v1/manifest", "/api/pull/v1/files/privkey.pem", "/api/pull/v1/install"]) {
      const answer = await curl(at, pullerA.token, ["-D", "-"]);
      assert.equal(answer.status, 401, at);
      assert.match(answer.body, /www-authenticate: Bearer realm="CertDeck"/i);
      assert.match(answer.body, /the puller was revoked/);
    }
    const report = await curl("/api/pull/v1/report", pullerA.token, ["--data-urlencode", "version=2", "--data-urlencode", "status=installed"]);
    assert.equal(report.status, 401);
    const run = await runShell([installedAgent(), installedEnv()]);
    assert.equal(run.code, 1);
    assert.match(run.stderr, /CertDeck refused the manifest \(HTTP 401\): This pull token is not valid/);
    // The files already installed stay.
    assert.ok(await exists(path.join(destA(), "privkey.pem")));
  });

  it("checks reports: an unknown version or status is a 422, a wrong media type a 415", async () => {
    const puller = await modules.pullers.createPuller(actor, { certificateId: certificateB.id, name: "reporter", scope: "certificate" });
    const unknown = await curl("/api/pull/v1/report", puller.token, ["--data-urlencode", "version=7", "--data-urlencode", "status=installed"]);
    assert.equal(unknown.status, 422);
    assert.deepEqual(JSON.parse(unknown.body).error.fields, { version: ["No version 7"] });
    const badStatus = await curl("/api/pull/v1/report", puller.token, ["--data-urlencode", "version=1", "--data-urlencode", "status=maybe"]);
    assert.equal(badStatus.status, 422);
    assert.ok(JSON.parse(badStatus.body).error.fields.status);
    const text = await curl("/api/pull/v1/report", puller.token, ["-H", "Content-Type: text/plain", "--data-binary", "version=1"]);
    assert.equal(text.status, 415);
    const json = await curl("/api/pull/v1/report", puller.token, [
      "-H",
      "Content-Type: application/json",
      "--data-binary",
      JSON.stringify({ version: 1, status: "installed" }),
    ]);
    assert.equal(json.status, 200, json.body);
    assert.deepEqual(JSON.parse(json.body), { certificate: certificateB.name, puller: "reporter", version: 1, status: "installed" });
  });
});
