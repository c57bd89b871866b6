/**
 * The Cloudflare provider: TXT records created and deleted through the API with an API token.
 * The zone is the configured zone ID when the name lies inside it, else found by name (so a
 * CNAME into another zone of the same account works).
 */
import { randomBytes } from "node:crypto";
import { createCloudflareClient, type CloudflareClient, type CloudflareZone } from "@/lib/protocol/dns/cloudflare/cloudflare-client";
import { CHALLENGE_TXT_TTL } from "@/lib/protocol/dns/rfc2136/rfc2136-client";
import type { DnsProviderTestResult, TxtPublisher } from "@/lib/protocol/dns/txt-publisher";
import { normalizeName } from "@/lib/protocol/dns/wire/dns-message";
import { AppError, userMessageOf } from "@/lib/core/app-error";

export interface CloudflareConfig {
  /** The zone's ID; null = found by name for each record. */
  zoneId: string | null;
}

interface CloudflareProvider {
  config: CloudflareConfig;
  credentials: { apiToken: string };
}

function isInside(name: string, zone: string): boolean {
  return name === zone || name.endsWith(`.${zone}`);
}

export function createCloudflarePublisher(provider: CloudflareProvider, options: { fetch?: typeof fetch } = {}): TxtPublisher {
  const client = createCloudflareClient({ apiToken: provider.credentials.apiToken, fetch: options.fetch });
  let configuredZone: Promise<CloudflareZone> | undefined;
  const zonesByName = new Map<string, Promise<CloudflareZone>>();
  const zonesById = new Map<string, CloudflareZone>();

  const zoneFor = async (name: string): Promise<CloudflareZone> => {
    if (provider.config.zoneId) {
      configuredZone ??= client.getZone(provider.config.zoneId);
      const zone = await configuredZone;
      if (isInside(name, zone.name)) return zone;
    }
    let zone = zonesByName.get(name);
    if (!zone) {
      zone = client.findZone(name);
      zonesByName.set(name, zone);
      zone.catch(() => zonesByName.delete(name));
    }
    return zone;
  };

  return {
    description: provider.config.zoneId ? `the Cloudflare API (zone ID ${provider.config.zoneId})` : "the Cloudflare API",
    async add(rawName, value) {
      const name = normalizeName(rawName);
      const zone = await zoneFor(name);
      zonesById.set(zone.id, zone);
      const record = await client.createTxtRecord(zone, name, value, CHALLENGE_TXT_TTL);
      return { name, value, zone: zone.name, providerRecordId: `${zone.id}/${record.id}` };
    },
    async remove(records) {
      const failures: unknown[] = [];
      for (const record of records) {
        const [zoneId, recordId] = (record.providerRecordId ?? "").split("/");
        try {
          await client.deleteRecord(zonesById.get(zoneId) ?? { id: zoneId, name: record.zone }, recordId);
        } catch (error) {
          failures.push(error);
        }
      }
      if (failures.length > 0) throw failures[0];
    },
  };
}

async function testInZone(client: CloudflareClient, zone: CloudflareZone, steps: DnsProviderTestResult["steps"]): Promise<void> {
  const name = `_acme-challenge.${zone.name}`;
  const record = await client.createTxtRecord(zone, name, `certdeck-test-${randomBytes(6).toString("hex")}`, CHALLENGE_TXT_TTL);
  await client.deleteRecord(zone, record.id);
  steps.push({ ok: true, message: `A test TXT record at ${name} was created and deleted again.` });
}

/**
 * The "Test" button: with a zone ID, the token reads the zone and can create and delete a TXT
 * record there; without one, the token works and which zones it sees.
 */
export async function testCloudflareProvider(provider: CloudflareProvider, options: { fetch?: typeof fetch } = {}): Promise<DnsProviderTestResult> {
  const client = createCloudflareClient({ apiToken: provider.credentials.apiToken, fetch: options.fetch });
  const steps: DnsProviderTestResult["steps"] = [];
  try {
    if (provider.config.zoneId) {
      const zone = await client.getZone(provider.config.zoneId);
      steps.push({ ok: true, message: `The token reads the zone ${zone.name}.` });
      await testInZone(client, zone, steps);
      return { ok: true, message: `Works: the token can change TXT records in ${zone.name}.`, steps };
    }
    const zones = await client.listZones();
    if (zones.length === 0) {
      throw new AppError("invalid_input", 'The token works but sees no zone. Edit the token\'s "Zone Resources" to include your domains.');
    }
    const names = zones.map((zone) => zone.name);
    const shown = names.length > 5 ? `${names.slice(0, 5).join(", ")} and ${names.length - 5} more` : names.join(", ");
    steps.push({ ok: true, message: `The token works and sees ${names.length === 1 ? "the zone" : `${names.length} zones:`} ${shown}.` });
    return {
      ok: true,
      message: `The token works and sees ${shown}. Whether it may edit DNS records shows at the first issuance; set a zone ID to test that now.`,
      steps,
    };
  } catch (error) {
    if (!(error instanceof AppError)) console.error("[dns] Cloudflare provider test failed:", error);
    const message = userMessageOf(error);
    steps.push({ ok: false, message });
    return { ok: false, message, steps };
  }
}
