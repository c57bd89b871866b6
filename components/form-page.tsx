import type { ReactNode } from "react";
import { PageHeader } from "@/components/page-header";
import { Card } from "@/components/ui/card";

/**
 * A page that is one form (add a certificate, a DNS provider or a deploy target; import; upload):
 * the page's header, then one card holding `intro` (what the form does, in a paragraph or two)
 * and the form. `cardClassName` sets the card's width and padding.
 */
export function FormPage({
  title,
  description,
  cardClassName = "max-w-2xl p-5",
  intro,
  children,
}: {
  title: ReactNode;
  description: ReactNode;
  cardClassName?: string;
  intro?: ReactNode;
  children: ReactNode;
}) {
  return (
    <>
      <PageHeader title={title} description={description} />
      <Card className={cardClassName}>
        {intro && <div className="mb-5 space-y-2 text-sm text-zinc-700 dark:text-zinc-300">{intro}</div>}
        {children}
      </Card>
    </>
  );
}
