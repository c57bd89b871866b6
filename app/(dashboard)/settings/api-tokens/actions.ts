"use server";

import { revalidatePath } from "next/cache";
import { SETTINGS_SECTIONS } from "@/components/settings-sections";
import { createApiToken, revokeApiToken } from "@/lib/domain/api-tokens/api-tokens";
import type { ApiTokenScope } from "@/lib/domain/api-tokens/api-token";
import { updateMetricsAccess } from "@/lib/domain/settings/update-settings";
import { formAction, idFrom, listRowAction } from "@/lib/web/form-action";
import { toFormState, type FormState, type SavedFormState } from "@/lib/web/form-state";
import { saveSettings } from "../save-settings";

const PAGE = SETTINGS_SECTIONS.apiTokens.href;

export type CreateTokenState = FormState & {
  /** The new token, in this one answer only: the database keeps its SHA-256. */
  created?: { name: string; token: string; scope: string };
};

export const createApiTokenAction = formAction(
  createApiToken,
  (values) => ({ name: values.name ?? "", scope: (values.scope ?? "") as ApiTokenScope }),
  (created): CreateTokenState => {
    revalidatePath(PAGE);
    return { created: { name: created.name, token: created.token, scope: created.scope } };
  },
  (error, values) => toFormState(error, { name: values.name ?? "", scope: values.scope ?? "" }),
);

/** Revokes a token; the list is fresh either way. */
export const revokeApiTokenAction = listRowAction(revokeApiToken, idFrom("tokenId"), PAGE, "That token does not exist.");

/** Who may read /metrics without a token. */
export async function saveMetricsAccessAction(_previous: SavedFormState, formData: FormData): Promise<SavedFormState> {
  return saveSettings(formData, updateMetricsAccess, "metricsAccess", PAGE);
}
