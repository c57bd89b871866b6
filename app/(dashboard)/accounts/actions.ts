"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { createAccount } from "@/lib/accounts/create-account";
import { fetchDirectory } from "@/lib/acme/directory";
import { requireUser } from "@/lib/auth/session";
import { userMessageOf } from "@/lib/errors";
import { directoryLookupSchema } from "@/lib/validation/account.validation";
import type { FormState } from "@/lib/validation/form-result";

export interface DirectoryInfo {
  termsOfService?: string;
  website?: string;
  caaIdentities: string[];
  externalAccountRequired: boolean;
}

/**
 * Reads the directory's metadata (terms of service link, EAB requirement) so the form can show
 * the terms before the user agrees. One bounded GET; the registration itself runs as a job.
 */
export async function lookUpDirectoryAction(input: {
  directoryUrl: string;
  caBundlePem?: string;
}): Promise<{ ok: true; info: DirectoryInfo } | { ok: false; error: string }> {
  await requireUser();
  const parsed = directoryLookupSchema.safeParse(input);
  if (!parsed.success) return { ok: false, error: z.flattenError(parsed.error).fieldErrors.directoryUrl?.[0] ?? "Check the URL and the CA bundle." };
  try {
    const directory = await fetchDirectory(parsed.data.directoryUrl, parsed.data.caBundlePem);
    return {
      ok: true,
      info: {
        termsOfService: directory.meta?.termsOfService,
        website: directory.meta?.website,
        caaIdentities: directory.meta?.caaIdentities ?? [],
        externalAccountRequired: Boolean(directory.meta?.externalAccountRequired),
      },
    };
  } catch (error) {
    return { ok: false, error: userMessageOf(error) };
  }
}

export async function createAccountAction(_previous: FormState, formData: FormData): Promise<FormState & { createdAt?: number }> {
  await requireUser();
  const values = Object.fromEntries(
    [...formData].filter(([key]) => !key.startsWith("$") && key !== "eabHmacKey").map(([key, value]) => [key, String(value)]),
  );
  const result = await createAccount(Object.fromEntries([...formData].map(([key, value]) => [key, String(value)])));
  if (!result.ok) return { ...result, values };
  revalidatePath("/accounts");
  return { createdAt: Date.now() };
}
