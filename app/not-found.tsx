import Link from "next/link";
import { ShieldCheck } from "lucide-react";
import { MAIN_CONTENT_ID } from "@/components/skip-link";

export default function NotFound() {
  return (
    <main id={MAIN_CONTENT_ID} tabIndex={-1} className="focus-visible:outline-none flex min-h-screen items-center justify-center px-4">
      <div className="max-w-sm space-y-3 text-center">
        <ShieldCheck aria-hidden className="mx-auto h-8 w-8 text-blue-600 dark:text-blue-400" />
        <h1 className="text-lg font-semibold">Not found</h1>
        <p className="text-sm text-zinc-600 dark:text-zinc-400">There is nothing at this address. It may have been deleted.</p>
        <Link href="/" className="text-sm text-blue-700 underline dark:text-blue-400">
          Back to the certificates
        </Link>
      </div>
    </main>
  );
}
