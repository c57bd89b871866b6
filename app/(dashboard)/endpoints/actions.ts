"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { addEndpoint, checkEndpoint, editEndpoint, removeEndpoint } from "@/lib/domain/endpoints/endpoints";
import type { Actor } from "@/lib/domain/command/actor";
import { buttonAction, formAction, idFrom, type FormValues } from "@/lib/web/form-action";
import { toFormState } from "@/lib/web/form-state";

/** The form's strings → the command's input (empty optional fields mean "none"; the command judges the rest); an endpointId means "change". */
function toEndpointInput(values: FormValues) {
  return {
    id: values.endpointId || undefined,
    address: values.address ?? "",
    serverName: values.serverName ?? "",
    caBundlePem: values.caBundlePem ?? "",
    label: values.label ?? "",
    certificateId: values.certificateId ?? "",
  };
}

/** Adds an endpoint, or changes the one the form came from. */
function addOrEditEndpoint(actor: Actor, { id, ...input }: ReturnType<typeof toEndpointInput>) {
  return id ? editEndpoint(actor, { id, ...input }) : addEndpoint(actor, input);
}

function revalidateEndpointPages(endpointId?: string, certificateId?: string) {
  revalidatePath("/");
  revalidatePath("/endpoints");
  if (endpointId) revalidatePath(`/endpoints/${endpointId}`);
  if (certificateId) revalidatePath(`/certificates/${certificateId}`);
}

/** Add (no endpointId) or change an endpoint; either probes at once, then shows the endpoint's page. */
export const saveEndpointAction = formAction(
  addOrEditEndpoint,
  toEndpointInput,
  ({ id }, values) => {
    revalidateEndpointPages(id, values.certificateId || undefined);
    redirect(`/endpoints/${id}`);
  },
  toFormState,
);

/** "Check now": probes inside the request (bounded to about 10 s) and shows the result where the button was; a removed endpoint leaves the page showing what is left. */
export const checkEndpointAction = buttonAction(checkEndpoint, idFrom("endpointId"), (values) =>
  revalidateEndpointPages(values.endpointId, values.certificateId || undefined),
);

export const removeEndpointAction = formAction(
  removeEndpoint,
  idFrom("endpointId"),
  () => {
    revalidateEndpointPages();
    redirect("/endpoints");
  },
  toFormState,
);
