import Link from "next/link";
import { Check } from "lucide-react";
import { ButtonLink } from "@/components/ui/button";

interface AccountSummary {
  id: string;
  label: string;
  status: string;
}

type StepState = "done" | "current" | "later";

/**
 * The overview without any certificate: the way from a fresh install to the first issued
 * certificate, with the step that comes next as the one call to action.
 */
export function GettingStarted({ accounts }: { accounts: AccountSummary[] }) {
  const registered = accounts.find((account) => account.status === "valid");
  const registering = accounts.find((account) => account.status === "pending");
  const failed = accounts.find((account) => account.status === "failed");
  const accountStep: StepState = registered ? "done" : "current";
  const certificateStep: StepState = registered ? "current" : "later";

  return (
    <div className="px-4 py-8 sm:px-8">
      <p className="text-sm font-semibold">No certificates yet</p>
      <p className="mt-1 text-sm text-zinc-600 dark:text-zinc-400">Two steps to the first one; CertDeck renews it from then on.</p>
      <ol className="mt-5 space-y-4">
        <Step number={1} state="done" title="Create the administrator">
          You are signed in.
        </Step>
        <Step number={2} state={accountStep} title="Register an ACME account">
          {registered ? (
            <>
              <span className="font-medium text-zinc-700 dark:text-zinc-300">{registered.label}</span> is registered.
            </>
          ) : registering ? (
            <>
              Registering <span className="font-medium text-zinc-700 dark:text-zinc-300">{registering.label}</span> with the CA… this page updates by itself.
            </>
          ) : failed ? (
            <>
              The registration of <span className="font-medium text-zinc-700 dark:text-zinc-300">{failed.label}</span> failed:{" "}
              <Link href="/accounts" className="text-blue-700 underline dark:text-blue-400">
                see why and register again
              </Link>
              .
            </>
          ) : (
            <>The account certificates are ordered with: Let&apos;s Encrypt, another public CA, or your own (step-ca, Pebble…).</>
          )}
          {!registered && !registering && !failed && (
            <div className="mt-2">
              <ButtonLink href="/accounts">Register an ACME account</ButtonLink>
            </div>
          )}
        </Step>
        <Step number={3} state={certificateStep} title="Add a certificate">
          The names of a site. CertDeck checks them, orders the certificate and shows each step as it happens.
          {registered && (
            <div className="mt-2">
              <ButtonLink href="/certificates/new">Add certificate</ButtonLink>
            </div>
          )}
        </Step>
      </ol>
      <p className="mt-6 text-sm text-zinc-500 dark:text-zinc-400">
        A certificate issued elsewhere?{" "}
        <Link href="/certificates/upload" className="text-blue-700 underline dark:text-blue-400">
          Upload it
        </Link>{" "}
        to deploy it and be warned before it expires.
      </p>
    </div>
  );
}

function Step({ number, state, title, children }: { number: number; state: StepState; title: string; children: React.ReactNode }) {
  const marker =
    state === "done"
      ? "bg-emerald-600 text-white dark:bg-emerald-500"
      : state === "current"
        ? "bg-blue-600 text-white dark:bg-blue-500"
        : "bg-zinc-200 text-zinc-600 dark:bg-zinc-800 dark:text-zinc-400";
  return (
    <li className="flex gap-3" aria-current={state === "current" ? "step" : undefined}>
      <span aria-hidden className={`mt-0.5 flex h-6 w-6 shrink-0 items-center justify-center rounded-full text-xs font-semibold ${marker}`}>
        {state === "done" ? <Check className="h-3.5 w-3.5" /> : number}
      </span>
      <div className="min-w-0 text-sm">
        <p className={`font-medium ${state === "later" ? "text-zinc-500 dark:text-zinc-400" : ""}`}>
          {title}
          {state === "done" && <span className="sr-only"> (done)</span>}
        </p>
        <div className="mt-0.5 text-zinc-500 dark:text-zinc-400">{children}</div>
      </div>
    </li>
  );
}
