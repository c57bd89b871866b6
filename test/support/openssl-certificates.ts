/**
 * Throwaway certificates made with the openssl CLI for tests that only need "a certificate and
 * its key" to install and serve: a CA and a leaf for one name, as fullchain/chain/cert/key PEM.
 */
import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";

const execFileAsync = promisify(execFile);

export interface CertificateSet {
  /** Leaf then CA. */
  fullchain: string;
  /** The CA certificate. */
  chain: string;
  cert: string;
  /** The leaf's private key (PKCS#8 PEM). */
  key: string;
}

export async function makeCertificateSet(dir: string, name: string): Promise<CertificateSet> {
  await mkdir(dir, { recursive: true });
  const file = (base: string) => path.join(dir, base);
  const ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"];
  await execFileAsync("openssl", [
    "req",
    "-x509",
    ...ec,
    "-keyout",
    file("ca.key"),
    "-out",
    file("ca.pem"),
    "-subj",
    `/CN=CertDeck test CA ${name}`,
    "-days",
    "2",
  ]);
  await execFileAsync("openssl", ["req", ...ec, "-keyout", file("leaf.key"), "-out", file("leaf.csr"), "-subj", `/CN=${name}`]);
  await writeFile(file("leaf.ext"), `subjectAltName=DNS:${name}\nbasicConstraints=CA:FALSE\n`);
  await execFileAsync("openssl", [
    "x509",
    "-req",
    "-in",
    file("leaf.csr"),
    "-CA",
    file("ca.pem"),
    "-CAkey",
    file("ca.key"),
    "-set_serial",
    `0x${randomBytes(8).toString("hex")}`,
    "-days",
    "2",
    "-extfile",
    file("leaf.ext"),
    "-out",
    file("leaf.pem"),
  ]);
  const cert = await readFile(file("leaf.pem"), "utf8");
  const chain = await readFile(file("ca.pem"), "utf8");
  return { cert, chain, fullchain: `${cert.trim()}\n${chain.trim()}\n`, key: await readFile(file("leaf.key"), "utf8") };
}
