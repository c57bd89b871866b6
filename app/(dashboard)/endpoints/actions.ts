"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { AppError } from "@/lib/core/app-error";
import { addEndpoint, checkEndpoint, editEndpoint, removeEndpoint } from "@/lib/domain/endpoints/endpoints";
import { requireActor } from "@/lib/web/actor";
import { formValues, toFormState, type FormState } from "@/lib/web/form-state";

/** The form's strings → the command's input (empty optional fields mean "none"; the command judges the rest). */
function toEndpointInput(values: Record<string, string>) {
  return {
    address: values.address ?? "",
    serverName: values.serverName ?? "",
    caBundlePem: values.caBundlePem ?? "",
    label: values.label ?? "",
    certificateId: values.certificateId ?? "",
  };
}

function revalidateEndpointPages(endpointId?: string, certificateId?: string) {
  revalidatePath("/");
  revalidatePath("/endpoints");
  if (endpointId) revalidatePath(`/endpoints/${endpointId}`);
  if (certificateId) revalidatePath(`/certificates/${certificateId}`);
}

/** Add (no endpointId) or change an endpoint; either probes at once, then shows the endpoint's page. */
export async function saveEndpointAction(_previous: FormState, formData: FormData): Promise<FormState> {
  const actor = await requireActor();
  const values = formValues(formData);
  const endpointId = values.endpointId;
  let id: string;
  try {
    const input = toEndpointInput(values);
    ({ id } = endpointId ? await editEndpoint(actor, { id: endpointId, ...input }) : await addEndpoint(actor, input));
  } catch (error) {
    return toFormState(error, values);
  }
  revalidateEndpointPages(id, values.certificateId || undefined);
  redirect(`/endpoints/${id}`);
}

/** "Check now": probes inside the request (bounded to about 10 s) and shows the result where the button was. */
export async function checkEndpointAction(formData: FormData): Promise<void> {
  const actor = await requireActor();
  const id = String(formData.get("endpointId") ?? "");
  try {
    await checkEndpoint(actor, { id });
  } catch (error) {
    // A removed endpoint: the page shows what is left.
    if (!(error instanceof AppError)) throw error;
  }
  revalidateEndpointPages(id, String(formData.get("certificateId") ?? "") || undefined);
}

export async function removeEndpointAction(_previous: FormState, formData: FormData): Promise<FormState> {
  const actor = await requireActor();
  try {
    await removeEndpoint(actor, { id: String(formData.get("endpointId") ?? "") });
  } catch (error) {
    return toFormState(error);
  }
  revalidateEndpointPages();
  redirect("/endpoints");
}
