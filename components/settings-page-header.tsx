import type { ReactNode } from "react";
import { ArrowLeft } from "lucide-react";
import { PageHeader } from "@/components/page-header";
import { SETTINGS_SECTIONS, type SettingsSectionId } from "@/components/settings-sections";
import { ButtonLink } from "@/components/ui/button";

/**
 * A settings sub-page's header: the section's title and description (from SETTINGS_SECTIONS),
 * the way back to Settings, then the page's own actions. `lead` is a sentence about this visit
 * said before the description, such as who is signed in.
 */
export function SettingsPageHeader({ section, lead, actions }: { section: SettingsSectionId; lead?: string; actions?: ReactNode }) {
  const { title, description } = SETTINGS_SECTIONS[section];
  return (
    <PageHeader
      title={title}
      description={lead ? `${lead} ${description}` : description}
      actions={
        <>
          <ButtonLink href="/settings" variant="secondary" icon={ArrowLeft}>
            Settings
          </ButtonLink>
          {actions}
        </>
      }
    />
  );
}
