"use client";

import Link from "next/link";
import { useState } from "react";
import { NginxSnippet } from "@/components/nginx-snippet";
import { NginxWebrootSnippet } from "@/components/nginx-webroot-snippet";
import { SETTINGS_SECTIONS } from "@/components/settings-sections";
import { Field, FieldErrors, Input, Select, Textarea } from "@/components/ui/form-field";
import { RadioChoices } from "@/components/ui/radio-cards";

/** A DNS provider as the certificate forms list it (never its credentials). */
export interface DnsProviderChoice {
  id: string;
  name: string;
  typeLabel: string;
}

export interface ChallengeMethodFieldsProps {
  methods: Array<{ id: string; label: string }>;
  method: string;
  onMethodChange(method: string): void;
  errors: Record<string, string[] | undefined>;
  /** What the fields start with (the stored settings, or what was submitted before an error). */
  defaults: { webrootPath?: string; webrootPaths?: string; dnsProviderId?: string };
  dnsProviders: DnsProviderChoice[];
  /** Whether the names include a wildcard (only DNS-01 can validate one). */
  hasWildcard: boolean;
  standalonePort: number;
  tlsAlpnPort: number;
  /** Where nginx forwards /.well-known/acme-challenge/ for "served by CertDeck". */
  challengeUpstream: string;
}

/**
 * How the CA checks control of the names: the method, and what that method needs (a webroot per
 * name, a DNS provider, a free port). Shared by the add form and a certificate's settings.
 */
export function ChallengeMethodFields(props: ChallengeMethodFieldsProps) {
  const { methods, method, onMethodChange, errors, hasWildcard } = props;
  return (
    <fieldset className="space-y-2">
      <legend className="text-sm font-medium">How the CA checks you control the names</legend>
      {hasWildcard && method !== "dns-01" && (
        <p
          role="status"
          className="rounded-md border border-amber-200 bg-amber-50 px-3 py-2 text-sm text-amber-900 dark:border-amber-500/30 dark:bg-amber-500/10 dark:text-amber-200"
        >
          Wildcards need DNS-01: a name such as <code>*.example.com</code> can only be proven with a TXT record. Choose DNS-01 below.
        </p>
      )}
      <RadioChoices name="challengeMethod" choices={methods} value={method} onChange={onMethodChange} />
      <FieldErrors id="challengeMethod-error" errors={errors.challengeMethod} />
      <div className="rounded-md bg-zinc-50 px-3 py-2.5 dark:bg-zinc-950">
        <MethodDetails {...props} />
      </div>
    </fieldset>
  );
}

/**
 * The inputs of every method stay mounted (only the chosen method's show), so switching methods
 * back and forth keeps what was typed; the server reads only the chosen method's fields. Notes
 * and snippets render for the chosen method only.
 */
function MethodDetails({ method, errors, defaults, dnsProviders, standalonePort, tlsAlpnPort, challengeUpstream }: ChallengeMethodFieldsProps) {
  const [webrootPath, setWebrootPath] = useState(defaults.webrootPath ?? "");
  return (
    <>
      {method === "http-01-app" && <NginxSnippet upstream={challengeUpstream} />}
      <div hidden={method !== "http-01-webroot"} className="space-y-4">
        <Field
          id="webrootPath"
          label="Webroot directory"
          hint="The document root nginx serves for these names on port 80. CertDeck writes the challenge files under .well-known/acme-challenge/ there and removes them afterwards."
          errors={errors.webrootPath}
        >
          <Input
            id="webrootPath"
            hasHint
            spellCheck={false}
            autoCapitalize="off"
            placeholder="/var/www/html"
            defaultValue={defaults.webrootPath}
            onChange={(event) => setWebrootPath(event.target.value)}
            errors={errors.webrootPath}
            className="font-mono"
          />
        </Field>
        <Field
          id="webrootPaths"
          label="Other webroots (optional)"
          hint={'One "name /path" per line, for names served from another directory (like certbot\'s -w before -d). Names not listed use the directory above.'}
          errors={errors.webrootPaths}
        >
          <Textarea
            id="webrootPaths"
            rows={3}
            hasHint
            placeholder="shop.example.com /var/www/shop"
            defaultValue={defaults.webrootPaths}
            errors={errors.webrootPaths}
          />
        </Field>
        {method === "http-01-webroot" && <NginxWebrootSnippet webroot={webrootPath.trim().replace(/\/+$/, "") || "/var/www/html"} />}
      </div>
      <div hidden={method !== "dns-01"}>
        {dnsProviders.length === 0 ? (
          method === "dns-01" && (
            <div className="space-y-1.5 text-sm">
              <p>No DNS provider is set up yet. CertDeck publishes the TXT records through one: RFC 2136 (BIND, Knot, PowerDNS), Cloudflare, or by hand.</p>
              <Link href={`${SETTINGS_SECTIONS.dns.href}/new`} className="font-medium text-blue-700 underline dark:text-blue-400">
                Add a DNS provider
              </Link>
              <FieldErrors id="dnsProviderId-error" errors={errors.dnsProviderId} />
            </div>
          )
        ) : (
          <Field
            id="dnsProviderId"
            label="DNS provider"
            hint={
              <>
                Publishes <code>_acme-challenge.&lt;name&gt;</code> TXT records, waits until every authoritative nameserver shows them, and removes them
                afterwards. Manage providers under{" "}
                <Link href={SETTINGS_SECTIONS.dns.href} className="text-blue-700 underline dark:text-blue-400">
                  Settings → {SETTINGS_SECTIONS.dns.title}
                </Link>
                .
              </>
            }
            errors={errors.dnsProviderId}
          >
            <Select
              id="dnsProviderId"
              hasHint
              defaultValue={defaults.dnsProviderId ?? (dnsProviders.length === 1 ? dnsProviders[0].id : "")}
              errors={errors.dnsProviderId}
            >
              <option value="">Choose a provider…</option>
              {dnsProviders.map((provider) => (
                <option key={provider.id} value={provider.id}>
                  {provider.name} ({provider.typeLabel})
                </option>
              ))}
            </Select>
          </Field>
        )}
      </div>
      {method === "tls-alpn-01" && (
        <p className="text-xs text-zinc-600 dark:text-zinc-400">
          The job opens a TLS listener on port {tlsAlpnPort} for a moment while the CA validates (the CA always connects to port 443), then closes it. The port
          must be free then: if nginx holds 443, choose another method. Suits IP address certificates and hosts without port 80; it cannot validate wildcards.
          The port is set in Settings.
        </p>
      )}
      {method === "http-01-standalone" && (
        <p className="text-xs text-zinc-600 dark:text-zinc-400">
          The job opens port {standalonePort} only while the CA validates, then closes it. The port must be free: if nginx holds it, use “served by CertDeck”
          instead of stopping nginx. The port is set in Settings.
        </p>
      )}
    </>
  );
}
