import assert from "node:assert/strict";
import { copyFile, mkdir, readFile, stat } from "node:fs/promises";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { startAppHarness, type AppHarness } from "./support/app-harness";
import { refusalOf } from "./support/refusal";
import { startWebhookReceiver, type WebhookReceiver } from "./support/webhook-receiver";
import { SYSTEM_ACTOR } from "../lib/domain/command/actor";
import { livePaths, readLiveVersion } from "../lib/protocol/lineage/lineage-files";
import { probeTlsEndpoint } from "../lib/protocol/tls/probe-tls-endpoint";
import { startNginxTestbed, type NginxSite, type NginxTestbed } from "../lib/testbed/nginx-testbed";

const NAME = "shop.deploy.test";
const NAMES = [NAME, `www.${NAME}`];

/**
 * The local nginx deploy target end to end: a real Pebble issues and renews, the real job runner
 * writes CertDeck's live/ files, and a real nginx on loopback serves them over TLS. Each renewal
 * goes through the guarded reload (nginx -t, reload, the served fingerprint for every name) and
 * ends in the Deployment row, the version's deploy status, the job log and the notifications.
 */
describe("deploy target: nginx on this server", () => {
  let app: AppHarness;
  let nginx: NginxTestbed;
  let webhook: WebhookReceiver;
  let certificateId: string;
  let targetId: string;
  let sites: NginxSite[];
  let modules: {
    targets: typeof import("../lib/domain/deploy/targets/manage-targets");
    certificateTargets: typeof import("../lib/domain/certificates/deploy-targets");
    queries: typeof import("../lib/domain/deploy/targets/queries");
    scheduler: typeof import("../lib/jobs/scheduler");
    window: typeof import("../lib/domain/deploy/maintenance-window");
  };

  before(async () => {
    process.env.CERTDECK_TIME_ZONE = "UTC";
    app = await startAppHarness();
    modules = {
      targets: await import("../lib/domain/deploy/targets/manage-targets"),
      certificateTargets: await import("../lib/domain/certificates/deploy-targets"),
      queries: await import("../lib/domain/deploy/targets/queries"),
      scheduler: await import("../lib/jobs/scheduler"),
      window: await import("../lib/domain/deploy/maintenance-window"),
    };
    const accountId = await app.registerPebbleAccount();
    await app.modules.settings.setSetting("standalonePort", app.httpPort);
    webhook = await startWebhookReceiver();
    const { encryptSecret } = await import("../lib/data/secret-box");
    await app.modules.db.notificationChannel.create({
      data: { type: "webhook", name: "ops chat", configEnc: encryptSecret(JSON.stringify({ type: "webhook", url: webhook.url, privateNetwork: true })) },
    });

    // Version 1, before any target exists: deployed as before (the files in live/).
    const created = await app.modules.createCertificate(SYSTEM_ACTOR, {
      names: NAMES.join("\n"),
      accountId,
      keyType: "ec-p256",
      challengeMethod: "http-01-standalone",
    });
    certificateId = created.certificateId;
    assert.deepEqual(await app.waitForJob(created.jobId), { status: "succeeded", error: null });
    assert.equal((await current()).deployStatus, "deployed");

    // nginx reads CertDeck's live/ files, as an operator's config would.
    const live = livePaths(app.dataDir, NAME);
    sites = [{ serverNames: NAMES, certificatePath: live.fullchain, keyPath: live.privkey }];
    nginx = await startNginxTestbed({ workDir: path.join(app.dataDir, "nginx"), sites });
    assert.equal(await served(NAME), (await current()).fingerprintSha256);

    const target = await modules.targets.createDeployTarget(SYSTEM_ACTOR, {
      type: "nginx",
      name: "local nginx",
      testCommand: nginx.testCommand,
      reloadCommand: nginx.reloadCommand,
      verifyAddress: nginx.address,
      verifyTimeoutSeconds: 5,
    });
    targetId = target.id;
    await modules.certificateTargets.setCertificateDeployTargets(SYSTEM_ACTOR, { certificateId, useDefaults: false, targetIds: [targetId] });
  });

  after(async () => {
    await nginx?.stop();
    await webhook?.close();
    await app?.stop();
  });

  async function current() {
    const certificate = await app.modules.db.certificate.findUniqueOrThrow({ where: { id: certificateId }, include: { currentVersion: true } });
    return certificate.currentVersion!;
  }

  async function deployment(versionId: string) {
    return app.modules.db.deployment.findUniqueOrThrow({ where: { versionId_targetId: { versionId, targetId } } });
  }

  /** The leaf nginx serves for a name (SNI), by its SHA-256 fingerprint. */
  async function served(name: string) {
    const probe = await probeTlsEndpoint({ host: nginx.host, port: nginx.port, servername: name });
    assert.ok(probe.served, probe.message);
    return probe.served.leaf.fingerprintSha256;
  }

  async function renew() {
    const { jobId } = await app.modules.queue.enqueueCertificateJob(certificateId, "renew");
    assert.deepEqual(await app.waitForJob(jobId), { status: "succeeded", error: null }, "the certificate is issued either way; the deploy is what may fail");
    return jobId;
  }

  async function jobLog(jobId: string) {
    return (await app.modules.db.jobEvent.findMany({ where: { jobId }, orderBy: { id: "asc" } })).map((event) => ({
      level: event.level,
      message: event.message,
      detail: event.detail,
    }));
  }

  it("refuses bad settings on their fields, and the audit log never holds a key or a command", async () => {
    const bad = await refusalOf(
      modules.targets.createDeployTarget(SYSTEM_ACTOR, {
        type: "ssh",
        name: "local nginx",
        host: "deploy@web-1",
        username: "deploy",
        fullchainPath: "/etc/ssl/shop/",
        keyMode: 0o644,
        verifyAddress: "web-1:99999",
        privateKeySource: "paste",
        privateKey: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIE certdeck",
      }),
    );
    assert.equal(bad.code, "invalid_input");
    assert.deepEqual(bad.fieldErrors, {
      host: ["Enter a host name or address only, without a user or a path"],
      fullchainPath: ["Give a file's path, not a directory's"],
      keyMode: ["Others must not read or write a private key: use 0600 or 0640"],
      verifyAddress: ['"web-1:99999": the port must be a number from 1 to 65535'],
      keyPath: ["Enter where the private key goes, such as /etc/ssl/private/shop.key"],
    });
    const publicKeyPasted = await refusalOf(
      modules.targets.createDeployTarget(SYSTEM_ACTOR, {
        type: "ssh",
        name: "web-9",
        host: "web-9",
        username: "deploy",
        fullchainPath: "/f.pem",
        keyPath: "/k.pem",
        privateKeySource: "paste",
        privateKey: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIE certdeck",
      }),
    );
    assert.deepEqual(publicKeyPasted.fieldErrors, {
      privateKey: ["This is a public key. Paste the private key here; the public key goes into the server's ~/.ssh/authorized_keys."],
    });
    const taken = await refusalOf(modules.targets.createDeployTarget(SYSTEM_ACTOR, { type: "command", name: "local nginx", command: "true" }));
    assert.deepEqual(taken.fieldErrors, { name: ["Another deploy target has this name."] });
    const empty = await refusalOf(modules.targets.createDeployTarget(SYSTEM_ACTOR, { type: "command", name: "copy", command: "  " }));
    assert.deepEqual(Object.keys(empty.fieldErrors), ["command"]);
    const retyped = await refusalOf(modules.targets.updateDeployTarget(SYSTEM_ACTOR, { id: targetId, type: "command", name: "local nginx", command: "true" }));
    assert.deepEqual(retyped.fieldErrors, { type: ["A target's kind cannot change: add a new target instead."] });

    const secret = "echo s3cret-token | deploy";
    const saved = await modules.targets.createDeployTarget(SYSTEM_ACTOR, { type: "command", name: "push", command: secret });
    await modules.targets.updateDeployTarget(SYSTEM_ACTOR, { id: saved.id, type: "command", name: "push", command: `${secret} --now` });
    await modules.targets.deleteDeployTarget(SYSTEM_ACTOR, { id: saved.id });
    const audit = await app.modules.db.auditEvent.findMany({ where: { action: { startsWith: "deploy-target." } }, orderBy: { id: "asc" } });
    assert.deepEqual(
      audit.filter((event) => event.target === "push").map((event) => [event.action, JSON.parse(event.detail ?? "{}")]),
      [
        ["deploy-target.add", { type: "command", isDefault: false }],
        ["deploy-target.change", { changed: ["command"] }],
        ["deploy-target.delete", { type: "command", assignedTo: 0 }],
      ],
    );
    for (const event of audit) assert.doesNotMatch(`${event.detail}`, /s3cret|PRIVATE KEY/);
  });

  it("a version issued before the target was chosen is not on it yet: pending, with nothing recorded", async () => {
    const version = await current();
    assert.equal(version.deployStatus, "pending");
    const view = await modules.queries.getCertificateDeployTargets(certificateId);
    assert.equal(view?.usesDefaults, false);
    assert.deepEqual(
      view?.targets.map((target) => ({ name: target.name, verifyAddress: target.verifyAddress, deployment: target.deployment })),
      [{ name: "local nginx", verifyAddress: nginx.address, deployment: null }],
    );
  });

  it("renew → nginx -t → reload → the probe sees the new fingerprint for every name: verified, with the deploy hook still run beside it", async () => {
    const hookLog = path.join(app.dataDir, "deploy-hook.log");
    await app.modules.db.certificate.update({ where: { id: certificateId }, data: { deployHook: `echo "hook $RENEWED_DOMAINS" >> ${hookLog}` } });
    const jobId = await renew();
    const version = await current();
    assert.equal(version.version, 2);
    for (const name of NAMES) assert.equal(await served(name), version.fingerprintSha256, name);
    const row = await deployment(version.id);
    assert.equal(row.status, "verified");
    assert.equal(row.servedFingerprint, version.fingerprintSha256);
    assert.equal(row.error, null);
    assert.equal(row.attempts, 1);
    assert.deepEqual(
      { deployStatus: version.deployStatus, deployError: version.deployError, deployHookStatus: version.deployHookStatus },
      { deployStatus: "deployed", deployError: null, deployHookStatus: "deployed" },
    );
    assert.equal(await readFile(hookLog, "utf8"), `hook ${NAMES.join(" ")}\n`, "the certificate's deploy hook keeps running as before");

    const log = await jobLog(jobId);
    const messages = log.map((event) => event.message);
    assert.ok(messages.includes(`local nginx: ${nginx.testCommand}: the configuration is valid`), messages.join("\n"));
    assert.ok(messages.includes(`local nginx: ${nginx.reloadCommand}: done`), messages.join("\n"));
    assert.ok(
      messages.includes(`local nginx: nginx serves version 2 (fingerprint ${version.fingerprintSha256}) at ${nginx.address} for ${NAMES.join(", ")}`),
      messages.join("\n"),
    );
    assert.match(messages.at(-1) ?? "", /^Certificate version 2 is live, valid until /);
    await app.modules.db.certificate.update({ where: { id: certificateId }, data: { deployHook: null } });
  });

  it("a broken nginx config: nginx -t refuses, nothing is reloaded, the old certificate stays served, the reason is on the Deployment; fixed, Deploy now recovers", async () => {
    const before = await current();
    await nginx.writeBrokenConfig();
    const logOffset = (await stat(nginx.errorLogPath)).size;
    const jobId = await renew();
    const version = await current();
    assert.equal(version.version, 3);

    const row = await deployment(version.id);
    assert.equal(row.status, "failed");
    assert.match(
      row.error ?? "",
      /^Deploy stopped before the reload: .* -t \(exit 1\): [\s\S]*unknown directive "ssl_certificat_typo"[\s\S]*\. nginx keeps serving the certificate it had loaded\.$/,
    );
    assert.equal(row.nextAttemptAt, null, "a refused config is not retried by itself");
    for (const name of NAMES) assert.equal(await served(name), before.fingerprintSha256, `${name}: still version 2`);
    const nginxLog = (await readFile(nginx.errorLogPath)).subarray(logOffset).toString("utf8");
    assert.doesNotMatch(nginxLog, /reconfiguring/, "nginx was not reloaded");
    assert.equal(version.deployStatus, "deploy-failed");
    assert.equal(version.deployError, `local nginx: ${row.error}`);
    const log = await jobLog(jobId);
    assert.ok(
      log.some(
        (event) =>
          event.level === "error" && event.message.startsWith("local nginx:") && /refuses the configuration: nginx was not reloaded/.test(event.message),
      ),
    );
    assert.ok(log.some((event) => event.level === "error" && /issued, not deployed/.test(event.message)));
    const failure = webhook.events("deploy-failed").find((body) => body.versionId === version.id);
    assert.ok(failure, "the webhook got the failure");
    assert.deepEqual(failure.target, { id: targetId, name: "local nginx" });
    assert.equal(failure.rolledBack, false);
    assert.match(String(failure.text), /shop\.deploy\.test: deploy to local nginx failed/);

    // Fixed: "Deploy now" on the target deploys version 3, and the recovery is announced.
    await nginx.writeConfig(sites);
    const { jobId: deployJobId } = await modules.certificateTargets.deployToTargetNow(SYSTEM_ACTOR, { certificateId, targetId });
    assert.deepEqual(await app.waitForJob(deployJobId), { status: "succeeded", error: null });
    const fixed = await deployment(version.id);
    assert.equal(fixed.status, "verified");
    assert.equal(fixed.error, null);
    for (const name of NAMES) assert.equal(await served(name), version.fingerprintSha256, name);
    assert.equal((await current()).deployStatus, "deployed");
    assert.ok(
      webhook.events("deploy-recovered").some((body) => body.versionId === version.id),
      "the recovery is announced",
    );
  });

  it("an nginx that serves a copy of the files: served ≠ issued, live/ rolled back, notified once per version and target", async () => {
    const before = await current();
    // Someone copied the files into nginx's own directory: renewals never reach it.
    const copies = path.join(app.dataDir, "nginx-copy");
    await mkdir(copies, { recursive: true });
    const live = livePaths(app.dataDir, NAME);
    await copyFile(live.fullchain, path.join(copies, "fullchain.pem"));
    await copyFile(live.privkey, path.join(copies, "privkey.pem"));
    await nginx.writeConfig([{ serverNames: NAMES, certificatePath: path.join(copies, "fullchain.pem"), keyPath: path.join(copies, "privkey.pem") }]);
    assert.equal((await nginx.reload()).applied, true);

    await renew();
    const version = await current();
    assert.equal(version.version, 4);
    const row = await deployment(version.id);
    assert.equal(row.status, "rolled-back");
    assert.equal(
      row.error,
      `Deploy failed, rolled back to version 3: ${NAMES.map((name) => `nginx still serves version 3 (fingerprint ${before.fingerprintSha256}) at ${nginx.address} for ${name}`).join("; ")}.`,
    );
    assert.equal(row.servedFingerprint, before.fingerprintSha256);
    assert.equal(await readLiveVersion(app.dataDir, NAME), 3, "live/ points at what is served");
    assert.equal(version.deployStatus, "deploy-failed");

    const notified = webhook.events("deploy-failed").filter((body) => body.versionId === version.id);
    assert.equal(notified.length, 1);
    assert.equal(notified[0].rolledBack, true);
    assert.match(String(notified[0].text), /^shop\.deploy\.test: deploy to local nginx failed, rolled back\n\n/);
    assert.match(String(notified[0].text), /Reason: Deploy failed, rolled back to version 3: nginx still serves version 3/);

    // Deploying again fails the same way: no second notification for this version and target.
    const { jobId } = await modules.certificateTargets.deployToTargetNow(SYSTEM_ACTOR, { certificateId, targetId });
    const again = await app.waitForJob(jobId);
    assert.equal(again.status, "failed");
    assert.match(again.error ?? "", /^Version 4 was not deployed to local nginx: Deploy failed, rolled back to version 3/);
    assert.equal(webhook.events("deploy-failed").filter((body) => body.versionId === version.id).length, 1);
    const deliveries = await app.modules.db.notificationDelivery.findMany({ where: { eventKey: `deploy-failed:${version.id}:${targetId}` } });
    assert.equal(deliveries.length, 1);
    assert.equal(deliveries[0].status, "sent");

    await nginx.writeConfig(sites);
    await nginx.reload();
  });

  it("waits for the maintenance window with the deploy targets, and the scheduler deploys when it opens", async () => {
    // Put live/ and nginx back on the current version first.
    const { jobId: catchUp } = await modules.certificateTargets.deployToTargetNow(SYSTEM_ACTOR, { certificateId, targetId });
    assert.deepEqual(await app.waitForJob(catchUp), { status: "succeeded", error: null });
    const before = await current();
    assert.equal(await served(NAME), before.fingerprintSha256);

    const hour = (new Date().getUTCHours() + 3) % 24;
    const spec = `daily ${String(hour).padStart(2, "0")}:00-${String((hour + 1) % 24).padStart(2, "0")}:00`;
    await app.modules.db.certificate.update({ where: { id: certificateId }, data: { maintenanceWindow: spec } });
    const jobId = await renew();
    const version = await current();
    const row = await deployment(version.id);
    const parsed = modules.window.parseMaintenanceWindow(spec);
    assert.ok(parsed.ok);
    const opensAt = modules.window.nextWindowStart(parsed.window, new Date(), "UTC");
    assert.deepEqual({ status: row.status, nextAttemptAt: row.nextAttemptAt }, { status: "waiting-window", nextAttemptAt: opensAt });
    assert.equal(version.deployStatus, "waiting-window");
    assert.equal(await served(NAME), before.fingerprintSha256, "nginx was not touched");
    assert.ok(
      (await jobLog(jobId)).some((event) => event.message.startsWith("Issued; the deploy target local nginx waits for the maintenance window opening")),
    );

    const tick = await modules.scheduler.runSchedulerTick(new Date(opensAt.getTime() + 60_000));
    assert.equal(tick.deploysQueued.length, 1);
    assert.deepEqual(await app.waitForJob(tick.deploysQueued[0]), { status: "succeeded", error: null });
    assert.equal((await deployment(version.id)).status, "verified");
    assert.equal((await current()).deployStatus, "deployed");
    assert.equal(await served(NAME), version.fingerprintSha256);
    await app.modules.db.certificate.update({ where: { id: certificateId }, data: { maintenanceWindow: null } });
  });
});
