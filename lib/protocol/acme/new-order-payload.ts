import type { Identifier } from "@/lib/protocol/names/names";

/** What CertDeck sends in newOrder (RFC 8555 §7.4, RFC 8738, RFC 9773 §5, the ACME profiles draft). */
export interface NewOrderPayload {
  identifiers: Array<{ type: "dns" | "ip"; value: string }>;
  profile?: string;
  replaces?: string;
}

/**
 * The newOrder payload: identifiers with their own type (an IP address goes as type "ip", never
 * "dns"; the Unicode spelling of an IDN stays local), plus "profile" and "replaces" only when
 * given. Choosing the profile (sent only when the CA advertises it) is lib/protocol/acme/profiles.ts's job.
 */
export function buildNewOrderPayload(request: { identifiers: Identifier[]; profile?: string; replaces?: string }): NewOrderPayload {
  return {
    identifiers: request.identifiers.map(({ type, value }) => ({ type, value })),
    ...(request.profile ? { profile: request.profile } : {}),
    ...(request.replaces ? { replaces: request.replaces } : {}),
  };
}
