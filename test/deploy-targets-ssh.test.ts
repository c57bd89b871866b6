import assert from "node:assert/strict";
import { chmod, copyFile, mkdir, readFile, stat } from "node:fs/promises";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { startAppHarness, type AppHarness } from "./support/app-harness";
import { refusalOf } from "./support/refusal";
import { startWebhookReceiver, type WebhookReceiver } from "./support/webhook-receiver";
import { SYSTEM_ACTOR } from "../lib/domain/command/actor";
import { livePaths } from "../lib/protocol/lineage/lineage-files";
import { splitPemChain } from "../lib/protocol/x509/x509";
import { findFreePort } from "../lib/testbed/pebble-testbed";
import { startNginxTestbed, type NginxTestbed } from "../lib/testbed/nginx-testbed";
import { startSshdTestbed, type SshdTestbed } from "../lib/testbed/sshd-testbed";

const NAME = "web.ssh-target.test";
const NAMES = [NAME, `api.${NAME}`];

/**
 * The SSH deploy target end to end: Pebble issues, the job runner deploys over SSH/SFTP to a real
 * OpenSSH server on loopback (this machine's sshd with its own config) into the files a second
 * nginx serves, runs the reload there, and probes the served certificate for every name.
 */
describe("deploy target: a remote host over SSH", () => {
  let app: AppHarness;
  let sshd: SshdTestbed;
  let nginx: NginxTestbed;
  let webhook: WebhookReceiver;
  let remoteDir: string;
  let certificateId: string;
  let targetId: string;
  let publicKey: string;
  let modules: {
    targets: typeof import("../lib/domain/deploy/targets/manage-targets");
    certificateTargets: typeof import("../lib/domain/certificates/deploy-targets");
    test: typeof import("../lib/domain/deploy/targets/test-target");
    host: typeof import("../lib/domain/deploy/targets/ssh-host");
    queries: typeof import("../lib/domain/deploy/targets/queries");
    scheduler: typeof import("../lib/jobs/scheduler");
  };
  const remote = (file: string) => path.join(remoteDir, file);
  /** The target's settings, as the form would send them (the key is kept once stored). */
  const settings = (overrides: Record<string, unknown> = {}) => ({
    type: "ssh" as const,
    name: "web-1",
    host: sshd.host,
    port: sshd.port,
    username: "root",
    fullchainPath: remote("fullchain.pem"),
    chainPath: remote("chain.pem"),
    certPath: remote("cert.pem"),
    keyPath: remote("privkey.pem"),
    group: sshd.user?.group ?? "",
    keyMode: 0o640,
    reloadCommand: nginx.checkedReloadCommand,
    verifyAddress: nginx.address,
    verifyTimeoutSeconds: 5,
    privateKeySource: "keep" as const,
    ...overrides,
  });

  before(async () => {
    process.env.CERTDECK_TIME_ZONE = "UTC";
    app = await startAppHarness();
    modules = {
      targets: await import("../lib/domain/deploy/targets/manage-targets"),
      certificateTargets: await import("../lib/domain/certificates/deploy-targets"),
      test: await import("../lib/domain/deploy/targets/test-target"),
      host: await import("../lib/domain/deploy/targets/ssh-host"),
      queries: await import("../lib/domain/deploy/targets/queries"),
      scheduler: await import("../lib/jobs/scheduler"),
    };
    const accountId = await app.registerPebbleAccount();
    await app.modules.settings.setSetting("standalonePort", app.httpPort);
    webhook = await startWebhookReceiver();
    const { encryptSecret } = await import("../lib/data/secret-box");
    await app.modules.db.notificationChannel.create({
      data: { type: "webhook", name: "ops chat", configEnc: encryptSecret(JSON.stringify({ type: "webhook", url: webhook.url, privateNetwork: true })) },
    });

    const created = await app.modules.createCertificate(SYSTEM_ACTOR, {
      names: NAMES.join("\n"),
      accountId,
      keyType: "ec-p256",
      challengeMethod: "http-01-standalone",
    });
    certificateId = created.certificateId;
    assert.deepEqual(await app.waitForJob(created.jobId), { status: "succeeded", error: null });

    // The remote host: sshd, and an nginx serving files in /…/remote/ssl, put there by hand once.
    sshd = await startSshdTestbed({ workDir: path.join(app.dataDir, "sshd") });
    remoteDir = path.join(app.dataDir, "remote", "ssl");
    await mkdir(remoteDir, { recursive: true });
    for (const dir of [app.dataDir, path.join(app.dataDir, "remote"), remoteDir]) await chmod(dir, 0o755);
    const live = livePaths(app.dataDir, NAME);
    await copyFile(live.fullchain, remote("fullchain.pem"));
    await copyFile(live.privkey, remote("privkey.pem"));
    nginx = await startNginxTestbed({
      workDir: path.join(app.dataDir, "remote-nginx"),
      sites: [{ serverNames: NAMES, certificatePath: remote("fullchain.pem"), keyPath: remote("privkey.pem") }],
    });
    assert.equal(await nginx.servedFingerprint(), (await current()).fingerprintSha256);
  });

  after(async () => {
    await nginx?.stop();
    await sshd?.stop();
    await webhook?.close();
    await app?.stop();
  });

  async function current() {
    const certificate = await app.modules.db.certificate.findUniqueOrThrow({ where: { id: certificateId }, include: { currentVersion: true } });
    return certificate.currentVersion!;
  }

  async function deployment(versionId: string, target = targetId) {
    return app.modules.db.deployment.findUniqueOrThrow({ where: { versionId_targetId: { versionId, targetId: target } } });
  }

  async function deployNow(target = targetId) {
    const { jobId } = await modules.certificateTargets.deployToTargetNow(SYSTEM_ACTOR, { certificateId, targetId: target });
    return { jobId, ...(await app.waitForJob(jobId)) };
  }

  it("adds the target with a generated key pair, and Test logs in and pins the host key as ssh-keygen shows it", async () => {
    const saved = await modules.targets.createDeployTarget(SYSTEM_ACTOR, { ...settings(), privateKeySource: "generate" });
    targetId = saved.id;
    assert.match(saved.generatedPublicKey ?? "", /^ssh-ed25519 AAAA\S+ certdeck-web-1$/);
    publicKey = saved.generatedPublicKey!;
    const stored = await app.modules.db.deployTarget.findUniqueOrThrow({ where: { id: targetId } });
    assert.ok(stored.credentialsEnc?.startsWith("v1:"), "the private key is stored encrypted");
    assert.doesNotMatch(stored.config, /PRIVATE KEY/);
    const audit = await app.modules.db.auditEvent.findFirstOrThrow({ where: { action: "deploy-target.add", target: "web-1" } });
    assert.deepEqual(JSON.parse(audit.detail ?? "{}"), { type: "ssh", isDefault: false, privateKey: "generated" });

    // Not authorized yet: the test says which key to add where.
    const refused = await modules.test.testDeployTarget(SYSTEM_ACTOR, { id: targetId });
    assert.equal(refused.ok, false);
    assert.match(refused.message, /^The server refused the key for user root: add the public key to ~root\/\.ssh\/authorized_keys on 127\.0\.0\.1/);

    await sshd.authorize(publicKey);
    const tested = await modules.test.testDeployTarget(SYSTEM_ACTOR, { id: targetId });
    assert.equal(tested.ok, true, tested.message);
    assert.deepEqual(tested.hostKey && { fingerprint: tested.hostKey.fingerprint, type: tested.hostKey.type, isNewlyPinned: tested.hostKey.isNewlyPinned }, {
      fingerprint: sshd.hostKey.fingerprint,
      type: "ssh-ed25519",
      isNewlyPinned: true,
    });
    assert.match(tested.message, /First connection: the host key ED25519 SHA256:\S+ is now pinned/);
    const view = await modules.queries.getDeployTargetForEdit(targetId);
    assert.deepEqual(view?.hostKey, { fingerprint: sshd.hostKey.fingerprint, typeLabel: "ED25519" });
    assert.equal(view?.publicKey?.publicKey, publicKey, "the page shows the public key to put in authorized_keys");
    assert.equal(view?.values.keyMode, "0640");
    assert.equal(view?.values.privateKey, undefined, "never the private key");

    await modules.certificateTargets.setCertificateDeployTargets(SYSTEM_ACTOR, { certificateId, useDefaults: false, targetIds: [targetId] });
  });

  it("renew: the files land with their modes and group, the reload runs there, the probe verifies every name", async () => {
    const { jobId } = await app.modules.queue.enqueueCertificateJob(certificateId, "renew");
    assert.deepEqual(await app.waitForJob(jobId), { status: "succeeded", error: null });
    const version = await current();
    assert.equal(version.version, 2);
    const row = await deployment(version.id);
    assert.deepEqual(
      { status: row.status, error: row.error, servedFingerprint: row.servedFingerprint },
      { status: "verified", error: null, servedFingerprint: version.fingerprintSha256 },
    );
    assert.equal(version.deployStatus, "deployed");

    const [leaf, ...intermediates] = splitPemChain(version.chainPem);
    const gid = sshd.user?.gid ?? 0;
    const expected = [
      { file: "fullchain.pem", mode: 0o644, content: version.chainPem },
      { file: "chain.pem", mode: 0o644, content: intermediates.join("") },
      { file: "cert.pem", mode: 0o644, content: leaf },
      { file: "privkey.pem", mode: 0o640, content: await readFile(livePaths(app.dataDir, NAME).privkey, "utf8") },
    ];
    for (const { file, mode, content } of expected) {
      const stats = await stat(remote(file));
      assert.equal(stats.mode & 0o777, mode, file);
      assert.equal(stats.gid, gid, file);
      assert.equal(await readFile(remote(file), "utf8"), content, file);
    }
    for (const name of NAMES) assert.equal(await nginx.servedFingerprint(name), version.fingerprintSha256, name);

    const events = await app.modules.db.jobEvent.findMany({ where: { jobId }, orderBy: { id: "asc" } });
    const messages = events.map((event) => event.message);
    assert.ok(messages.includes(`web-1: The host key is the pinned one (ED25519 ${sshd.hostKey.fingerprint})`), messages.join("\n"));
    assert.ok(
      messages.some((message) => message.startsWith(`web-1: Installed version 2 on root@127.0.0.1:${sshd.port}: ${remote("fullchain.pem")} (0644)`)),
      messages.join("\n"),
    );
    const reload = events.find((event) => event.message === `web-1: ${nginx.checkedReloadCommand}: exit 0`);
    assert.match(reload?.detail ?? "", /test is successful/);
    assert.ok(
      messages.includes(`web-1: Verified: ${nginx.address} serves version 2 (fingerprint ${version.fingerprintSha256}) for ${NAMES.join(", ")}`),
      messages.join("\n"),
    );
  });

  it("a changed host key is refused with both fingerprints, nothing is written; accepted after checking, the deploy goes through", async () => {
    const version = await current();
    const pinned = sshd.hostKey.fingerprint;
    await sshd.restart({ newHostKey: true });
    const changed = sshd.hostKey.fingerprint;
    assert.notEqual(changed, pinned);

    const failed = await deployNow();
    assert.equal(failed.status, "failed");
    const row = await deployment(version.id);
    assert.equal(row.status, "failed");
    assert.equal(
      row.error,
      `The host key of root@127.0.0.1:${sshd.port} changed: it is now ${changed}, CertDeck pinned ${pinned} . If the server was reinstalled, check the new fingerprint (ssh-keyscan / ssh-keygen -lf) and accept it on the target's page.`,
    );
    assert.equal(row.nextAttemptAt, null, "a changed host key waits for the operator");
    assert.equal(await nginx.servedFingerprint(), version.fingerprintSha256);
    assert.equal((await current()).deployStatus, "deploy-failed");
    assert.ok(webhook.events("deploy-failed").some((body) => body.versionId === version.id && String(body.reason).includes(changed)));

    const tested = await modules.test.testDeployTarget(SYSTEM_ACTOR, { id: targetId });
    assert.equal(tested.ok, false);
    assert.deepEqual(tested.changedHostKey, { seen: changed, seenDescription: `ED25519 ${changed}`, pinned });

    // Only the very key the operator checked is accepted.
    const wrong = await refusalOf(modules.host.acceptSshHostKey(SYSTEM_ACTOR, { id: targetId, fingerprint: pinned }));
    assert.equal(wrong.code, "conflict");
    assert.equal(
      wrong.userMessage,
      `127.0.0.1 shows the host key ED25519 ${changed}, not ${pinned}: nothing was changed. Check the fingerprint on the host again.`,
    );
    const notAFingerprint = await refusalOf(modules.host.acceptSshHostKey(SYSTEM_ACTOR, { id: targetId, fingerprint: "16:27:ac:a5" }));
    assert.deepEqual(Object.keys(notAFingerprint.fieldErrors), ["fingerprint"]);
    await modules.host.acceptSshHostKey(SYSTEM_ACTOR, { id: targetId, fingerprint: changed.replace(/^SHA256:/, "") });
    const stored = await app.modules.db.deployTarget.findUniqueOrThrow({ where: { id: targetId } });
    assert.equal(stored.hostKeyFingerprint, changed);
    const audit = await app.modules.db.auditEvent.findFirstOrThrow({ where: { action: "deploy-target.accept-host-key" } });
    assert.deepEqual(JSON.parse(audit.detail ?? "{}"), { previous: pinned, pinned: changed, type: "ssh-ed25519" });

    const again = await deployNow();
    assert.equal(again.status, "succeeded", again.error ?? "");
    assert.equal((await deployment(version.id)).status, "verified");
    assert.equal((await current()).deployStatus, "deployed");
    assert.ok(webhook.events("deploy-recovered").some((body) => body.versionId === version.id));
  });

  it("a failing remote reload command is reported with its exit code and output", async () => {
    const version = await current();
    await modules.targets.updateDeployTarget(SYSTEM_ACTOR, {
      id: targetId,
      ...settings({ reloadCommand: `echo "testing the configuration"; echo "nginx: [emerg] cannot load certificate key" >&2; exit 3` }),
    });
    const failed = await deployNow();
    assert.equal(failed.status, "failed");
    const row = await deployment(version.id);
    assert.equal(row.status, "failed");
    assert.match(
      row.error ?? "",
      /^The reload command `echo "testing the configuration"; .*` failed with exit code 3 on root@127\.0\.0\.1:\d+\. Output: stderr: nginx: \[emerg\] cannot load certificate key \| stdout: testing the configuration$/,
    );
    assert.match(failed.error ?? "", /^Version 2 was not deployed to web-1: The reload command/);
    // Saved again with the key field left empty: the stored key stays.
    const keyBefore = (await app.modules.db.deployTarget.findUniqueOrThrow({ where: { id: targetId } })).credentialsEnc;
    await modules.targets.updateDeployTarget(SYSTEM_ACTOR, { id: targetId, ...settings({ privateKeySource: "paste", privateKey: "" }) });
    assert.equal((await app.modules.db.deployTarget.findUniqueOrThrow({ where: { id: targetId } })).credentialsEnc, keyBefore);
    assert.equal((await deployNow()).status, "succeeded");
  });

  it("files the remote web server does not read: served ≠ issued, said plainly, no remote rollback", async () => {
    const other = path.join(app.dataDir, "remote", "elsewhere");
    await mkdir(other, { recursive: true });
    await modules.targets.updateDeployTarget(SYSTEM_ACTOR, {
      id: targetId,
      ...settings({ fullchainPath: path.join(other, "fullchain.pem"), chainPath: "", certPath: "", keyPath: path.join(other, "privkey.pem") }),
    });
    const { jobId } = await app.modules.queue.enqueueCertificateJob(certificateId, "renew");
    assert.deepEqual(await app.waitForJob(jobId), { status: "succeeded", error: null });
    const version = await current();
    const previous = await app.modules.db.certificateVersion.findFirstOrThrow({ where: { certificateId, version: version.version - 1 } });
    const row = await deployment(version.id);
    assert.equal(row.status, "failed");
    assert.equal(row.servedFingerprint, previous.fingerprintSha256);
    assert.equal(
      row.error,
      `Served ≠ issued: version ${version.version} (fingerprint ${version.fingerprintSha256}) is not served. ` +
        NAMES.map((name) => `${nginx.address} serves ${NAMES.join(", ")} (fingerprint ${previous.fingerprintSha256}) for ${name}`).join("; ") +
        `. The files on 127.0.0.1 are version ${version.version}; CertDeck keeps no copy of the host's previous files, so nothing was rolled back there. Check what answers at that address (the reload command, the paths in the server's configuration).`,
    );
    assert.equal(await readFile(path.join(other, "fullchain.pem"), "utf8"), version.chainPem);
    await modules.targets.updateDeployTarget(SYSTEM_ACTOR, { id: targetId, ...settings() });
    assert.equal((await deployNow()).status, "succeeded");
  });

  it("an unreachable host is retried at growing intervals by the scheduler, up to a limit", async () => {
    const closedPort = await findFreePort();
    const gone = await modules.targets.createDeployTarget(SYSTEM_ACTOR, { ...settings({ name: "gone", port: closedPort }), privateKeySource: "generate" });
    await modules.certificateTargets.setCertificateDeployTargets(SYSTEM_ACTOR, { certificateId, useDefaults: false, targetIds: [targetId, gone.id] });
    const version = await current();

    const started = Date.now();
    const first = await deployNow(gone.id);
    assert.equal(first.status, "failed");
    let row = await deployment(version.id, gone.id);
    assert.equal(row.status, "failed");
    assert.equal(row.attempts, 1);
    assert.match(
      row.error ?? "",
      new RegExp(`^127\\.0\\.0\\.1 refused the connection on port ${closedPort}: no SSH server listens there .* Trying again .* \\(attempt 2\\)\\.$`),
    );
    const firstDelay = row.nextAttemptAt!.getTime() - started;
    assert.ok(firstDelay >= 60_000 && firstDelay < 70_000, `first retry after about a minute, got ${firstDelay} ms`);
    assert.equal((await current()).deployStatus, "deploy-failed");
    assert.equal((await deployment(version.id)).status, "verified", "the other target keeps its own status");

    assert.deepEqual((await modules.scheduler.runSchedulerTick(new Date(row.nextAttemptAt!.getTime() - 1000))).deploysQueued, [], "not before it is due");
    const tick = await modules.scheduler.runSchedulerTick(new Date(row.nextAttemptAt!.getTime() + 1000));
    assert.equal(tick.deploysQueued.length, 1);
    await app.waitForJob(tick.deploysQueued[0]);
    row = await deployment(version.id, gone.id);
    assert.equal(row.attempts, 2);
    const secondDelay = row.nextAttemptAt!.getTime() - row.finishedAt!.getTime();
    assert.ok(Math.abs(secondDelay - 5 * 60_000) < 1000, `then after five minutes, got ${secondDelay} ms`);
    const events = await app.modules.db.jobEvent.findMany({ where: { jobId: tick.deploysQueued[0] }, orderBy: { id: "asc" } });
    assert.equal(events[0].message, "Deploy queued: trying gone again after a failure");
    assert.equal(
      webhook.events("deploy-failed").filter((body) => body.versionId === version.id && (body.target as { name: string }).name === "gone").length,
      1,
      "notified once",
    );

    // The last attempts: after them the operator is asked.
    await app.modules.db.deployment.update({ where: { id: row.id }, data: { attempts: 5, nextAttemptAt: new Date(Date.now() - 1000) } });
    const last = await modules.scheduler.runSchedulerTick(new Date());
    await app.waitForJob(last.deploysQueued[0]);
    row = await deployment(version.id, gone.id);
    assert.equal(row.attempts, 6);
    assert.equal(row.nextAttemptAt, null);
    assert.match(row.error ?? "", /No more automatic attempts after 6: press "Deploy now" once it is fixed\.$/);

    await modules.targets.deleteDeployTarget(SYSTEM_ACTOR, { id: gone.id });
    assert.equal(await app.modules.db.deployment.count({ where: { targetId: gone.id } }), 0);
    assert.equal((await current()).deployStatus, "deployed", "summed up again without it");
  });
});
