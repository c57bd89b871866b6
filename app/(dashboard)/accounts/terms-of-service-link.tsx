import { ExternalLink } from "lucide-react";

export const EXTERNAL_LINK = "inline-flex items-center gap-1 break-all text-blue-700 underline dark:text-blue-400";

/** The CA's terms of service as a link (long addresses cut at 80 characters), or that it publishes none. */
export function TermsOfServiceLink({ url }: { url: string | null | undefined }) {
  if (!url) return "the CA publishes none";
  return (
    <a href={url} target="_blank" rel="noreferrer" className={EXTERNAL_LINK}>
      {url.length > 80 ? `${url.slice(0, 80)}…` : url}
      <ExternalLink aria-hidden className="h-3 w-3 shrink-0" />
    </a>
  );
}
