import net from "node:net";
import { createTransport } from "nodemailer";
import { AppError } from "@/lib/core/app-error";
import { outboundFetch, resolveOutboundHost } from "@/lib/protocol/net/outbound-url";
import { channelNetwork } from "@/lib/domain/notifications/channel-network";
import { db } from "@/lib/data/client";
import { displayTimeZone } from "@/lib/core/env";
import { Prisma } from "@/lib/generated/prisma/client";
import { decryptSecret } from "@/lib/data/secret-box";
import {
  channelConfigSchema,
  formatHostPort,
  maskWebhookUrl,
  type ChannelConfig,
  type EmailChannelConfig,
  type WebhookChannelConfig,
} from "@/lib/domain/notifications/channel-config";
import {
  buildWebhookPayload,
  describeEvent,
  describeTestMessage,
  eventCertificateId,
  eventKey,
  eventSubjectName,
  type NotificationEvent,
} from "@/lib/domain/notifications/events";

/**
 * Sends notifications to every enabled channel. Each delivery is claimed before it is sent by
 * creating its NotificationDelivery row, unique per (channel, event key): a second call for the
 * same event (the next scheduler tick, a race between two processes) finds the row and sends
 * nothing. A failing channel is recorded as "failed" and never stops the others or the caller.
 */
const TIMEOUT_MS = 10_000;
/** A delivery error shown in the UI is one short sentence. */
const MAX_ERROR_LENGTH = 300;

interface Message {
  subject: string;
  text: string;
  /** The webhook's JSON; `text` in it is what chat tools display. */
  payload: Record<string, unknown>;
}

interface ChannelRow {
  id: string;
  type: string;
  name: string;
  configEnc: string;
}

export async function sendNotification(event: NotificationEvent): Promise<void> {
  await dispatchNotification(event);
}

/**
 * sendNotification, returning on how many channels the event was newly claimed (then sent or
 * failed): 0 when every channel already had it, or when no channel is enabled.
 */
export async function dispatchNotification(event: NotificationEvent): Promise<number> {
  try {
    const channels = await db.notificationChannel.findMany({
      where: { isEnabled: true },
      select: { id: true, type: true, name: true, configEnc: true },
      orderBy: { createdAt: "asc" },
    });
    if (channels.length === 0) return 0;
    const key = eventKey(event);
    const alreadySent = new Set(
      (
        await db.notificationDelivery.findMany({
          where: { eventKey: key, channelId: { in: channels.map((channel) => channel.id) } },
          select: { channelId: true },
        })
      ).map((delivery) => delivery.channelId),
    );
    const { subject, text } = describeEvent(event, displayTimeZone());
    const message: Message = { subject, text, payload: buildWebhookPayload(event, `${subject}\n\n${text}`, new Date()) };
    const results = await Promise.all(
      channels
        .filter((channel) => !alreadySent.has(channel.id))
        .map((channel) =>
          deliverToChannel(channel, key, event, message).catch((error: unknown) => {
            console.error(`notifications: "${channel.name}" could not record ${key}:`, error instanceof Error ? error.message : error);
            return false;
          }),
        ),
    );
    return results.filter(Boolean).length;
  } catch (error) {
    // Notifications never break the job or the scheduler that raised them.
    console.error(`notifications: could not send "${event.type}" for ${eventSubjectName(event)}:`, error instanceof Error ? error.message : error);
    return 0;
  }
}

/** Claims, sends and records one delivery; false when another call had already claimed it. */
async function deliverToChannel(channel: ChannelRow, key: string, event: NotificationEvent, message: Message): Promise<boolean> {
  let deliveryId: string;
  try {
    const delivery = await db.notificationDelivery.create({
      data: {
        channelId: channel.id,
        eventKey: key,
        event: event.type,
        certificateId: eventCertificateId(event),
        subject: message.subject,
        status: "sending",
      },
      select: { id: true },
    });
    deliveryId = delivery.id;
  } catch (error) {
    // P2002: already claimed (sent before, or by a concurrent call). P2003: the channel was
    // deleted a moment ago. Neither is a failure to report.
    if (error instanceof Prisma.PrismaClientKnownRequestError && (error.code === "P2002" || error.code === "P2003")) return false;
    throw error;
  }
  const result = await sendToChannel(channel, message);
  if (!result.ok) console.error(`notifications: "${channel.name}" (${channel.type}) could not deliver ${key}: ${result.error}`);
  // updateMany: the channel (and with it this row) may have been deleted while sending.
  await db.notificationDelivery.updateMany({
    where: { id: deliveryId },
    data: result.ok ? { status: "sent", error: null } : { status: "failed", error: result.error },
  });
  return true;
}

/**
 * Sends a test message to one channel, enabled or not, and says whether it arrived. Not
 * recorded as a delivery: the result is shown where the button was pressed. A channel that does
 * not exist is an AppError("not_found").
 */
export async function sendTestNotification(channelId: string): Promise<{ ok: true } | { ok: false; error: string }> {
  const channel = await db.notificationChannel.findUnique({
    where: { id: channelId },
    select: { id: true, type: true, name: true, configEnc: true },
  });
  if (!channel) throw new AppError("not_found", "That channel no longer exists.");
  const { subject, text } = describeTestMessage(channel.name);
  const result = await sendToChannel(channel, {
    subject,
    text,
    payload: { text: `${subject}\n\n${text}`, event: "test", channel: { id: channel.id, name: channel.name }, sentAt: new Date().toISOString() },
  });
  if (!result.ok) console.error(`notifications: test of "${channel.name}" (${channel.type}) failed: ${result.error}`);
  return result;
}

type SendResult = { ok: true } | { ok: false; error: string };

async function sendToChannel(channel: ChannelRow, message: Message): Promise<SendResult> {
  let config: ChannelConfig;
  try {
    config = channelConfigSchema.parse(JSON.parse(decryptSecret(channel.configEnc)));
  } catch {
    return { ok: false, error: "The channel's settings cannot be read (was the data directory's secret key replaced?). Delete the channel and add it again." };
  }
  try {
    if (config.type === "email") await sendEmail(config, message);
    else await postWebhook(config, message);
    return { ok: true };
  } catch (error) {
    const explained = config.type === "email" ? explainSmtpError(error, config) : explainWebhookError(error, config);
    return { ok: false, error: shorten(redact(explained, secretsOf(config))) };
  }
}

/**
 * The SMTP server's address, checked by the channel's policy (every address the name resolves to),
 * so the connection goes to an address that passed; the name stays the TLS server name.
 */
async function sendEmail(config: EmailChannelConfig, message: Message): Promise<void> {
  const [address] = await resolveOutboundHost(config.host, channelNetwork(config));
  const transport = createTransport({
    host: address.address,
    ...(net.isIP(config.host) ? {} : { servername: config.host }),
    port: config.port,
    secure: config.security === "tls",
    requireTLS: config.security === "starttls",
    ignoreTLS: config.security === "none",
    auth: config.username && config.password ? { user: config.username, pass: config.password } : undefined,
    connectionTimeout: TIMEOUT_MS,
    greetingTimeout: TIMEOUT_MS,
    socketTimeout: TIMEOUT_MS,
    dnsTimeout: TIMEOUT_MS,
  });
  try {
    await transport.sendMail({
      from: config.from,
      to: config.to,
      subject: message.subject,
      text: message.text,
      // RFC 3834: automatic mail; vacation responders stay quiet.
      headers: { "Auto-Submitted": "auto-generated" },
    });
  } finally {
    transport.close();
  }
}

/** Thrown for an answer that is not 2xx; carries no body beyond a short excerpt. */
class WebhookStatusError extends Error {
  constructor(
    readonly status: number,
    readonly excerpt: string,
  ) {
    super(`webhook answered ${status}`);
  }
}

/**
 * POSTs through the channel's outbound policy (the URL as written, and each address it resolves
 * to at connect time). Redirects are never followed: a redirect would turn the POST into a GET
 * elsewhere, and lead around the policy; the answer says so instead.
 */
async function postWebhook(config: WebhookChannelConfig, message: Message): Promise<void> {
  const response = await outboundFetch(config.url, {
    policy: channelNetwork(config),
    method: "POST",
    headers: { "content-type": "application/json", "user-agent": "CertDeck" },
    body: JSON.stringify(message.payload),
    signal: AbortSignal.timeout(TIMEOUT_MS),
  });
  if (response.status >= 200 && response.status < 300) {
    await response.body?.cancel();
    return;
  }
  const excerpt = (await response.text().catch(() => "")).replace(/\s+/g, " ").trim().slice(0, 120);
  throw new WebhookStatusError(response.status, excerpt);
}

interface ErrorWithCodes {
  code?: string;
  /** nodemailer keeps the socket's own code here when it replaces `code` with its own. */
  originalCode?: string;
  responseCode?: number;
  response?: string;
  message?: string;
  cause?: unknown;
  name?: string;
}

/** nodemailer's own codes say which step failed, not why; the cause's code says why. */
const NODEMAILER_CODES = new Set(["ECONNECTION", "ESOCKET", "ETIMEDOUT", "EDNS", "ETLS", "EPROTOCOL", "EENVELOPE", "EMESSAGE", "EAUTH", "ENOAUTH"]);
const SYSTEM_CODE_IN_MESSAGE = /\b(ECONNREFUSED|ENOTFOUND|EAI_AGAIN|EHOSTUNREACH|ENETUNREACH|ECONNRESET)\b/;

/** The network-level code (ECONNREFUSED, ENOTFOUND, CERT_HAS_EXPIRED ...) anywhere in the cause chain. */
function findSystemCode(error: unknown): string | undefined {
  let current = error as ErrorWithCodes | undefined;
  for (let depth = 0; current && depth < 5; depth++, current = current.cause as ErrorWithCodes | undefined) {
    for (const code of [current.originalCode, current.code]) {
      if (code && !NODEMAILER_CODES.has(code)) return code;
    }
    const inMessage = current.message?.match(SYSTEM_CODE_IN_MESSAGE);
    if (inMessage) return inMessage[1];
  }
  return undefined;
}

const TLS_TRUST_CODES = /CERT|SELF_SIGNED|UNABLE_TO_(GET|VERIFY)|ERR_TLS_CERT_ALTNAME_INVALID/;

function networkProblem(code: string | undefined, place: string, host: string): string | undefined {
  switch (code) {
    case "ECONNREFUSED":
      return `${place} refused the connection: nothing listens on that port. Check the host name and the port.`;
    case "ENOTFOUND":
    case "EAI_AGAIN":
      return `The name ${host} does not resolve in DNS. Check the host name.`;
    case "EHOSTUNREACH":
    case "ENETUNREACH":
      return `${place} cannot be reached from this server (no route to the host). Check the host name and the firewall.`;
    case "ECONNRESET":
      return `${place} closed the connection unexpectedly.`;
  }
  if (code && TLS_TRUST_CODES.test(code)) return `${place} presents a TLS certificate this server does not trust (${code}).`;
  return undefined;
}

function serverWords(response: string | undefined): string {
  return response ? ` It said: "${response.replace(/\s+/g, " ").trim().slice(0, 160)}".` : "";
}

/** Turns a nodemailer error into one sentence that names the server and what went wrong. */
function explainSmtpError(error: unknown, config: EmailChannelConfig): string {
  const place = `The SMTP server at ${formatHostPort(config.host, config.port)}`;
  if (error instanceof AppError) return `${place} was not contacted: ${error.userMessage}`;
  const { code, response, message } = (error ?? {}) as ErrorWithCodes;
  const network = networkProblem(findSystemCode(error), place, config.host);
  switch (code) {
    case "EAUTH":
      return `${place} refused the login.${serverWords(response)} Check the user name and password.`;
    case "ENOAUTH":
      return `${place} asks for a login: enter a user name and password.`;
    case "ETIMEDOUT":
      return `${place} did not answer within ${TIMEOUT_MS / 1000} seconds. Check the host name, the port and the firewall.`;
    case "EDNS":
      return network ?? `The name ${config.host} does not resolve in DNS. Check the host name.`;
    case "ETLS":
      return (
        network ??
        `${place} could not set up encryption${config.security === "starttls" ? " with STARTTLS" : ""}.${serverWords(response ?? message)} Check the port and the encryption setting (TLS on 465, STARTTLS on 587).`
      );
    case "EENVELOPE":
      return `${place} refused the sender or a recipient.${serverWords(response ?? message)}`;
    case "EMESSAGE":
      return `${place} refused the message.${serverWords(response ?? message)}`;
    case "EPROTOCOL":
      return `${place} did not answer like an SMTP server. Check the port and the encryption setting (TLS on 465, STARTTLS on 587).`;
  }
  if (network) return network;
  if (/wrong version number|packet length too long/i.test(message ?? "")) {
    return `${place} does not speak TLS from the first byte on this port. Choose STARTTLS for port 587.`;
  }
  return `${place} could not take the message: ${message ?? "unknown error"}`;
}

function explainWebhookError(error: unknown, config: WebhookChannelConfig): string {
  const place = `The webhook at ${maskWebhookUrl(config.url)}`;
  if (error instanceof AppError) return `${place} was not called: ${error.userMessage}`;
  if (error instanceof WebhookStatusError) {
    if (error.status >= 300 && error.status < 400) {
      return `${place} redirects elsewhere (HTTP ${error.status}). Enter the address it redirects to.`;
    }
    return `${place} answered HTTP ${error.status}${error.excerpt ? `: "${error.excerpt}"` : ""}.${error.status === 404 || error.status === 403 || error.status === 401 ? " Check the URL and its token." : ""}`;
  }
  const { name } = (error ?? {}) as ErrorWithCodes;
  if (name === "TimeoutError" || name === "AbortError") return `${place} did not answer within ${TIMEOUT_MS / 1000} seconds.`;
  const host = safeHostname(config.url);
  const network = networkProblem(findSystemCode(error), place, host);
  if (network) return network;
  const cause = (error as ErrorWithCodes | undefined)?.cause as ErrorWithCodes | undefined;
  return `${place} could not be reached: ${cause?.message ?? (error as ErrorWithCodes | undefined)?.message ?? "unknown error"}`;
}

function safeHostname(url: string): string {
  try {
    return new URL(url).hostname;
  } catch {
    return "(unreadable URL)";
  }
}

/** The strings that must never appear in an error: the password and the webhook's secret path. */
function secretsOf(config: ChannelConfig): string[] {
  if (config.type === "email") {
    if (!config.password) return [];
    const plain = Buffer.from(`\u0000${config.username ?? ""}\u0000${config.password}`).toString("base64");
    return [config.password, Buffer.from(config.password).toString("base64"), plain];
  }
  try {
    const url = new URL(config.url);
    return [config.url, `${url.pathname}${url.search}`].filter((secret) => secret.length > 1);
  } catch {
    return [config.url];
  }
}

function redact(text: string, secrets: string[]): string {
  return secrets.filter((secret) => secret.length >= 3).reduce((result, secret) => result.split(secret).join("•••"), text);
}

function shorten(text: string): string {
  const oneLine = text.replace(/\s+/g, " ").trim();
  return oneLine.length > MAX_ERROR_LENGTH ? `${oneLine.slice(0, MAX_ERROR_LENGTH - 1)}…` : oneLine;
}
