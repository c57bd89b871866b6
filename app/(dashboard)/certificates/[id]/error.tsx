"use client";

import { RouteError } from "@/components/route-error";

/** The certificate page failed to render: the certificate itself is not touched by this. */
export default function CertificateError({ error, retry }: { error: unknown; retry: () => void }) {
  return (
    <RouteError
      error={error}
      retry={retry}
      title="This certificate could not be shown"
      body="Something went wrong while loading its page. The certificate, its files and its renewals are unaffected. Try again; if it keeps failing, the server log has the details."
    />
  );
}
