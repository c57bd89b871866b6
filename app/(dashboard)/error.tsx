"use client";

import { RouteError } from "@/components/route-error";

/** Any dashboard page that failed to render: a plain sentence and "Try again", inside the navigation. */
export default function DashboardError({ error, retry }: { error: unknown; retry: () => void }) {
  return (
    <RouteError
      error={error}
      retry={retry}
      title="This page could not be shown"
      body="Something went wrong while loading it. Your certificates and settings are unchanged. Try again; if it keeps failing, the server log has the details."
    />
  );
}
