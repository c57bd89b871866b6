import { isIP } from "node:net";
import { z } from "zod";
import { AppError } from "@/lib/core/app-error";
import { idSchema } from "@/lib/core/ids";
import { checkOutboundUrl, outboundLookup, type OutboundPolicy } from "@/lib/protocol/net/outbound-url";
import { formatEndpointAddress, parseEndpointAddress, type EndpointAddress } from "@/lib/protocol/tls/endpoint-address";
import { parsePemCertificates } from "@/lib/protocol/tls/trust-anchors";
import { isHostName, isServerName } from "@/lib/protocol/names/host-name";

/**
 * What an operator types to watch an endpoint, and which addresses CertDeck probes.
 *
 * The endpoint policy: an endpoint is an address the operator typed on purpose, and watching the
 * nginx in front of the intranet (10.x, 192.168.x, this machine) is the point. So loopback and
 * private ranges are allowed here without the lab opt-in the outbound-URL policy asks for; what
 * stays refused is what nothing legitimate serves TLS certificates on and what a probe must never
 * touch: cloud metadata addresses and names, link-local, multicast, broadcast, unspecified and
 * reserved ranges (lib/protocol/net/special-addresses.ts). A name is checked again at every probe,
 * on every address it resolves to (a name that moved to 169.254.169.254 is refused then).
 */
export const ENDPOINT_POLICY: Readonly<OutboundPolicy> = Object.freeze({ allowLoopback: true, allowPrivate: true, field: "address" });

/** The resolver every probe connects through: the endpoint policy on each address a name resolves to. */
export const endpointLookup = outboundLookup(ENDPOINT_POLICY);

function refuseAddress(message: string): never {
  throw new AppError("invalid_input", message, { fieldErrors: { address: [message] } });
}

/**
 * "host:port" (or a host alone: port 443) into a host and port CertDeck may probe, or
 * AppError("invalid_input") on the field "address" saying why not.
 */
export function parseWatchedAddress(text: string): EndpointAddress {
  let parsed: EndpointAddress;
  try {
    parsed = parseEndpointAddress(text);
  } catch (error) {
    refuseAddress(error instanceof Error ? `${error.message}.` : "Enter an address such as 127.0.0.1:443 or shop.example.com:443.");
  }
  const host = parsed.host.toLowerCase();
  if (!isIP(host) && !isHostName(host)) {
    refuseAddress(`"${parsed.host}" is not a host name or an IP address: enter just the host and port, such as shop.example.com:443 (no https://, no path).`);
  }
  // The outbound policy's check as written: address spellings, metadata names and ranges.
  let url: URL;
  try {
    url = checkOutboundUrl(`https://${formatEndpointAddress({ host, port: parsed.port })}/`, ENDPOINT_POLICY);
  } catch (error) {
    if (error instanceof AppError) refuseAddress(error.userMessage);
    throw error;
  }
  const bare = url.hostname.replace(/^\[(.*)\]$/, "$1").replace(/\.$/, "");
  return { host: bare, port: parsed.port };
}

const optionalTrimmed = (max: number, message: string) =>
  z
    .string()
    .trim()
    .max(max, message)
    .optional()
    .nullable()
    .transform((value) => value || null);

export const serverNameSchema = optionalTrimmed(253, "Names are at most 253 characters")
  .transform((value) => value?.toLowerCase().replace(/\.$/, "") ?? null)
  .superRefine((value, context) => {
    if (value === null) return;
    if (isIP(value)) {
      context.addIssue({
        code: "custom",
        message: "SNI carries names only: leave this empty for a certificate for an IP address (the address itself is checked).",
      });
    } else if (value.startsWith("*.")) {
      context.addIssue({
        code: "custom",
        message: "Enter a name the wildcard covers, such as www.example.com for *.example.com: a client never sends a wildcard.",
      });
    } else if (!isServerName(value)) {
      context.addIssue({ code: "custom", message: `"${value}" is not a DNS name such as shop.example.com.` });
    }
  });

/** A CA bundle (PEM): at least one certificate, at most 200 KB. */
export const caBundleSchema = optionalTrimmed(200_000, "A CA bundle of at most 200 KB").superRefine((value, context) => {
  if (value === null) return;
  let count = 0;
  try {
    count = parsePemCertificates(value).length;
  } catch {
    count = 0;
  }
  if (count === 0) context.addIssue({ code: "custom", message: "Paste the CA's root certificate in PEM form (-----BEGIN CERTIFICATE----- …)." });
});

export const labelSchema = optionalTrimmed(100, "At most 100 characters").superRefine((value, context) => {
  if (value && /[\u0000-\u001f\u007f]/.test(value)) context.addIssue({ code: "custom", message: "One line: no line breaks or control characters." });
});

const optionalId = z
  .union([idSchema, z.literal(""), z.null()])
  .optional()
  .transform((value) => value || null);

/**
 * Watching an endpoint, as the dashboard's form (app/(dashboard)/endpoints/actions.ts) and the REST
 * API's POST /endpoints (this very schema is its body) give it.
 */
export const endpointInputSchema = z.strictObject({
  address: z
    .string({ error: "Enter the address, such as shop.example.com:443" })
    .trim()
    .min(1, "Enter the address, such as shop.example.com:443 or 10.0.0.5:8443")
    .max(300, "At most 300 characters")
    .meta({
      description: '"host:port", "[2001:db8::1]:443", or a host alone (port 443). Private addresses are fine; metadata and link-local ones are refused.',
    }),
  serverName: serverNameSchema.meta({ description: "The name sent as SNI and expected on the certificate; empty or null: the host, when it is a name." }),
  caBundlePem: caBundleSchema.meta({ description: "Root certificates (PEM) trusted besides the system's, for a private CA." }),
  label: labelSchema.meta({ description: "A name to tell it apart (one line)." }),
  certificateId: optionalId.meta({
    description: "The managed certificate this endpoint should serve: its current version is compared with what is served (status stale when not).",
  }),
});
export type EndpointInput = z.input<typeof endpointInputSchema>;

export const editEndpointSchema = endpointInputSchema.extend({ id: idSchema });
export type EditEndpointInput = z.input<typeof editEndpointSchema>;
