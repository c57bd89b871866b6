"use client";

import { SaveForm } from "@/components/save-form";
import { NumberField } from "@/components/ui/form-field";
import { RATE_LIMIT_NAMES, RATE_LIMITS, type RateLimits } from "@/lib/domain/accounts/rate-limits";
import { saveRateLimitsAction } from "./actions";

/** The rate-limit guard's limits for one account, one field each (RATE_LIMITS). */
export function RateLimitForm({ accountId, limits }: { accountId: string; limits: RateLimits }) {
  return (
    <SaveForm action={saveRateLimitsAction} saveLabel="Save limits" className="space-y-3">
      {(form) => (
        <>
          <input type="hidden" name="accountId" value={accountId} />
          <div className="grid gap-3 sm:grid-cols-2">
            {RATE_LIMIT_NAMES.map((name) => (
              <NumberField key={name} id={`${name}-${accountId}`} name={name} label={RATE_LIMITS[name].label} form={form} defaultValue={limits[name]} />
            ))}
          </div>
        </>
      )}
    </SaveForm>
  );
}
