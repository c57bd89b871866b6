import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, readFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { after, before, describe, it } from "node:test";
import { openTestDatabase } from "./support/test-database";

const run = promisify(execFile);

interface LoggedStep {
  step: string;
  message: string;
  level: string;
  detail?: unknown;
}

/** A process that is gone, or a zombie waiting to be reaped (it runs nothing any more). */
async function isProcessGone(pid: number): Promise<boolean> {
  try {
    process.kill(pid, 0);
  } catch {
    return true;
  }
  const stat = await readFile(`/proc/${pid}/stat`, "utf8").catch(() => "");
  return stat === "" || stat.slice(stat.lastIndexOf(")") + 2).startsWith("Z");
}

/** Every process of a group is gone or a zombie. */
async function isGroupGone(pgid: number): Promise<boolean> {
  try {
    process.kill(-pgid, 0);
  } catch {
    return true;
  }
  const { stdout } = await run("ps", ["-e", "-o", "pgid=,stat="]).catch(() => ({ stdout: "" }));
  return stdout
    .split("\n")
    .map((line) => line.trim().split(/\s+/))
    .filter(([group]) => Number(group) === pgid)
    .every(([, state]) => state.startsWith("Z"));
}

/**
 * Deploy, pre- and post-hooks against a real SQLite file and real /bin/sh processes: the hook
 * environment, logged output, failures, timeouts and the maintenance window rule.
 */
describe("hooks and deploy", () => {
  let dataDir: string;
  let leafPem: string;
  let modules: {
    db: typeof import("../lib/data/client").db;
    settings: typeof import("../lib/data/settings");
    deploy: typeof import("../lib/domain/deploy/deploy-version");
    effective: typeof import("../lib/domain/deploy/effective-settings");
    hooks: typeof import("../lib/domain/deploy/hooks");
    lineage: typeof import("../lib/protocol/lineage/lineage-files");
  };
  let accountId: string;

  before(async () => {
    ({ dataDir } = await openTestDatabase({ label: "hooks" }));
    process.env.CERTDECK_TIME_ZONE = "UTC";
    modules = {
      db: (await import("../lib/data/client")).db,
      settings: await import("../lib/data/settings"),
      deploy: await import("../lib/domain/deploy/deploy-version"),
      effective: await import("../lib/domain/deploy/effective-settings"),
      hooks: await import("../lib/domain/deploy/hooks"),
      lineage: await import("../lib/protocol/lineage/lineage-files"),
    };
    const keyFile = path.join(dataDir, "test-key.pem");
    const { stdout } = await run("openssl", [
      "req",
      "-x509",
      "-newkey",
      "ec",
      "-pkeyopt",
      "ec_paramgen_curve:P-256",
      "-nodes",
      "-keyout",
      keyFile,
      "-days",
      "90",
      "-subj",
      "/CN=shop.example.test",
    ]);
    leafPem = stdout;
    const account = await modules.db.acmeAccount.create({
      data: { label: "test", directoryUrl: "https://ca.example/dir", email: "a@example.test", accountKeyEnc: "v1:x", status: "valid" },
    });
    accountId = account.id;
  });

  after(async () => modules?.db.$disconnect());

  /**
   * A certificate with a deployed version 1 (expiring at `servedUntil`) and a freshly issued
   * version 2 whose files are in live/, as the issue job leaves them before it calls deployVersion.
   */
  async function seedCertificate(
    name: string,
    options: {
      servedUntil?: Date | null;
      maintenanceWindow?: string | null;
      deployHook?: string | null;
      preHook?: string | null;
      postHook?: string | null;
    } = {},
  ) {
    const { db, lineage } = modules;
    const certificate = await db.certificate.create({
      data: {
        name,
        identifiers: JSON.stringify([
          { type: "dns", value: name },
          { type: "dns", value: `www.${name}` },
        ]),
        keyType: "ec-p256",
        challengeMethod: "http-01-app",
        status: "valid",
        accountId,
        maintenanceWindow: options.maintenanceWindow ?? null,
        deployHook: options.deployHook ?? null,
        preHook: options.preHook ?? null,
        postHook: options.postHook ?? null,
      },
    });
    const version = (number: number, notAfter: Date, deployStatus: string) =>
      db.certificateVersion.create({
        data: {
          certificateId: certificate.id,
          version: number,
          serial: `0${number}`,
          notBefore: new Date(notAfter.getTime() - 90 * 24 * 3600 * 1000),
          notAfter,
          issuer: "test",
          fingerprintSha256: "00",
          chainPem: leafPem,
          privateKeyEnc: "v1:x",
          deployStatus,
        },
      });
    if (options.servedUntil !== null) await version(1, options.servedUntil ?? new Date("2026-03-01T00:00:00Z"), "deployed");
    const issued = await version(options.servedUntil === null ? 1 : 2, new Date("2026-04-01T00:00:00Z"), "deployed");
    await db.certificate.update({ where: { id: certificate.id }, data: { currentVersionId: issued.id } });
    await lineage.writeLineageVersion(dataDir, name, { version: issued.version, chainPem: leafPem, privateKeyPem: "-----BEGIN PRIVATE KEY-----\n" });
    return { certificateId: certificate.id, versionId: issued.id };
  }

  function createLog() {
    const steps: LoggedStep[] = [];
    const log = async (step: string, message: string, options: { level?: string; detail?: unknown } = {}) => {
      steps.push({ step, message, level: options.level ?? "info", detail: options.detail });
    };
    return { steps, log };
  }

  async function versionRow(versionId: string) {
    return modules.db.certificateVersion.findUniqueOrThrow({ where: { id: versionId }, select: { deployStatus: true, deployedAt: true, deployError: true } });
  }

  it("runs the deploy hook with certbot's RENEWED_LINEAGE and RENEWED_DOMAINS and logs its output", async () => {
    const envFile = path.join(dataDir, "deploy-env.txt");
    const hook = `env > "${envFile}" && test -f "$RENEWED_LINEAGE/fullchain.pem" && echo "reloading" && echo "a warning" >&2 && echo done`;
    const { certificateId, versionId } = await seedCertificate("env.example.test", { deployHook: hook });
    const { steps, log } = createLog();
    const now = new Date("2026-01-07T12:00:00Z");

    const outcome = await modules.deploy.deployVersion({ certificateId, versionId, log, now });

    assert.deepEqual(outcome, { status: "deployed", hookRan: true });
    const env = Object.fromEntries(
      (await readFile(envFile, "utf8"))
        .split("\n")
        .filter((line) => line.startsWith("RENEWED_"))
        .map((line) => [line.slice(0, line.indexOf("=")), line.slice(line.indexOf("=") + 1)]),
    );
    assert.deepEqual(env, {
      RENEWED_LINEAGE: path.join(dataDir, "live", "env.example.test"),
      RENEWED_DOMAINS: "env.example.test www.env.example.test",
    });
    assert.deepEqual(
      steps.map(({ step, message, level }) => ({ step, message, level })),
      [
        { step: "deploy", message: `Running the deploy hook: ${hook}`, level: "info" },
        { step: "deploy", message: steps[1].message, level: "info" },
      ],
    );
    assert.match(steps[1].message, /^The deploy hook exited with code 0 after \d+\.\d s$/);
    assert.equal(steps[1].detail, "reloading\na warning\ndone\n", "stdout and stderr interleaved as written");
    const row = await versionRow(versionId);
    assert.deepEqual(row, { deployStatus: "deployed", deployedAt: now, deployError: null });
  });

  it("marks the version deploy-failed with the reason when the deploy hook fails", async () => {
    const hook = `echo "testing configuration"; echo "nginx: [emerg] unknown directive \\"ssl_certificat\\"" >&2; exit 1`;
    const { certificateId, versionId } = await seedCertificate("fails.example.test", { deployHook: hook });
    const { steps, log } = createLog();

    const outcome = await modules.deploy.deployVersion({ certificateId, versionId, log });

    const reason = `The deploy hook "${hook}" exited with code 1: nginx: [emerg] unknown directive "ssl_certificat"`;
    assert.deepEqual(outcome, { status: "deploy-failed", reason });
    assert.deepEqual(steps.at(-1), {
      step: "deploy",
      message: reason,
      level: "error",
      detail: 'testing configuration\nnginx: [emerg] unknown directive "ssl_certificat"\n',
    });
    const row = await versionRow(versionId);
    assert.equal(row.deployStatus, "deploy-failed");
    assert.equal(row.deployError, reason);
  });

  it("kills a deploy hook that runs past the timeout, with everything it started, and says so", async () => {
    await modules.settings.setSetting("hookTimeoutSeconds", 1);
    const pids = path.join(dataDir, "timeout-pids.txt");
    // $$ is the hook's shell, the leader of its process group; sleep runs in the background of it.
    const hook = `sleep 30 & echo "$$ $!" > "${pids}"; echo "waiting for the reload"; wait`;
    const { certificateId, versionId } = await seedCertificate("slow.example.test", { deployHook: hook });
    const { steps, log } = createLog();

    const started = Date.now();
    const outcome = await modules.deploy.deployVersion({ certificateId, versionId, log });
    const elapsed = Date.now() - started;

    const reason = `The deploy hook "${hook}" timed out after 1 s and was stopped; its last output: waiting for the reload`;
    assert.deepEqual(outcome, { status: "deploy-failed", reason });
    assert.ok(elapsed < 4000, `returned after ${elapsed} ms`);
    const [shellPid, sleepPid] = (await readFile(pids, "utf8")).trim().split(" ").map(Number);
    assert.equal(await isProcessGone(sleepPid), true, "the background sleep was killed");
    assert.equal(await isGroupGone(shellPid), true, "the hook's process group is gone");
    assert.equal(steps.at(-1)?.level, "error");
    assert.equal((await versionRow(versionId)).deployError, reason);
    await modules.settings.setSetting("hookTimeoutSeconds", 120);
  });

  it("waits for the maintenance window, and deploys when asked to ignore it", async () => {
    const marker = path.join(dataDir, "window-ran.txt");
    const { certificateId, versionId } = await seedCertificate("window.example.test", {
      maintenanceWindow: "Mon 01:00-03:00",
      deployHook: `echo ran > "${marker}"`,
      servedUntil: new Date("2026-03-01T00:00:00Z"),
    });
    const { steps, log } = createLog();
    const wednesday = new Date("2026-01-07T12:00:00Z");

    const outcome = await modules.deploy.deployVersion({ certificateId, versionId, log, now: wednesday });

    assert.deepEqual(outcome, { status: "waiting-window", windowOpensAt: new Date("2026-01-12T01:00:00Z") });
    assert.equal(steps.length, 1);
    assert.equal(steps[0].message, "Issued; the deploy hook waits for the maintenance window opening Mon, 12 Jan 2026, 01:00 UTC");
    assert.equal(existsSync(marker), false, "the hook did not run");
    assert.equal((await versionRow(versionId)).deployStatus, "waiting-window");

    const { listVersionsWaitingForWindow } = modules.deploy;
    assert.deepEqual(
      (await listVersionsWaitingForWindow(wednesday)).filter((entry) => entry.versionId === versionId),
      [],
    );
    assert.deepEqual(
      (await listVersionsWaitingForWindow(new Date("2026-01-12T01:30:00Z"))).filter((entry) => entry.versionId === versionId),
      [{ versionId, certificateId, reason: "window-open" }],
    );

    const later = createLog();
    const deployed = await modules.deploy.deployVersion({ certificateId, versionId, log: later.log, now: wednesday, ignoreWindow: true });
    assert.deepEqual(deployed, { status: "deployed", hookRan: true });
    assert.equal(existsSync(marker), true);
    assert.equal((await versionRow(versionId)).deployStatus, "deployed");
  });

  it("deploys at once when the certificate being served expires before the window opens", async () => {
    const { certificateId, versionId } = await seedCertificate("expiring.example.test", {
      maintenanceWindow: "Mon 01:00-03:00",
      deployHook: "true",
      servedUntil: new Date("2026-01-10T00:00:00Z"),
    });
    const { steps, log } = createLog();

    const outcome = await modules.deploy.deployVersion({ certificateId, versionId, log, now: new Date("2026-01-07T12:00:00Z") });

    assert.deepEqual(outcome, { status: "deployed", hookRan: true });
    assert.deepEqual(steps[0], {
      step: "deploy",
      message:
        "The certificate still being served (version 1) expires Sat, 10 Jan 2026, 00:00 UTC, before the maintenance window opens (Mon, 12 Jan 2026, 01:00 UTC): running the deploy hook now",
      level: "warn",
      detail: undefined,
    });
  });

  it("lists a waiting version for deploy when its served certificate would expire before the window", async () => {
    const { certificateId, versionId } = await seedCertificate("listed.example.test", {
      maintenanceWindow: "Mon 01:00-03:00",
      deployHook: "true",
      servedUntil: new Date("2026-01-10T00:00:00Z"),
    });
    await modules.db.certificateVersion.update({ where: { id: versionId }, data: { deployStatus: "waiting-window" } });
    const due = await modules.deploy.listVersionsWaitingForWindow(new Date("2026-01-07T12:00:00Z"));
    assert.deepEqual(
      due.filter((entry) => entry.certificateId === certificateId),
      [{ versionId, certificateId, reason: "expires-before-window" }],
    );
  });

  it("uses the global deploy hook unless the certificate sets its own, and marks a version without hook deployed", async () => {
    await modules.settings.setSetting("defaultDeployHook", "echo global-hook");
    const inherits = await seedCertificate("global.example.test");
    const global = createLog();
    assert.deepEqual(await modules.deploy.deployVersion({ ...inherits, log: global.log }), { status: "deployed", hookRan: true });
    assert.equal(global.steps[0].message, "Running the deploy hook: echo global-hook");
    assert.equal(global.steps[1].detail, "global-hook\n");

    const optsOut = await seedCertificate("none.example.test", { deployHook: "" });
    const none = createLog();
    const now = new Date("2026-01-07T12:00:00Z");
    assert.deepEqual(await modules.deploy.deployVersion({ ...optsOut, log: none.log, now }), { status: "deployed", hookRan: false });
    assert.equal(none.steps.length, 1, "never a silent success");
    assert.match(none.steps[0].message, /^No deploy hook is set: version 2 is in .*live\/none\.example\.test\//);
    assert.deepEqual(await versionRow(optsOut.versionId), { deployStatus: "deployed", deployedAt: now, deployError: null });
    await modules.settings.setSetting("defaultDeployHook", "");
  });

  it("runs pre- and post-hooks and reports a failing pre-hook so the caller can stop", async () => {
    await modules.settings.setSetting("defaultPreHook", "echo 'port 80 is busy' >&2; exit 2");
    const { certificateId } = await seedCertificate("prepost.example.test", { postHook: "echo started again" });
    const { steps, log } = createLog();

    const pre = await modules.deploy.runPreHook(await modules.effective.getEffectiveRenewalSettings(certificateId), log);
    assert.deepEqual(pre, {
      status: "failed",
      command: "echo 'port 80 is busy' >&2; exit 2",
      reason: `The pre-hook "echo 'port 80 is busy' >&2; exit 2" exited with code 2: port 80 is busy`,
    });
    const post = await modules.deploy.runPostHook(await modules.effective.getEffectiveRenewalSettings(certificateId), log);
    assert.equal(post.status, "succeeded");
    assert.deepEqual(
      steps.map(({ step, level }) => `${step}:${level}`),
      ["pre-hook:info", "pre-hook:error", "post-hook:info", "post-hook:info"],
    );
    assert.equal(steps[3].detail, "started again\n");

    const optedOut = await seedCertificate("nopre.example.test", { preHook: "" });
    assert.deepEqual(
      await modules.deploy.runPreHook(await modules.effective.getEffectiveRenewalSettings(optedOut.certificateId), log),
      { status: "skipped" },
      'the certificate\'s "" wins over the global pre-hook',
    );
    await modules.settings.setSetting("defaultPreHook", "");
  });
});

describe("runHook", () => {
  let hooks: typeof import("../lib/domain/deploy/hooks");
  before(async () => {
    hooks = await import("../lib/domain/deploy/hooks");
  });

  it("returns a non-zero exit code instead of throwing, with the environment given but not the master key", async () => {
    process.env.CERTDECK_SECRET_KEY = "do-not-leak";
    const result = await hooks.runHook('echo "$GREETING ${CERTDECK_SECRET_KEY:-withheld}"; exit 3', { env: { GREETING: "hello" }, timeoutMs: 5000 });
    delete process.env.CERTDECK_SECRET_KEY;
    assert.equal(result.exitCode, 3);
    assert.equal(result.output, "hello withheld\n");
    assert.equal(result.timedOut, false);
  });

  it("keeps the last 16 KiB of a long output", async () => {
    const result = await hooks.runHook("head -c 40000 /dev/zero | tr '\\0' 'a'; echo; echo END", { env: {}, timeoutMs: 5000 });
    assert.equal(result.exitCode, 0);
    assert.ok(result.output.startsWith("[… earlier output dropped; the last 16 KiB follow]\n"));
    assert.ok(result.output.endsWith("a\nEND\n"));
    assert.equal(Buffer.byteLength(result.output.slice(result.output.indexOf("\n") + 1)), 16 * 1024);
  });

  it("kills a group that ignores SIGTERM with SIGKILL after the grace period", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "certdeck-hook-"));
    const pidFile = path.join(dir, "pid");
    const started = Date.now();
    const result = await hooks.runHook(`trap '' TERM; echo $$ > "${pidFile}"; sleep 30; echo never`, { env: {}, timeoutMs: 300 });
    assert.equal(result.timedOut, true);
    assert.equal(result.exitCode, null);
    assert.equal(result.signal, "SIGKILL");
    assert.ok(Date.now() - started < 3500);
    assert.equal(await isGroupGone(Number((await readFile(pidFile, "utf8")).trim())), true);
  });

  it("does not wait for background processes the hook leaves running", async () => {
    const started = Date.now();
    const result = await hooks.runHook("sleep 5 & echo $!; echo started", { env: {}, timeoutMs: 10_000 });
    assert.ok(Date.now() - started < 2000, `returned after ${Date.now() - started} ms`);
    assert.equal(result.exitCode, 0);
    const [pid, message] = result.output.trim().split("\n");
    assert.equal(message, "started");
    process.kill(Number(pid), "SIGTERM");
  });

  it("reports a working directory that does not exist", async () => {
    const result = await hooks.runHook("true", { env: {}, timeoutMs: 5000, cwd: "/nonexistent/certdeck" });
    assert.equal(result.exitCode, null);
    assert.match(result.output, /could not run the hook/);
  });

  it("sets the variables exactly as certbot does", () => {
    assert.deepEqual(hooks.hookEnvironment("/etc/letsencrypt/live/example.com", ["example.com", "www.example.com"]), {
      RENEWED_LINEAGE: "/etc/letsencrypt/live/example.com",
      RENEWED_DOMAINS: "example.com www.example.com",
    });
  });
});
