"use server";

import { revalidatePath } from "next/cache";
import { createApiToken, revokeApiToken } from "@/lib/domain/api-tokens/api-tokens";
import type { ApiTokenScope } from "@/lib/domain/api-tokens/api-token";
import { updateMetricsAccess } from "@/lib/domain/settings/update-settings";
import { requireActor } from "@/lib/web/actor";
import { toFormState, type FormState, type SavedFormState } from "@/lib/web/form-state";
import { saveSettings } from "../save-settings";

const PAGE = "/settings/api-tokens";

export type CreateTokenState = FormState & {
  /** The new token, in this one answer only: the database keeps its SHA-256. */
  created?: { name: string; token: string; scope: string };
};

export async function createApiTokenAction(_previous: CreateTokenState, formData: FormData): Promise<CreateTokenState> {
  const actor = await requireActor();
  const values = { name: String(formData.get("name") ?? ""), scope: String(formData.get("scope") ?? "") };
  let created;
  try {
    created = await createApiToken(actor, { name: values.name, scope: values.scope as ApiTokenScope });
  } catch (error) {
    return toFormState(error, values);
  }
  revalidatePath(PAGE);
  return { created: { name: created.name, token: created.token, scope: created.scope } };
}

export async function revokeApiTokenAction(_previous: FormState, formData: FormData): Promise<FormState> {
  const actor = await requireActor();
  try {
    await revokeApiToken(actor, { id: String(formData.get("tokenId") ?? "") });
  } catch (error) {
    const state = toFormState(error);
    // A malformed id is a token that does not exist.
    return { formError: state.fieldErrors?.id ? "That token does not exist." : state.formError };
  } finally {
    revalidatePath(PAGE);
  }
  return {};
}

/** Who may read /metrics without a token. */
export async function saveMetricsAccessAction(_previous: SavedFormState, formData: FormData): Promise<SavedFormState> {
  return saveSettings(formData, updateMetricsAccess, "metricsAccess", PAGE);
}
