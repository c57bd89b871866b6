import { ArrowLeft } from "lucide-react";
import { ButtonLink } from "@/components/ui/button";

/** The way back from a settings sub-page to Settings. */
export function SettingsBackLink() {
  return (
    <ButtonLink href="/settings" variant="secondary">
      <ArrowLeft aria-hidden className="h-4 w-4" />
      Settings
    </ButtonLink>
  );
}
