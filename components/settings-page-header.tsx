import type { ReactNode } from "react";
import { ArrowLeft } from "lucide-react";
import { PageHeader } from "@/components/page-header";
import { ButtonLink } from "@/components/ui/button";

/** A settings sub-page's header: its title, description, the way back to Settings, then its own actions. */
export function SettingsPageHeader({ title, description, actions }: { title: ReactNode; description: ReactNode; actions?: ReactNode }) {
  return (
    <PageHeader
      title={title}
      description={description}
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
