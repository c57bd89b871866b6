import type { Metadata } from "next";
import { SettingsPageHeader } from "@/components/settings-page-header";
import { SETTINGS_SECTIONS } from "@/components/settings-sections";
import { Badge } from "@/components/ui/badge";
import { Card, CardHeader } from "@/components/ui/card";
import { requireUser } from "@/lib/web/session";
import { readSettings } from "@/lib/domain/settings/queries";
import { describeWindow, nextWindowOpenings, parseMaintenanceWindow, type WindowOpening } from "@/lib/domain/deploy/maintenance-window";
import { displayTimeZone } from "@/lib/core/env";
import { formatDateTime, formatRelative } from "@/lib/core/dates";
import { SettingsForm } from "../settings-form";
import { saveHookDefaultsAction, saveMaintenanceWindowAction } from "./actions";
import { MaintenanceWindowHint } from "./maintenance-window-hint";
import { SETTINGS_FORMS } from "../setting-fields";

export const metadata: Metadata = { title: SETTINGS_SECTIONS.renewals.title };

export default async function RenewalSettingsPage() {
  await requireUser();
  const settings = await readSettings(...SETTINGS_FORMS.maintenanceWindow.names, ...SETTINGS_FORMS.hooks.names);
  const now = new Date();

  return (
    <>
      <SettingsPageHeader section="renewals" />
      <div className="grid items-start gap-5 lg:grid-cols-2">
        <Card>
          <CardHeader
            title="Maintenance window"
            description="A new version's files are written at once; its deploy hook waits for the window, unless the certificate still served would expire first."
          />
          <div className="space-y-5 p-4">
            <SettingsForm
              group="maintenanceWindow"
              action={saveMaintenanceWindowAction}
              saved={settings}
              hints={{ maintenanceWindow: <MaintenanceWindowHint timeZone={displayTimeZone()} /> }}
            />
            <WindowPreview spec={settings.maintenanceWindow} now={now} />
          </div>
        </Card>
        <Card>
          <CardHeader
            title="Default hooks"
            description="Run with /bin/sh as the CertDeck server's user. A certificate can set its own on its page; empty means none."
          />
          <div className="p-4">
            <SettingsForm group="hooks" action={saveHookDefaultsAction} saved={settings} className="space-y-5" />
          </div>
        </Card>
      </div>
    </>
  );
}

/** The saved window in words, its next three openings and the server's clock. */
function WindowPreview({ spec, now }: { spec: string; now: Date }) {
  const parsed = spec === "" ? null : parseMaintenanceWindow(spec);
  const openings = parsed?.ok ? nextWindowOpenings(parsed.window, now, 3, displayTimeZone()) : [];
  return (
    <section className="space-y-3 border-t border-zinc-200 pt-4 text-sm dark:border-zinc-800">
      <dl className="grid grid-cols-[8rem_1fr] gap-x-4 gap-y-1.5">
        <dt className="text-zinc-500 dark:text-zinc-400">Server time</dt>
        <dd>
          {formatDateTime(now, displayTimeZone())} <span className="text-zinc-500 dark:text-zinc-400">({displayTimeZone()})</span>
        </dd>
        <dt className="text-zinc-500 dark:text-zinc-400">Saved window</dt>
        <dd data-testid="saved-window">
          {!parsed ? "Any time: deploy hooks run as soon as a new version is written" : parsed.ok ? describeWindow(parsed.window) : parsed.error}
        </dd>
      </dl>
      {openings.length > 0 && (
        <div>
          <h3 className="mb-1.5 text-xs font-medium uppercase tracking-wide text-zinc-500 dark:text-zinc-400">Next openings</h3>
          <ol aria-label="Next openings" className="divide-y divide-zinc-100 rounded-md border border-zinc-200 dark:divide-zinc-800 dark:border-zinc-800">
            {openings.map((opening) => (
              <OpeningRow key={opening.start.toISOString()} opening={opening} now={now} />
            ))}
          </ol>
        </div>
      )}
    </section>
  );
}

function OpeningRow({ opening, now }: { opening: WindowOpening; now: Date }) {
  const isOpen = opening.start.getTime() <= now.getTime();
  return (
    <li className="flex flex-wrap items-center justify-between gap-x-3 gap-y-0.5 px-3 py-1.5">
      <span>
        {formatDateTime(opening.start, displayTimeZone())} <span className="text-zinc-400 dark:text-zinc-500">→</span> {formatEnd(opening)}
      </span>
      {isOpen ? <Badge tone="green">open now</Badge> : <span className="text-xs text-zinc-500 dark:text-zinc-400">{formatRelative(opening.start, now)}</span>}
    </li>
  );
}

/** The closing time alone when the window closes the same day, else the full date. */
function formatEnd({ start, end }: WindowOpening): string {
  const day = (date: Date) => new Intl.DateTimeFormat("en-GB", { timeZone: displayTimeZone(), dateStyle: "short" }).format(date);
  if (day(start) !== day(end)) return formatDateTime(end, displayTimeZone());
  return new Intl.DateTimeFormat("en-GB", { timeZone: displayTimeZone(), hour: "2-digit", minute: "2-digit" }).format(end);
}
