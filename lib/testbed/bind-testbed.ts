/**
 * A real BIND 9 (Debian `bind9`) on loopback for the DNS-01 tests: one or more primary zones
 * that accept dynamic updates (RFC 2136) signed with one TSIG key (hmac-sha256), every zone's
 * nameserver resolving to 127.0.0.1.
 *
 * It also plays the CA's recursive resolver: recursion is on (for 127.0.0.1 only) so that a
 * question with RD set follows a CNAME into another of its zones, as the CA's resolver does; a
 * local root zone makes it authoritative for every other name (NXDOMAIN), so nothing ever leaves
 * loopback. CertDeck's propagation check asks without RD and gets plain authoritative answers.
 *
 * Point Pebble's `-dnsserver` and CertDeck's `dnsResolvers` at `server`, and the setting
 * `authoritativeDnsPort` at `port`. Node built-ins plus `named` (and `nsupdate` from
 * bind9-dnsutils for addCname); queries use node:dns, independent of CertDeck's own DNS code.
 */
import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { Resolver } from "node:dns/promises";
import { accessSync, constants as fsConstants } from "node:fs";
import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import { startDaemon } from "./daemon";
import { findFreePort } from "./pebble-testbed";
import { waitFor } from "./wait-for";

const execFileAsync = promisify(execFile);
const NAMED = "/usr/sbin/named";
const NSUPDATE = "/usr/bin/nsupdate";
const NOT_INSTALLED = 'BIND 9 is not installed: run "apt-get install -y bind9 bind9-dnsutils" as root';

export interface BindTestbedOptions {
  /** Directory for named.conf, zone files, journals and the log; created if missing. */
  workDir: string;
  /** Zones to serve (primary, dynamic); default example.test and alias-target.test. */
  zones?: string[];
  /** TSIG key name (default "certdeck-test"); the key is hmac-sha256 with a random secret. */
  keyName?: string;
  /** Readiness deadline in milliseconds; default 5 000. */
  startTimeoutMs?: number;
}

export interface BindTestbed {
  /** "127.0.0.1:<port>" (UDP and TCP). */
  server: string;
  host: "127.0.0.1";
  port: number;
  zones: string[];
  /** The key the zones accept updates from. */
  tsig: { name: string; algorithm: "hmac-sha256"; secret: string };
  logPath: string;
  pid: number;
  /** Adds `name CNAME target` through a signed nsupdate (the zone is the one `name` ends in). */
  addCname(name: string, target: string): Promise<void>;
  /** Adds any record the same way, e.g. addRecord("slow.test", "NS", "ns2.slow.test."). */
  addRecord(name: string, type: string, data: string): Promise<void>;
  /** The TXT values at `name` (each record's strings joined); [] when there are none. */
  queryTxt(name: string): Promise<string[]>;
  /** Stops named and removes its work directory's journals. Idempotent. */
  stop(): Promise<void>;
}

function assertInstalled(file: string): void {
  try {
    accessSync(file, fsConstants.X_OK);
  } catch {
    throw new Error(NOT_INSTALLED);
  }
}

function zoneFile(zone: string): string {
  return [
    "$TTL 60",
    `@ IN SOA ns1.${zone}. hostmaster.${zone}. ( 1 3600 600 86400 60 )`,
    `@ IN NS ns1.${zone}.`,
    // No A records for the zone's names: DNS-01 needs none.
    `ns1 IN A 127.0.0.1`,
    "",
  ].join("\n");
}

function namedConf(dir: string, port: number, zones: string[], key: BindTestbed["tsig"]): string {
  const quoted = (value: string) => `"${value}"`;
  return [
    `key ${quoted(key.name)} { algorithm ${key.algorithm}; secret ${quoted(key.secret)}; };`,
    "options {",
    `  directory ${quoted(dir)};`,
    `  pid-file ${quoted(path.join(dir, "named.pid"))};`,
    `  session-keyfile ${quoted(path.join(dir, "session.key"))};`,
    `  managed-keys-directory ${quoted(dir)};`,
    `  listen-on port ${port} { 127.0.0.1; };`,
    "  listen-on-v6 { none; };",
    "  recursion yes;",
    "  allow-recursion { 127.0.0.1; };",
    "  dnssec-validation no;",
    "  notify no;",
    "  allow-transfer { none; };",
    "};",
    // No rndc channel: several testbeds run at once and would fight over port 953.
    "controls { };",
    `zone "." { type primary; file ${quoted(path.join(dir, "root.zone"))}; };`,
    ...zones.map((zone) =>
      [
        `zone ${quoted(zone)} {`,
        "  type primary;",
        `  file ${quoted(path.join(dir, `${zone}.zone`))};`,
        `  allow-update { key ${quoted(key.name)}; };`,
        "};",
      ].join("\n"),
    ),
    "",
  ].join("\n");
}

export async function startBindTestbed(options: BindTestbedOptions): Promise<BindTestbed> {
  assertInstalled(NAMED);
  const dir = path.resolve(options.workDir);
  await mkdir(dir, { recursive: true });
  const zones = options.zones ?? ["example.test", "alias-target.test"];
  const tsig = { name: options.keyName ?? "certdeck-test", algorithm: "hmac-sha256" as const, secret: randomBytes(32).toString("base64") };

  for (let attempt = 0; ; attempt++) {
    const port = await findFreePort();
    for (const zone of zones) await writeFile(path.join(dir, `${zone}.zone`), zoneFile(zone));
    await writeFile(
      path.join(dir, "root.zone"),
      ["$TTL 60", ". IN SOA ns.root.test. hostmaster.root.test. ( 1 3600 600 86400 60 )", ". IN NS ns.root.test.", "ns.root.test. IN A 127.0.0.1", ""].join(
        "\n",
      ),
    );
    const confPath = path.join(dir, "named.conf");
    await writeFile(confPath, namedConf(dir, port, zones, tsig), { mode: 0o600 });
    const logPath = path.join(dir, attempt === 0 ? "named.log" : `named.${attempt}.log`);
    // -g: foreground, log to stderr; -4: IPv4 only. As root named stays root (no -u): it only
    // binds a high port on 127.0.0.1 and writes inside `dir`.
    const named = startDaemon(NAMED, ["-g", "-4", "-c", confPath], { cwd: dir, logPath });
    let stopped: Promise<void> | null = null;
    const stop = () =>
      (stopped ??= (async () => {
        await named.stop();
        for (const zone of zones) await rm(path.join(dir, `${zone}.zone.jnl`), { force: true });
      })());

    const resolver = new Resolver({ timeout: 500, tries: 1 });
    resolver.setServers([`127.0.0.1:${port}`]);
    const isReady = await waitFor(
      async () =>
        named.hasExited
          ? "exited"
          : await resolver.resolveSoa(zones[0]).then(
              () => "ready",
              () => undefined,
            ),
      { timeoutMs: options.startTimeoutMs ?? 5000, intervalMs: 25 },
    ).then(
      (state) => state === "ready",
      () => false,
    );
    if (!isReady) {
      await stop();
      const log = await readFile(logPath, "utf8").catch(() => "(no log)");
      if (/address in use/i.test(log) && attempt < 2) continue;
      throw new Error(`BIND testbed failed to start on 127.0.0.1:${port}\n--- ${logPath} ---\n${log.slice(-4000)}`);
    }

    const addRecord = async (name: string, type: string, data: string): Promise<void> => {
      assertInstalled(NSUPDATE);
      const zone = zones.find((candidate) => name === candidate || name.endsWith(`.${candidate}`));
      if (!zone) throw new Error(`${name} is in none of the testbed's zones (${zones.join(", ")})`);
      const script = [`server 127.0.0.1 ${port}`, `zone ${zone}.`, `update add ${name}. 60 IN ${type} ${data}`, "send", ""].join("\n");
      const scriptPath = path.join(dir, `nsupdate-${randomBytes(4).toString("hex")}.txt`);
      await writeFile(scriptPath, script);
      try {
        await execFileAsync(NSUPDATE, ["-y", `${tsig.algorithm}:${tsig.name}:${tsig.secret}`, scriptPath], { timeout: 10_000 });
      } finally {
        await rm(scriptPath, { force: true });
      }
    };

    return {
      server: `127.0.0.1:${port}`,
      host: "127.0.0.1",
      port,
      zones,
      tsig,
      logPath,
      pid: named.child.pid ?? -1,
      addCname: (name, target) => addRecord(name, "CNAME", `${target}.`),
      addRecord,
      async queryTxt(name) {
        try {
          return (await resolver.resolveTxt(name)).map((chunks) => chunks.join(""));
        } catch (error) {
          const code = (error as NodeJS.ErrnoException).code;
          if (code === "ENODATA" || code === "ENOTFOUND") return [];
          throw error;
        }
      },
      stop,
    };
  }
}
