/**
 * A second nginx on 127.0.0.1 (the machine's /usr/sbin/nginx with its own prefix, config, pid
 * file and logs) serving TLS from given certificate and key files: the "remote web server" the
 * SSH deploy test installs files for and reloads. The system's nginx is not touched.
 *
 * Minimal on purpose; a fuller nginx testbed may replace it.
 */
import { execFile, spawn, type ChildProcess } from "node:child_process";
import { X509Certificate } from "node:crypto";
import { closeSync, openSync } from "node:fs";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import tls from "node:tls";
import { promisify } from "node:util";
import { findFreePort } from "../../lib/testbed/pebble-testbed";

const execFileAsync = promisify(execFile);
const NGINX = "/usr/sbin/nginx";

export interface NginxTlsServer {
  port: number;
  prefix: string;
  confPath: string;
  errorLogPath: string;
  /** `nginx … -t && nginx … -s reload` for this instance, as a shell command line. */
  reloadCommand: string;
  /** SHA-256 fingerprint ("AB:CD:…") of the certificate a TLS client sees now. */
  servedFingerprint(): Promise<string>;
  /** Waits until the served certificate has this fingerprint (workers switch over after a reload). */
  waitForFingerprint(fingerprint256: string, timeoutMs?: number): Promise<void>;
  stop(): Promise<void>;
}

const quote = (value: string) => `'${value.replace(/'/g, `'\\''`)}'`;

export async function startNginxTlsServer(options: { prefix: string; certificatePath: string; keyPath: string; serverName?: string }): Promise<NginxTlsServer> {
  const prefix = path.resolve(options.prefix);
  await mkdir(path.join(prefix, "temp"), { recursive: true });
  const port = await findFreePort();
  const confPath = path.join(prefix, "nginx.conf");
  const errorLogPath = path.join(prefix, "error.log");
  const temp = (name: string) => `${name}_temp_path ${path.join(prefix, "temp", name)};`;
  await writeFile(
    confPath,
    [
      "daemon off;",
      "master_process on;",
      "worker_processes 1;",
      `pid ${path.join(prefix, "nginx.pid")};`,
      `error_log ${errorLogPath} notice;`,
      "events { worker_connections 64; }",
      "http {",
      "  access_log off;",
      `  ${temp("client_body")} ${temp("proxy")} ${temp("fastcgi")} ${temp("uwsgi")} ${temp("scgi")}`,
      "  server {",
      `    listen 127.0.0.1:${port} ssl;`,
      `    server_name ${options.serverName ?? "ssh-deploy.test"};`,
      `    ssl_certificate ${options.certificatePath};`,
      `    ssl_certificate_key ${options.keyPath};`,
      '    location / { return 200 "ok\\n"; }',
      "  }",
      "}",
      "",
    ].join("\n"),
  );
  // -e: the error log before the config is read (else nginx opens /var/log/nginx/error.log).
  const base = ["-p", `${prefix}/`, "-c", confPath, "-e", errorLogPath];
  await execFileAsync(NGINX, [...base, "-t"]).catch((error: { stderr?: string }) => {
    throw new Error(`nginx -t rejected the test configuration: ${error.stderr ?? String(error)}`);
  });
  const fd = openSync(path.join(prefix, "stderr.log"), "a");
  let child: ChildProcess;
  try {
    child = spawn(NGINX, base, { stdio: ["ignore", fd, fd] });
  } finally {
    closeSync(fd);
  }
  let exited = false;
  const exit = new Promise<void>((resolve) => child.once("exit", () => ((exited = true), resolve())));
  const onProcessExit = () => {
    if (!exited) child.kill("SIGKILL");
  };
  process.on("exit", onProcessExit);

  const servedFingerprint = () =>
    new Promise<string>((resolve, reject) => {
      const socket = tls.connect({ host: "127.0.0.1", port, servername: options.serverName ?? "ssh-deploy.test", rejectUnauthorized: false }, () => {
        const certificate = socket.getPeerX509Certificate();
        socket.end();
        if (certificate) resolve(certificate.fingerprint256);
        else reject(new Error("nginx sent no certificate"));
      });
      socket.setTimeout(2000, () => socket.destroy(new Error("TLS handshake with the test nginx timed out")));
      socket.once("error", reject);
    });

  const stop = async () => {
    if (!exited) {
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 3000);
      await exit;
      clearTimeout(timer);
    }
    process.removeListener("exit", onProcessExit);
  };

  const deadline = Date.now() + 5000;
  for (;;) {
    const ok = await servedFingerprint().then(
      () => true,
      () => false,
    );
    if (ok) break;
    if (exited || Date.now() > deadline) {
      await stop();
      const log = await readFile(errorLogPath, "utf8").catch(() => "(no log)");
      throw new Error(`the test nginx did not start on 127.0.0.1:${port}\n${log.slice(-3000)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }

  const command = `${NGINX} ${base.map(quote).join(" ")}`;
  return {
    port,
    prefix,
    confPath,
    errorLogPath,
    reloadCommand: `${command} -t && ${command} -s reload`,
    servedFingerprint,
    async waitForFingerprint(fingerprint256, timeoutMs = 5000) {
      const until = Date.now() + timeoutMs;
      let last = "";
      while (Date.now() < until) {
        last = await servedFingerprint().catch((error: Error) => `(${error.message})`);
        if (last === fingerprint256) return;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      throw new Error(`nginx still serves ${last}, not ${fingerprint256}`);
    },
    stop,
  };
}

/** The SHA-256 fingerprint of a PEM certificate (the first one in the text), as node:tls reports it. */
export function fingerprintOfPem(pem: string): string {
  return new X509Certificate(pem).fingerprint256;
}
