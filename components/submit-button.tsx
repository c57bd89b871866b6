import type { ComponentProps } from "react";
import type { LucideIcon } from "lucide-react";
import { PendingSubmitButton } from "@/components/pending-submit-button";
import { ButtonIcon } from "@/components/ui/button";

/**
 * A form's submit button that shows it is working and cannot be pressed twice; `icon` goes before
 * the label, sized to the button, as on every Button. Not a client component itself, so that server
 * components may pass it an icon: it draws the icon and hands it to its client half.
 */
export function SubmitButton({ icon, size = "md", ...props }: Omit<ComponentProps<typeof PendingSubmitButton>, "icon"> & { icon?: LucideIcon }) {
  return <PendingSubmitButton icon={icon && <ButtonIcon icon={icon} size={size} />} size={size} {...props} />;
}
