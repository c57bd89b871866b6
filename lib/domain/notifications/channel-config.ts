import { z } from "zod";
import { httpUrlSchema } from "@/lib/core/url-schema";
import { keysOf } from "@/lib/core/keys-of";
import { isIpAddress } from "@/lib/protocol/net/ip-address";
import { isHostName } from "@/lib/protocol/names/host-name";

/**
 * Where notifications go, and the one place their settings are validated. The whole config
 * (SMTP password, webhook URL with its token) is stored encrypted in
 * NotificationChannel.configEnc; only describeChannelTarget's summary ever reaches a page.
 * Client components import its types only (it reads addresses with node:net).
 */
export const CHANNEL_TYPES = {
  email: "E-mail (SMTP)",
  webhook: "Webhook (Slack, Mattermost, JSON)",
} as const;
export type ChannelType = keyof typeof CHANNEL_TYPES;

/** How the connection to the SMTP server is encrypted: the form's label, the channel list's word, and the port used when none is given. */
export const SMTP_SECURITY = {
  starttls: { label: "STARTTLS (usually port 587)", short: "STARTTLS", defaultPort: 587 },
  tls: { label: "TLS from the first byte (usually port 465)", short: "TLS", defaultPort: 465 },
  none: { label: "None (a relay on this machine only)", short: "no encryption", defaultPort: 587 },
} as const;
export type SmtpSecurity = keyof typeof SMTP_SECURITY;
const SMTP_SECURITY_IDS = keysOf(SMTP_SECURITY);

export const MAX_RECIPIENTS = 20;

/** Form inputs arrive as strings; an empty optional field means "not given". */
const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max, `At most ${max} characters`)
    .optional()
    .transform((value) => value || undefined);

const hostName = z
  .string()
  .trim()
  .min(1, "Enter the SMTP server's host name, e.g. smtp.example.com")
  .max(253, "Host names are at most 253 characters")
  .transform((value) => value.replace(/^\[(.*)\]$/, "$1"))
  .refine((value) => isHostName(value) || isIpAddress(value), { error: "Enter just a host name or an IP address, without scheme, port or path" });

/** Not given: the encryption's usual port (SMTP_SECURITY). */
const port = z
  .number({ error: "Ports go from 1 to 65535" })
  .int("Ports go from 1 to 65535")
  .min(1, "Ports go from 1 to 65535")
  .max(65535, "Ports go from 1 to 65535")
  .optional();

const emailAddress = z.email({ error: "Enter an e-mail address such as certdeck@example.com" }).max(254);

/** "a@x, b@y; c@z" or one per line, into de-duplicated addresses. */
export function splitAddressList(input: string): string[] {
  return [
    ...new Set(
      input
        .split(/[\s,;]+/)
        .map((part) => part.trim())
        .filter(Boolean),
    ),
  ];
}

const recipients = z
  .string()
  .max(10_000)
  .transform((value) => splitAddressList(value))
  .pipe(
    z
      .array(z.email({ error: (issue) => `${JSON.stringify(issue.input)} is not an e-mail address` }).max(254))
      .min(1, "Enter at least one recipient")
      .max(MAX_RECIPIENTS, `At most ${MAX_RECIPIENTS} recipients`),
  );

/** The stored settings of an e-mail channel (also the shape inside configEnc). */
export const emailConfigSchema = z.object({
  type: z.literal("email"),
  host: z.string().min(1),
  port: z.number().int().min(1).max(65535),
  security: z.enum(SMTP_SECURITY_IDS),
  username: z.string().optional(),
  password: z.string().optional(),
  from: z.string().min(1),
  to: z.array(z.string().min(1)).min(1),
  /** "On my private network or this machine" (lib/domain/notifications/channel-network.ts); absent = no. */
  privateNetwork: z.boolean().optional(),
});
export type EmailChannelConfig = z.infer<typeof emailConfigSchema>;

export const webhookConfigSchema = z.object({ type: z.literal("webhook"), url: z.string().min(1), privateNetwork: z.boolean().optional() });
export type WebhookChannelConfig = z.infer<typeof webhookConfigSchema>;

export const channelConfigSchema = z.discriminatedUnion("type", [emailConfigSchema, webhookConfigSchema]);
export type ChannelConfig = z.infer<typeof channelConfigSchema>;

const channelName = optionalText(100);

/** The form's "This webhook or SMTP server is on my private network or this machine"; absent = no. */
const privateNetwork = z.boolean({ error: "Choose yes or no" }).default(false);

/** The add-channel form, e-mail variant: the form's fields in (`to` as typed: addresses separated by commas), an EmailChannelConfig out. */
const emailFormSchema = z
  .object({
    type: z.literal("email"),
    name: channelName,
    host: hostName,
    port,
    security: z.enum(SMTP_SECURITY_IDS, { error: "Choose how the connection is encrypted" }),
    username: optionalText(254),
    // Not trimmed: a password may begin or end with a space.
    password: z
      .string()
      .max(1000)
      .optional()
      .transform((value) => value || undefined),
    from: emailAddress,
    to: recipients,
    privateNetwork,
  })
  .superRefine((input, context) => {
    if (Boolean(input.username) !== Boolean(input.password)) {
      context.addIssue({ code: "custom", path: [input.username ? "password" : "username"], message: "Enter both the user name and the password, or neither" });
    }
    if (input.password && input.security === "none") {
      context.addIssue({
        code: "custom",
        path: ["security"],
        message: "Without encryption the password would cross the network in clear text: choose STARTTLS or TLS, or leave the login empty",
      });
    }
  })
  .transform(({ name, port, privateNetwork, ...config }) => ({
    name: name ?? `E-mail to ${config.to[0]}${config.to.length > 1 ? ` and ${config.to.length - 1} more` : ""}`,
    config: { ...config, port: port ?? SMTP_SECURITY[config.security].defaultPort, ...(privateNetwork ? { privateNetwork } : {}) } satisfies EmailChannelConfig,
  }));

const webhookFormSchema = z
  .object({
    type: z.literal("webhook"),
    name: channelName,
    url: httpUrlSchema("Enter the webhook's full URL, starting with https://"),
    privateNetwork,
  })
  .transform(({ name, url, privateNetwork }) => ({
    name: name ?? `Webhook to ${new URL(url).hostname}`,
    config: { type: "webhook", url, ...(privateNetwork ? { privateNetwork } : {}) } satisfies WebhookChannelConfig,
  }));

/** The add-channel form; `type` picks the variant, the other variant's fields are ignored. */
export const createChannelSchema = z.discriminatedUnion("type", [emailFormSchema, webhookFormSchema], {
  error: "Choose e-mail or webhook",
});
export type CreateChannelInput = z.input<typeof createChannelSchema>;

export const channelIdSchema = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[a-z0-9]+$/i, "invalid id");

/**
 * "https://hooks.slack.com/…": enough to recognise the target, without the token in the path.
 * (A URL keeps its scheme and host; a plain secret is masked by lib/core/secret-mask.ts.)
 */
export function maskWebhookUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.host}/…`;
  } catch {
    return "(unreadable URL)";
  }
}

/** What the UI may show about a channel: never the password, never the webhook's path. */
export function describeChannelTarget(config: ChannelConfig): string {
  if (config.type === "webhook") return maskWebhookUrl(config.url);
  return `${config.to.join(", ")} via ${formatHostPort(config.host, config.port)}`;
}

export function formatHostPort(host: string, port: number): string {
  return host.includes(":") ? `[${host}]:${port}` : `${host}:${port}`;
}
