import type { ReactNode } from "react";
import { CopyButton } from "@/components/copy-button";

/**
 * A token just made, shown this one time with its copy button (CertDeck keeps only a hash of it),
 * under `message`; `children` follow (how to use it).
 */
export function TokenShownOnce({ message, token, tokenLabel, children }: { message: ReactNode; token: string; tokenLabel: string; children?: ReactNode }) {
  return (
    <div
      role="status"
      className="space-y-3 rounded-md border border-emerald-600/30 bg-emerald-50 p-3 text-sm dark:border-emerald-400/30 dark:bg-emerald-500/10"
    >
      <p className="font-medium text-emerald-900 dark:text-emerald-200">{message}</p>
      <div className="flex items-center gap-2">
        <code
          aria-label={tokenLabel}
          className="min-w-0 flex-1 break-all rounded bg-white px-2 py-1 font-mono text-xs text-zinc-900 dark:bg-zinc-950 dark:text-zinc-100"
        >
          {token}
        </code>
        <CopyButton text={token} label="Copy the token" />
      </div>
      {children}
    </div>
  );
}
