import assert from "node:assert/strict";
import { generateKeyPairSync } from "node:crypto";
import { readFileSync } from "node:fs";
import { chmod, chown, mkdir, mkdtemp, readFile, readdir, rm, stat, writeFile } from "node:fs/promises";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { AppError } from "../lib/core/app-error";
import { checkSshLogin, deployOverSsh, type SshDeployPlan } from "../lib/protocol/ssh/deploy-over-ssh";
import { connectSsh, scanHostKey, withSshConnection, type SshTarget } from "../lib/protocol/ssh/connect";
import type { HostKey } from "../lib/protocol/ssh/host-key";
import { CERTIFICATE_MODE, PRIVATE_KEY_MODE } from "../lib/protocol/ssh/install-files";
import { generateSshKeyPair, readPrivateKey } from "../lib/protocol/ssh/private-key";
import { runRemoteCommand } from "../lib/protocol/ssh/remote-command";
import { findFreePort } from "../lib/testbed/pebble-testbed";
import { fingerprintOfPem, startNginxTestbed, type NginxTestbed } from "../lib/testbed/nginx-testbed";
import { generateKeyWithSshKeygen, startSshdTestbed, type SshdTestbed } from "../lib/testbed/sshd-testbed";
import { makeCertificateSet, type CertificateSet } from "./support/openssl-certificates";

/** Asserts an AppError with this code whose user message matches every pattern; returns it. */
function appError(code: string, ...patterns: (RegExp | string)[]) {
  return (error: unknown) => {
    assert.ok(error instanceof AppError, `expected an AppError, got ${String(error)}`);
    assert.equal(error.code, code, error.userMessage);
    for (const pattern of patterns) {
      if (typeof pattern === "string") assert.ok(error.userMessage.includes(pattern), `"${error.userMessage}" lacks "${pattern}"`);
      else assert.match(error.userMessage, pattern);
    }
    return true;
  };
}

/** A process's command line from /proc ("" once it is gone). */
function commandLineOf(pid: string): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "latin1");
  } catch {
    return "";
  }
}

/** Temporary files CertDeck left in a directory (there must be none after any deploy). */
async function leftovers(dir: string): Promise<string[]> {
  return (await readdir(dir)).filter((name) => name.includes(".certdeck-"));
}

/**
 * Deploys over SSH to a real OpenSSH server on loopback (this machine's sshd with its own
 * config), into the files a second nginx on loopback serves, then reloads that nginx through the
 * SSH connection and checks the certificate it serves.
 */
describe("deploy over SSH/SFTP to a real sshd and nginx", () => {
  let work: string;
  let sshd: SshdTestbed;
  let nginx: NginxTestbed;
  let remoteDir: string;
  let first: CertificateSet;
  let second: CertificateSet;
  let pinned: HostKey;
  const paths = () => ({
    fullchain: path.join(remoteDir, "fullchain.pem"),
    chain: path.join(remoteDir, "chain.pem"),
    key: path.join(remoteDir, "privkey.pem"),
  });
  const rootTarget = (overrides: Partial<SshTarget> = {}): SshTarget => ({
    host: sshd.host,
    port: sshd.port,
    username: "root",
    privateKey: sshd.clientKey.privateKey,
    pinnedHostKey: pinned,
    connectTimeoutMs: 5000,
    handshakeTimeoutMs: 10_000,
    ...overrides,
  });
  const certificateFiles = (set: CertificateSet, owner?: { owner?: string | number; group?: string | number }): SshDeployPlan["files"] => [
    { path: paths().fullchain, content: set.fullchain, mode: CERTIFICATE_MODE },
    { path: paths().chain, content: set.chain, mode: CERTIFICATE_MODE, owner: owner?.owner, group: owner?.group },
    { path: paths().key, content: set.key, mode: PRIVATE_KEY_MODE, owner: owner?.owner, group: owner?.group },
  ];

  before(async () => {
    work = await mkdtemp(path.join(os.tmpdir(), "certdeck-ssh-"));
    sshd = await startSshdTestbed({ workDir: path.join(work, "sshd") });
    remoteDir = path.join(work, "remote", "ssl");
    await mkdir(remoteDir, { recursive: true });
    await chmod(work, 0o755);
    await chmod(path.join(work, "remote"), 0o755);
    first = await makeCertificateSet(path.join(work, "certs-1"), "ssh-deploy.test");
    second = await makeCertificateSet(path.join(work, "certs-2"), "ssh-deploy.test");
    // The web server starts with the first certificate, put there by hand.
    await writeFile(paths().fullchain, first.fullchain);
    await writeFile(paths().key, first.key, { mode: 0o600 });
    nginx = await startNginxTestbed({
      workDir: path.join(work, "nginx"),
      sites: [{ serverNames: ["ssh-deploy.test"], certificatePath: paths().fullchain, keyPath: paths().key }],
    });
    assert.equal(await nginx.servedFingerprint(), fingerprintOfPem(first.fullchain));
  });

  after(async () => {
    await nginx?.stop();
    await sshd?.stop();
    if (work) await rm(work, { recursive: true, force: true });
  });

  it("connects on first use without a pinned key and reports the host key as ssh-keygen shows it", async () => {
    const login = await checkSshLogin(rootTarget({ pinnedHostKey: null }));
    assert.equal(login.target, `root@127.0.0.1:${sshd.port}`);
    assert.equal(login.hostKey.fingerprint, sshd.hostKey.fingerprint);
    assert.equal(login.hostKey.type, "ssh-ed25519");
    assert.equal(login.hostKeyIsNew, true);
    pinned = login.hostKey;
    // ssh-keyscan's view, without logging in, is the same key.
    assert.deepEqual(await scanHostKey(sshd.host, sshd.port), pinned);
    const again = await checkSshLogin(rootTarget());
    assert.equal(again.hostKeyIsNew, false);
    await assert.rejects(
      checkSshLogin(rootTarget({ pinnedHostKey: { fingerprint: "MD5:16:27:ac:a5:76:28:2d:36" } })),
      appError("invalid_input", "is not an SSH fingerprint"),
    );
  });

  it("installs fullchain, chain and key with their modes, owner and content, runs the reload, and nginx serves the new certificate", async () => {
    const user = sshd.user;
    // Names go through `chown` on the host, numeric ids through SFTP: one of each.
    const owner = user ? { owner: user.name, group: user.group } : { owner: "root", group: "root" };
    const files = certificateFiles(second, owner);
    files[1] = { ...files[1], owner: user?.uid ?? 0, group: user?.gid ?? 0 };
    let seenHostKey: [HostKey, boolean] | null = null;

    const result = await deployOverSsh(rootTarget(), {
      files,
      reloadCommand: nginx.checkedReloadCommand,
      onHostKey: (hostKey, isNew) => {
        seenHostKey = [hostKey, isNew];
      },
    });

    assert.deepEqual(seenHostKey, [pinned, false]);
    assert.equal(result.reload?.exitCode, 0);
    assert.match(result.reload?.stderr ?? "", /test is successful/);
    const uid = user?.uid ?? 0;
    const gid = user?.gid ?? 0;
    const expected = [
      { path: paths().fullchain, mode: 0o644, uid: 0, gid: 0, content: second.fullchain },
      { path: paths().chain, mode: 0o644, uid, gid, content: second.chain },
      { path: paths().key, mode: 0o600, uid, gid, content: second.key },
    ];
    for (const file of expected) {
      const stats = await stat(file.path);
      assert.equal(stats.mode & 0o777, file.mode, file.path);
      assert.equal(stats.uid, file.uid, file.path);
      assert.equal(stats.gid, file.gid, file.path);
      assert.equal(await readFile(file.path, "utf8"), file.content);
      assert.deepEqual(
        result.files.find((installed) => installed.path === file.path),
        { path: file.path, mode: file.mode, uid: file.uid, gid: file.gid, bytes: Buffer.byteLength(file.content) },
      );
    }
    assert.deepEqual(await leftovers(remoteDir), []);
    await nginx.waitForFingerprint(fingerprintOfPem(second.fullchain));
  });

  it("reports a failing reload command with its exit code and output (the files are in place)", async () => {
    await assert.rejects(
      deployOverSsh(rootTarget(), {
        files: certificateFiles(first),
        reloadCommand: `echo checking the configuration; echo "nginx: [emerg] cannot load certificate key" >&2; exit 3`,
      }),
      appError(
        "deploy_failed",
        "The reload command `echo checking",
        `failed with exit code 3 on root@127.0.0.1:${sshd.port}`,
        "stderr: nginx: [emerg] cannot load certificate key",
        "stdout: checking the configuration",
      ),
    );
    assert.equal(await readFile(paths().fullchain, "utf8"), first.fullchain);

    await withSshConnection(rootTarget(), async (connection) => {
      const failed = await runRemoteCommand(connection, "printf out; printf err >&2; exit 7");
      assert.deepEqual([failed.exitCode, failed.stdout, failed.stderr, failed.truncated], [7, "out", "err", false]);
      // Output is bounded: the end is kept.
      const chatty = await runRemoteCommand(connection, "head -c 200000 /dev/zero | tr '\\0' x; echo END", { maxOutputBytes: 1000 });
      assert.equal(chatty.exitCode, 0);
      assert.equal(chatty.truncated, true);
      assert.ok(chatty.stdout.length <= 1000 && chatty.stdout.endsWith("xEND\n"), chatty.stdout.slice(-20));
      const started = Date.now();
      // A child of the shell (not exec'd: "echo never" follows), with an argument no other process has.
      const duration = `31.${process.pid}`;
      await assert.rejects(
        runRemoteCommand(connection, `echo started; sleep ${duration}; echo never`, { timeoutMs: 2500 }),
        appError("deploy_failed", "did not finish within 2.5 s", "CertDeck stopped it", "stdout: started"),
      );
      // Stopped at the timeout, not when the 31 s sleep ends (2.5 s leaves a busy host time to start the shell).
      assert.ok(Date.now() - started < 10_000);
      // The command's whole process group was killed on the host.
      const stillRunning = async () => (await readdir("/proc")).filter((pid) => /^\d+$/.test(pid)).some((pid) => commandLineOf(pid) === `sleep\0${duration}\0`);
      for (let tries = 0; tries < 40 && (await stillRunning()); tries++) await new Promise((resolve) => setTimeout(resolve, 50));
      assert.equal(await stillRunning(), false);
    });
  });

  it("refuses a wrong user key in plain words", async () => {
    const stranger = generateSshKeyPair("stranger");
    const mark = await sshd.logSize();
    await assert.rejects(
      checkSshLogin(rootTarget({ privateKey: stranger.privateKey })),
      appError(
        "upstream_failed",
        "The server refused the key for user root: add the public key to ~root/.ssh/authorized_keys on 127.0.0.1",
        stranger.fingerprint,
      ),
    );
    assert.doesNotMatch(await sshd.readLog(mark), /Accepted publickey/);
  });

  it("logs in with ed25519, ECDSA and RSA keys in OpenSSH, PEM and PKCS#8 formats", async () => {
    const keysDir = path.join(work, "client-keys");
    await mkdir(keysDir, { recursive: true });
    const fromSshKeygen = [
      await generateKeyWithSshKeygen(path.join(keysDir, "ecdsa"), "ecdsa"),
      await generateKeyWithSshKeygen(path.join(keysDir, "ecdsa-pem"), "ecdsa", { pem: true }),
      await generateKeyWithSshKeygen(path.join(keysDir, "rsa"), "rsa"),
      await generateKeyWithSshKeygen(path.join(keysDir, "rsa-pem"), "rsa", { pem: true }),
    ];
    const pkcs8 = [
      generateKeyPairSync("ed25519").privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
      generateKeyPairSync("ec", { namedCurve: "P-256" }).privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
      generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
    ];
    for (const key of fromSshKeygen) {
      // CertDeck's reading of the key agrees with ssh-keygen about which key it is.
      assert.equal(readPrivateKey(key.privateKey).fingerprint, key.fingerprint);
      await sshd.authorize(key.publicKey);
    }
    for (const pem of pkcs8) await sshd.authorize(readPrivateKey(pem).publicKey);
    for (const privateKey of [...fromSshKeygen.map((key) => key.privateKey), ...pkcs8]) {
      const login = await checkSshLogin(rootTarget({ privateKey }));
      assert.equal(login.hostKey.fingerprint, pinned.fingerprint);
    }
  });

  it("says plainly when a directory is missing, not writable, or the owner cannot be given away", async (t) => {
    const missing = path.join(work, "remote", "no-such-dir");
    await assert.rejects(
      deployOverSsh(rootTarget(), { files: [{ path: path.join(missing, "fullchain.pem"), content: "x" }] }),
      appError("deploy_failed", `The directory ${missing} does not exist on root@127.0.0.1:${sshd.port}: create it first (mkdir -p ${missing})`),
    );
    await assert.rejects(
      deployOverSsh(rootTarget(), { files: [{ path: path.join(remoteDir, "x.pem"), content: "x", owner: "no-such-user-here", group: "root" }] }),
      appError("deploy_failed", `Could not give ${path.join(remoteDir, "x.pem")} to no-such-user-here:root`, "invalid user"),
    );
    assert.deepEqual(await leftovers(remoteDir), []);

    const user = sshd.user;
    if (!user) {
      // Only root could be tested: say so in the test output rather than pretend.
      t.diagnostic(`no unprivileged user (${sshd.userProblem}); permission-denied cases ran as root only`);
      return;
    }
    const userTarget = rootTarget({ username: user.name });
    await assert.rejects(
      deployOverSsh(userTarget, { files: [{ path: path.join(remoteDir, "fullchain.pem"), content: "x" }] }),
      appError(
        "deploy_failed",
        `${user.name} may not create a file in ${remoteDir} on ${user.name}@127.0.0.1:${sshd.port} (permission denied)`,
        `give ${user.name} write access to ${remoteDir}`,
      ),
    );
    const ownDir = path.join(user.home, "ssl");
    await mkdir(ownDir, { recursive: true });
    await chmod(ownDir, 0o755);
    await chown(ownDir, user.uid, user.gid);
    await assert.rejects(
      deployOverSsh(userTarget, { files: [{ path: path.join(ownDir, "privkey.pem"), content: "secret", mode: PRIVATE_KEY_MODE, owner: 0, group: 0 }] }),
      appError(
        "deploy_failed",
        `${user.name} may not change the owner of ${path.join(ownDir, "privkey.pem")} on ${user.name}@127.0.0.1:${sshd.port} (permission denied)`,
        "only root can give a file to another user",
      ),
    );
    assert.deepEqual(await readdir(ownDir), []);
    // Without an owner the same user installs fine, as itself.
    const result = await deployOverSsh(userTarget, { files: [{ path: path.join(ownDir, "privkey.pem"), content: "secret", mode: PRIVATE_KEY_MODE }] });
    assert.deepEqual(
      result.files.map(({ mode, uid, gid }) => [mode, uid, gid]),
      [[0o600, user.uid, user.gid]],
    );
  });

  it("says plainly when nothing listens, the name does not exist, or the handshake does not come", async () => {
    const closedPort = await findFreePort();
    await assert.rejects(
      checkSshLogin(rootTarget({ port: closedPort })),
      appError("upstream_failed", `127.0.0.1 refused the connection on port ${closedPort}: no SSH server listens there`),
    );
    await assert.rejects(
      checkSshLogin(rootTarget({ host: "no-such-host.invalid" })),
      appError("upstream_failed", /^The name no-such-host\.invalid (does not exist in DNS|could not be resolved right now)/),
    );
    // A TCP server that never says "SSH-2.0-…".
    const silent = net.createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    const silentPort = (silent.address() as net.AddressInfo).port;
    try {
      await assert.rejects(
        checkSshLogin(rootTarget({ port: silentPort, handshakeTimeoutMs: 500 })),
        appError("upstream_failed", `root@127.0.0.1:${silentPort} accepted the connection but the SSH handshake did not finish within 0.5 s`),
      );
    } finally {
      silent.close();
    }
  });

  it("refuses a changed host key before logging in, names both fingerprints, and writes nothing", async () => {
    const before = { fullchain: await readFile(paths().fullchain, "utf8"), key: await readFile(paths().key, "utf8") };
    const old = pinned.fingerprint;
    await sshd.restart({ newHostKey: true });
    const now = sshd.hostKey.fingerprint;
    assert.notEqual(now, old);
    const mark = await sshd.logSize();

    await assert.rejects(
      deployOverSsh(rootTarget(), { files: certificateFiles(second), reloadCommand: "touch " + path.join(work, "reload-ran") }),
      appError(
        "upstream_failed",
        `The host key of root@127.0.0.1:${sshd.port} changed: it is now ${now}, CertDeck pinned ${old} . If the server was reinstalled, check the new fingerprint (ssh-keyscan / ssh-keygen -lf) and accept it on the target's page.`,
      ),
    );
    assert.deepEqual({ fullchain: await readFile(paths().fullchain, "utf8"), key: await readFile(paths().key, "utf8") }, before);
    assert.deepEqual(await leftovers(remoteDir), []);
    await assert.rejects(stat(path.join(work, "reload-ran")));
    // The server saw a connection, but no login attempt: no user name, no key.
    const log = await sshd.readLog(mark);
    assert.match(log, /Connection from 127\.0\.0\.1/);
    assert.doesNotMatch(log, /publickey|Accepted|Failed|Invalid user|root/);

    // Accepting the new key (what the target's page does) makes it work again.
    const login = await checkSshLogin(rootTarget({ pinnedHostKey: { fingerprint: now, type: sshd.hostKey.type } }));
    assert.equal(login.hostKey.fingerprint, now);
    pinned = login.hostKey;
  });

  it("treats a server that no longer offers the pinned kind of host key as a changed key", async () => {
    const old = pinned;
    await sshd.restart({ hostKeyType: "ecdsa" });
    await assert.rejects(
      checkSshLogin(rootTarget({ pinnedHostKey: old })),
      appError(
        "upstream_failed",
        `The host key of root@127.0.0.1:${sshd.port} changed: it no longer offers a ED25519 host key, CertDeck pinned ${old.fingerprint} .`,
      ),
    );
    // Pinned by fingerprint alone, the ECDSA key is offered and differs.
    await assert.rejects(
      checkSshLogin(rootTarget({ pinnedHostKey: { fingerprint: old.fingerprint } })),
      appError("upstream_failed", `it is now ${sshd.hostKey.fingerprint}, CertDeck pinned ${old.fingerprint} .`),
    );
    assert.deepEqual(await scanHostKey(sshd.host, sshd.port), { fingerprint: sshd.hostKey.fingerprint, type: "ecdsa-sha2-nistp256" });
    const connection = await connectSsh(rootTarget({ pinnedHostKey: null }));
    connection.close();
    assert.equal(connection.hostKey.fingerprint, sshd.hostKey.fingerprint);
  });
});

/**
 * How a file comes into being, as OpenSSH's sftp-server logs it: the private key's temporary file
 * is created owner-only and its mode set before a byte is written; certificates get 0644 only
 * after writing; both are renamed over the target.
 */
describe("SFTP file creation order (sftp-server's own log)", () => {
  let work: string;
  let sshd: SshdTestbed;

  before(async () => {
    work = await mkdtemp(path.join(os.tmpdir(), "certdeck-sftp-log-"));
    sshd = await startSshdTestbed({ workDir: path.join(work, "sshd"), sftp: "logged", createUser: false });
  });

  after(async () => {
    await sshd?.stop();
    if (work) await rm(work, { recursive: true, force: true });
  });

  it("creates the key 0600 and sets the mode before writing, then renames it into place", async () => {
    const dir = path.join(work, "ssl");
    await mkdir(dir);
    const keyPath = path.join(dir, "privkey.pem");
    const certPath = path.join(dir, "fullchain.pem");
    await deployOverSsh(
      { host: sshd.host, port: sshd.port, username: "root", privateKey: sshd.clientKey.privateKey },
      {
        files: [
          { path: certPath, content: "certificate\n", mode: CERTIFICATE_MODE },
          { path: keyPath, content: "private key\n", mode: PRIVATE_KEY_MODE },
        ],
      },
    );
    const log = await readFile(sshd.sftpLogPath, "utf8");
    const events = (target: string) => {
      const temporary = new RegExp(
        `"(${dir.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")}/\\.${path.basename(target).replace(".", "\\.")}\\.certdeck-[0-9a-f]+\\.tmp)"`,
      ).exec(log)?.[1];
      assert.ok(temporary, `no temporary file for ${target} in:\n${log}`);
      return log
        .split(/\r?\n/)
        .filter((line) => line.includes(`"${temporary}"`))
        .map((line) =>
          line
            .replaceAll(temporary, "TMP")
            .replaceAll(target, "TARGET")
            .replace(/^.*?(open|set|close|posix-rename)/, "$1"),
        );
    };
    assert.deepEqual(events(keyPath), [
      'open "TMP" flags WRITE,CREATE,TRUNCATE,EXCL mode 0600',
      'set "TMP" mode 0600',
      'close "TMP" bytes read 0 written 12',
      'set "TMP" mode 0600',
      'posix-rename old "TMP" new "TARGET"',
    ]);
    assert.deepEqual(events(certPath), [
      'open "TMP" flags WRITE,CREATE,TRUNCATE,EXCL mode 0600',
      'set "TMP" mode 0600',
      'close "TMP" bytes read 0 written 12',
      'set "TMP" mode 0644',
      'posix-rename old "TMP" new "TARGET"',
    ]);
    assert.equal((await stat(keyPath)).mode & 0o777, 0o600);
    assert.equal((await stat(certPath)).mode & 0o777, 0o644);
  });
});
