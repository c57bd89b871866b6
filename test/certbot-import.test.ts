import assert from "node:assert/strict";
import { X509Certificate, createPrivateKey, createPublicKey } from "node:crypto";
import { chmod, cp, mkdir, mkdtemp, readFile, readdir, readlink, rename, rm, stat, symlink, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { startAppHarness, type AppHarness } from "./support/app-harness";
import { runCertbot, serveDirectory } from "./support/certbot";
import { SYSTEM_ACTOR } from "../lib/domain/command/actor";
import { refusalOf } from "./support/refusal";

/**
 * A genuine certbot 2.1 directory (two lineages issued by the real certbot against Pebble) is
 * imported, then CertDeck renews the webroot lineage itself through the job runner.
 */
describe("importing a certbot directory", () => {
  let app: AppHarness;
  let importer: typeof import("../lib/domain/import/certbot/import-certbot-directory");
  let decryptSecret: (stored: string) => string;
  let base: string;
  let configDir: string;
  let webroot: string;
  let deployLog: string;
  const deployHook = () => `echo "deployed $RENEWED_LINEAGE" >> ${deployLog}`;
  const imported: Record<string, { certificateId: string; serial: string }> = {};

  before(async () => {
    app = await startAppHarness();
    importer = await import("../lib/domain/import/certbot/import-certbot-directory");
    ({ decryptSecret } = await import("../lib/data/secret-box"));
    base = await mkdtemp(path.join(os.tmpdir(), "certdeck-certbot-"));
    configDir = path.join(base, "config");
    webroot = path.join(base, "www");
    deployLog = path.join(base, "deploy-hook.log");
    await mkdir(webroot);

    await runCertbot(app.pebble, base, "certonly", [
      "--standalone",
      "--http-01-port",
      String(app.httpPort),
      "--http-01-address",
      "127.0.0.1",
      "-d",
      "a.example.test",
      "-d",
      "www.a.example.test",
      "--pre-hook",
      "echo stopping nginx",
      "--post-hook",
      "echo starting nginx",
    ]);
    // certbot --webroot only writes files: a web server must serve them on the HTTP-01 port.
    const server = await serveDirectory(app.httpPort, webroot);
    try {
      await runCertbot(app.pebble, base, "certonly", [
        "--webroot",
        "-w",
        webroot,
        "-d",
        "b.example.test",
        "--key-type",
        "rsa",
        "--rsa-key-size",
        "2048",
        "--deploy-hook",
        deployHook(),
      ]);
    } finally {
      await server.close();
    }
  });

  after(async () => {
    await app?.stop();
    if (base) await rm(base, { recursive: true, force: true });
  });

  const certbotLeaf = async (name: string) => new X509Certificate(await readFile(path.join(configDir, "live", name, "cert.pem"), "utf8"));

  it("imports both lineages with their names, expiry, challenge method, hooks, key and certbot's account", async () => {
    const result = await importer.importCertbotDirectory(SYSTEM_ACTOR, { directory: configDir, caBundlePem: app.pebble.httpsCaPem, privateNetwork: true });
    assert.deepEqual(result.skipped, []);
    assert.deepEqual(result.notices, []);
    assert.deepEqual(
      result.imported.map((lineage) => lineage.name),
      ["a.example.test", "b.example.test"],
    );
    const audit = await app.modules.db.auditEvent.findFirstOrThrow({ where: { action: "certificate.import" } });
    assert.deepEqual([audit.actor, audit.target, JSON.parse(audit.detail ?? "null")], ["system", configDir, { imported: 2, skipped: 0 }]);
    const [a, b] = result.imported;

    assert.deepEqual(a.names, ["a.example.test", "www.a.example.test"]);
    assert.equal(a.notAfter.getTime(), new Date((await certbotLeaf("a.example.test")).validTo).getTime());
    assert.equal(a.challengeMethod, "http-01-standalone");
    assert.equal(a.webrootPath, null);
    assert.equal(a.keyType, "ec-p256");
    assert.equal(a.preHook, "echo stopping nginx");
    assert.equal(a.postHook, "echo starting nginx");
    assert.equal(a.deployHook, null);
    assert.ok(
      a.notes.some((note) => note.includes(`certbot listened on port ${app.httpPort}`)),
      a.notes.join(" | "),
    );

    assert.deepEqual(b.names, ["b.example.test"]);
    assert.equal(b.notAfter.getTime(), new Date((await certbotLeaf("b.example.test")).validTo).getTime());
    assert.equal(b.challengeMethod, "http-01-webroot");
    assert.equal(b.webrootPath, webroot);
    assert.equal(b.keyType, "rsa-2048");
    assert.equal(b.deployHook, deployHook(), "certbot saves --deploy-hook as renew_hook");
    assert.equal(b.preHook, null);
    assert.match(await readFile(deployLog, "utf8"), new RegExp(`deployed ${configDir}/live/b\\.example\\.test`), "certbot ran the hook");

    // The database: certificates, their first version, and one account shared by both.
    for (const lineage of result.imported) {
      const certificate = await app.modules.db.certificate.findUniqueOrThrow({
        where: { id: lineage.certificateId },
        include: { currentVersion: { omit: { privateKeyEnc: false } }, account: { omit: { accountKeyEnc: false } } },
      });
      const leaf = await certbotLeaf(lineage.name);
      assert.equal(certificate.name, lineage.name);
      assert.equal(certificate.status, "valid");
      assert.equal(certificate.importedFrom, configDir);
      assert.equal(certificate.challengeMethod, lineage.challengeMethod);
      assert.equal(certificate.webrootPath, lineage.webrootPath);
      assert.equal(certificate.deployHook, lineage.deployHook);
      assert.equal(certificate.notAfter?.getTime(), new Date(leaf.validTo).getTime());
      assert.ok(certificate.renewAfter && certificate.renewAfter < certificate.notAfter!);
      const version = certificate.currentVersion!;
      assert.equal(version.version, 1);
      assert.equal(version.serial, leaf.serialNumber.toLowerCase());
      assert.equal(version.fingerprintSha256, leaf.fingerprint256);
      assert.equal(await readFile(path.join(configDir, "live", lineage.name, "fullchain.pem"), "utf8"), version.chainPem);
      assert.equal(decryptSecret(version.privateKeyEnc), await readFile(path.join(configDir, "live", lineage.name, "privkey.pem"), "utf8"));
      imported[lineage.name] = { certificateId: lineage.certificateId, serial: version.serial };
    }

    const accounts = await app.modules.db.acmeAccount.findMany({ omit: { accountKeyEnc: false } });
    assert.equal(accounts.length, 1, "both lineages use certbot's one account");
    const [account] = accounts;
    const accountDir = path.join(configDir, "accounts", new URL(app.pebble.directoryUrl).host, "dir");
    const [certbotAccountId] = await readdir(accountDir);
    const regr = JSON.parse(await readFile(path.join(accountDir, certbotAccountId, "regr.json"), "utf8")) as { uri: string };
    const jwk = JSON.parse(await readFile(path.join(accountDir, certbotAccountId, "private_key.json"), "utf8")) as { n: string; e: string };
    assert.equal(account.accountUrl, regr.uri);
    assert.match(account.accountUrl ?? "", /\/my-account\//);
    assert.equal(account.directoryUrl, app.pebble.directoryUrl);
    assert.equal(account.status, "valid");
    assert.equal(account.label, `${new URL(app.pebble.directoryUrl).host} (imported from certbot)`);
    // The bundle given, as the command checks it (one PEM bundle, surrounding whitespace trimmed like the form).
    assert.equal(account.caBundlePem, app.pebble.httpsCaPem.trim());
    assert.ok(account.termsAgreedAt);
    const importedKey = createPublicKey(createPrivateKey(decryptSecret(account.accountKeyEnc))).export({ format: "jwk" });
    assert.deepEqual({ n: importedKey.n, e: importedKey.e }, { n: jwk.n, e: jwk.e }, "the account key is certbot's");

    // CertDeck's own lineage files, in its data directory.
    for (const name of ["a.example.test", "b.example.test"]) {
      const live = path.join(app.dataDir, "live", name);
      assert.equal(await readlink(path.join(live, "cert.pem")), path.join("..", "..", "archive", name, "cert1.pem"));
      assert.equal(await readFile(path.join(live, "cert.pem"), "utf8"), await readFile(path.join(configDir, "live", name, "cert.pem"), "utf8"));
      const key = createPrivateKey(await readFile(path.join(live, "privkey.pem"), "utf8"));
      assert.ok((await certbotLeaf(name)).checkPrivateKey(key));
      assert.equal((await stat(path.join(app.dataDir, "archive", name, "privkey1.pem"))).mode & 0o777, 0o600);
    }

    // What was imported is encrypted at rest: neither certbot's private keys nor its account key
    // (JWK "d", and the PEM CertDeck made of it) is in the database or its write-ahead log.
    const keyBody = (pem: string) =>
      pem
        .split("\n")
        .filter((line) => line && !line.startsWith("-----"))
        .join("")
        .slice(0, 40);
    const privateJwk = JSON.parse(await readFile(path.join(accountDir, certbotAccountId, "private_key.json"), "utf8")) as { d: string };
    const importedSecrets = [
      privateJwk.d.slice(0, 40),
      keyBody(decryptSecret(account.accountKeyEnc)),
      ...(await Promise.all(
        ["a.example.test", "b.example.test"].map(async (name) => keyBody(await readFile(path.join(configDir, "live", name, "privkey.pem"), "utf8"))),
      )),
    ];
    const databaseFiles = (await readdir(app.dataDir)).filter((file) => file.startsWith("certdeck.db"));
    assert.ok(databaseFiles.includes("certdeck.db-wal"));
    for (const file of databaseFiles) {
      const bytes = (await readFile(path.join(app.dataDir, file))).toString("latin1");
      assert.ok(!bytes.includes("PRIVATE KEY"), `${file} holds no PEM private key`);
      for (const secret of importedSecrets) assert.ok(!bytes.includes(secret), `${file} holds no imported key in clear text`);
    }
  });

  it("renews the imported webroot lineage through the job runner, answering from the webroot", async () => {
    const { certificateId, serial } = imported["b.example.test"];
    assert.ok(certificateId, "the import test ran first");
    const server = await serveDirectory(app.httpPort, webroot);
    let job: { status: string; error: string | null };
    try {
      const { jobId } = await app.modules.queue.enqueueCertificateJob(certificateId, "renew");
      job = await app.waitForJob(jobId);
    } finally {
      await server.close();
    }
    assert.deepEqual(job, { status: "succeeded", error: null });
    assert.ok(
      server.requests.some((url) => url.startsWith("/.well-known/acme-challenge/")),
      "Pebble fetched the token from the webroot",
    );
    const leftovers = await readdir(path.join(webroot, ".well-known", "acme-challenge")).catch(() => []);
    assert.deepEqual(leftovers, [], "the token files are removed after validation");

    const certificate = await app.modules.db.certificate.findUniqueOrThrow({ where: { id: certificateId }, include: { currentVersion: true } });
    assert.equal(certificate.currentVersion?.version, 2);
    assert.notEqual(certificate.currentVersion?.serial, serial);
    const live = path.join(app.dataDir, "live", "b.example.test");
    assert.equal(await readlink(path.join(live, "cert.pem")), path.join("..", "..", "archive", "b.example.test", "cert2.pem"));
    const renewed = new X509Certificate(await readFile(path.join(live, "cert.pem"), "utf8"));
    assert.equal(renewed.subjectAltName, "DNS:b.example.test");
    assert.equal(renewed.publicKey.asymmetricKeyDetails?.modulusLength, 2048, "renewed with the imported key type");
    // certbot's own files are untouched.
    assert.equal(await readlink(path.join(configDir, "live", "b.example.test", "cert.pem")), "../../archive/b.example.test/cert1.pem");
  });

  it("skips every lineage when the same directory is imported again", async () => {
    const before = { certificates: await app.modules.db.certificate.count(), accounts: await app.modules.db.acmeAccount.count() };
    const result = await importer.importCertbotDirectory(SYSTEM_ACTOR, { directory: configDir });
    assert.deepEqual(result.imported, []);
    assert.deepEqual(result.skipped, [
      { name: "a.example.test", reason: "already managed by CertDeck" },
      { name: "b.example.test", reason: "already managed by CertDeck" },
    ]);
    assert.equal(await app.modules.db.certificate.count(), before.certificates);
    assert.equal(await app.modules.db.acmeAccount.count(), before.accounts);
  });

  it("explains in plain words each lineage of a copied directory it cannot take over", async () => {
    const copy = path.join(base, "copy");
    await cp(configDir, copy, { recursive: true, verbatimSymlinks: true });
    const renewal = path.join(copy, "renewal");
    const confOf = async (name: string) => readFile(path.join(renewal, `${name}.conf`), "utf8");
    const aConf = await confOf("a.example.test");
    const bConf = await confOf("b.example.test");
    // certbot's confs hold absolute paths under its config dir; in a copy they are read from the copy.
    await writeFile(path.join(renewal, "gone.example.test.conf"), aConf.replaceAll("a.example.test", "gone.example.test"));
    await writeFile(path.join(renewal, "dangling.example.test.conf"), aConf.replaceAll("a.example.test", "dangling.example.test"));
    await mkdir(path.join(copy, "live", "dangling.example.test"));
    for (const file of ["cert", "chain", "fullchain", "privkey"]) {
      await symlink(`../../archive/dangling.example.test/${file}1.pem`, path.join(copy, "live", "dangling.example.test", `${file}.pem`));
    }
    await writeFile(path.join(renewal, "dns.example.test.conf"), bConf.replace("authenticator = webroot", "authenticator = dns-cloudflare"));
    await writeFile(path.join(renewal, "noaccount.example.test.conf"), aConf.replace(/^account = .*$/m, "account = 0123456789abcdef0123456789abcdef"));
    await writeFile(path.join(renewal, "broken.example.test.conf"), "[renewalparams\nauthenticator = standalone\n");
    await writeFile(path.join(renewal, "README"), "not a conf: ignored");
    await writeFile(path.join(copy, "renewal-hooks", "deploy", "reload-nginx.sh"), "#!/bin/sh\nsystemctl reload nginx\n");
    await chmod(path.join(copy, "renewal-hooks", "deploy", "reload-nginx.sh"), 0o755);
    await rename(path.join(renewal, "b.example.test.conf"), path.join(renewal, "b.example.test.conf.disabled"));

    const result = await importer.importCertbotDirectory(SYSTEM_ACTOR, { directory: copy });
    assert.deepEqual(result.imported, []);
    const accountsDir = `accounts/${new URL(app.pebble.directoryUrl).host}/dir`;
    assert.deepEqual(result.skipped, [
      { name: "a.example.test", reason: "already managed by CertDeck" },
      { name: "broken.example.test", reason: "renewal/broken.example.test.conf cannot be read: line 1: invalid section header" },
      {
        name: "dangling.example.test",
        reason: "live/dangling.example.test/cert.pem links to ../../archive/dangling.example.test/cert1.pem, which does not exist",
      },
      { name: "dns.example.test", reason: 'it uses certbot\'s DNS plugin "dns-cloudflare": DNS-01 is not supported yet' },
      { name: "gone.example.test", reason: "renewal/gone.example.test.conf points at live/gone.example.test/cert.pem, which does not exist" },
      { name: "noaccount.example.test", reason: `its ACME account 0123456789abcdef0123456789abcdef is not in ${accountsDir}/` },
    ]);
    assert.deepEqual(result.notices, [
      "certbot also ran renewal-hooks/deploy/reload-nginx.sh at every renewal. CertDeck does not run these scripts: give the certificates that still need them a hook of their own.",
    ]);
  });

  it("refuses directories that are not certbot's, and CertDeck's own certificate directory", async () => {
    const missing = path.join(base, "missing");
    await assert.rejects(importer.importCertbotDirectory(SYSTEM_ACTOR, { directory: missing }), {
      name: "AppError",
      userMessage: `${missing} does not exist.`,
    });
    await assert.rejects(importer.importCertbotDirectory(SYSTEM_ACTOR, { directory: webroot }), {
      name: "AppError",
      userMessage: `${webroot} has no renewal/ directory, so it is not a certbot configuration directory (certbot's is usually /etc/letsencrypt).`,
    });
    await assert.rejects(importer.importCertbotDirectory(SYSTEM_ACTOR, { directory: app.dataDir }), (error: { userMessage?: string }) => {
      assert.match(error.userMessage ?? "", /^CertDeck writes its own certificates to .*, so it cannot import from there/);
      return true;
    });
    const relative = await refusalOf(importer.importCertbotDirectory(SYSTEM_ACTOR, { directory: "etc/letsencrypt" }));
    assert.deepEqual(relative.fieldErrors, { directory: ["Enter an absolute path, starting with /, such as /etc/letsencrypt"] });
  });
});

describe("the webroot HTTP-01 responder", () => {
  let base: string;
  let createWebrootResponder: typeof import("../lib/protocol/acme/webroot-responder").createWebrootResponder;

  before(async () => {
    ({ createWebrootResponder } = await import("../lib/protocol/acme/webroot-responder"));
    base = await mkdtemp(path.join(os.tmpdir(), "certdeck-webroot-"));
  });
  after(async () => base && rm(base, { recursive: true, force: true }));

  it("writes world-readable token files and removes them and the directories it created on close", async () => {
    const webroot = path.join(base, "site");
    await mkdir(webroot);
    const responder = createWebrootResponder(webroot);
    await responder.publish("tok_en-1", "tok_en-1.thumbprint");
    await responder.publish("token2", "token2.thumbprint");
    const file = path.join(webroot, ".well-known", "acme-challenge", "tok_en-1");
    assert.equal(await readFile(file, "utf8"), "tok_en-1.thumbprint");
    assert.equal((await stat(file)).mode & 0o777, 0o644);
    assert.equal((await stat(path.join(webroot, ".well-known"))).mode & 0o777, 0o755);
    await responder.close();
    assert.deepEqual(await readdir(webroot), []);
  });

  it("keeps directories that were there before and files it did not write", async () => {
    const webroot = path.join(base, "busy");
    await mkdir(path.join(webroot, ".well-known", "acme-challenge"), { recursive: true });
    await writeFile(path.join(webroot, ".well-known", "acme-challenge", "other"), "someone else's");
    const responder = createWebrootResponder(webroot);
    await responder.publish("mine", "mine.thumbprint");
    await responder.close();
    assert.deepEqual(await readdir(path.join(webroot, ".well-known", "acme-challenge")), ["other"]);
  });

  it("refuses a token that could name another path, and says when the webroot is missing or not a directory", async () => {
    const responder = createWebrootResponder(path.join(base, "site"));
    await assert.rejects(responder.publish("../../etc/passwd", "x"), { name: "AppError", code: "challenge_failed" });
    const missing = path.join(base, "nowhere");
    await assert.rejects(createWebrootResponder(missing).publish("token", "x"), {
      code: "challenge_failed",
      userMessage: `The webroot ${missing} does not exist. Set the directory your web server serves for these names (its "root").`,
    });
    const notDirectory = path.join(base, "file");
    await writeFile(notDirectory, "");
    await assert.rejects(createWebrootResponder(notDirectory).publish("token", "x"), { code: "challenge_failed", userMessage: /is not a directory/ });
    await responder.close();
  });
});
