"use client";

import { useActionState } from "react";
import { SaveBar } from "@/components/save-bar";
import { Field, Input } from "@/components/ui/form-field";
import type { FormState } from "@/lib/web/form-state";
import { saveMetricsAccessAction } from "./actions";

/** The addresses that may scrape /metrics without a token. */
export function MetricsAccessForm({ metricsAllowFrom }: { metricsAllowFrom: string }) {
  const [state, formAction] = useActionState<FormState & { savedAt?: number }, FormData>(saveMetricsAccessAction, {});
  const errors = state.fieldErrors ?? {};
  return (
    <form action={formAction} className="space-y-4" noValidate>
      <Field
        id="metricsAllowFrom"
        label="Addresses allowed without a token"
        hint="IP addresses and CIDR ranges, separated by commas (127.0.0.1, 10.0.0.0/8, ::1). Empty: every scrape needs a token. The address is the one your reverse proxy reports in X-Forwarded-For; without a proxy in front, clients could claim any address, so use a token."
        errors={errors.metricsAllowFrom}
      >
        <Input
          id="metricsAllowFrom"
          hasHint
          spellCheck={false}
          autoCapitalize="off"
          autoComplete="off"
          placeholder="token only"
          className="font-mono"
          defaultValue={state.values?.metricsAllowFrom ?? metricsAllowFrom}
          errors={errors.metricsAllowFrom}
        />
      </Field>
      <SaveBar label="Save metrics access" isSaved={Boolean(state.savedAt && !state.fieldErrors)} />
    </form>
  );
}
