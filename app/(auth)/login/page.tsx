import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { ShieldCheck } from "lucide-react";
import { MAIN_CONTENT_ID } from "@/components/skip-link";
import { setupCodePath } from "@/lib/domain/auth/first-run";
import { getCurrentUser } from "@/lib/web/session";
import { hasAnyUser } from "@/lib/domain/auth/users";
import { dataDir } from "@/lib/core/env";
import { createFirstAdminAction, signInAction } from "./actions";
import { CredentialsForm } from "./credentials-form";

export const metadata: Metadata = { title: "Sign in" };

export default async function LoginPage() {
  if (await getCurrentUser()) redirect("/");
  const isFirstRun = !(await hasAnyUser());
  return (
    <main id={MAIN_CONTENT_ID} tabIndex={-1} className="focus-visible:outline-none flex min-h-screen items-center justify-center px-4">
      <div className="w-full max-w-sm space-y-6">
        <div className="flex items-center gap-2">
          <ShieldCheck aria-hidden className="h-7 w-7 text-blue-600 dark:text-blue-400" />
          <span className="text-xl font-semibold tracking-tight">CertDeck</span>
        </div>
        <div className="rounded-lg border border-zinc-200 bg-white p-6 shadow-xs dark:border-zinc-800 dark:bg-zinc-900">
          <h1 className="text-lg font-semibold">{isFirstRun ? "Welcome: create the administrator" : "Sign in"}</h1>
          <p className="mb-5 mt-1 text-sm text-zinc-600 dark:text-zinc-400">
            {isFirstRun
              ? "This is the first visit. Enter the setup code the server printed at start, then choose the user name and password that will manage this CertDeck."
              : "Certificates, accounts and private keys are behind this sign-in."}
          </p>
          <CredentialsForm
            action={isFirstRun ? createFirstAdminAction : signInAction}
            isFirstRun={isFirstRun}
            setupCodeFile={isFirstRun ? setupCodePath(dataDir()) : undefined}
          />
        </div>
      </div>
    </main>
  );
}
