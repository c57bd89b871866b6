"use server";

import { revalidatePath } from "next/cache";
import { verifyCurrentPassword } from "@/lib/domain/auth/sign-in";
import { defaultDestDir } from "@/lib/domain/deploy/pull/install-script";
import { createPuller, revokePuller } from "@/lib/domain/certificates/pullers";
import { PULL_SCOPES, type PullScope } from "@/lib/domain/deploy/pull/pull-protocol";
import { requireActor } from "@/lib/web/actor";
import { formValues, toFormState, type FormState } from "@/lib/web/form-state";

export type AddPullerState = FormState & {
  /** The new puller with its token, in this one answer only: the database keeps its SHA-256. */
  created?: { name: string; token: string; scopeLabel: string; certificateName: string; destDir: string; reloadCommand: string; at: number };
};

/**
 * Adds a puller. A token that can fetch the private key is as good as a key download, so that
 * scope asks for the user's password again, like "Download private key" does.
 */
export async function addPullerAction(_previous: AddPullerState, formData: FormData): Promise<AddPullerState> {
  const actor = await requireActor();
  const values = formValues(formData);
  delete values.password;
  const certificateId = values.certificateId ?? "";
  const scope = (values.scope ?? "") as PullScope;
  if (scope === "certificate-and-key" && actor.kind === "user") {
    const password = String(formData.get("password") ?? "");
    if (!password) return { fieldErrors: { password: ["Enter your password: this puller may fetch the private key"] }, values };
    if (!(await verifyCurrentPassword(actor.userId, password, actor.address))) {
      return { fieldErrors: { password: ["That is not your password (or there were too many attempts: wait a few minutes)."] }, values };
    }
  }
  let created;
  try {
    created = await createPuller(actor, { certificateId, name: values.name ?? "", scope, reloadHint: values.reloadHint ?? "" });
  } catch (error) {
    return toFormState(error, values);
  }
  revalidatePath(`/certificates/${certificateId}`);
  return {
    created: {
      name: created.name,
      token: created.token,
      scopeLabel: PULL_SCOPES[created.scope].label,
      certificateName: created.certificate.name,
      destDir: defaultDestDir(created.certificate.name),
      reloadCommand: created.reloadHint ?? "",
      at: Date.now(),
    },
  };
}

/** Revokes a puller: its token gets 401 from the next request on. */
export async function revokePullerAction(_previous: FormState, formData: FormData): Promise<FormState> {
  const actor = await requireActor();
  const values = formValues(formData);
  let certificateId: string | null;
  try {
    ({ certificateId } = await revokePuller(actor, { id: values.pullerId ?? "" }));
  } catch (error) {
    return { formError: toFormState(error, values).formError ?? "That puller does not exist." };
  }
  if (certificateId) revalidatePath(`/certificates/${certificateId}`);
  return {};
}
