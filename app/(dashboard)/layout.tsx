import { LogOut } from "lucide-react";
import { AppNav } from "@/components/app-nav";
import { MAIN_CONTENT_ID } from "@/components/skip-link";
import { Button } from "@/components/ui/button";
import { requireUser } from "@/lib/web/session";
import { displayTimeZone } from "@/lib/core/env";
import { formatDateTime } from "@/lib/core/dates";
import { signOutAction } from "../(auth)/login/actions";

export default async function DashboardLayout({ children }: { children: React.ReactNode }) {
  const user = await requireUser();
  const timeZone = displayTimeZone();
  const serverTime = formatDateTime(new Date(), timeZone);
  return (
    <div className="flex min-h-screen flex-col md:flex-row">
      <AppNav
        footer={
          <div className="space-y-2 px-2 text-xs text-zinc-500 dark:text-zinc-400">
            <p>
              Server time
              <br />
              <span className="text-zinc-700 dark:text-zinc-300">{serverTime}</span>
              {/* The zone's name when the time shows only its abbreviation ("CET" for Europe/Berlin); not "UTC" twice. */}
              {!serverTime.endsWith(timeZone) && (
                <>
                  <br />
                  <span>{timeZone}</span>
                </>
              )}
            </p>
            <div className="flex items-center justify-between gap-2 border-t border-zinc-200 pt-2 dark:border-zinc-800">
              <span className="truncate" title="Signed in">
                {user.username}
              </span>
              <form action={signOutAction}>
                <Button variant="ghost" size="sm" type="submit" icon={LogOut}>
                  Sign out
                </Button>
              </form>
            </div>
          </div>
        }
      />
      <main id={MAIN_CONTENT_ID} tabIndex={-1} className="min-w-0 flex-1 px-4 py-5 focus-visible:outline-none md:px-8 md:py-6">
        <div className="mx-auto max-w-6xl">{children}</div>
      </main>
    </div>
  );
}
