/**
 * Requests proxy.ts refuses before Next.js sees them, with the sentence the user reads. Pure
 * strings: the dashboard's error boundary (components/route-error.tsx) shows exactly these, as
 * Next.js passes a text/plain answer to a server action on as the error's message.
 */

/** Next.js's own limit for a server action's body (next.config.ts serverActions.bodySizeLimit, default 1 MB). */
export const MAX_ACTION_BODY_BYTES = 1024 * 1024;

export const ACTION_TOO_LARGE_MESSAGE =
  "The form is larger than 1 MB, more than CertDeck accepts at once: nothing was saved. Send less (fewer names, a shorter hook), or use the REST API for bulk work.";

export function crossSiteActionMessage(origin: string): string {
  return `This form was sent from another site (${origin.slice(0, 100)}), not from a CertDeck page: refused, nothing was changed. Open CertDeck at its own address and submit the form there.`;
}

/** Whether an error's message is one of these refusals (then the error boundary shows it). */
export function isRequestRefusalMessage(message: unknown): message is string {
  return (
    typeof message === "string" &&
    (message === ACTION_TOO_LARGE_MESSAGE || /^This form was sent from another site \(.*\), not from a CertDeck page: refused/.test(message))
  );
}
