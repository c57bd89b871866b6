import assert from "node:assert/strict";
import { X509Certificate } from "node:crypto";
import { mkdir, mkdtemp, readFile, readdir, rm, stat } from "node:fs/promises";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { startAppHarness, type AppHarness } from "./support/app-harness";
import { SYSTEM_ACTOR } from "../lib/domain/command/actor";
import { refusalOf } from "./support/refusal";

/**
 * Webroot issuance the way an nginx with one `root` per server block serves it: a local HTTP
 * server on the port Pebble validates picks the document root by Host header and serves files
 * from it, nothing else. CertDeck only writes the token files and removes them afterwards.
 */
async function serveVirtualHosts(port: number, roots: Record<string, string>) {
  const served: Array<{ host: string; url: string; status: number }> = [];
  const server = http.createServer(async (request, response) => {
    const host = (request.headers.host ?? "").replace(/:\d+$/, "");
    const url = request.url ?? "/";
    const root = roots[host];
    let status = 404;
    let body = "not found";
    if (root && url.startsWith("/.well-known/acme-challenge/") && !url.includes("..")) {
      body = await readFile(path.join(root, url), "utf8")
        .then((text) => ((status = 200), text))
        .catch(() => "not found");
    }
    served.push({ host, url, status });
    response.writeHead(status, { "content-type": "text/plain" }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  return {
    served,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

describe("HTTP-01 with webroots", () => {
  let app: AppHarness;
  let accountId: string;
  let base: string;

  before(async () => {
    app = await startAppHarness();
    accountId = await app.registerPebbleAccount();
    base = await mkdtemp(path.join(os.tmpdir(), "certdeck-webroot-"));
  });

  after(async () => {
    await app?.stop();
    if (base) await rm(base, { recursive: true, force: true });
  });

  it("issues for names on different document roots (certbot's -w per -d) and removes the token files", async () => {
    const shopRoot = path.join(base, "shop");
    const blogRoot = path.join(base, "blog");
    await mkdir(shopRoot);
    await mkdir(path.join(blogRoot, ".well-known"), { recursive: true }); // a directory that was already there stays
    const server = await serveVirtualHosts(app.httpPort, { "shop.webroot.test": shopRoot, "www.shop.webroot.test": shopRoot, "blog.webroot.test": blogRoot });
    let job: { status: string; error: string | null };
    let certificateId: string;
    try {
      const created = await app.modules.createCertificate(SYSTEM_ACTOR, {
        names: "shop.webroot.test www.shop.webroot.test blog.webroot.test",
        accountId,
        keyType: "ec-p256",
        challengeMethod: "http-01-webroot",
        webrootPath: shopRoot,
        webrootPaths: { "blog.webroot.test": `${blogRoot}/` },
      });
      certificateId = created.certificateId;
      job = await app.waitForJob(created.jobId);
    } finally {
      await server.close();
    }
    assert.deepEqual(job, { status: "succeeded", error: null });

    // Each name's token was answered from its own root, and only from there.
    const answered = server.served.filter((request) => request.status === 200);
    for (const host of ["shop.webroot.test", "www.shop.webroot.test", "blog.webroot.test"]) {
      assert.ok(
        answered.some((request) => request.host === host),
        `Pebble fetched ${host}'s token from its webroot`,
      );
    }
    // The pre-flight probe and the CA's requests: every one found its file in that name's own root.
    assert.deepEqual(
      server.served.filter((request) => request.status !== 200),
      [],
      "no token was looked for in the wrong root",
    );
    assert.ok(
      server.served.some((request) => request.url.includes("certdeck-probe-")),
      "the pre-flight check probed each root first",
    );

    // Cleanup: the files are gone, the directories CertDeck created are gone, the one that existed stays.
    await assert.rejects(stat(path.join(shopRoot, ".well-known")), { code: "ENOENT" });
    assert.deepEqual(await readdir(path.join(blogRoot, ".well-known")), []);

    const stored = await app.modules.db.certificate.findUniqueOrThrow({ where: { id: certificateId }, select: { webrootPath: true, webrootPaths: true } });
    assert.deepEqual(stored, { webrootPath: shopRoot, webrootPaths: JSON.stringify({ "blog.webroot.test": blogRoot }) });
    const leaf = new X509Certificate(await readFile(path.join(app.dataDir, "live", "shop.webroot.test", "cert.pem"), "utf8"));
    assert.deepEqual(leaf.subjectAltName?.split(", ").sort(), ["DNS:blog.webroot.test", "DNS:shop.webroot.test", "DNS:www.shop.webroot.test"]);
  });

  it("refuses per-name lines for names the certificate does not have, and names without any webroot", async () => {
    const unknown = await refusalOf(
      app.modules.createCertificate(SYSTEM_ACTOR, {
        names: "a.webroot.test",
        accountId,
        keyType: "ec-p256",
        challengeMethod: "http-01-webroot",
        webrootPath: "/var/www/a",
        webrootPaths: { "other.webroot.test": "/var/www/other" },
      }),
    );
    assert.deepEqual(unknown.fieldErrors, { webrootPaths: ["Not among this certificate's names: other.webroot.test"] });
    const uncovered = await refusalOf(
      app.modules.createCertificate(SYSTEM_ACTOR, {
        names: "a.webroot.test b.webroot.test",
        accountId,
        keyType: "ec-p256",
        challengeMethod: "http-01-webroot",
        webrootPaths: { "a.webroot.test": "/var/www/a" },
      }),
    );
    assert.deepEqual(uncovered.fieldErrors, { webrootPath: ["Enter a default webroot, or one for b.webroot.test"] });
    assert.equal(await app.modules.db.certificate.count({ where: { name: { startsWith: "a.webroot" } } }), 0, "nothing stored");
  });
});
