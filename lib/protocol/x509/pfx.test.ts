import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { createPrivateKey, X509Certificate } from "node:crypto";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { promisify } from "node:util";
import { buildPfx } from "./pfx";

const run = promisify(execFile);

/** A root -> intermediate -> leaf chain made with the openssl CLI, as a CA would issue it. */
async function issueChain(dir: string, keyAlgorithm: string[]): Promise<{ keyPem: string; fullChainPem: string; leafPem: string; intermediatePem: string }> {
  const openssl = (...args: string[]) => run("openssl", args, { cwd: dir });
  await openssl(
    "req",
    "-x509",
    "-newkey",
    "ec",
    "-pkeyopt",
    "ec_paramgen_curve:P-256",
    "-nodes",
    "-keyout",
    "root.key",
    "-out",
    "root.pem",
    "-days",
    "2",
    "-subj",
    "/CN=PFX test root",
    "-addext",
    "basicConstraints=critical,CA:TRUE",
  );
  await openssl(
    "req",
    "-new",
    "-newkey",
    "ec",
    "-pkeyopt",
    "ec_paramgen_curve:P-256",
    "-nodes",
    "-keyout",
    "int.key",
    "-out",
    "int.csr",
    "-subj",
    "/CN=PFX test intermediate",
  );
  await writeFile(path.join(dir, "ca.ext"), "basicConstraints=critical,CA:TRUE\n");
  await openssl(
    "x509",
    "-req",
    "-in",
    "int.csr",
    "-CA",
    "root.pem",
    "-CAkey",
    "root.key",
    "-set_serial",
    "2",
    "-days",
    "2",
    "-extfile",
    "ca.ext",
    "-out",
    "int.pem",
  );
  await openssl("req", "-new", "-newkey", ...keyAlgorithm, "-nodes", "-keyout", "leaf.key", "-out", "leaf.csr", "-subj", "/CN=shop.example.test");
  await writeFile(path.join(dir, "leaf.ext"), "subjectAltName=DNS:shop.example.test\n");
  await openssl(
    "x509",
    "-req",
    "-in",
    "leaf.csr",
    "-CA",
    "int.pem",
    "-CAkey",
    "int.key",
    "-set_serial",
    "3",
    "-days",
    "2",
    "-extfile",
    "leaf.ext",
    "-out",
    "leaf.pem",
  );
  const [keyPem, leafPem, intermediatePem] = await Promise.all(["leaf.key", "leaf.pem", "int.pem"].map((file) => readFile(path.join(dir, file), "utf8")));
  return { keyPem, leafPem, intermediatePem, fullChainPem: `${leafPem}${intermediatePem}` };
}

/** Opens a PFX the way an operator would check one: openssl pkcs12 -in … -passin. */
async function openPfx(file: string, password: string, extra: string[] = []) {
  return run("openssl", ["pkcs12", "-in", file, "-passin", "env:PFX_PASSWORD", "-nodes", ...extra], { env: { ...process.env, PFX_PASSWORD: password } });
}

const pemBlocks = (text: string, label: string) => text.match(new RegExp(`-----BEGIN ${label}-----[\\s\\S]+?-----END ${label}-----`, "g")) ?? [];

describe("buildPfx", () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), "certdeck-pfx-"));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  for (const [label, algorithm] of [
    ["an ECDSA P-256 key", ["ec", "-pkeyopt", "ec_paramgen_curve:P-256"]],
    ["an RSA 2048 key", ["rsa:2048"]],
  ] as const) {
    it(`holds ${label}, the certificate and its chain, encrypted with AES-256 and a SHA-256 MAC`, async () => {
      const chain = await issueChain(await mkdtemp(path.join(dir, "chain-")), [...algorithm]);
      const password = "correct horse battery staple";
      const pfx = await buildPfx({ privateKeyPem: chain.keyPem, fullChainPem: chain.fullChainPem, password, friendlyName: "shop.example.test" });
      const file = path.join(dir, `${algorithm[0]}.pfx`);
      await writeFile(file, pfx, { mode: 0o600 });

      const { stdout, stderr } = await openPfx(file, password, ["-info"]);
      const keys = pemBlocks(stdout, "PRIVATE KEY");
      assert.equal(keys.length, 1);
      assert.ok(createPrivateKey(keys[0]).equals(createPrivateKey(chain.keyPem)), "the same private key");
      const certificates = pemBlocks(stdout, "CERTIFICATE").map((pem) => new X509Certificate(pem));
      assert.deepEqual(
        certificates.map((certificate) => certificate.fingerprint256).sort(),
        [new X509Certificate(chain.leafPem).fingerprint256, new X509Certificate(chain.intermediatePem).fingerprint256].sort(),
      );
      assert.match(stdout, /friendlyName: shop\.example\.test/);
      assert.match(stderr, /MAC: sha256/);
      assert.match(stderr, /PBES2, PBKDF2, AES-256-CBC/);
      assert.doesNotMatch(stderr, /3DES|RC2/);
    });
  }

  it("refuses the wrong password", async () => {
    const chain = await issueChain(await mkdtemp(path.join(dir, "chain-")), ["ec", "-pkeyopt", "ec_paramgen_curve:P-256"]);
    const file = path.join(dir, "wrong.pfx");
    await writeFile(file, await buildPfx({ privateKeyPem: chain.keyPem, fullChainPem: chain.fullChainPem, password: "the right one", friendlyName: "x" }));
    await assert.rejects(openPfx(file, "the wrong one"), /Mac verify error|invalid password/i);
  });

  it("offers legacy 3DES with a SHA-1 MAC for old Windows and Java", async () => {
    const chain = await issueChain(await mkdtemp(path.join(dir, "chain-")), ["rsa:2048"]);
    const file = path.join(dir, "legacy.pfx");
    await writeFile(
      file,
      await buildPfx({
        privateKeyPem: chain.keyPem,
        fullChainPem: chain.fullChainPem,
        password: "legacy password",
        friendlyName: "x",
        encryption: "legacy-3des",
      }),
    );
    const { stdout, stderr } = await openPfx(file, "legacy password", ["-info"]);
    assert.equal(pemBlocks(stdout, "PRIVATE KEY").length, 1);
    assert.equal(pemBlocks(stdout, "CERTIFICATE").length, 2);
    assert.match(stderr, /MAC: sha1/);
    assert.match(stderr, /pbeWithSHA1And3-KeyTripleDES-CBC/);
  });

  it("keeps passwords with spaces and non-ASCII characters", async () => {
    const chain = await issueChain(await mkdtemp(path.join(dir, "chain-")), ["ec", "-pkeyopt", "ec_paramgen_curve:P-256"]);
    const password = "  Grüße aus Köln – 密码 ";
    const file = path.join(dir, "unicode.pfx");
    await writeFile(file, await buildPfx({ privateKeyPem: chain.keyPem, fullChainPem: chain.fullChainPem, password, friendlyName: "x" }));
    const { stdout } = await openPfx(file, password);
    assert.equal(pemBlocks(stdout, "PRIVATE KEY").length, 1);
  });
});
