"use client";

import Link from "next/link";
import { TriangleAlert } from "lucide-react";
import { Button } from "@/components/ui/button";
import { isRequestRefusalMessage } from "@/lib/web/request-refusals";

/**
 * What an error boundary (app/**\/error.tsx) shows: a plain sentence, "Try again" (fetches and
 * renders the segment again) and a way back. Never the error's message or stack: a server error
 * arrives without them in production anyway, and the server log has the details under `digest`.
 * The one exception: a form refused before it ran (too large, sent from another site; see
 * lib/web/request-refusals.ts) says so in CertDeck's own words.
 */
export function RouteError({ error, retry, title, body }: { error: unknown; retry: () => void; title: string; body: string }) {
  const digest = error instanceof Error && "digest" in error && typeof error.digest === "string" ? error.digest : null;
  const refusal = error instanceof Error && isRequestRefusalMessage(error.message) ? error.message : null;
  return (
    <div role="alert" className="mx-auto max-w-md space-y-3 py-16 text-center">
      <TriangleAlert aria-hidden className="mx-auto h-8 w-8 text-amber-500" />
      <h1 className="text-lg font-semibold">{title}</h1>
      <p className="text-sm text-zinc-600 dark:text-zinc-400">{refusal ?? body}</p>
      {digest && (
        <p className="text-xs text-zinc-500 dark:text-zinc-400">
          Reference for the server log: <code>{digest}</code>
        </p>
      )}
      <div className="flex items-center justify-center gap-3 pt-1">
        <Button type="button" onClick={() => retry()}>
          Try again
        </Button>
        <Link href="/" className="text-sm text-blue-700 underline dark:text-blue-400">
          Back to the certificates
        </Link>
      </div>
    </div>
  );
}
