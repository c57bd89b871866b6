import { db } from "@/lib/data/client";
import { chooseExpiryThreshold, eventKey, FIRST_WARNING_DAYS, type NotificationEvent } from "@/lib/domain/notifications/events";
import { dispatchNotification } from "@/lib/domain/notifications/send-notification";

const DAY_MS = 24 * 3600 * 1000;

/**
 * Warns about certificates whose current version expires within 14 days (and has not expired
 * yet): one "expiring" event each, with the threshold due now (14, 7, 3 or 1 days). The event
 * key holds the threshold and the version, so each warning goes out once per version, and a
 * renewal (a new current version, far from expiry) ends the warnings by itself.
 *
 * Called on every scheduler tick: one indexed query on Certificate.notAfter, and nothing else
 * when no certificate is close to expiry. Returns how many events went out to at least one
 * channel (sent or failed), 0 when everything due had been sent before.
 */
export async function sendExpiryWarnings(now = new Date()): Promise<number> {
  const certificates = await db.certificate.findMany({
    where: {
      notAfter: { gt: now, lte: new Date(now.getTime() + FIRST_WARNING_DAYS * DAY_MS) },
      currentVersionId: { not: null },
    },
    orderBy: { notAfter: "asc" },
    select: { id: true, name: true, currentVersion: { select: { id: true, notAfter: true } } },
  });
  const warnings: ExpiringEvent[] = [];
  for (const certificate of certificates) {
    const version = certificate.currentVersion;
    if (!version) continue;
    const thresholdDays = chooseExpiryThreshold(version.notAfter, now);
    if (thresholdDays === null) continue;
    warnings.push({
      type: "expiring",
      certificateId: certificate.id,
      certificateName: certificate.name,
      versionId: version.id,
      notAfter: version.notAfter,
      thresholdDays,
    });
  }
  let sent = 0;
  for (const warning of await withoutWarningsAlreadySent(warnings)) {
    if ((await dispatchNotification(warning)) > 0) sent++;
  }
  return sent;
}

type ExpiringEvent = Extract<NotificationEvent, { type: "expiring" }>;

/**
 * The warnings some enabled channel has not had yet: two queries for the whole fleet, so a tick
 * does not ask again, certificate by certificate, about warnings every channel already got.
 */
async function withoutWarningsAlreadySent(warnings: ExpiringEvent[]): Promise<ExpiringEvent[]> {
  if (warnings.length === 0) return [];
  const channels = await db.notificationChannel.findMany({ where: { isEnabled: true }, select: { id: true } });
  if (channels.length === 0) return [];
  const delivered = new Map<string, number>();
  const keys = warnings.map((warning) => eventKey(warning));
  for (let start = 0; start < keys.length; start += 500) {
    const rows = await db.notificationDelivery.findMany({
      where: { channelId: { in: channels.map((channel) => channel.id) }, eventKey: { in: keys.slice(start, start + 500) } },
      select: { eventKey: true },
    });
    for (const { eventKey: key } of rows) delivered.set(key, (delivered.get(key) ?? 0) + 1);
  }
  return warnings.filter((warning) => (delivered.get(eventKey(warning)) ?? 0) < channels.length);
}
