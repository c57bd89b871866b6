"use server";

import { revalidatePath } from "next/cache";
import { recordAuditEvent } from "@/lib/domain/audit/record-audit-event";
import { requestAddress } from "@/lib/web/actor";
import { requireUser } from "@/lib/web/session";
import { CHALLENGE_SETTING_FIELDS, updateChallengeSettings } from "@/lib/domain/certificates/challenge-settings";
import { certificateIdSchema } from "@/lib/domain/certificates/certificate.validation";
import type { FormState } from "@/lib/web/form-state";

/** Saves a certificate's challenge method, webroots, DNS provider, profile and keep-key choice. */
export async function saveChallengeSettingsAction(_previous: FormState & { savedAt?: number }, formData: FormData): Promise<FormState & { savedAt?: number }> {
  const user = await requireUser();
  const values = Object.fromEntries(
    CHALLENGE_SETTING_FIELDS.filter((field) => formData.has(field)).map((field) => [field, String(formData.get(field))]),
  );
  const id = certificateIdSchema.safeParse(formData.get("certificateId"));
  if (!id.success) return { formError: "That certificate does not exist.", values };
  const result = await updateChallengeSettings(id.data, values);
  if (!result.ok) return { fieldErrors: result.fieldErrors, formError: result.formError, values };
  if (result.changed.length > 0) {
    await recordAuditEvent({ actor: user.username, action: "certificate.challenge-settings", target: result.name, detail: { changed: result.changed }, ip: await requestAddress() });
  }
  revalidatePath(`/certificates/${id.data}`);
  return { savedAt: Date.now(), values };
}
