import type { Metadata } from "next";
import Link from "next/link";
import { FormPage } from "@/components/form-page";
import { requireUser } from "@/lib/web/session";
import { findRouteRecord } from "@/lib/web/route-record";
import { formatDateTime } from "@/lib/core/dates";
import { displayTimeZone } from "@/lib/core/env";
import { getCertificateDetail } from "@/lib/domain/certificates/queries";
import { UploadCertificateForm } from "../../upload/upload-form";

export const metadata: Metadata = { title: "Upload a newer version" };

export default async function UploadNewerVersionPage({ params }: { params: Promise<{ id: string }> }) {
  await requireUser();
  const certificate = await findRouteRecord(params, getCertificateDetail);
  const current = certificate.versions.find((version) => version.id === certificate.currentVersionId) ?? null;
  return (
    <FormPage
      title="Upload a newer version"
      description={
        <>
          Of{" "}
          <Link href={`/certificates/${certificate.id}`} className="font-medium text-blue-700 hover:underline dark:text-blue-400">
            {certificate.name}
          </Link>
          {current ? `, whose version ${current.version} expires ${formatDateTime(current.notAfter, displayTimeZone())}.` : "."}
        </>
      }
      cardClassName="max-w-3xl p-4 sm:p-5"
    >
      {certificate.source === "upload" ? (
        <>
          <p className="mb-5 text-sm text-zinc-700 dark:text-zinc-300">
            The new certificate must cover {certificate.name} and expire later than the current version. It becomes the next version: the current one stays in
            archive/, live/ points at the new one, and it is deployed.
          </p>
          <UploadCertificateForm certificateId={certificate.id} submitLabel="Upload the newer version" />
        </>
      ) : (
        <p className="text-sm text-zinc-700 dark:text-zinc-300">
          CertDeck issues {certificate.name} through ACME and renews it by itself: use Renew on its page instead.
        </p>
      )}
    </FormPage>
  );
}
