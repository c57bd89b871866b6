import assert from "node:assert/strict";
import { copyFile, mkdir, mkdtemp, readFile, readlink, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { livePaths, pointLiveAtVersion, readLiveVersion, writeLineageVersion, LINEAGE_FILES } from "@/lib/protocol/lineage/lineage-files";
import { guardedNginxReload } from "@/lib/protocol/nginx/guarded-reload";
import { probeTlsEndpoint } from "@/lib/protocol/tls/probe-tls-endpoint";
import { startNginxTestbed, type NginxSite, type NginxTestbed } from "@/lib/testbed/nginx-testbed";
import { createTestCertificateAuthority, type TestCertificate, type TestCertificateAuthority } from "@/lib/testbed/test-certificates";

const NAME = "shop.example.test";
const NAMES = [NAME, "www.shop.example.test"];
const OTHER = "other.example.test";

/**
 * The guarded local nginx deploy against a real nginx on loopback and a real CertDeck lineage
 * (archive/ + relative live/ symlinks): renew → nginx -t → reload → the new certificate is
 * served; a broken config stops before the reload; an nginx reading a copy of the files is
 * caught and live/ rolled back.
 */
describe("guarded nginx deploy", () => {
  let root: string;
  let ca: TestCertificateAuthority;
  let intermediatePem: string;
  let issuer: TestCertificateAuthority;
  const testbeds: NginxTestbed[] = [];

  before(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), "certdeck-nginx-deploy-"));
    ca = await createTestCertificateAuthority("Deploy Test Root");
    issuer = await ca.createIntermediate("Deploy Test Intermediate");
    intermediatePem = issuer.certificatePem;
  });
  after(async () => {
    for (const testbed of testbeds) await testbed.stop();
    await rm(root, { recursive: true, force: true });
  });

  /** A fresh certificates directory with version 1 of shop.example.test and another lineage for the default server. */
  async function setUp(label: string) {
    const certificatesDir = path.join(root, label, "certificates");
    const versions: TestCertificate[] = [];
    const writeVersion = async () => {
      const leaf = await issuer.issue({ names: NAMES });
      versions.push(leaf);
      await writeLineageVersion(certificatesDir, NAME, {
        version: versions.length,
        chainPem: leaf.certificatePem + intermediatePem,
        privateKeyPem: leaf.privateKeyPem,
      });
      return leaf;
    };
    await writeVersion();
    const other = await issuer.issue({ names: [OTHER] });
    await writeLineageVersion(certificatesDir, OTHER, { version: 1, chainPem: other.certificatePem + intermediatePem, privateKeyPem: other.privateKeyPem });
    const live = livePaths(certificatesDir, NAME);
    const otherLive = livePaths(certificatesDir, OTHER);
    // The first site is nginx's default server: a name nginx does not know gets the other certificate.
    const sites = (shop: { certificatePath: string; keyPath: string }): NginxSite[] => [
      { serverNames: [OTHER], certificatePath: otherLive.fullchain, keyPath: otherLive.privkey },
      { serverNames: NAMES, ...shop },
    ];
    return { certificatesDir, versions, writeVersion, live, sites, other };
  }

  async function startNginx(label: string, sites: NginxSite[]) {
    const testbed = await startNginxTestbed({ workDir: path.join(root, label, "nginx"), sites });
    testbeds.push(testbed);
    return testbed;
  }

  const servedFingerprint = async (testbed: NginxTestbed, name: string) =>
    (await probeTlsEndpoint({ host: testbed.host, port: testbed.port, servername: name, caBundlePem: ca.certificatePem })).served?.leaf.fingerprintSha256;

  it("renew → nginx -t → reload: nginx serves the new version for every name, verified by fingerprint", async () => {
    const { certificatesDir, versions, writeVersion, live, sites, other } = await setUp("renew");
    const nginx = await startNginx("renew", sites({ certificatePath: live.fullchain, keyPath: live.privkey }));
    const before = await probeTlsEndpoint({ host: nginx.host, port: nginx.port, servername: NAME, caBundlePem: ca.certificatePem });
    assert.equal(before.status, "ok", before.message);
    assert.equal(before.served?.leaf.fingerprintSha256, versions[0].fingerprintSha256);
    assert.equal(await servedFingerprint(nginx, OTHER), other.fingerprintSha256);

    // The renewal writes version 2; nginx keeps serving version 1 until it is reloaded.
    const renewed = await writeVersion();
    assert.equal(await readLiveVersion(certificatesDir, NAME), 2);
    assert.equal(await servedFingerprint(nginx, NAME), versions[0].fingerprintSha256);

    const result = await guardedNginxReload({
      certificatesDir,
      certificateName: NAME,
      version: 2,
      names: NAMES,
      address: nginx.address,
      testCommand: nginx.testCommand,
      reloadCommand: nginx.reloadCommand,
      verifyTimeoutMs: 10_000,
    });
    assert.equal(result.status, "deployed", result.message);
    assert.equal(result.message, `Deployed: nginx serves version 2 (fingerprint ${renewed.fingerprintSha256}) at ${nginx.address} for ${NAMES.join(", ")}.`);
    assert.equal(result.status === "deployed" && result.fingerprintSha256, renewed.fingerprintSha256);
    assert.deepEqual(
      result.steps.map((step) => `${step.step}:${step.level}`),
      ["nginx-test:info", "reload:info", "verify:info"],
    );
    assert.match(result.steps[0].detail ?? "", /syntax is ok/);
    for (const name of NAMES) assert.equal(await servedFingerprint(nginx, name), renewed.fingerprintSha256, name);
    // The default server's certificate did not change.
    const otherProbe = await probeTlsEndpoint({ host: nginx.host, port: nginx.port, servername: OTHER, caBundlePem: ca.certificatePem });
    assert.equal(otherProbe.status, "ok", otherProbe.message);
    assert.equal(otherProbe.served?.leaf.fingerprintSha256, other.fingerprintSha256);
  });

  it("a broken nginx config: nginx -t refuses, nothing is reloaded, the old certificate stays served, nginx's words come back", async () => {
    const { certificatesDir, versions, writeVersion, live, sites } = await setUp("broken");
    const nginx = await startNginx("broken", sites({ certificatePath: live.fullchain, keyPath: live.privkey }));
    await writeVersion();
    await nginx.writeBrokenConfig();
    const ownTest = await nginx.testConfig();
    assert.notEqual(ownTest.exitCode, 0);
    assert.match(ownTest.output, /unknown directive "ssl_certificat_typo"/);
    const logBefore = await readFile(nginx.errorLogPath, "utf8");

    const result = await guardedNginxReload({
      certificatesDir,
      certificateName: NAME,
      version: 2,
      names: NAMES,
      address: nginx.address,
      testCommand: nginx.testCommand,
      reloadCommand: nginx.reloadCommand,
      verifyTimeoutMs: 2000,
    });
    assert.equal(result.status, "config-rejected");
    assert.ok(result.status === "config-rejected");
    assert.match(result.nginxOutput, /\[emerg\] .*unknown directive "ssl_certificat_typo" in .*nginx\.conf:\d+/);
    assert.match(result.nginxOutput, /test failed/);
    assert.match(result.message, /^Deploy stopped before the reload: .* -t \(exit 1\): .*\[emerg\] .*unknown directive "ssl_certificat_typo"/);
    assert.match(result.message, /nginx keeps serving the certificate it had loaded\.$/);
    assert.deepEqual(
      result.steps.map((step) => step.step),
      ["nginx-test"],
    );
    // Not reloaded: no SIGHUP reached the master, and version 1 is still served.
    const logAfter = await readFile(nginx.errorLogPath, "utf8");
    assert.doesNotMatch(logAfter.slice(logBefore.length), /reconfiguring/);
    for (const name of NAMES) assert.equal(await servedFingerprint(nginx, name), versions[0].fingerprintSha256, name);
    // live/ is left where the renewal put it, so the next reload after the fix picks it up.
    assert.equal(await readLiveVersion(certificatesDir, NAME), 2);

    // When the guarded reload moved live/ itself ("Deploy now" of version 2 while live/ is at 1),
    // a refusal puts it back where it was.
    await pointLiveAtVersion(certificatesDir, NAME, 1);
    const again = await guardedNginxReload({
      certificatesDir,
      certificateName: NAME,
      version: 2,
      names: NAMES,
      address: nginx.address,
      testCommand: nginx.testCommand,
      reloadCommand: nginx.reloadCommand,
    });
    assert.equal(again.status, "config-rejected");
    assert.deepEqual(
      again.steps.map((step) => step.message),
      [
        "live/ now points at version 2 (was 1)",
        `${nginx.testCommand} refuses the configuration: nginx was not reloaded`,
        "live/ points at version 1 again, as before",
      ],
    );
    assert.equal(await readLiveVersion(certificatesDir, NAME), 1);
  });

  it("an nginx that serves a copy: the new version is not served → live/ rolled back to the previous version, with the reason", async () => {
    const { certificatesDir, versions, writeVersion, live, sites } = await setUp("copy");
    // The config points at copies made once by hand, not at live/.
    const copyDir = path.join(root, "copy", "etc-ssl");
    await mkdir(copyDir, { recursive: true });
    await copyFile(live.fullchain, path.join(copyDir, "shop.crt"));
    await copyFile(live.privkey, path.join(copyDir, "shop.key"));
    const nginx = await startNginx("copy", sites({ certificatePath: path.join(copyDir, "shop.crt"), keyPath: path.join(copyDir, "shop.key") }));
    await writeVersion();
    assert.equal(await readLiveVersion(certificatesDir, NAME), 2);

    const started = Date.now();
    const result = await guardedNginxReload({
      certificatesDir,
      certificateName: NAME,
      version: 2,
      names: [NAME],
      address: nginx.address,
      testCommand: nginx.testCommand,
      reloadCommand: nginx.reloadCommand,
      verifyTimeoutMs: 2000,
      pollIntervalMs: 100,
    });
    assert.ok(Date.now() - started >= 2000, "it waited for the new certificate before giving up");
    assert.equal(result.status, "rolled-back", result.message);
    assert.ok(result.status === "rolled-back");
    const reason = `nginx still serves version 1 (fingerprint ${versions[0].fingerprintSha256}) at ${nginx.address} for ${NAME}`;
    assert.equal(result.reason, reason);
    assert.equal(result.message, `Deploy failed, rolled back to version 1: ${reason}.`);
    assert.deepEqual(result.rollback, { version: 1, reloaded: true, served: true });
    assert.deepEqual(
      result.steps.map((step) => `${step.step}:${step.level}`),
      ["nginx-test:info", "reload:info", "verify:error", "rollback:warn", "rollback:info"],
    );

    // live/ points at version 1 again, with certbot's relative links.
    assert.equal(await readLiveVersion(certificatesDir, NAME), 1);
    const liveNow = livePaths(certificatesDir, NAME);
    for (const file of LINEAGE_FILES) {
      assert.equal(await readlink(liveNow[file]), path.join("..", "..", "archive", NAME, `${file}1.pem`));
    }
    assert.equal(await readFile(liveNow.cert, "utf8"), versions[0].certificatePem);
    assert.equal(await servedFingerprint(nginx, NAME), versions[0].fingerprintSha256);
  });

  it("a reload command that fails: rolled back, with the command's own words", async () => {
    const { certificatesDir, writeVersion, live, sites } = await setUp("reload-fails");
    const nginx = await startNginx("reload-fails", sites({ certificatePath: live.fullchain, keyPath: live.privkey }));
    await writeVersion();
    const result = await guardedNginxReload({
      certificatesDir,
      certificateName: NAME,
      version: 2,
      names: [NAME],
      address: nginx.address,
      testCommand: nginx.testCommand,
      reloadCommand: "echo 'Failed to reload nginx.service: Access denied' >&2; exit 4",
      verifyTimeoutMs: 2000,
    });
    assert.equal(result.status, "rolled-back");
    assert.ok(result.status === "rolled-back");
    assert.equal(
      result.reason,
      "the reload command failed: echo 'Failed to reload nginx.service: Access denied' >&2; exit 4 (exit 4): Failed to reload nginx.service: Access denied",
    );
    assert.equal(result.rollback.version, 1);
    assert.equal(result.rollback.reloaded, false);
    assert.equal(await readLiveVersion(certificatesDir, NAME), 1);
  });

  it("the nginx testbed's own reload applies a changed config, and passes on nginx's refusal of a broken one", async () => {
    const { certificatesDir, versions, writeVersion, live, sites } = await setUp("testbed-reload");
    const nginx = await startNginx("testbed-reload", sites({ certificatePath: live.fullchain, keyPath: live.privkey }));
    await writeVersion();
    const reloaded = await nginx.reload();
    assert.equal(reloaded.applied, true, reloaded.output);
    assert.match(reloaded.output, /reconfiguring/);
    assert.equal(await servedFingerprint(nginx, NAME), versions[1].fingerprintSha256);

    await nginx.writeBrokenConfig();
    const refused = await nginx.reload();
    assert.equal(refused.applied, false);
    assert.match(refused.output, /unknown directive "ssl_certificat_typo"/);
    assert.equal(await servedFingerprint(nginx, NAME), versions[1].fingerprintSha256);
    assert.equal(await readLiveVersion(certificatesDir, NAME), 2);
  });

  it("refuses to point live/ at a version that is not archived", async () => {
    const { certificatesDir } = await setUp("missing-version");
    await assert.rejects(pointLiveAtVersion(certificatesDir, NAME, 7), {
      code: "filesystem",
      userMessage: /Version 7 of shop\.example\.test is not in .*archive/,
    });
    assert.equal(await readLiveVersion(certificatesDir, NAME), 1);
  });
});
