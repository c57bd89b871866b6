import { chooseExpiryThreshold } from "@/lib/domain/notifications/events";
import type { EndpointNotificationEvent, EndpointRef } from "@/lib/domain/notifications/endpoint-events";
import { dispatchNotification } from "@/lib/domain/notifications/send-notification";

/**
 * The notifications one stored endpoint probe calls for. Each goes out once per channel through
 * its event key (NotificationDelivery), however often the endpoint is probed:
 * - expiring: the served certificate is within 14/7/3/1 days of its end (once per threshold and
 *   served certificate). Not for an endpoint that serves the current version of its managed
 *   certificate: the certificate's own expiry warning says the same thing already.
 * - stale: it serves another certificate than the managed certificate's current version (once
 *   per endpoint and current version), unless that version is still waiting for its deploy
 *   window or being deployed.
 * - down: the second failed probe in a row (once per outage); then "answers again" with the
 *   first probe that completes a handshake.
 */
export interface EndpointProbeFacts {
  endpoint: EndpointRef;
  /** Before this probe. */
  previous: { consecutiveFailures: number; checkedAt: Date | null };
  consecutiveFailures: number;
  answered: boolean;
  message: string;
  /** The leaf served by this probe, when it answered. */
  served: { fingerprintSha256: string; names: string[]; issuer: string; notBefore: Date; notAfter: Date } | null;
  /** Whether the served certificate counts as expiring (endpoint-status.ts expiringFrom). */
  isExpiring: boolean;
  servedAsIssued: boolean | null;
  isStaleExpected: boolean;
  /** The managed certificate's current version, for "stale". */
  currentVersion: { id: string; version: number } | null;
  staleDescription: string | null;
  /** For "answers again": when the outage began, if known (the "stopped answering" event's). */
  downSince: Date | null;
  downAfterFailures: number;
  now: Date;
}

/** The events due after a probe (pure). */
export function endpointEventsFor(facts: EndpointProbeFacts): EndpointNotificationEvent[] {
  const { endpoint, now } = facts;
  const events: EndpointNotificationEvent[] = [];
  if (!facts.answered && facts.consecutiveFailures >= facts.downAfterFailures && facts.previous.consecutiveFailures < facts.downAfterFailures) {
    // The outage is named by its first failed check: the one before this one when this is the second.
    const since = facts.consecutiveFailures === 2 && facts.previous.checkedAt ? facts.previous.checkedAt : now;
    events.push({ type: "endpoint-down", endpoint, since, reason: facts.message });
  }
  if (facts.answered && facts.previous.consecutiveFailures >= facts.downAfterFailures) {
    events.push({ type: "endpoint-up", endpoint, at: now, downSince: facts.downSince, description: facts.message });
  }
  if (
    facts.answered &&
    facts.servedAsIssued === false &&
    !facts.isStaleExpected &&
    facts.currentVersion &&
    endpoint.certificateId &&
    endpoint.certificateName
  ) {
    events.push({
      type: "endpoint-stale",
      endpoint,
      certificateId: endpoint.certificateId,
      certificateName: endpoint.certificateName,
      versionId: facts.currentVersion.id,
      version: facts.currentVersion.version,
      description: facts.staleDescription ?? facts.message,
    });
  }
  if (facts.served && facts.isExpiring && facts.servedAsIssued !== true) {
    const thresholdDays = chooseExpiryThreshold(facts.served.notAfter, now);
    if (thresholdDays !== null) {
      events.push({
        type: "endpoint-expiring",
        endpoint,
        fingerprintSha256: facts.served.fingerprintSha256,
        names: facts.served.names,
        issuer: facts.served.issuer,
        notAfter: facts.served.notAfter,
        thresholdDays,
      });
    }
  }
  return events;
}

/** Sends the events due after a probe; returns the types that went out to at least one channel. */
export async function sendEndpointNotifications(facts: EndpointProbeFacts): Promise<string[]> {
  const sent: string[] = [];
  for (const event of endpointEventsFor(facts)) {
    if ((await dispatchNotification(event)) > 0) sent.push(event.type);
  }
  return sent;
}
