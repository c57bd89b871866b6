import type { Metadata } from "next";
import path from "node:path";
import { FormPage } from "@/components/form-page";
import { requireUser } from "@/lib/web/session";
import { certificatesDir, displayTimeZone } from "@/lib/core/env";
import { ImportForm } from "./import-form";

export const metadata: Metadata = { title: "Import from certbot" };

export default async function ImportCertbotPage() {
  await requireUser();
  return (
    <FormPage
      title="Import from certbot"
      description="Take over the certificates certbot manages on this server, so CertDeck renews them from now on."
      cardClassName="max-w-4xl p-5"
      intro={
        <>
          <p>
            CertDeck reads every <code>renewal/&lt;name&gt;.conf</code> in certbot&apos;s directory, with the current certificate and key behind{" "}
            <code>live/&lt;name&gt;/</code> and the ACME account under <code>accounts/</code>. It keeps each lineage&apos;s names, key type, challenge method
            (standalone or webroot) and hooks, and places no order with the CA. The certbot directory is not changed.
          </p>
          <p>
            CertDeck then writes its own copies to <code className="break-all">{path.join(certificatesDir(), "live")}/&lt;name&gt;/</code>: point nginx&apos;s{" "}
            <code>ssl_certificate</code> and <code>ssl_certificate_key</code> there.
          </p>
        </>
      }
    >
      <ImportForm defaultDirectory="/etc/letsencrypt" timeZone={displayTimeZone()} />
    </FormPage>
  );
}
