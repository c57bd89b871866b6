import type { Metadata } from "next";
import path from "node:path";
import { FormPage } from "@/components/form-page";
import { requireUser } from "@/lib/web/session";
import { certificatesDir } from "@/lib/core/env";
import { UploadCertificateForm } from "./upload-form";

export const metadata: Metadata = { title: "Upload a certificate" };

export default async function UploadCertificatePage() {
  await requireUser();
  return (
    <FormPage
      title="Upload a certificate"
      description="A certificate CertDeck did not issue (a commercial CA, your company's CA), with its private key."
      cardClassName="max-w-3xl p-4 sm:p-5"
      intro={
        <>
          <p>
            CertDeck checks that the key belongs to the certificate and that it is valid now, stores the key encrypted, writes the files to{" "}
            <code className="break-all">{path.join(certificatesDir(), "live")}/&lt;name&gt;/</code> and deploys them like any other certificate&apos;s. It warns
            before the certificate expires.
          </p>
          <p>It never renews an uploaded certificate: renew it where it was issued, then choose &quot;Upload a newer version&quot; on its page.</p>
        </>
      }
    >
      <UploadCertificateForm submitLabel="Upload" />
    </FormPage>
  );
}
