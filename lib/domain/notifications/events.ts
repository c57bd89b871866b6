import { formatDateTime } from "@/lib/core/dates";
import { days, sentence } from "@/lib/domain/notifications/wording";
import {
  describeEndpointEvent,
  endpointEventKey,
  endpointTitle,
  endpointWebhookFields,
  ENDPOINT_EVENT_LABELS,
  isEndpointEvent,
  type EndpointNotificationEvent,
} from "@/lib/domain/notifications/endpoint-events";

/**
 * What CertDeck tells people about, and in which words. Pure functions: the key that makes each
 * occurrence go out once per channel, the subject and text, the webhook's JSON, and which
 * expiry warning is due.
 */
export type CertificateNotificationEvent =
  | { type: "renewal-failed"; certificateId: string; certificateName: string; reason: string; jobId: string }
  | { type: "expiring"; certificateId: string; certificateName: string; versionId: string; notAfter: Date; thresholdDays: ExpiryThreshold }
  | {
      type: "deploy-failed";
      certificateId: string;
      certificateName: string;
      versionId: string;
      version: number;
      reason: string;
      /** The deploy target that failed; absent: the deploy hook. */
      target?: DeployTargetRef;
      /** The target went back to the previous version (nginx: live/ and a reload). */
      rolledBack?: boolean;
    }
  | { type: "deploy-recovered"; certificateId: string; certificateName: string; versionId: string; version: number; target: DeployTargetRef }
  | { type: "recovered"; certificateId: string; certificateName: string; versionId: string; notAfter: Date }
  | { type: "action-needed"; certificateId: string; certificateName: string; jobId: string; instructions: string };

/** About a managed certificate, or about a watched endpoint (endpoint-events.ts). */
export type NotificationEvent = CertificateNotificationEvent | EndpointNotificationEvent;

export type NotificationEventType = NotificationEvent["type"];

export interface DeployTargetRef {
  id: string;
  name: string;
}

export const EVENT_LABELS: Record<NotificationEventType | "test", string> = {
  "renewal-failed": "Renewal failed",
  expiring: "Expiring",
  "deploy-failed": "Deploy failed",
  "deploy-recovered": "Deploy recovered",
  recovered: "Recovered",
  "action-needed": "Action needed",
  ...ENDPOINT_EVENT_LABELS,
  test: "Test",
};

/** The certificate an event is about, for the delivery row (an endpoint's event: the certificate it should serve, if any). */
export function eventCertificateId(event: NotificationEvent): string | null {
  if (isEndpointEvent(event)) return event.type === "endpoint-stale" ? event.certificateId : event.endpoint.certificateId;
  return event.certificateId;
}

/** What an event is about, in a word for logs: a certificate's name or an endpoint. */
export function eventSubjectName(event: NotificationEvent): string {
  return isEndpointEvent(event) ? endpointTitle(event.endpoint) : event.certificateName;
}

/** Days before expiry at which a warning goes out, from the first to the last. */
export const EXPIRY_THRESHOLDS = [14, 7, 3, 1] as const;
export type ExpiryThreshold = (typeof EXPIRY_THRESHOLDS)[number];
export const FIRST_WARNING_DAYS: ExpiryThreshold = EXPIRY_THRESHOLDS[0];

const DAY_MS = 24 * 3600 * 1000;

/**
 * The warning due for a certificate valid until `notAfter`: the smallest threshold that is at
 * least the days left, so a certificate first seen at 5 days left gets the 7-day warning (not
 * the 14-day one as well), and the 3-day one once 3 days are left. null when more than 14 days
 * are left or it has already expired.
 */
export function chooseExpiryThreshold(notAfter: Date, now: Date): ExpiryThreshold | null {
  const daysLeft = (notAfter.getTime() - now.getTime()) / DAY_MS;
  if (daysLeft <= 0) return null;
  for (const threshold of [...EXPIRY_THRESHOLDS].reverse()) {
    if (daysLeft <= threshold) return threshold;
  }
  return null;
}

/** One key per occurrence; with the channel it is unique, so nothing goes out twice. */
export function eventKey(event: NotificationEvent): string {
  if (isEndpointEvent(event)) return endpointEventKey(event);
  switch (event.type) {
    case "renewal-failed":
      return `renewal-failed:${event.jobId}`;
    case "expiring":
      return `expiring:${event.thresholdDays}:${event.versionId}`;
    case "deploy-failed":
      // Once per version and target (the deploy hook has no target).
      return event.target ? `deploy-failed:${event.versionId}:${event.target.id}` : `deploy-failed:${event.versionId}`;
    case "deploy-recovered":
      return `deploy-recovered:${event.versionId}:${event.target.id}`;
    case "recovered":
      return `recovered:${event.versionId}`;
    case "action-needed":
      return `action-needed:${event.jobId}`;
  }
}

export function describeEvent(event: NotificationEvent, timeZone: string): { subject: string; text: string } {
  if (isEndpointEvent(event)) return describeEndpointEvent(event, timeZone);
  const name = event.certificateName;
  switch (event.type) {
    case "renewal-failed":
      return {
        subject: `Renewal of ${name} failed`,
        text: [
          `CertDeck could not renew the certificate ${name}.`,
          `Reason: ${sentence(event.reason)}`,
          `What to do: open ${name} in CertDeck and read the job's log, fix the cause (often DNS, a firewall in front of port 80, or the CA's rate limits), then press Renew. ` +
            "The certificate in use stays valid until its expiry date, and automatic renewal keeps retrying with growing pauses.",
        ].join("\n\n"),
      };
    case "expiring":
      return {
        subject: `${name} expires within ${days(event.thresholdDays)}`,
        text: [
          `The certificate ${name} expires on ${formatDateTime(event.notAfter, timeZone)}, and no renewed version has replaced it yet.`,
          `What to do: open ${name} in CertDeck and check why it was not renewed (the last job's log says it), fix the cause, then press Renew. ` +
            "Once it has expired, browsers and other clients refuse to connect.",
        ].join("\n\n"),
      };
    case "deploy-failed":
      if (event.target) {
        const target = event.target.name;
        return {
          subject: event.rolledBack ? `${name}: deploy to ${target} failed, rolled back` : `${name}: deploy to ${target} failed`,
          text: [
            event.rolledBack
              ? `CertDeck deployed version ${event.version} of the certificate ${name} to the target ${target}, but it was not served there, so the target went back to the previous version.`
              : `CertDeck could not deploy version ${event.version} of the certificate ${name} to the target ${target}, so it may still serve the previous one.`,
            `Reason: ${sentence(event.reason)}`,
            `What to do: fix the cause on ${target}, then press "Deploy now" next to it on ${name}'s page in CertDeck. A host that did not answer is tried again automatically.`,
          ].join("\n\n"),
        };
      }
      return {
        subject: `${name} was renewed but not deployed`,
        text: [
          `CertDeck obtained version ${event.version} of the certificate ${name} and stored it, but deploying it failed, so your services may still use the previous one.`,
          `Reason: ${sentence(event.reason)}`,
          `What to do: fix the cause (usually the deploy hook command or file permissions), then deploy again from ${name}'s page in CertDeck.`,
        ].join("\n\n"),
      };
    case "deploy-recovered":
      return {
        subject: `${name} is deployed to ${event.target.name} again`,
        text: [
          `Version ${event.version} of the certificate ${name} is now deployed to ${event.target.name}, after the earlier failure.`,
          "Nothing to do.",
        ].join("\n\n"),
      };
    case "recovered":
      return {
        subject: `${name} is renewed again`,
        text: [
          `The certificate ${name} was renewed after earlier problems. The new version is valid until ${formatDateTime(event.notAfter, timeZone)}.`,
          "Nothing to do.",
        ].join("\n\n"),
      };
    case "action-needed":
      return {
        subject: `${name} is waiting for you`,
        text: [
          `A job for the certificate ${name} cannot go on without you.`,
          sentence(event.instructions),
          `What to do: open ${name} in CertDeck; the page shows exactly what to do and a Done button. The certificate in use stays valid until its expiry date.`,
        ].join("\n\n"),
      };
  }
}

/** The webhook body: `text` is what Slack and Mattermost show, the rest is for programs. */
export function buildWebhookPayload(event: NotificationEvent, text: string, sentAt: Date): Record<string, unknown> {
  if (isEndpointEvent(event)) return { text, event: event.type, ...endpointWebhookFields(event), sentAt: sentAt.toISOString() };
  const common = { text, event: event.type, certificate: { id: event.certificateId, name: event.certificateName } };
  const specific = (() => {
    switch (event.type) {
      case "renewal-failed":
        return { reason: event.reason, jobId: event.jobId };
      case "expiring":
        return { versionId: event.versionId, notAfter: event.notAfter.toISOString(), thresholdDays: event.thresholdDays };
      case "deploy-failed":
        return {
          versionId: event.versionId,
          version: event.version,
          reason: event.reason,
          ...(event.target ? { target: event.target, rolledBack: Boolean(event.rolledBack) } : {}),
        };
      case "deploy-recovered":
        return { versionId: event.versionId, version: event.version, target: event.target };
      case "recovered":
        return { versionId: event.versionId, notAfter: event.notAfter.toISOString() };
      case "action-needed":
        return { jobId: event.jobId, instructions: event.instructions };
    }
  })();
  return { ...common, ...specific, sentAt: sentAt.toISOString() };
}

/** The subject of a channel test (a message, not an event: it is not recorded). */
export const TEST_SUBJECT = "CertDeck test notification";

export function describeTestMessage(channelName: string): { subject: string; text: string } {
  return {
    subject: TEST_SUBJECT,
    text: `This is a test from CertDeck. It reached you through the channel "${channelName}", so warnings about expiring certificates and failed renewals will arrive here too. Nothing to do.`,
  };
}
