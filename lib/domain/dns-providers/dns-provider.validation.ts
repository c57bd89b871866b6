/**
 * The DNS provider form (Settings → DNS providers): one schema for every type, the input of the
 * provider commands (provider-store.ts). Secrets (TSIG secret, API token) may be left empty when
 * editing: the stored value is kept. Pure, but server-side (node:net decides what an IP address
 * is, node:crypto is behind the TSIG algorithms): the form posts to a server action, which validates.
 */
import { z } from "zod";
import { idSchema } from "@/lib/core/ids";
import { TSIG_ALGORITHM_IDS } from "@/lib/protocol/dns/wire/tsig";
import { isIpAddress } from "@/lib/protocol/net/ip-address";
import { rfc2136AddressRefusal } from "@/lib/protocol/dns/rfc2136/rfc2136-client";
import { keysOf } from "@/lib/core/keys-of";
import { isHostName } from "@/lib/protocol/names/host-name";

export { TSIG_ALGORITHM_IDS, type TsigAlgorithm } from "@/lib/protocol/dns/wire/tsig";

/** The kinds of DNS provider: the form's label, and the short one a certificate form's select shows ("BIND at ns1 (RFC 2136)"). */
export const DNS_PROVIDER_TYPES = {
  rfc2136: { label: "RFC 2136 (BIND, Knot, PowerDNS …, TSIG)", short: "RFC 2136" },
  cloudflare: { label: "Cloudflare (API token)", short: "Cloudflare" },
  manual: { label: "Manual (you create the TXT record)", short: "manual" },
} as const;
export type DnsProviderType = keyof typeof DNS_PROVIDER_TYPES;
const DNS_PROVIDER_TYPE_IDS = keysOf(DNS_PROVIDER_TYPES);

export const DEFAULT_PROPAGATION_TIMEOUT_SECONDS = 120;

/** A pasted `secret "…";` line from a BIND key file works too. */
export function cleanTsigSecret(value: string): string {
  return value
    .trim()
    .replace(/^secret\s+/i, "")
    .replace(/;$/, "")
    .replace(/^"(.*)"$/, "$1")
    .replace(/\s+/g, "");
}

export function isBase64(value: string): boolean {
  return value.length > 0 && value.length % 4 === 0 && /^[A-Za-z0-9+/]+={0,2}$/.test(value);
}

const optionalText = (max: number, message: string) =>
  z
    .string()
    .trim()
    .max(max, message)
    .optional()
    .transform((value) => value || undefined);

/** The fields, without the checks that depend on the type (dnsProviderFormSchema adds them). */
const dnsProviderFields = z.object({
  name: z.string({ error: "Enter a name" }).trim().min(1, "Enter a name").max(100, "At most 100 characters"),
  type: z.enum(DNS_PROVIDER_TYPE_IDS, { error: "Choose the kind of DNS provider" }),
  propagationTimeoutSeconds: z
    .number({ error: "Enter a number of seconds" })
    .int("Enter whole seconds")
    .min(10, "At least 10 seconds")
    .max(3600, "At most 3600 seconds (one hour)")
    .default(DEFAULT_PROPAGATION_TIMEOUT_SECONDS),
  rfc2136Server: optionalText(253, "At most 253 characters"),
  rfc2136Port: z
    .number({ error: "Enter a port number" })
    .int("Enter a port number")
    .min(1, "Enter a port from 1 to 65535")
    .max(65535, "Enter a port from 1 to 65535")
    .default(53),
  rfc2136Zone: optionalText(253, "At most 253 characters").transform((value) => value?.replace(/\.$/, "").toLowerCase()),
  tsigKeyName: optionalText(253, "At most 253 characters").transform((value) => value?.replace(/\.$/, "")),
  tsigAlgorithm: z.enum(TSIG_ALGORITHM_IDS, { error: "Choose the key's algorithm" }).default("hmac-sha256"),
  /** Empty when editing: the stored secret is kept. */
  tsigSecret: z
    .string()
    .max(1000, "That is too long for a TSIG secret")
    .optional()
    .transform((value) => (value ? cleanTsigSecret(value) : "") || undefined),
  cloudflareApiToken: z
    .string()
    .max(500, "That is too long for an API token")
    .optional()
    .transform((value) => value?.trim() || undefined),
  cloudflareZoneId: optionalText(64, "A zone ID has 32 characters").transform((value) => value?.toLowerCase()),
});

function checkTypeFields(input: z.output<typeof dnsProviderFields>, context: z.RefinementCtx): void {
  const issue = (path: string, message: string) => context.addIssue({ code: "custom", path: [path], message });
  if (input.type === "rfc2136") {
    if (!input.rfc2136Server) issue("rfc2136Server", "Enter the DNS server that accepts the updates (its host name or IP address)");
    else if (!isIpAddress(input.rfc2136Server) && !isHostName(input.rfc2136Server))
      issue("rfc2136Server", "Enter a host name (ns1.example.com) or an IP address, without a port");
    else {
      // This machine and the LAN are fine (a primary nameserver often lives there); metadata,
      // link-local, multicast and other special-purpose addresses are not. Names are checked
      // again, resolved, at every update.
      const refused = isIpAddress(input.rfc2136Server) ? rfc2136AddressRefusal(input.rfc2136Server.replace(/^\[(.*)\]$/, "$1")) : undefined;
      if (refused) issue("rfc2136Server", refused);
    }
    if (input.rfc2136Zone && !isHostName(input.rfc2136Zone))
      issue("rfc2136Zone", "Enter a zone name like example.com, or leave it empty to find it automatically");
    if (!input.tsigKeyName) issue("tsigKeyName", 'Enter the TSIG key name (the name in the server\'s key statement, e.g. "certdeck")');
    else if (!isHostName(input.tsigKeyName)) issue("tsigKeyName", "A key name is made of letters, digits, dashes and dots");
    if (input.tsigSecret !== undefined && !isBase64(input.tsigSecret)) issue("tsigSecret", 'Paste the secret as base64, as in the key file (secret "…";)');
  }
  if (input.type === "cloudflare") {
    if (input.cloudflareApiToken !== undefined && !/^[A-Za-z0-9_-]{20,200}$/.test(input.cloudflareApiToken)) {
      issue("cloudflareApiToken", "Paste the API token (letters, digits, - and _), not the Global API Key or the token's ID");
    }
    if (input.cloudflareZoneId && !/^[0-9a-f]{32}$/.test(input.cloudflareZoneId))
      issue("cloudflareZoneId", "The zone ID has 32 hexadecimal characters (the zone's Overview page shows it), or leave it empty");
  }
}

/**
 * A provider's settings as the form and the API give them: numbers as numbers (absent = the
 * default), text fields as typed (empty = not given), secrets empty when editing to keep them.
 */
export const dnsProviderFormSchema = dnsProviderFields.superRefine(checkTypeFields);

/** A change to an existing provider: its id and every field again. */
export const dnsProviderUpdateSchema = dnsProviderFields.extend({ id: idSchema }).superRefine(checkTypeFields);

export type DnsProviderFormInput = z.output<typeof dnsProviderFormSchema>;
export type DnsProviderInput = z.input<typeof dnsProviderFormSchema>;
