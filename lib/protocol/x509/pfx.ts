import { spawn } from "node:child_process";
import { AppError } from "@/lib/core/app-error";

/**
 * How the PFX is protected. "aes256" is what current Windows (Server 2019+, 10 1709+), macOS,
 * Java 11+ and OpenSSL 3 read; "legacy-3des" is for older Windows, Java 8 and appliances that
 * reject AES-encrypted PKCS#12 files.
 */
export type PfxEncryption = "aes256" | "legacy-3des";

const ENCRYPTION_ARGUMENTS: Record<PfxEncryption, string[]> = {
  aes256: ["-keypbe", "AES-256-CBC", "-certpbe", "AES-256-CBC", "-macalg", "sha256"],
  "legacy-3des": ["-keypbe", "PBE-SHA1-3DES", "-certpbe", "PBE-SHA1-3DES", "-macalg", "sha1"],
};

const TIMEOUT_MS = 15_000;

export interface PfxInput {
  privateKeyPem: string;
  /** The leaf certificate followed by its intermediates (fullchain.pem). */
  fullChainPem: string;
  /** The password the PFX is encrypted with; never empty. */
  password: string;
  /** Shown by Windows' certificate store and keytool as the entry's name. */
  friendlyName: string;
  encryption?: PfxEncryption;
}

/**
 * A PKCS#12 (PFX) file holding the private key, the certificate and its chain, encrypted with
 * `password`. Built by the openssl CLI: the key and certificates go in through stdin and the
 * password through a separate pipe (fd 3), so no secret touches the disk or the command line.
 */
export async function buildPfx(input: PfxInput): Promise<Buffer> {
  if (!input.password) throw new AppError("invalid_input", "A PFX needs an export password.");
  const args = ["pkcs12", "-export", "-passout", "fd:3", "-name", input.friendlyName, ...ENCRYPTION_ARGUMENTS[input.encryption ?? "aes256"]];
  const { code, signal, stdout, stderr } = await runOpensslPkcs12(args, {
    password: input.password,
    stdin: `${input.privateKeyPem.trim()}\n${input.fullChainPem.trim()}\n`,
    notInstalledMessage:
      "The openssl command is not installed on this server, so no PFX can be built. Install it (apt-get install openssl) or download the PEM files.",
  });
  if (code === 0 && stdout.length > 0) return stdout;
  // stderr never holds the key or the password; it is logged for the operator, not shown.
  throw new Error(`openssl pkcs12 -export failed (${signal ?? `exit ${code}`}): ${stderr.trim().slice(0, 500)}`);
}

/** What a PFX holds, as PEM (its certificates and its key): the input of readUploadedPem. */
export type OpenedPfx = { ok: true; pem: string } | { ok: false; problem: "wrong-password" | "not-pfx" | "unsupported"; detail: string };

/** A PFX larger than this is not a certificate with its key. */
export const MAX_PFX_BYTES = 256 * 1024;

/**
 * Opens a PKCS#12 (PFX) file with its password into PEM, unencrypted, with the openssl CLI: the
 * file goes in through stdin, the password through a separate pipe (fd 3), and the key comes back
 * through stdout, so neither the key nor the password touches the disk or the command line.
 * Files protected with the old algorithms (RC2, 3DES: older Windows and Java exports) are read
 * with OpenSSL's legacy provider when the default one refuses them.
 */
export async function openPfx(pfx: Buffer, password: string): Promise<OpenedPfx> {
  if (pfx.length > MAX_PFX_BYTES) return { ok: false, problem: "not-pfx", detail: `the file is ${Math.round(pfx.length / 1024)} KB` };
  const first = await runPkcs12Import(pfx, password, []);
  if (first.ok || first.problem !== "unsupported") return first;
  return runPkcs12Import(pfx, password, ["-legacy"]);
}

async function runPkcs12Import(pfx: Buffer, password: string, extra: string[]): Promise<OpenedPfx> {
  // -nodes: the key comes out unencrypted, into the pipe; CertDeck encrypts it before storing it.
  const args = ["pkcs12", "-passin", "fd:3", "-nodes", ...extra];
  const { code, signal, stdout, stderr } = await runOpensslPkcs12(args, {
    password,
    stdin: pfx,
    notInstalledMessage:
      "The openssl command is not installed on this server, so no PFX can be read. Install it (apt-get install openssl) or paste the PEM files.",
  });
  const detail = stderr.trim().slice(0, 500);
  if (code === 0 && !/unsupported/i.test(detail)) return { ok: true, pem: stdout.toString("utf8") };
  if (/mac verify error|invalid password|bad decrypt/i.test(detail)) return { ok: false, problem: "wrong-password", detail };
  if (/unsupported/i.test(detail)) return { ok: false, problem: "unsupported", detail };
  if (signal) throw new Error(`openssl pkcs12 was stopped (${signal})`);
  return { ok: false, problem: "not-pfx", detail };
}

interface OpensslRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: Buffer;
  stderr: string;
}

/**
 * Runs `openssl <args>` with `stdin` on its standard input and the password on a separate pipe
 * (fd 3, for `-passin fd:3` / `-passout fd:3`), in a minimal environment (the child has no
 * business seeing CERTDECK_SECRET_KEY and the like), killed after 15 s. Resolves with how it
 * ended and what it wrote; rejects with `notInstalledMessage` when there is no openssl.
 */
function runOpensslPkcs12(
  args: string[],
  { password, stdin, notInstalledMessage }: { password: string; stdin: string | Buffer; notInstalledMessage: string },
): Promise<OpensslRun> {
  return new Promise((resolve, reject) => {
    const env: NodeJS.ProcessEnv = { NODE_ENV: process.env.NODE_ENV, PATH: process.env.PATH ?? "/usr/bin:/bin" };
    const child = spawn("openssl", args, { stdio: ["pipe", "pipe", "pipe", "pipe"], env });
    const output: Buffer[] = [];
    let errorText = "";
    const timer = setTimeout(() => child.kill("SIGKILL"), TIMEOUT_MS);
    child.stdout!.on("data", (chunk: Buffer) => output.push(chunk));
    child.stderr!.on("data", (chunk: Buffer) => {
      errorText += chunk.toString("utf8");
    });
    child.on("error", (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      reject(error.code === "ENOENT" ? new AppError("filesystem", notInstalledMessage, { cause: error }) : error);
    });
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout: Buffer.concat(output), stderr: errorText });
    });
    // A closed pipe (openssl failing early) must not crash the process.
    for (const stream of [child.stdin!, child.stdio[3] as NodeJS.WritableStream]) stream.on("error", () => undefined);
    (child.stdio[3] as NodeJS.WritableStream).end(`${password}\n`);
    child.stdin!.end(stdin);
  });
}
