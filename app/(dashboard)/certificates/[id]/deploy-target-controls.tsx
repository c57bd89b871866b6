"use client";

import { useActionState, useState } from "react";
import { Send } from "lucide-react";
import { FormError } from "@/components/form-error";
import { SubmitButton } from "@/components/submit-button";
import { FieldErrors } from "@/components/ui/form-field";
import type { FormState } from "@/lib/web/form-state";
import { chooseDeployTargetsAction, deployToTargetAction } from "./deploy-targets-actions";

/** "Deploy now" for one target; a refusal (another job is working on the certificate) shows beside it. */
export function DeployToTargetButton({
  certificateId,
  targetId,
  name,
  disabled,
}: {
  certificateId: string;
  targetId: string;
  name: string;
  disabled: boolean;
}) {
  const [state, action] = useActionState<FormState, FormData>(deployToTargetAction, {});
  return (
    <div className="flex min-w-0 flex-col items-end gap-1">
      <form action={action}>
        <input type="hidden" name="certificateId" value={certificateId} />
        <input type="hidden" name="targetId" value={targetId} />
        <SubmitButton variant="secondary" size="sm" pendingLabel="Queuing…" disabled={disabled} aria-label={`Deploy now to ${name}`} icon={Send}>
          Deploy now
        </SubmitButton>
      </form>
      <FormError message={state.formError} />
    </div>
  );
}

export interface TargetChoice {
  id: string;
  name: string;
  typeLabel: string;
  isDefault: boolean;
  isChosen: boolean;
}

/** Which targets this certificate deploys to: the default ones, or its own choice. */
export function ChooseTargetsForm({ certificateId, usesDefaults, targets }: { certificateId: string; usesDefaults: boolean; targets: TargetChoice[] }) {
  const [state, action] = useActionState<FormState & { savedAt?: number }, FormData>(chooseDeployTargetsAction, {});
  const [choice, setChoice] = useState(usesDefaults ? "defaults" : "chosen");
  const defaults = targets.filter((target) => target.isDefault).map((target) => target.name);
  return (
    <form action={action} className="space-y-3">
      <input type="hidden" name="certificateId" value={certificateId} />
      <fieldset className="min-w-0 space-y-2 text-sm">
        <legend className="sr-only">Targets for this certificate</legend>
        <label className="flex items-start gap-2">
          <input type="radio" name="choice" value="defaults" checked={choice === "defaults"} onChange={() => setChoice("defaults")} className="mt-0.5" />
          <span>
            Use the default targets
            <span className="block text-xs text-zinc-500 dark:text-zinc-400">{defaults.length === 0 ? "none at the moment" : defaults.join(", ")}</span>
          </span>
        </label>
        <label className="flex items-start gap-2">
          <input type="radio" name="choice" value="chosen" checked={choice === "chosen"} onChange={() => setChoice("chosen")} className="mt-0.5" />
          <span>Choose targets for this certificate</span>
        </label>
        <ul className="space-y-1 pl-6" aria-label="Targets">
          {targets.map((target) => (
            <li key={target.id}>
              <label className="flex items-start gap-2">
                <input type="checkbox" name="targetIds" value={target.id} defaultChecked={target.isChosen} disabled={choice !== "chosen"} className="mt-0.5" />
                <span className="min-w-0 break-words">
                  {target.name} <span className="text-xs text-zinc-500 dark:text-zinc-400">{target.typeLabel}</span>
                </span>
              </label>
            </li>
          ))}
        </ul>
        <FieldErrors id="targetIds-error" errors={state.fieldErrors?.targetIds} />
      </fieldset>
      <FormError message={state.formError} />
      {state.success && (
        <p key={state.savedAt} role="status" className="text-sm text-emerald-700 dark:text-emerald-400">
          {state.success}
        </p>
      )}
      <SubmitButton variant="secondary" size="sm" pendingLabel="Saving…">
        Save targets
      </SubmitButton>
    </form>
  );
}
