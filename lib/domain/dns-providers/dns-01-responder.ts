/**
 * DNS-01 (RFC 8555 §8.4): the TXT record `_acme-challenge.<name>` holds base64url(SHA-256(key
 * authorization)). The record is written where CNAMEs at that name lead, through the
 * certificate's DNS provider; a wildcard and its base name add two values at the same name.
 * Before the CA is asked, every authoritative nameserver must show every value; afterwards
 * exactly the records added are removed, also after a failure.
 */
import type { ChallengeResponder, ChallengeToAnswer, ResponderContext } from "@/lib/protocol/acme/challenge-responder";
import { createCloudflarePublisher } from "@/lib/protocol/dns/cloudflare/cloudflare-publisher";
import { createManualDnsResponder } from "@/lib/domain/dns-providers/manual-responder";
import { dnsLookupSettings } from "@/lib/domain/dns-providers/dns-lookup-settings";
import { resolveChallengeRecordName, waitForTxtRecords, type TxtRecordExpectation } from "@/lib/protocol/dns/propagation";
import { loadDnsProviderWithSecrets } from "@/lib/domain/dns-providers/provider-store";
import { createRfc2136Publisher } from "@/lib/protocol/dns/rfc2136/rfc2136-publisher";
import type { PublishedTxtRecord, TxtPublisher } from "@/lib/protocol/dns/txt-publisher";
import { AppError, userMessageOf } from "@/lib/core/app-error";

/** `_acme-challenge.example.com` for both `example.com` and `*.example.com`. */
export function challengeRecordName(challenge: Pick<ChallengeToAnswer, "identifier">): string {
  return `_acme-challenge.${challenge.identifier.value.replace(/\.$/, "").toLowerCase()}`;
}

export async function openDnsResponder(dnsProviderId: string, context: ResponderContext): Promise<ChallengeResponder> {
  const provider = await loadDnsProviderWithSecrets(dnsProviderId);
  switch (provider.type) {
    case "manual":
      return createManualDnsResponder(provider, context);
    case "rfc2136":
      return createPublishingDnsResponder(createRfc2136Publisher(provider), context, {
        providerName: provider.name,
        timeoutSeconds: provider.propagationTimeoutSeconds,
      });
    case "cloudflare":
      return createPublishingDnsResponder(createCloudflarePublisher(provider), context, {
        providerName: provider.name,
        timeoutSeconds: provider.propagationTimeoutSeconds,
      });
  }
}

export interface PublishingResponderOptions {
  providerName: string;
  timeoutSeconds: number;
}

/** DNS-01 through a provider that writes the records itself (RFC 2136, Cloudflare). */
export function createPublishingDnsResponder(publisher: TxtPublisher, context: ResponderContext, options: PublishingResponderOptions): ChallengeResponder {
  const log = (message: string, level: "info" | "warn" | "error" = "info") => context.log("dns", message, { level });
  const published: PublishedTxtRecord[] = [];
  const expected: TxtRecordExpectation[] = [];
  const recordNames = new Map<string, Promise<string>>();

  return {
    type: "dns-01",
    description: `DNS provider "${options.providerName}": ${publisher.description}`,

    async publish(challenge) {
      if (challenge.identifier.type !== "dns") {
        throw new AppError(
          "invalid_input",
          `DNS-01 cannot prove control of the IP address ${challenge.identifier.value}. Use HTTP-01 or TLS-ALPN-01 for IP addresses.`,
        );
      }
      const name = challengeRecordName(challenge);
      let target = recordNames.get(name);
      if (!target) {
        target = dnsLookupSettings().then((lookup) => resolveChallengeRecordName(name, lookup));
        recordNames.set(name, target);
        const resolved = await target;
        if (resolved !== name) await log(`${name} is a CNAME to ${resolved}: the TXT record goes there`);
      }
      const record = await publisher.add(await target, challenge.keyAuthorization);
      published.push(record);
      expected.push({ fqdn: name, value: challenge.keyAuthorization });
      const label = challenge.wildcard ? `*.${challenge.identifier.value}` : challenge.identifier.value;
      await log(`TXT record added for ${label}: ${record.name} "${record.value}" (zone ${record.zone})`);
    },

    async awaitReady() {
      await waitForTxtRecords(expected, { timeoutMs: options.timeoutSeconds * 1000, log: context.log, ...(await dnsLookupSettings()) });
    },

    async close() {
      if (published.length === 0) return;
      const records = published.splice(0);
      const listed = records.map((record) => `${record.name} "${record.value}"`).join(", ");
      try {
        await publisher.remove(records);
        await log(`TXT records removed: ${listed}`);
      } catch (error) {
        if (!(error instanceof AppError)) console.error("[dns] removing the challenge TXT records failed:", error);
        await log(
          `Could not remove the TXT records ${listed}: ${userMessageOf(error)} They do no harm, but delete them by hand when convenient.`,
          "warn",
        ).catch((logError: unknown) => console.error("[dns] could not write the job log:", logError));
      }
    },
  };
}
