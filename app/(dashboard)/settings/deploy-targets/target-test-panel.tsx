"use client";

import { useActionState } from "react";
import { ShieldAlert } from "lucide-react";
import { FormError } from "@/components/form-error";
import { SubmitButton } from "@/components/submit-button";
import { TestButton } from "@/components/test-button";
import type { FormState } from "@/lib/web/form-state";
import { acceptHostKeyAction, testDeployTargetAction, type TestDeployTargetState } from "./actions";

/**
 * "Test" for one target and what it found: SSH logs in and shows the host key (pinned on the
 * first connection); a changed host key shows both fingerprints and a form to accept the new one
 * once it was checked on the host. nginx runs its test command and shows nginx's words.
 */
export function TargetTestPanel({ targetId, name }: { targetId: string; name: string }) {
  const [test, testAction] = useActionState<TestDeployTargetState, FormData>(testDeployTargetAction, {});
  const result = test.result;
  return (
    <div className="min-w-0 space-y-2">
      <TestButton action={testAction} idField="targetId" id={targetId} name={name} />
      {result && (
        <div key={test.testedAt} role={result.ok ? "status" : "alert"} className="space-y-1.5 text-sm">
          <p className={`[overflow-wrap:anywhere] ${result.ok ? "text-emerald-700 dark:text-emerald-400" : "text-red-600 dark:text-red-400"}`}>
            {result.ok ? "" : "Test failed. "}
            {result.message}
          </p>
          {result.output && (
            <pre className="max-h-48 overflow-auto whitespace-pre-wrap break-all rounded bg-zinc-100 p-2 font-mono text-xs dark:bg-zinc-950">
              {result.output}
            </pre>
          )}
          {result.changedHostKey && (
            <AcceptHostKey
              targetId={targetId}
              seen={result.changedHostKey.seen}
              seenDescription={result.changedHostKey.seenDescription}
              pinned={result.changedHostKey.pinned}
            />
          )}
        </div>
      )}
    </div>
  );
}

function AcceptHostKey({ targetId, seen, seenDescription, pinned }: { targetId: string; seen: string; seenDescription: string; pinned: string }) {
  const [state, action] = useActionState<FormState, FormData>(acceptHostKeyAction, {});
  if (state.success) {
    return (
      <p role="status" className="text-sm text-emerald-700 dark:text-emerald-400">
        {state.success}
      </p>
    );
  }
  return (
    <div className="rounded-md border border-amber-300 bg-amber-50 p-3 text-xs text-amber-900 dark:border-amber-500/40 dark:bg-amber-500/10 dark:text-amber-200">
      <p className="flex items-center gap-1.5 font-medium">
        <ShieldAlert aria-hidden className="h-3.5 w-3.5 shrink-0" />
        The host key changed
      </p>
      <dl className="mt-1.5 grid grid-cols-1 gap-x-3 gap-y-0.5 sm:grid-cols-[6rem_1fr]">
        <dt>Pinned</dt>
        <dd className="break-all font-mono" data-testid="pinned-host-key">
          {pinned}
        </dd>
        <dt>Now shown</dt>
        <dd className="break-all font-mono" data-testid="seen-host-key">
          {seenDescription}
        </dd>
      </dl>
      <p className="mt-1.5">
        Accept it only after checking it on the host itself: <code className="break-all">ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub</code> (or the key of
        the type shown).
      </p>
      <form action={action} className="mt-2 flex flex-wrap items-center gap-2">
        <input type="hidden" name="targetId" value={targetId} />
        <input type="hidden" name="fingerprint" value={seen} />
        <SubmitButton variant="secondary" size="sm" pendingLabel="Checking…">
          Accept the new host key
        </SubmitButton>
      </form>
      <div className="mt-1">
        <FormError message={state.formError ?? state.fieldErrors?.fingerprint?.[0]} />
      </div>
    </div>
  );
}
