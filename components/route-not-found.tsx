import Link from "next/link";
import { ShieldCheck } from "lucide-react";

/** What a not-found.tsx inside the dashboard shows, in the style of app/not-found.tsx. */
export function RouteNotFound({ title, body }: { title: string; body: string }) {
  return (
    <div className="mx-auto max-w-sm space-y-3 py-16 text-center">
      <ShieldCheck aria-hidden className="mx-auto h-8 w-8 text-blue-600 dark:text-blue-400" />
      <h1 className="text-lg font-semibold">{title}</h1>
      <p className="text-sm text-zinc-600 dark:text-zinc-400">{body}</p>
      <Link href="/" className="text-sm text-blue-700 underline dark:text-blue-400">
        Back to the certificates
      </Link>
    </div>
  );
}
