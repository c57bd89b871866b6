/**
 * The RFC 2136 provider: TXT records added and removed by signed dynamic updates at the server
 * the operator configured. The zone is the configured one when the name lies inside it, else
 * the one the server itself reports (SOA), so a CNAME into another zone on the same server works.
 */
import { randomBytes } from "node:crypto";
import type { TsigAlgorithm } from "@/lib/protocol/dns/wire/tsig";
import {
  checkTsigKey,
  checkUpdateAccess,
  findZoneAtServer,
  resolveRfc2136Server,
  updateTxtRecords,
  type Rfc2136Target,
} from "@/lib/protocol/dns/rfc2136/rfc2136-client";
import type { DnsProviderTestResult, PublishedTxtRecord, TxtPublisher } from "@/lib/protocol/dns/txt-publisher";
import { normalizeName } from "@/lib/protocol/dns/wire/dns-message";
import { AppError, userMessageOf } from "@/lib/core/app-error";

/** Where and how to send updates (the DnsProvider row's settings). */
export interface Rfc2136Config {
  server: string;
  port: number;
  /** The zone to update; null = the one the server reports for each name (SOA). */
  zone: string | null;
  tsigKeyName: string;
  tsigAlgorithm: TsigAlgorithm;
}

interface Rfc2136Provider {
  config: Rfc2136Config;
  credentials: { tsigSecret: string };
}

function describeTarget(config: Rfc2136Config): string {
  return `${config.server}${config.port === 53 ? "" : `:${config.port}`}`;
}

async function openTarget({ config, credentials }: Rfc2136Provider): Promise<Rfc2136Target> {
  return {
    server: await resolveRfc2136Server(config.server, config.port),
    label: describeTarget(config),
    key: { name: config.tsigKeyName, algorithm: config.tsigAlgorithm, secret: Buffer.from(credentials.tsigSecret, "base64") },
  };
}

function isInside(name: string, zone: string): boolean {
  return name === zone || name.endsWith(`.${zone}`);
}

export function createRfc2136Publisher(provider: Rfc2136Provider): TxtPublisher {
  let target: Promise<Rfc2136Target> | undefined;
  const getTarget = () => (target ??= openTarget(provider));
  const zones = new Map<string, Promise<string>>();
  const zoneFor = async (name: string): Promise<string> => {
    const configured = provider.config.zone;
    if (configured && isInside(name, configured)) return configured;
    let zone = zones.get(name);
    if (!zone) {
      zone = getTarget().then((resolved) => findZoneAtServer(resolved, name));
      zones.set(name, zone);
      zone.catch(() => zones.delete(name));
    }
    return zone;
  };

  return {
    description: `RFC 2136 updates to ${describeTarget(provider.config)} with TSIG key ${provider.config.tsigKeyName}`,
    async add(rawName, value) {
      const name = normalizeName(rawName);
      const zone = await zoneFor(name);
      await updateTxtRecords(await getTarget(), zone, [{ action: "add", name, value }]);
      return { name, value, zone };
    },
    async remove(records) {
      const byZone = new Map<string, PublishedTxtRecord[]>();
      for (const record of records) byZone.set(record.zone, [...(byZone.get(record.zone) ?? []), record]);
      const failures: unknown[] = [];
      for (const [zone, inZone] of byZone) {
        try {
          await updateTxtRecords(
            await getTarget(),
            zone,
            inZone.map((record) => ({ action: "delete", name: record.name, value: record.value })),
          );
        } catch (error) {
          failures.push(error);
        }
      }
      if (failures.length > 0) throw failures[0];
    },
  };
}

/**
 * The "Test" button: the key is accepted; with a zone set, the server serves it, accepts updates
 * from the key, and a TXT record at _acme-challenge.<zone> can be added and removed again.
 */
export async function testRfc2136Provider(provider: Rfc2136Provider, signal?: AbortSignal): Promise<DnsProviderTestResult> {
  const steps: DnsProviderTestResult["steps"] = [];
  const server = describeTarget(provider.config);
  const fail = (error: unknown): DnsProviderTestResult => {
    if (!(error instanceof AppError)) console.error("[dns] RFC 2136 provider test failed:", error);
    const message = userMessageOf(error);
    steps.push({ ok: false, message });
    return { ok: false, message, steps };
  };
  let target: Rfc2136Target;
  try {
    target = await openTarget(provider);
    await checkTsigKey(target, signal);
    steps.push({ ok: true, message: `${server} answers and accepts the TSIG key ${provider.config.tsigKeyName} (${provider.config.tsigAlgorithm}).` });
  } catch (error) {
    return fail(error);
  }
  const zone = provider.config.zone;
  if (!zone) {
    const message = `${server} accepts the TSIG key. No zone is set, so CertDeck finds each name's zone when it issues; set a zone to also test an update.`;
    return { ok: true, message, steps };
  }
  try {
    const served = await findZoneAtServer(target, zone, signal);
    if (served !== zone) {
      throw new AppError(
        "invalid_input",
        `${server} does not serve ${zone} as a zone of its own (there it is part of ${served}). Set the zone to ${served}, or leave it empty.`,
      );
    }
    await checkUpdateAccess(target, zone, signal);
    steps.push({ ok: true, message: `${server} serves ${zone} and accepts updates signed with the key.` });
    const name = `_acme-challenge.${zone}`;
    const value = `certdeck-test-${randomBytes(6).toString("hex")}`;
    await updateTxtRecords(target, zone, [{ action: "add", name, value }], signal);
    await updateTxtRecords(target, zone, [{ action: "delete", name, value }], signal);
    steps.push({ ok: true, message: `A test TXT record at ${name} was added and removed again.` });
  } catch (error) {
    return fail(error);
  }
  return { ok: true, message: `Works: ${server} accepts TXT record changes in ${zone} signed with the key ${provider.config.tsigKeyName}.`, steps };
}
