/**
 * A real nginx (Debian's /usr/sbin/nginx) on loopback for the deploy tests: its own prefix,
 * config, pid file, error log and temp directories under `workDir`, so it never touches the
 * system nginx (/etc/nginx, /run/nginx.pid, /var/lib/nginx, ports 80/443).
 *
 * It runs in the foreground (daemon off) with a master process, as nginx runs in production:
 * a reload is then what it is there, a SIGHUP after which the master re-reads the certificates
 * and starts new workers while the old ones finish, so the new certificate is served a moment
 * after `nginx -s reload` returns, not at once.
 *
 * One TLS port (several server blocks, chosen by SNI; the first is the default) and one
 * plain-HTTP port (for "this port does not speak TLS"). Certificate paths are whatever the test
 * gives: CertDeck's live/<name>/ files, or a copy elsewhere ("serves a copy"). Node built-ins only.
 */
import { execFile } from "node:child_process";
import { X509Certificate } from "node:crypto";
import { accessSync, constants as fsConstants } from "node:fs";
import { mkdir, readFile, stat, writeFile } from "node:fs/promises";
import net from "node:net";
import path from "node:path";
import tls from "node:tls";
import { startDaemon } from "./daemon";
import { findFreePort } from "./pebble-testbed";

const NGINX = "/usr/sbin/nginx";
const NOT_INSTALLED = 'nginx is not installed: run "apt-get install -y nginx" as root';

export interface NginxSite {
  /** server_name values; the TLS client's SNI picks the block. */
  serverNames: string[];
  /** ssl_certificate: a full chain, leaf first. */
  certificatePath: string;
  /** ssl_certificate_key. */
  keyPath: string;
}

export interface NginxTestbedOptions {
  /** Directory for the prefix (config, pid, logs, temp dirs); created if missing. */
  workDir: string;
  /** At least one; the first is the default server (answers unknown SNI names and no SNI). */
  sites: NginxSite[];
  /** Readiness deadline in milliseconds; default 10 000. */
  startTimeoutMs?: number;
}

export interface NginxCommandResult {
  exitCode: number | null;
  /** nginx's own words (stdout and stderr). */
  output: string;
}

export interface NginxTestbed {
  host: "127.0.0.1";
  /** The TLS port. */
  port: number;
  /** "127.0.0.1:<port>", as CertDeck's deploy verification takes it. */
  address: string;
  /** A port where nginx answers plain HTTP (no TLS). */
  plainHttpPort: number;
  prefix: string;
  confPath: string;
  errorLogPath: string;
  /** The master process. */
  pid: number;
  /** Shell commands that act on this nginx only, for the guarded reload's configurable commands. */
  testCommand: string;
  reloadCommand: string;
  /** `<test> && <reload>`, as a remote host's reload command would be written. */
  checkedReloadCommand: string;
  /** SHA-256 fingerprint ("AB:CD:…") of the leaf a TLS client gets for `serverName` (default: the first site's first name). */
  servedFingerprint(serverName?: string): Promise<string>;
  /** Waits until that leaf has this fingerprint (workers switch over a moment after a reload). */
  waitForFingerprint(fingerprint256: string, options?: { serverName?: string; timeoutMs?: number }): Promise<void>;
  /** Rewrites nginx.conf (sites as given, same ports); takes effect at the next reload. */
  writeConfig(sites: NginxSite[]): Promise<void>;
  /** Writes a config nginx refuses (an unknown directive), as a typo in a real one. */
  writeBrokenConfig(): Promise<void>;
  /** `nginx -t` on this config: its verdict in its own words. */
  testConfig(): Promise<NginxCommandResult>;
  /**
   * `nginx -s reload`, then waits until the master has acted on it: new workers started and
   * the old ones stopped accepting (success), or an error logged (the old configuration keeps running). `output` holds the
   * command's output and the lines nginx logged meanwhile.
   */
  reload(): Promise<NginxCommandResult & { applied: boolean }>;
  /** Stops nginx (SIGQUIT, then SIGKILL after 3 s). Idempotent. */
  stop(): Promise<void>;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
/** A string in nginx.conf's double quotes. */
const quoted = (value: string) => `"${value.replaceAll("\\", "\\\\").replaceAll('"', '\\"')}"`;
/** A word for /bin/sh, single-quoted so that nothing in a path is expanded. */
const shellWord = (value: string) => `'${value.replaceAll("'", `'\\''`)}'`;

function nginxConf(prefix: string, port: number, plainHttpPort: number, sites: NginxSite[]): string {
  const inPrefix = (name: string) => quoted(path.join(prefix, name));
  return [
    "daemon off;",
    "master_process on;",
    "worker_processes 1;",
    `pid ${inPrefix("nginx.pid")};`,
    `lock_file ${inPrefix("nginx.lock")};`,
    // notice: the reload's progress ("start worker process") is how reload() knows it is done.
    `error_log ${inPrefix("error.log")} notice;`,
    "events { worker_connections 64; }",
    "http {",
    "  access_log off;",
    // Debian compiles in /var/lib/nginx/*: keep every temp path inside the prefix.
    ...["client_body", "proxy", "fastcgi", "uwsgi", "scgi"].map((kind) => `  ${kind}_temp_path ${inPrefix(`temp/${kind}`)};`),
    ...sites.map((site, index) =>
      [
        "  server {",
        `    listen 127.0.0.1:${port} ssl${index === 0 ? " default_server" : ""};`,
        `    server_name ${site.serverNames.join(" ")};`,
        `    ssl_certificate ${quoted(site.certificatePath)};`,
        `    ssl_certificate_key ${quoted(site.keyPath)};`,
        `    location / { return 200 ${quoted(`${site.serverNames[0]}\n`)}; }`,
        "  }",
      ].join("\n"),
    ),
    `  server { listen 127.0.0.1:${plainHttpPort}; location / { return 200 "plain HTTP\\n"; } }`,
    "}",
    "",
  ].join("\n");
}

function runNginx(args: string[]): Promise<NginxCommandResult> {
  return new Promise((resolve) => {
    execFile(NGINX, args, { timeout: 15_000 }, (error, stdout, stderr) => {
      const exitCode = error ? (typeof error.code === "number" ? error.code : null) : 0;
      resolve({ exitCode, output: `${stdout}${stderr}`.trim() });
    });
  });
}

function isListening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: "127.0.0.1", port });
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

async function fileSize(file: string): Promise<number> {
  return stat(file).then(
    (info) => info.size,
    () => 0,
  );
}

async function logSince(file: string, offset: number): Promise<string> {
  return (await readFile(file).catch(() => Buffer.alloc(0))).subarray(offset).toString("utf8");
}

/** The SHA-256 fingerprint of a PEM certificate (the first one in the text), as node:tls reports it. */
export function fingerprintOfPem(pem: string): string {
  return new X509Certificate(pem).fingerprint256;
}

function servedFingerprintAt(port: number, serverName: string): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    const socket = tls.connect({ host: "127.0.0.1", port, servername: serverName, rejectUnauthorized: false }, () => {
      const certificate = socket.getPeerX509Certificate();
      socket.end();
      if (certificate) resolve(certificate.fingerprint256);
      else reject(new Error("nginx sent no certificate"));
    });
    socket.setTimeout(2000, () => socket.destroy(new Error("TLS handshake with the test nginx timed out")));
    socket.once("error", reject);
  });
}

export async function startNginxTestbed(options: NginxTestbedOptions): Promise<NginxTestbed> {
  try {
    accessSync(NGINX, fsConstants.X_OK);
  } catch {
    throw new Error(NOT_INSTALLED);
  }
  if (options.sites.length === 0) throw new Error("the nginx testbed needs at least one site");
  const prefix = path.resolve(options.workDir);
  for (const kind of ["client_body", "proxy", "fastcgi", "uwsgi", "scgi"]) await mkdir(path.join(prefix, "temp", kind), { recursive: true });
  const confPath = path.join(prefix, "nginx.conf");
  const errorLogPath = path.join(prefix, "error.log");
  const baseArgs = ["-p", `${prefix}/`, "-c", confPath];
  const shellArgs = `-p ${shellWord(baseArgs[1])} -c ${shellWord(confPath)}`;

  for (let attempt = 0; ; attempt++) {
    const port = await findFreePort();
    let plainHttpPort = await findFreePort();
    while (plainHttpPort === port) plainHttpPort = await findFreePort();
    const writeConfig = (sites: NginxSite[]) => writeFile(confPath, nginxConf(prefix, port, plainHttpPort, sites));
    await writeConfig(options.sites);

    const startOffset = await fileSize(errorLogPath);
    // Startup messages before the config is read go to stderr (Debian builds with error-log-path=stderr).
    const stderrPath = path.join(prefix, "stderr.log");
    // SIGQUIT: graceful shutdown, the master also stops its workers.
    const nginx = startDaemon(NGINX, baseArgs, { cwd: prefix, logPath: stderrPath, stopSignal: "SIGQUIT" });

    const deadline = Date.now() + (options.startTimeoutMs ?? 10_000);
    let isReady = false;
    while (!isReady && !nginx.hasExited && Date.now() < deadline) {
      isReady = (await isListening(port)) && /start worker process/.test(await logSince(errorLogPath, startOffset));
      if (!isReady) await sleep(25);
    }
    if (!isReady) {
      await nginx.stop();
      const log = `${await logSince(errorLogPath, startOffset)}${await readFile(stderrPath, "utf8").catch(() => "")}`;
      if (/address already in use/i.test(log) && attempt < 2) continue;
      throw new Error(`nginx testbed failed to start on 127.0.0.1:${port}\n--- ${errorLogPath} / ${stderrPath} ---\n${log.slice(-4000)}`);
    }

    return {
      host: "127.0.0.1",
      port,
      address: `127.0.0.1:${port}`,
      plainHttpPort,
      prefix,
      confPath,
      errorLogPath,
      pid: nginx.child.pid ?? -1,
      testCommand: `${NGINX} ${shellArgs} -t`,
      reloadCommand: `${NGINX} ${shellArgs} -s reload`,
      checkedReloadCommand: `${NGINX} ${shellArgs} -t && ${NGINX} ${shellArgs} -s reload`,
      servedFingerprint: (serverName = options.sites[0].serverNames[0]) => servedFingerprintAt(port, serverName),
      async waitForFingerprint(fingerprint256, { serverName = options.sites[0].serverNames[0], timeoutMs = 5000 } = {}) {
        const until = Date.now() + timeoutMs;
        let last = "";
        while (Date.now() < until) {
          last = await servedFingerprintAt(port, serverName).catch((error: Error) => `(${error.message})`);
          if (last === fingerprint256) return;
          await sleep(50);
        }
        throw new Error(`nginx still serves ${last}, not ${fingerprint256}`);
      },
      writeConfig,
      writeBrokenConfig: () =>
        writeFile(
          confPath,
          nginxConf(prefix, port, plainHttpPort, options.sites).replace("worker_processes 1;", "worker_processes 1;\nssl_certificat_typo on;"),
        ),
      testConfig: () => runNginx([...baseArgs, "-t"]),
      async reload() {
        const offset = await fileSize(errorLogPath);
        const result = await runNginx([...baseArgs, "-s", "reload"]);
        if (result.exitCode !== 0) return { ...result, applied: false };
        // The master logs "start worker process" once the new configuration runs, or an
        // [emerg]/[alert] when it keeps the old one. Until the old worker logs "gracefully
        // shutting down" it may still accept a connection and serve the old certificate.
        const reloadDeadline = Date.now() + 10_000;
        while (Date.now() < reloadDeadline) {
          const logged = await logSince(errorLogPath, offset);
          const applied = /start worker process/.test(logged) && /gracefully shutting down/.test(logged);
          if (applied || /\[(emerg|alert|crit)\]/.test(logged)) return { exitCode: 0, output: `${result.output}\n${logged}`.trim(), applied };
          await sleep(25);
        }
        return { exitCode: 0, output: `${result.output}\n${await logSince(errorLogPath, offset)}`.trim(), applied: false };
      },
      stop: () => nginx.stop(),
    };
  }
}
