import { AppError } from "@/lib/core/app-error";
import { CHANNEL_PRIVATE_NETWORK_HINT } from "@/lib/domain/network/private-network-words";
import type { ChannelConfig } from "@/lib/domain/notifications/channel-config";
import { checkOutboundUrl, outboundPolicy, type OutboundPolicy } from "@/lib/protocol/net/outbound-url";

/**
 * Where CertDeck may connect for one notification channel. A webhook URL or SMTP server is
 * public (https webhooks; servers on public addresses) unless the operator chose "This webhook or
 * SMTP server is on my private network or this machine" (a Mattermost on an internal address, a
 * relay on localhost): then loopback and private addresses, and http webhooks, are allowed.
 * Cloud metadata, link-local and the other special-purpose addresses are refused either way.
 * Checked when the channel is saved (the URL or host as written) and at every send (each address
 * the name resolves to, so a name that later points inside is refused then).
 */
export function channelNetwork(config: { privateNetwork?: boolean }, field?: string): OutboundPolicy {
  return outboundPolicy(config.privateNetwork === true, { labHint: CHANNEL_PRIVATE_NETWORK_HINT, ...(field ? { field } : {}) });
}

/** The URL an SMTP host is checked as (the policy checks hosts in URLs; https is only the vehicle). */
function smtpHostUrl(host: string, port: number): string {
  return `https://${host.includes(":") ? `[${host}]` : host}:${port}/`;
}

/**
 * Refuses, before anything is stored, a webhook URL or SMTP host CertDeck does not connect to for
 * this channel: AppError("invalid_input") with the field ("url", "host").
 */
export function checkChannelTarget(config: ChannelConfig): void {
  if (config.type === "webhook") {
    checkOutboundUrl(config.url, channelNetwork(config, "url"));
    return;
  }
  try {
    checkOutboundUrl(smtpHostUrl(config.host, config.port), channelNetwork(config, "host"));
  } catch (error) {
    // The host is all the operator typed: a message about URLs would confuse.
    if (error instanceof AppError && error.reason === "outbound-url" && !/CertDeck does not connect/.test(error.userMessage)) {
      throw new AppError("invalid_input", "Enter just a host name or an IP address, without scheme, port or path", {
        fieldErrors: { host: ["Enter just a host name or an IP address, without scheme, port or path"] },
      });
    }
    throw error;
  }
}
