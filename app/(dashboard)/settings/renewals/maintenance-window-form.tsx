"use client";

import { useActionState } from "react";
import { SaveBar } from "@/components/save-bar";
import { Field, Input } from "@/components/ui/form-field";
import type { FormState } from "@/lib/web/form-state";
import { saveMaintenanceWindowAction } from "./actions";

const EXAMPLES = ["Mon-Fri 01:00-03:00", "Mon,Thu 22:00-02:00", "daily 02:00-04:00", "0 3 * * 1 for 90m"];

export function MaintenanceWindowForm({ maintenanceWindow, timeZone }: { maintenanceWindow: string; timeZone: string }) {
  const [state, formAction] = useActionState<FormState & { savedAt?: number }, FormData>(saveMaintenanceWindowAction, {});
  const errors = state.fieldErrors ?? {};
  return (
    <form action={formAction} className="space-y-4" noValidate>
      <Field
        id="maintenanceWindow"
        label="Maintenance window"
        hint={
          <>
            Days and hours, or a cron expression that opens a one-hour window (<code>for 90m</code> sets another length). Times are
            server time ({timeZone}). Empty: any time. Examples:{" "}
            {EXAMPLES.map((example, index) => (
              <span key={example}>
                <code className="rounded bg-zinc-100 px-1 py-0.5 text-zinc-700 dark:bg-zinc-800 dark:text-zinc-300">{example}</code>
                {index < EXAMPLES.length - 1 ? " " : ""}
              </span>
            ))}
          </>
        }
        errors={errors.maintenanceWindow}
      >
        <Input
          id="maintenanceWindow"
          hasHint
          spellCheck={false}
          autoCapitalize="off"
          autoComplete="off"
          placeholder="any time"
          className="font-mono"
          defaultValue={state.values?.maintenanceWindow ?? maintenanceWindow}
          errors={errors.maintenanceWindow}
        />
      </Field>
      <SaveBar label="Save window" isSaved={Boolean(state.savedAt && !state.fieldErrors)} />
    </form>
  );
}
