import type { ReactNode } from "react";

/** What to set up at the DNS side for each kind of provider, shown next to its fields. */

const BIND_KEY = `tsig-keygen -a hmac-sha256 certdeck > /etc/bind/certdeck.key
chown root:bind /etc/bind/certdeck.key && chmod 640 /etc/bind/certdeck.key`;

const BIND_CONFIG = `include "/etc/bind/certdeck.key";

zone "example.com" {
    type primary;
    file "/var/lib/bind/example.com.zone";
    update-policy {
        grant certdeck name _acme-challenge.example.com. TXT;
        grant certdeck name _acme-challenge.www.example.com. TXT;
    };
};`;

/** The grey box each kind's setup help stands in. */
const HELP_BOX = "rounded-md bg-zinc-50 px-3 py-2.5 text-xs text-zinc-600 dark:bg-zinc-950 dark:text-zinc-400";

/** A kind's setup help that is one paragraph. */
function HelpNote({ children }: { children: ReactNode }) {
  return (
    <div className={HELP_BOX}>
      <p>{children}</p>
    </div>
  );
}

function Snippet({ children }: { children: string }) {
  return <pre className="overflow-x-auto rounded-md bg-zinc-900 px-3 py-2 font-mono text-xs text-zinc-100 dark:bg-black">{children}</pre>;
}

/** Open by default while adding a provider, folded when changing one. */
export function BindSetupHelp({ isOpen }: { isOpen: boolean }) {
  return (
    <details open={isOpen} className={HELP_BOX}>
      <summary className="cursor-pointer font-medium text-zinc-700 dark:text-zinc-300">Setting up BIND for CertDeck</summary>
      <div className="mt-2 space-y-2">
        <p>Create a key on the DNS server; its secret line is what goes into “TSIG secret” above:</p>
        <Snippet>{BIND_KEY}</Snippet>
        <p>
          Let that key change only the <code>_acme-challenge</code> TXT records, in <code>named.conf.local</code> (one <code>grant</code> per name; a wildcard
          and its base name share one), then <code>named-checkconf &amp;&amp; rndc reload</code>:
        </p>
        <Snippet>{BIND_CONFIG}</Snippet>
        <p>
          The zone file must be writable by <code>named</code> (it keeps a journal next to it). To keep the main zone read-only, point{" "}
          <code>_acme-challenge.example.com</code> by CNAME into a small zone that only this key may update: CertDeck follows the CNAME. Knot (<code>acl</code>{" "}
          with <code>action: update</code>) and PowerDNS (<code>TSIG-ALLOW-DNSUPDATE</code>) work the same way.
        </p>
      </div>
    </details>
  );
}

export function CloudflareSetupHelp() {
  return (
    <HelpNote>
      In Cloudflare: <strong>My Profile → API Tokens → Create Token</strong>, template “Edit zone DNS”. Permissions <strong>Zone → DNS → Edit</strong> and{" "}
      <strong>Zone → Zone → Read</strong> (to find the zone by name); zone resources: Include → Specific zone → your zone. Not the Global API Key.
    </HelpNote>
  );
}

export function ManualSetupHelp() {
  return (
    <HelpNote>
      Nothing to connect. When a certificate needs validating, its page shows the TXT records to create at your DNS host and waits for you to press Done.
      CertDeck then checks every authoritative nameserver and asks the CA. Renewals wait for you the same way, so this suits certificates you renew by hand; for
      unattended renewals use RFC 2136 or Cloudflare.
    </HelpNote>
  );
}
