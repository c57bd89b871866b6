import type { ReactNode } from "react";
import { Plus } from "lucide-react";
import { SettingsPageHeader } from "@/components/settings-page-header";
import { SETTINGS_SECTIONS, type SettingsSectionId } from "@/components/settings-sections";
import { ButtonLink } from "@/components/ui/button";
import { Card, CardHeader } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";

/**
 * A settings sub-page that lists things of one kind (DNS providers, deploy targets): the way back
 * to Settings and an "Add" button (to the section's /new) in the header, then one card with the
 * list, or `empty` (what to add, in a paragraph or two) while there is nothing.
 */
export function SettingsListPage({
  section,
  addLabel,
  listTitle,
  listDescription,
  isEmpty,
  empty,
  children,
}: {
  section: SettingsSectionId;
  addLabel: string;
  listTitle: string;
  listDescription: string;
  isEmpty: boolean;
  empty: ReactNode;
  /** The list's items (<li>). */
  children: ReactNode;
}) {
  return (
    <>
      <SettingsPageHeader
        section={section}
        actions={
          <ButtonLink href={`${SETTINGS_SECTIONS[section].href}/new`} icon={Plus}>
            {addLabel}
          </ButtonLink>
        }
      />
      <Card className="max-w-4xl">
        <CardHeader title={listTitle} description={listDescription} />
        {isEmpty ? <EmptyState>{empty}</EmptyState> : <ul className="divide-y divide-zinc-100 dark:divide-zinc-800">{children}</ul>}
      </Card>
    </>
  );
}
