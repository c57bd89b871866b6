"use server";

import { revalidatePath } from "next/cache";
import { updateChallengeSettings } from "@/lib/domain/certificates/challenge-settings";
import { updateRenewalSettings } from "@/lib/domain/certificates/renewal-settings";
import type { Actor } from "@/lib/domain/command/actor";
import { certificateIdOf, toChallengeSettingsInput, toRenewalSettingsInput } from "@/lib/web/certificate-form-input";
import { formAction, type FormValues } from "@/lib/web/form-action";
import { toFormState, type SavedFormState } from "@/lib/web/form-state";

/** A settings card of the certificate's page, saved in place: the page (and `alsoPages`) show what was saved. */
function certificateSettingsAction<Input>(
  command: (actor: Actor, input: Input) => Promise<unknown>,
  toInput: (id: string, values: FormValues) => Input,
  alsoPages: string[],
) {
  return formAction(
    command,
    (values) => toInput(certificateIdOf(values), values),
    (_, values): SavedFormState => {
      revalidatePath(`/certificates/${values.certificateId}`);
      for (const page of alsoPages) revalidatePath(page);
      return { savedAt: Date.now(), values };
    },
    toFormState,
  );
}

/** Saves a certificate's challenge method, webroots, DNS provider, profile and keep-key choice. */
export const saveChallengeSettingsAction = certificateSettingsAction(updateChallengeSettings, toChallengeSettingsInput, []);

/** Saves one certificate's renewal settings (when to renew, its maintenance window, its hooks); the overview shows the next renewal. */
export const saveRenewalSettingsAction = certificateSettingsAction(updateRenewalSettings, toRenewalSettingsInput, ["/"]);
