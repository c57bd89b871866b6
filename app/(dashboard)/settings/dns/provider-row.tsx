"use client";

import { useActionState } from "react";
import { CircleCheck, CircleX, Pencil } from "lucide-react";
import { DeleteDialog } from "@/components/delete-dialog";
import { SETTINGS_SECTIONS } from "@/components/settings-sections";
import { TestButton } from "@/components/test-button";
import { ButtonLink } from "@/components/ui/button";
import { deleteDnsProviderAction, testDnsProviderAction, type TestDnsProviderState } from "./actions";

export interface DnsProviderRowProps {
  id: string;
  name: string;
  type: string;
  typeLabel: string;
  summary: string;
  credentialHint: string | null;
  propagationTimeoutSeconds: number;
  usedBy: number;
  isJustSaved: boolean;
}

/** One DNS provider in the list, with Test, Edit and Delete, and the last test's steps below it. */
export function DnsProviderRow({ id, name, type, typeLabel, summary, credentialHint, propagationTimeoutSeconds, usedBy, isJustSaved }: DnsProviderRowProps) {
  const [test, testAction] = useActionState<TestDnsProviderState, FormData>(testDnsProviderAction, {});
  return (
    <li className="px-4 py-3">
      <div className="flex flex-wrap items-start justify-between gap-x-4 gap-y-2">
        <div className="min-w-0 flex-1 basis-64">
          <p className="flex flex-wrap items-baseline gap-x-2 text-sm">
            <span className="font-medium">{name}</span>
            <span className="text-xs text-zinc-500 dark:text-zinc-400">{typeLabel}</span>
            {isJustSaved && (
              <span role="status" className="text-xs text-emerald-700 dark:text-emerald-400">
                {type === "manual" ? "Saved." : "Saved. Test it to check the settings."}
              </span>
            )}
          </p>
          <p className="mt-0.5 break-all font-mono text-xs text-zinc-600 dark:text-zinc-300">{summary}</p>
          <p className="mt-0.5 text-xs text-zinc-500 dark:text-zinc-400">
            {credentialHint && <>secret {credentialHint} · </>}
            propagation timeout {propagationTimeoutSeconds} s ·{" "}
            {usedBy === 0 ? "no certificate uses it" : usedBy === 1 ? "used by 1 certificate" : `used by ${usedBy} certificates`}
          </p>
        </div>
        <div className="flex shrink-0 items-center gap-1.5">
          <TestButton action={testAction} idField="providerId" id={id} name={name} />
          <ButtonLink href={`${SETTINGS_SECTIONS.dns.href}/${id}`} variant="secondary" size="sm" icon={Pencil}>
            <span className="sr-only">Edit {name}</span>
            <span aria-hidden>Edit</span>
          </ButtonLink>
          <DeleteDialog name={name} confirmLabel="Delete provider" action={deleteDnsProviderAction} fields={{ providerId: id }}>
            {usedBy > 0
              ? `${usedBy === 1 ? "A certificate uses" : `${usedBy} certificates use`} it, so it cannot be deleted: give ${usedBy === 1 ? "it" : "them"} another challenge method or DNS provider first.`
              : "CertDeck forgets its settings and secret. No certificate uses it."}
          </DeleteDialog>
        </div>
      </div>
      {test.result && (
        <div key={test.testedAt} role={test.result.ok ? "status" : "alert"} className="mt-2 text-sm">
          <p className={test.result.ok ? "text-emerald-700 dark:text-emerald-400" : "text-red-600 dark:text-red-400"}>
            {test.result.ok ? "" : "Test failed. "}
            {test.result.message}
          </p>
          {test.result.steps.length > 0 && (
            <ul className="mt-1 space-y-0.5">
              {test.result.steps.map((step, index) => (
                <li key={index} className="flex items-start gap-1.5 text-xs text-zinc-700 dark:text-zinc-300">
                  {step.ok ? (
                    <CircleCheck aria-label="passed" className="mt-px h-3.5 w-3.5 shrink-0 text-emerald-600 dark:text-emerald-400" />
                  ) : (
                    <CircleX aria-label="failed" className="mt-px h-3.5 w-3.5 shrink-0 text-red-600 dark:text-red-400" />
                  )}
                  {step.message}
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
    </li>
  );
}
