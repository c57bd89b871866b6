/**
 * Local Let's Encrypt test CA (Pebble 2.4.0 + pebble-challtestsrv) on loopback.
 *
 * Used by the app harness (integration tests, benchmarks, `npm run demo`) and the end-to-end
 * tests. Node built-ins only (and wait-for.ts beside it). Both binaries come from Debian's
 * `pebble` package; their flags and PEBBLE_* variables are described in Pebble's README
 * (https://github.com/letsencrypt/pebble).
 *
 * - Pebble's own HTTPS certificate is generated at start (throwaway CA + leaf for
 *   localhost / 127.0.0.1 / ::1) with the openssl CLI. Clients must trust `httpsCaPem`.
 * - challtestsrv runs with DNS + management only; every name resolves to 127.0.0.1 (A)
 *   and nothing answers AAAA, so Pebble always connects to 127.0.0.1:<httpPort>.
 * - Pebble runs with PEBBLE_VA_NOSLEEP=1, PEBBLE_AUTHZREUSE=0 and a configurable
 *   PEBBLE_WFE_NONCEREJECT (default 0 here).
 */

import { spawn, execFile, type ChildProcess } from "node:child_process";
import { accessSync, constants as fsConstants, closeSync, openSync } from "node:fs";
import { mkdir, open, readFile, readdir, writeFile } from "node:fs/promises";
import http from "node:http";
import https from "node:https";
import net from "node:net";
import path from "node:path";
import { promisify } from "node:util";
import { waitFor } from "./wait-for";

const execFileAsync = promisify(execFile);

export interface PebbleTestbedOptions {
  /** Directory for generated config/certs/logs; created if missing. */
  workDir: string;
  /** Port Pebble connects to for HTTP-01 validation (where the app or a standalone listener answers). */
  httpPort: number;
  /** Port Pebble connects to for TLS-ALPN-01; default: a free port. */
  tlsPort?: number;
  /** Percent of good nonces rejected as badNonce; default 0 (Pebble's own default is 5). */
  nonceRejectPercent?: number;
  /** Certificate validity in seconds (Pebble's undocumented certificateValidityPeriod); default 90 days. */
  certificateValidityPeriod?: number;
  /** EAB: key id -> base64url HMAC key; when given, EAB is required. */
  externalAccountMACKeys?: Record<string, string>;
  /**
   * The DNS server Pebble resolves through (its -dnsserver), e.g. a BIND testbed for DNS-01;
   * default: the challtestsrv started alongside (`dnsServer`).
   */
  pebbleDnsServer?: string;
  /** Extra environment for Pebble (e.g. PEBBLE_CHAIN_LENGTH, PEBBLE_ALTERNATE_ROOTS). Applied last. */
  pebbleEnv?: Record<string, string>;
  /** Override the binaries (default: `pebble` / `pebble-challtestsrv` from PATH, then /usr/bin). */
  pebbleBinary?: string;
  challtestsrvBinary?: string;
  /** Readiness deadline in milliseconds; default 10 000. */
  startTimeoutMs?: number;
}

export interface PebbleTestbed {
  /** https://127.0.0.1:<port>/dir */
  directoryUrl: string;
  /** Pebble's management listener (https, same certificate), e.g. for /roots/0. */
  managementUrl: string;
  /** PEM of the throwaway CA that signed Pebble's HTTPS certificate: what a client must trust for directoryUrl. */
  httpsCaPem: string;
  httpsCaPath: string;
  /** "127.0.0.1:<port>" of challtestsrv's DNS (UDP and TCP). */
  dnsServer: string;
  /** http://127.0.0.1:<port> */
  challtestsrvManagementUrl: string;
  /** Ports in use, for logging and for starting responders. */
  httpPort: number;
  tlsPort: number;
  /** Process ids (for diagnostics and tests). */
  pids: { pebble: number; challtestsrv: number };
  /** Log files (stdout+stderr) of both processes. */
  pebbleLogPath: string;
  challtestsrvLogPath: string;
  /** POST helpers to challtestsrv's management API */
  addA(host: string, addresses: string[]): Promise<void>;
  clearA(host: string): Promise<void>;
  addAAAA(host: string, addresses: string[]): Promise<void>;
  clearAAAA(host: string): Promise<void>;
  /** Appends the trailing dot to host when missing. Repeated calls append values. */
  setTxt(host: string, value: string): Promise<void>;
  clearTxt(host: string): Promise<void>;
  /**
   * Raw POST to any other challtestsrv endpoint (`/add-caa`, `/set-cname`, `/set-servfail`,
   * `/set-default-ipv4`, ...). Returns the response body.
   */
  challtestsrv(endpoint: string, body: unknown): Promise<string>;
  /** PEM of Pebble's issuing root (GET <management>/roots/0), to verify issued chains. */
  getIssuerRootPem(): Promise<string>;
  /**
   * Freezes Pebble with SIGSTOP: its kernel still accepts TCP connections on the listen backlog,
   * but nothing answers (a CA that hangs). Resolves once every thread of Pebble is stopped, so
   * a request sent afterwards cannot be answered by a thread still finishing its time slice.
   * resume() sends SIGCONT. stop() resumes first.
   */
  pause(): Promise<void>;
  resume(): void;
  /** Kills both processes and waits for them to exit. Idempotent. */
  stop(): Promise<void>;
}

const NOT_INSTALLED = 'pebble is not installed: run "apt-get install -y pebble" as root';
const NINETY_DAYS = 90 * 24 * 60 * 60;

/** Bind port 0 on `host` (default 127.0.0.1), read the port the kernel chose, close. */
export async function findFreePort(host = "127.0.0.1"): Promise<number> {
  return new Promise<number>((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.once("error", reject);
    server.listen({ host, port: 0, exclusive: true }, () => {
      const address = server.address();
      if (address === null || typeof address === "string") {
        server.close();
        reject(new Error("could not determine a free port"));
        return;
      }
      const { port } = address;
      server.close((err) => (err ? reject(err) : resolve(port)));
    });
  });
}

/** Distinct free ports (findFreePort may return the same port twice once it is closed). */
async function findFreePorts(count: number, exclude: number[]): Promise<number[]> {
  const ports: number[] = [];
  const taken = new Set(exclude);
  for (let tries = 0; ports.length < count; tries++) {
    if (tries > count * 20) throw new Error("could not find enough free ports on 127.0.0.1");
    const port = await findFreePort();
    if (!taken.has(port)) {
      taken.add(port);
      ports.push(port);
    }
  }
  return ports;
}

function isExecutable(file: string): boolean {
  try {
    accessSync(file, fsConstants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function findBinary(name: string): string | null {
  const dirs = [...(process.env.PATH ?? "").split(path.delimiter), "/usr/bin", "/usr/local/bin"];
  for (const dir of dirs) {
    if (!dir) continue;
    const candidate = path.join(dir, name);
    if (isExecutable(candidate)) return candidate;
  }
  return null;
}

/** Throwaway CA + leaf (localhost, 127.0.0.1, ::1) for Pebble's HTTPS listeners. */
async function generateHttpsCertificate(dir: string): Promise<{
  caPath: string;
  certPath: string;
  keyPath: string;
}> {
  const openssl = findBinary("openssl");
  if (!openssl) throw new Error("openssl is required to generate Pebble's HTTPS certificate");
  await mkdir(dir, { recursive: true });
  const caKey = path.join(dir, "https-ca.key");
  const caPath = path.join(dir, "https-ca.pem");
  const keyPath = path.join(dir, "https-leaf.key");
  const csrPath = path.join(dir, "https-leaf.csr");
  const certPath = path.join(dir, "https-leaf.pem");
  const extPath = path.join(dir, "https-leaf.ext");
  const serial = `0x${Date.now().toString(16)}${Math.floor(Math.random() * 0xffff).toString(16)}`;
  const run = (args: string[]) => execFileAsync(openssl, args, { cwd: dir, timeout: 15_000 });

  await run([
    "req",
    "-x509",
    "-newkey",
    "ec",
    "-pkeyopt",
    "ec_paramgen_curve:P-256",
    "-nodes",
    "-keyout",
    caKey,
    "-out",
    caPath,
    "-days",
    "30",
    "-sha256",
    "-subj",
    `/CN=CertDeck testbed HTTPS CA ${process.pid}-${Date.now()}`,
    "-addext",
    "basicConstraints=critical,CA:TRUE",
    "-addext",
    "keyUsage=critical,keyCertSign,cRLSign",
    "-addext",
    "subjectKeyIdentifier=hash",
  ]);
  await run(["req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", keyPath, "-out", csrPath, "-subj", "/CN=localhost"]);
  await writeFile(
    extPath,
    [
      "basicConstraints=critical,CA:FALSE",
      "keyUsage=critical,digitalSignature,keyEncipherment",
      "extendedKeyUsage=serverAuth",
      "subjectAltName=DNS:localhost,IP:127.0.0.1,IP:::1",
      "authorityKeyIdentifier=keyid",
      "",
    ].join("\n"),
  );
  await run([
    "x509",
    "-req",
    "-in",
    csrPath,
    "-CA",
    caPath,
    "-CAkey",
    caKey,
    "-set_serial",
    serial,
    "-days",
    "30",
    "-sha256",
    "-extfile",
    extPath,
    "-out",
    certPath,
  ]);
  return { caPath, certPath, keyPath };
}

async function tailOf(file: string, maxBytes = 4000): Promise<string> {
  try {
    const handle = await open(file, "r");
    try {
      const { size } = await handle.stat();
      const start = Math.max(0, size - maxBytes);
      const buffer = Buffer.alloc(size - start);
      await handle.read(buffer, 0, buffer.length, start);
      const text = buffer.toString("utf8").trimEnd();
      return text || "(no output)";
    } finally {
      await handle.close();
    }
  } catch {
    return "(no log)";
  }
}

interface SimpleResponse {
  status: number;
  body: string;
}

/** One request to Pebble's or challtestsrv's API (HTTPS when the URL says so, trusting `ca`); a JSON `body` is sent with its type. */
function request(
  url: string,
  { method = "GET", body, ca, timeoutMs = 2000 }: { method?: string; body?: string; ca?: string; timeoutMs?: number } = {},
): Promise<SimpleResponse> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string | number> = {};
    if (body !== undefined) {
      headers["content-type"] = "application/json";
      headers["content-length"] = Buffer.byteLength(body);
    }
    const onResponse = (res: http.IncomingMessage) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8") }));
      res.on("error", reject);
    };
    const requestOptions = { method, headers, agent: false, timeout: timeoutMs } as const;
    const req = url.startsWith("https:") ? https.request(url, { ...requestOptions, ca }, onResponse) : http.request(url, requestOptions, onResponse);
    req.on("timeout", () => req.destroy(new Error(`timeout after ${timeoutMs} ms: ${url}`)));
    req.on("error", reject);
    req.end(body);
  });
}

interface Managed {
  name: string;
  child: ChildProcess;
  logPath: string;
  exited: Promise<void>;
  exitInfo: { code: number | null; signal: NodeJS.Signals | null } | null;
}

function launch(name: string, bin: string, args: string[], env: NodeJS.ProcessEnv, cwd: string, logPath: string): Managed {
  const fd = openSync(logPath, "a");
  let child: ChildProcess;
  try {
    // Output goes straight to the log file: no pipes to drain, nothing lost if we crash.
    child = spawn(bin, args, { cwd, env, stdio: ["ignore", fd, fd] });
  } finally {
    closeSync(fd);
  }
  const managed: Managed = {
    name,
    child,
    logPath,
    exitInfo: null,
    exited: new Promise<void>((resolve) => {
      child.once("exit", (code, signal) => {
        managed.exitInfo = { code, signal };
        resolve();
      });
      child.once("error", (err) => {
        managed.exitInfo = { code: null, signal: null };
        void writeFile(logPath, `\n[testbed] spawn error: ${err.message}\n`, { flag: "a" }).finally(resolve);
      });
    }),
  };
  return managed;
}

async function killAndWait(proc: Managed, graceMs = 3000): Promise<void> {
  if (proc.exitInfo) return;
  try {
    proc.child.kill("SIGTERM");
  } catch {
    // already gone
  }
  let timer: NodeJS.Timeout | undefined;
  const timedOut = await Promise.race([
    proc.exited.then(() => false),
    new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(true), graceMs);
    }),
  ]);
  clearTimeout(timer); // a pending grace timer would keep the event loop (and test runs) alive
  if (timedOut && !proc.exitInfo) {
    try {
      proc.child.kill("SIGKILL");
    } catch {
      // already gone
    }
    await proc.exited;
  }
}

class StartupError extends Error {
  readonly addressInUse: boolean;
  constructor(message: string, addressInUse: boolean) {
    super(message);
    this.name = "StartupError";
    this.addressInUse = addressInUse;
  }
}

async function startOnce(options: PebbleTestbedOptions, bins: { pebble: string; challtestsrv: string }, attempt: number): Promise<PebbleTestbed> {
  const workDir = path.resolve(options.workDir);
  const certs = await generateHttpsCertificate(path.join(workDir, "certs"));
  const httpsCaPem = await readFile(certs.caPath, "utf8");

  const exclude = [options.httpPort, ...(options.tlsPort ? [options.tlsPort] : [])];
  const [listenPort, managementPort, dnsPort, ctsManagementPort, freeTlsPort] = await findFreePorts(5, exclude);
  const tlsPort = options.tlsPort ?? freeTlsPort;

  const eab = options.externalAccountMACKeys;
  const config = {
    pebble: {
      listenAddress: `127.0.0.1:${listenPort}`,
      managementListenAddress: `127.0.0.1:${managementPort}`,
      certificate: certs.certPath,
      privateKey: certs.keyPath,
      httpPort: options.httpPort,
      tlsPort,
      ocspResponderURL: "",
      certificateValidityPeriod: options.certificateValidityPeriod ?? NINETY_DAYS,
      externalAccountBindingRequired: eab !== undefined && Object.keys(eab).length > 0,
      ...(eab && Object.keys(eab).length > 0 ? { externalAccountMACKeys: eab } : {}),
    },
  };
  const configPath = path.join(workDir, "pebble-config.json");
  await writeFile(configPath, JSON.stringify(config, null, 2) + "\n");

  const suffix = attempt === 0 ? "" : `.${attempt}`;
  const challtestsrvLogPath = path.join(workDir, `challtestsrv${suffix}.log`);
  const pebbleLogPath = path.join(workDir, `pebble${suffix}.log`);
  await writeFile(challtestsrvLogPath, "");
  await writeFile(pebbleLogPath, "");

  const dnsServer = `127.0.0.1:${dnsPort}`;
  const challtestsrvManagementUrl = `http://127.0.0.1:${ctsManagementPort}`;
  const directoryUrl = `https://127.0.0.1:${listenPort}/dir`;
  const managementUrl = `https://127.0.0.1:${managementPort}`;

  const cts = launch(
    "pebble-challtestsrv",
    bins.challtestsrv,
    [
      "-dns01",
      dnsServer,
      "-management",
      `127.0.0.1:${ctsManagementPort}`,
      "-http01",
      "",
      "-https01",
      "",
      "-tlsalpn01",
      "",
      "-defaultIPv4",
      "127.0.0.1",
      "-defaultIPv6",
      "",
    ],
    process.env,
    workDir,
    challtestsrvLogPath,
  );
  const pebble = launch(
    "pebble",
    bins.pebble,
    ["-config", configPath, "-dnsserver", options.pebbleDnsServer ?? dnsServer],
    {
      ...process.env,
      PEBBLE_VA_NOSLEEP: "1",
      PEBBLE_WFE_NONCEREJECT: String(options.nonceRejectPercent ?? 0),
      PEBBLE_AUTHZREUSE: "0",
      ...options.pebbleEnv,
    },
    workDir,
    pebbleLogPath,
  );
  const procs = [cts, pebble];

  // Safety net: never leave the CA running after this Node process exits.
  const onExit = () => {
    for (const p of procs) {
      if (!p.exitInfo) {
        try {
          p.child.kill("SIGKILL");
        } catch {
          // ignore
        }
      }
    }
  };
  process.on("exit", onExit);

  let paused = false;
  const signalPebble = (signal: NodeJS.Signals) => {
    if (!pebble.exitInfo) pebble.child.kill(signal);
  };
  const pause = async () => {
    signalPebble("SIGSTOP");
    paused = true;
    const pid = pebble.child.pid;
    if (pid !== undefined) await waitFor(() => allThreadsStopped(pid), { timeoutMs: 5000, intervalMs: 10, what: "Pebble's threads to stop" });
  };
  const resume = () => {
    signalPebble("SIGCONT");
    paused = false;
  };

  let stopped: Promise<void> | null = null;
  const stop = (): Promise<void> => {
    // A stopped process would hold SIGTERM until continued.
    if (paused) resume();
    stopped ??= (async () => {
      await Promise.all(procs.map((p) => killAndWait(p)));
      process.removeListener("exit", onExit);
    })();
    return stopped;
  };

  // Readiness: directory over HTTPS (trusting only our CA) + challtestsrv management.
  const startTimeoutMs = options.startTimeoutMs ?? 10_000;
  let pebbleReady = false;
  let ctsReady = false;
  let lastPebbleError = "";
  let lastCtsError = "";
  try {
    await waitFor(
      async () => {
        const dead = procs.find((p) => p.exitInfo);
        if (dead) {
          throw new Error(`${dead.name} exited during start-up (${describeExit(dead)})`);
        }
        if (!pebbleReady) {
          try {
            const res = await request(directoryUrl, { ca: httpsCaPem, timeoutMs: 1000 });
            if (res.status === 200 && JSON.parse(res.body).newNonce) pebbleReady = true;
            else lastPebbleError = `HTTP ${res.status}`;
          } catch (err) {
            lastPebbleError = (err as Error).message;
          }
        }
        if (!ctsReady) {
          try {
            // Any HTTP answer means the management listener is up (DNS is bound before it).
            await request(`${challtestsrvManagementUrl}/`, { timeoutMs: 1000 });
            ctsReady = true;
          } catch (err) {
            lastCtsError = (err as Error).message;
          }
        }
        return pebbleReady && ctsReady;
      },
      {
        timeoutMs: startTimeoutMs,
        intervalMs: 50,
        what: () =>
          [!pebbleReady && `pebble (${lastPebbleError || "no answer"})`, !ctsReady && `challtestsrv (${lastCtsError || "no answer"})`]
            .filter(Boolean)
            .join(" and "),
      },
    );
  } catch (err) {
    await stop();
    const [pebbleTail, ctsTail] = await Promise.all([tailOf(pebbleLogPath), tailOf(challtestsrvLogPath)]);
    const addressInUse = /address already in use/i.test(pebbleTail + ctsTail);
    throw new StartupError(
      `Pebble testbed failed to start: ${(err as Error).message}\n` +
        `--- pebble (${pebbleLogPath}) ---\n${pebbleTail}\n` +
        `--- pebble-challtestsrv (${challtestsrvLogPath}) ---\n${ctsTail}`,
      addressInUse,
    );
  }

  const manage = async (endpoint: string, body: unknown): Promise<string> => {
    const url = `${challtestsrvManagementUrl}${endpoint.startsWith("/") ? "" : "/"}${endpoint}`;
    const res = await request(url, { method: "POST", body: JSON.stringify(body) });
    if (res.status < 200 || res.status >= 300) {
      throw new Error(`challtestsrv ${endpoint} answered HTTP ${res.status}: ${res.body.trim()}`);
    }
    return res.body;
  };
  const fqdn = (host: string) => (host.endsWith(".") ? host : `${host}.`);

  return {
    directoryUrl,
    managementUrl,
    httpsCaPem,
    httpsCaPath: certs.caPath,
    dnsServer,
    challtestsrvManagementUrl,
    httpPort: options.httpPort,
    tlsPort,
    pids: { pebble: pebble.child.pid ?? -1, challtestsrv: cts.child.pid ?? -1 },
    pebbleLogPath,
    challtestsrvLogPath,
    addA: async (host, addresses) => void (await manage("/add-a", { host, addresses })),
    clearA: async (host) => void (await manage("/clear-a", { host })),
    addAAAA: async (host, addresses) => void (await manage("/add-aaaa", { host, addresses })),
    clearAAAA: async (host) => void (await manage("/clear-aaaa", { host })),
    setTxt: async (host, value) => void (await manage("/set-txt", { host: fqdn(host), value })),
    clearTxt: async (host) => void (await manage("/clear-txt", { host: fqdn(host) })),
    challtestsrv: manage,
    async getIssuerRootPem() {
      const res = await request(`${managementUrl}/roots/0`, { ca: httpsCaPem });
      if (res.status !== 200) throw new Error(`GET ${managementUrl}/roots/0 answered HTTP ${res.status}`);
      return res.body;
    },
    pause,
    resume,
    stop,
  };
}

function describeExit(p: Managed): string {
  const info = p.exitInfo;
  if (!info) return "running";
  if (info.signal) return `signal ${info.signal}`;
  if (info.code === null) return "failed to spawn";
  return `exit code ${info.code}`;
}

/**
 * Start challtestsrv (DNS + management) and Pebble on free loopback ports and wait until both answer.
 * Retries with new ports (up to 3 times) if a port was taken between probing and binding.
 */
export async function startPebbleTestbed(options: PebbleTestbedOptions): Promise<PebbleTestbed> {
  const resolveBinary = (override: string | undefined, name: string) =>
    override !== undefined ? (isExecutable(override) ? override : null) : findBinary(name);
  const pebble = resolveBinary(options.pebbleBinary, "pebble");
  const challtestsrv = resolveBinary(options.challtestsrvBinary, "pebble-challtestsrv");
  if (!pebble || !challtestsrv) throw new Error(NOT_INSTALLED);
  await mkdir(path.resolve(options.workDir), { recursive: true });

  for (let attempt = 0; ; attempt++) {
    try {
      return await startOnce(options, { pebble, challtestsrv }, attempt);
    } catch (err) {
      if (err instanceof StartupError && err.addressInUse && attempt < 2) continue;
      throw err;
    }
  }
}

/** Whether every thread of `pid` is stopped (state T in /proc/<pid>/task/<tid>/stat). */
async function allThreadsStopped(pid: number): Promise<boolean> {
  const tasks = await readdir(`/proc/${pid}/task`).catch(() => [] as string[]);
  const states = await Promise.all(
    tasks.map((tid) =>
      readFile(`/proc/${pid}/task/${tid}/stat`, "utf8")
        .then((stat) => stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3))
        .catch(() => "T"),
    ),
  );
  return states.every((state) => state === "T" || state === "t");
}
