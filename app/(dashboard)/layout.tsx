import { LogOut, ShieldCheck } from "lucide-react";
import Link from "next/link";
import { NavLinks } from "@/components/nav-links";
import { Button } from "@/components/ui/button";
import { requireUser } from "@/lib/web/session";
import { displayTimeZone } from "@/lib/core/env";
import { formatDateTime } from "@/lib/core/dates";
import { signOutAction } from "../(auth)/login/actions";

export default async function DashboardLayout({ children }: { children: React.ReactNode }) {
  const user = await requireUser();
  return (
    <div className="flex min-h-screen flex-col md:flex-row">
      <aside className="flex shrink-0 flex-col gap-4 border-b border-zinc-200 bg-white px-3 py-3 md:w-56 md:border-b-0 md:border-r dark:border-zinc-800 dark:bg-zinc-900">
        <Link href="/" className="flex items-center gap-2 px-2 py-1">
          <ShieldCheck aria-hidden className="h-6 w-6 text-blue-600 dark:text-blue-400" />
          <span className="font-semibold tracking-tight">CertDeck</span>
        </Link>
        <nav aria-label="Main">
          <NavLinks />
        </nav>
        <div className="mt-auto hidden space-y-2 px-2 text-xs text-zinc-500 md:block dark:text-zinc-400">
          <p>
            Server time
            <br />
            <span className="text-zinc-700 dark:text-zinc-300">{formatDateTime(new Date(), displayTimeZone())}</span>
            <br />
            <span>{displayTimeZone()}</span>
          </p>
          <div className="flex items-center justify-between gap-2 border-t border-zinc-200 pt-2 dark:border-zinc-800">
            <span className="truncate" title="Signed in">
              {user.username}
            </span>
            <form action={signOutAction}>
              <Button variant="ghost" size="sm" type="submit">
                <LogOut aria-hidden className="h-3.5 w-3.5" />
                Sign out
              </Button>
            </form>
          </div>
        </div>
      </aside>
      <main className="min-w-0 flex-1 px-4 py-5 md:px-8">
        <div className="mx-auto max-w-6xl">{children}</div>
      </main>
    </div>
  );
}
