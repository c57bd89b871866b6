/**
 * A CertDeck installation for the end-to-end tests: a local Pebble CA (with its DNS server) and
 * the dashboard's production build on a fresh data directory, configured the way an operator of
 * a lab CA would: names resolve through Pebble's DNS server, this host is 127.0.0.1, the CA
 * validates HTTP-01 on the dashboard's own port. serve.ts starts the shared one (Playwright's web
 * server); fresh-install.ts starts one for a spec that needs a first run of its own.
 */
import { mkdir, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { startBindTestbed } from "../../lib/testbed/bind-testbed";
import { startPebbleTestbed } from "../../lib/testbed/pebble-testbed";
import { startProductionServer } from "../../test/support/production-server";
import type { PebbleInfo } from "./e2e-env";

export interface Install {
  baseUrl: string;
  port: number;
  /** The dashboard's data directory (setup-code.txt appears here on the first run). */
  dataDir: string;
  pebble: PebbleInfo;
  /** Resolves when the dashboard has exited. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stop(): Promise<void>;
}

export async function startInstall(options: {
  /** Wiped, then holds the data directory, the CAs' files, pebble.json and the server's log. */
  dir: string;
  port: number;
  /** Also a BIND zone and a second Pebble that resolves through it, for DNS-01. */
  dns01Zone?: string;
  /** The dashboard's output: "inherit", or (default) <dir>/server.log. */
  serverOutput?: "inherit";
}): Promise<Install> {
  const { dir, port } = options;
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  const running: Array<{ stop(): Promise<void> }> = [];
  // The dashboard first (it is put first), then the CAs it talks to.
  const stopAll = async () => {
    for (const thing of running.splice(0)) await thing.stop();
  };
  try {
    const pebble = await startPebbleTestbed({ workDir: path.join(dir, "pebble"), httpPort: port });
    running.push(pebble);
    let dns01: PebbleInfo["dns01"] = null;
    let authoritativeDnsPort: number | null = null;
    if (options.dns01Zone) {
      // DNS-01 needs a DNS host that answers with authority (SOA, NS, the AA flag), which
      // challtestsrv does not: a BIND zone, and a second Pebble that resolves through it.
      const bind = await startBindTestbed({ workDir: path.join(dir, "bind"), zones: [options.dns01Zone] });
      running.push(bind);
      const dnsPebble = await startPebbleTestbed({ workDir: path.join(dir, "pebble-dns"), httpPort: port, pebbleDnsServer: bind.server });
      running.push(dnsPebble);
      dns01 = { directoryUrl: dnsPebble.directoryUrl, httpsCaPem: dnsPebble.httpsCaPem, dnsServer: bind.server, zone: options.dns01Zone, tsig: bind.tsig };
      authoritativeDnsPort = bind.port;
    }
    const info: PebbleInfo = {
      directoryUrl: pebble.directoryUrl,
      httpsCaPem: pebble.httpsCaPem,
      dnsServer: pebble.dnsServer,
      challtestsrvManagementUrl: pebble.challtestsrvManagementUrl,
      dns01,
    };
    // Before the dashboard answers: Playwright starts the tests as soon as it does.
    await writeFile(path.join(dir, "pebble.json"), JSON.stringify(info));

    const dataDir = path.join(dir, "data");
    const server = await startProductionServer({
      port,
      logPath: options.serverOutput ?? path.join(dir, "server.log"),
      env: {
        CERTDECK_DATA_DIR: dataDir,
        CERTDECK_TIME_ZONE: "UTC",
        CERTDECK_DNS_RESOLVERS: pebble.dnsServer,
        CERTDECK_PUBLIC_IPV4: "127.0.0.1",
        CERTDECK_VALIDATION_HTTP_PORT: String(port),
        // The BIND zone's nameserver (ns1.<zone> → 127.0.0.1) listens on this port, not 53.
        ...(authoritativeDnsPort ? { CERTDECK_AUTHORITATIVE_DNS_PORT: String(authoritativeDnsPort) } : {}),
      },
    });
    running.unshift(server);
    return { baseUrl: server.baseUrl, port, dataDir, pebble: info, exited: server.exited, stop: stopAll };
  } catch (error) {
    await stopAll();
    throw error;
  }
}
