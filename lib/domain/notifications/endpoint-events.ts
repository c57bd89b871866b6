import { formatDateTime } from "@/lib/core/dates";
import { days, sentence } from "@/lib/domain/notifications/wording";

/**
 * What the endpoint watch tells people about, and in which words: a watched endpoint serves a
 * certificate close to its end, serves another certificate than the current version of the
 * managed one, stopped answering, or answers again. Pure functions, like events.ts, which
 * routes these events here.
 */
export interface EndpointRef {
  id: string;
  /** "shop.example.com:443", "[2001:db8::1]:443" */
  address: string;
  /** The SNI name sent, when it is not the host itself. */
  serverName: string | null;
  label: string | null;
  /** The managed certificate it should serve, if any. */
  certificateId: string | null;
  certificateName: string | null;
}

export type EndpointNotificationEvent =
  | {
      type: "endpoint-expiring";
      endpoint: EndpointRef;
      fingerprintSha256: string;
      names: string[];
      issuer: string;
      notAfter: Date;
      thresholdDays: 14 | 7 | 3 | 1;
    }
  | { type: "endpoint-stale"; endpoint: EndpointRef; certificateId: string; certificateName: string; versionId: string; version: number; description: string }
  | { type: "endpoint-down"; endpoint: EndpointRef; since: Date; reason: string }
  | { type: "endpoint-up"; endpoint: EndpointRef; at: Date; downSince: Date | null; description: string };

export type EndpointNotificationEventType = EndpointNotificationEvent["type"];

export const ENDPOINT_EVENT_LABELS: Record<EndpointNotificationEventType, string> = {
  "endpoint-expiring": "Endpoint expiring",
  "endpoint-stale": "Served ≠ issued",
  "endpoint-down": "Endpoint down",
  "endpoint-up": "Endpoint answers again",
};

export function isEndpointEvent(event: { type: string }): event is EndpointNotificationEvent {
  return event.type.startsWith("endpoint-");
}

/** "shop.example.com:443", or "www.example.com at 10.0.0.5:443" when the SNI name is not the host, with the label in front. */
export function endpointTitle(endpoint: Pick<EndpointRef, "address" | "serverName" | "label">): string {
  const host = endpoint.address.replace(/^\[?(.*?)\]?:\d+$/, "$1");
  const where = endpoint.serverName && endpoint.serverName !== host ? `${endpoint.serverName} at ${endpoint.address}` : endpoint.address;
  return endpoint.label ? `${endpoint.label} (${where})` : where;
}

/** One key per occurrence: with the channel, unique, so nothing goes out twice. */
export function endpointEventKey(event: EndpointNotificationEvent): string {
  switch (event.type) {
    case "endpoint-expiring":
      // Per threshold and per served certificate: a new certificate starts the warnings afresh.
      return `endpoint-expiring:${event.thresholdDays}:${event.endpoint.id}:${event.fingerprintSha256}`;
    case "endpoint-stale":
      // Once per endpoint and current version.
      return `endpoint-stale:${event.endpoint.id}:${event.versionId}`;
    case "endpoint-down":
      // Once per outage, named by its first failed check.
      return `endpoint-down:${event.endpoint.id}:${event.since.toISOString()}`;
    case "endpoint-up":
      return `endpoint-up:${event.endpoint.id}:${event.at.toISOString()}`;
  }
}

export function describeEndpointEvent(event: EndpointNotificationEvent, timeZone: string): { subject: string; text: string } {
  const title = endpointTitle(event.endpoint);
  switch (event.type) {
    case "endpoint-expiring": {
      const managed = event.endpoint.certificateName;
      return {
        subject: `${title} serves a certificate that expires within ${days(event.thresholdDays)}`,
        text: [
          `The certificate served by ${title} (for ${event.names.join(", ")}, issued by ${event.issuer}) expires on ${formatDateTime(event.notAfter, timeZone)}.`,
          managed
            ? `What to do: this endpoint should serve ${managed}, managed by CertDeck; open it in CertDeck and check that its current version is deployed to this server.`
            : "What to do: renew this certificate where it was issued and install the new one on that server (or let CertDeck manage it). Once it has expired, browsers and other clients refuse to connect.",
        ].join("\n\n"),
      };
    }
    case "endpoint-stale":
      return {
        subject: `${title} does not serve the current ${event.certificateName}`,
        text: [
          `${title} should serve version ${event.version} of ${event.certificateName}, the current one. ${sentence(event.description)}`,
          `What to do: deploy the current version (the "Deploy now" button on ${event.certificateName}'s page in CertDeck), or reload the server so it reads the new files. CertDeck checks the endpoint again within the hour.`,
        ].join("\n\n"),
      };
    case "endpoint-down":
      return {
        subject: `${title} stopped answering`,
        text: [
          `CertDeck could not complete a TLS handshake with ${title}, twice in a row since ${formatDateTime(event.since, timeZone)}.`,
          `Reason: ${sentence(event.reason)}`,
          "What to do: check that the server runs and that this port is reachable from CertDeck's host. CertDeck keeps checking and tells you when it answers again.",
        ].join("\n\n"),
      };
    case "endpoint-up":
      return {
        subject: `${title} answers again`,
        text: [
          `${title} completed a TLS handshake again at ${formatDateTime(event.at, timeZone)}${event.downSince ? `, after failing since ${formatDateTime(event.downSince, timeZone)}` : ""}.`,
          sentence(event.description),
        ].join("\n\n"),
      };
  }
}

/** The webhook body's own fields (besides text, event and sentAt). */
export function endpointWebhookFields(event: EndpointNotificationEvent): Record<string, unknown> {
  const { endpoint } = event;
  const common: Record<string, unknown> = {
    endpoint: { id: endpoint.id, address: endpoint.address, serverName: endpoint.serverName, label: endpoint.label },
    ...(endpoint.certificateId ? { certificate: { id: endpoint.certificateId, name: endpoint.certificateName } } : {}),
  };
  switch (event.type) {
    case "endpoint-expiring":
      return {
        ...common,
        fingerprintSha256: event.fingerprintSha256,
        names: event.names,
        issuer: event.issuer,
        notAfter: event.notAfter.toISOString(),
        thresholdDays: event.thresholdDays,
      };
    case "endpoint-stale":
      return {
        ...common,
        certificate: { id: event.certificateId, name: event.certificateName },
        versionId: event.versionId,
        version: event.version,
        description: event.description,
      };
    case "endpoint-down":
      return { ...common, since: event.since.toISOString(), reason: event.reason };
    case "endpoint-up":
      return { ...common, at: event.at.toISOString(), downSince: event.downSince?.toISOString() ?? null, description: event.description };
  }
}
