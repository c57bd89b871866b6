/**
 * certbot and lego (Debian packages) on the benchmark's Pebble: each answers HTTP-01 with its own
 * standalone listener on the port Pebble validates on (certbot `certonly --standalone
 * --http-01-port`, lego `--http --http.port`) and trusts Pebble's HTTPS certificate through the
 * variable its documentation names (certbot: REQUESTS_CA_BUNDLE; lego: LEGO_CA_CERTIFICATES).
 * Each run is timed from spawn to exit, as a user or a cron job sees it.
 * Their ACME accounts are registered once before any timed run, as CertDeck's is.
 */
import { spawn } from "node:child_process";
import { accessSync, constants as fsConstants } from "node:fs";
import { cp, mkdir, mkdtemp } from "node:fs/promises";
import path from "node:path";
import type { PebbleTestbed } from "../../../lib/testbed/pebble-testbed";

export function findExecutable(name: string): string | null {
  for (const dir of [...(process.env.PATH ?? "").split(path.delimiter), "/usr/bin", "/usr/local/bin"]) {
    if (!dir) continue;
    const candidate = path.join(dir, name);
    try {
      accessSync(candidate, fsConstants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return null;
}

/** Runs a command, returns its wall time in ms; throws with the end of its output when it fails. */
export function timeCommand(binary: string, args: string[], env: Record<string, string>, timeoutMs = 600_000): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(binary, args, { env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    const keep = (chunk: Buffer) => {
      output = (output + chunk.toString("utf8")).slice(-6000);
    };
    child.stdout.on("data", keep);
    child.stderr.on("data", keep);
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    child.once("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once("exit", (code, signal) => {
      clearTimeout(timer);
      const elapsed = performance.now() - started;
      if (code === 0) resolve(elapsed);
      else reject(new Error(`${path.basename(binary)} ${args.join(" ")} ended with ${signal ?? `exit code ${code}`}:\n${output.trim()}`));
    });
  });
}

export interface CertbotWorkspace {
  /** --config-dir (accounts/, live/, archive/, renewal/) */
  configDir: string;
  args(): string[];
  env: Record<string, string>;
}

/** certbot's directories under `root`, talking to `pebble` and listening on Pebble's HTTP-01 port. */
export async function certbotWorkspace(root: string, pebble: PebbleTestbed): Promise<CertbotWorkspace> {
  const dirs = { config: path.join(root, "config"), work: path.join(root, "work"), logs: path.join(root, "logs") };
  for (const dir of Object.values(dirs)) await mkdir(dir, { recursive: true });
  return {
    configDir: dirs.config,
    env: { REQUESTS_CA_BUNDLE: pebble.httpsCaPath },
    args: () => ["--non-interactive", "--config-dir", dirs.config, "--work-dir", dirs.work, "--logs-dir", dirs.logs, "--server", pebble.directoryUrl],
  };
}

export async function certbotRegister(certbot: string, workspace: CertbotWorkspace): Promise<number> {
  return timeCommand(certbot, ["register", ...workspace.args(), "--agree-tos", "--register-unsafely-without-email"], workspace.env);
}

/**
 * `certbot certonly --standalone` for `names` (ECDSA P-256, certbot 2's default, made explicit),
 * listening on `port` (default: the port Pebble validates on; a relay may forward it elsewhere).
 */
export async function certbotCertonly(
  certbot: string,
  workspace: CertbotWorkspace,
  pebble: PebbleTestbed,
  names: string[],
  port = pebble.httpPort,
): Promise<number> {
  return timeCommand(
    certbot,
    [
      "certonly",
      "--standalone",
      ...workspace.args(),
      "--agree-tos",
      "--register-unsafely-without-email",
      "--http-01-port",
      String(port),
      "--key-type",
      "ecdsa",
      "--elliptic-curve",
      "secp256r1",
      ...names.flatMap((name) => ["-d", name]),
    ],
    workspace.env,
  );
}

/** `certbot renew --force-renewal` over every lineage in the workspace (no random start delay). */
export async function certbotRenewAll(certbot: string, workspace: CertbotWorkspace): Promise<number> {
  return timeCommand(certbot, ["renew", "--force-renewal", "--no-random-sleep-on-renew", ...workspace.args()], workspace.env, 3 * 3600_000);
}

/** A fresh certbot workspace that already holds the account registered in `template`. */
export async function certbotWorkspaceWithAccount(root: string, template: CertbotWorkspace, pebble: PebbleTestbed): Promise<CertbotWorkspace> {
  const workspace = await certbotWorkspace(await mkdtemp(path.join(root, "certbot-")), pebble);
  await cp(path.join(template.configDir, "accounts"), path.join(workspace.configDir, "accounts"), { recursive: true });
  return workspace;
}

/**
 * `lego run` with HTTP-01 on `port` (default: the port Pebble validates on); the account in
 * `legoPath` is reused across runs.
 */
export async function legoRun(lego: string, legoPath: string, pebble: PebbleTestbed, names: string[], port = pebble.httpPort): Promise<number> {
  return timeCommand(
    lego,
    [
      "--server",
      pebble.directoryUrl,
      "--http",
      "--http.port",
      `127.0.0.1:${port}`,
      ...names.flatMap((name) => ["--domains", name]),
      "--email",
      "bench@example.test",
      "--accept-tos",
      "--key-type",
      "ec256",
      "--path",
      legoPath,
      "run",
    ],
    { LEGO_CA_CERTIFICATES: pebble.httpsCaPath },
  );
}
