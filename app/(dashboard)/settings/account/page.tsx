import type { Metadata } from "next";
import { LogOut } from "lucide-react";
import { SettingsPageHeader } from "@/components/settings-page-header";
import { SETTINGS_SECTIONS } from "@/components/settings-sections";
import { SubmitButton } from "@/components/submit-button";
import { Card, CardHeader } from "@/components/ui/card";
import { requireUser } from "@/lib/web/session";
import { signOutEverywhereAction } from "./actions";
import { ChangePasswordForm } from "./change-password-form";

export const metadata: Metadata = { title: SETTINGS_SECTIONS.account.title };

export default async function AccountSettingsPage() {
  const user = await requireUser();
  return (
    <>
      <SettingsPageHeader section="account" lead={`Signed in as ${user.username}.`} />
      <div className="grid items-start gap-5 lg:grid-cols-2">
        <Card>
          <CardHeader title="Change password" description="Every other browser signed in as you is signed out; this one stays signed in." />
          <div className="p-4">
            <ChangePasswordForm />
          </div>
        </Card>
        <Card>
          <CardHeader title="Sign out everywhere" description="Ends every session of this account, in every browser, this one included." />
          <form action={signOutEverywhereAction} className="p-4">
            <SubmitButton variant="danger" pendingLabel="Signing out…" icon={LogOut}>
              Sign out everywhere
            </SubmitButton>
          </form>
        </Card>
      </div>
    </>
  );
}
