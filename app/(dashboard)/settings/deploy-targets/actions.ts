"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { createDeployTarget, deleteDeployTarget, updateDeployTarget } from "@/lib/domain/deploy/targets/manage-targets";
import { acceptSshHostKey } from "@/lib/domain/deploy/targets/ssh-host";
import { testDeployTarget, type DeployTargetTestResult } from "@/lib/domain/deploy/targets/test-target";
import { requireActor } from "@/lib/web/actor";
import { echoableValues, toDeployTargetInput, toUpdateDeployTargetInput } from "@/lib/web/deploy-target-form-input";
import { formValues, toFormState, type FormState } from "@/lib/web/form-state";

const LIST = "/settings/deploy-targets";

/** Adds a deploy target, or saves one (an SSH key left as "keep" stays as stored). */
export async function saveDeployTargetAction(_previous: FormState, formData: FormData): Promise<FormState> {
  const actor = await requireActor();
  const values = formValues(formData);
  const id = values.targetId;
  let savedId: string;
  try {
    const saved = id ? await updateDeployTarget(actor, toUpdateDeployTargetInput(id, values)) : await createDeployTarget(actor, toDeployTargetInput(values));
    savedId = saved.id;
  } catch (error) {
    return toFormState(error, echoableValues(values));
  }
  revalidatePath(LIST);
  redirect(`${LIST}/${savedId}?saved=1`);
}

export async function deleteDeployTargetAction(_previous: FormState, formData: FormData): Promise<FormState> {
  const actor = await requireActor();
  try {
    await deleteDeployTarget(actor, { id: String(formData.get("targetId") ?? "") });
  } catch (error) {
    return toFormState(error);
  }
  revalidatePath(LIST);
  redirect(LIST);
}

export interface TestDeployTargetState {
  result?: DeployTargetTestResult;
  testedAt?: number;
}

/** "Test": SSH logs in (pinning the host key on first use), nginx runs its test command. */
export async function testDeployTargetAction(_previous: TestDeployTargetState, formData: FormData): Promise<TestDeployTargetState> {
  const actor = await requireActor();
  try {
    const result = await testDeployTarget(actor, { id: String(formData.get("targetId") ?? "") });
    revalidatePath(LIST);
    revalidatePath(`${LIST}/${String(formData.get("targetId"))}`);
    return { result, testedAt: Date.now() };
  } catch (error) {
    return { result: { ok: false, message: toFormState(error).formError ?? "The target could not be tested." }, testedAt: Date.now() };
  }
}

/** Pins the host key the operator checked, after the host is asked again. */
export async function acceptHostKeyAction(_previous: FormState, formData: FormData): Promise<FormState> {
  const actor = await requireActor();
  const values = formValues(formData);
  try {
    const { hostKey } = await acceptSshHostKey(actor, { id: values.targetId ?? "", fingerprint: values.fingerprint ?? "" });
    revalidatePath(LIST);
    revalidatePath(`${LIST}/${values.targetId}`);
    return { success: `Pinned ${hostKey.fingerprint}. Deploys to this host go through again.` };
  } catch (error) {
    return toFormState(error, values);
  }
}
