"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { SETTINGS_SECTIONS } from "@/components/settings-sections";
import type { Actor } from "@/lib/domain/command/actor";
import { createDeployTarget, deleteDeployTarget, updateDeployTarget } from "@/lib/domain/deploy/targets/manage-targets";
import { acceptSshHostKey } from "@/lib/domain/deploy/targets/ssh-host";
import { testDeployTarget, type DeployTargetTestResult } from "@/lib/domain/deploy/targets/test-target";
import { echoableValues, toDeployTargetInput, toUpdateDeployTargetInput } from "@/lib/web/deploy-target-form-input";
import { formAction, idFrom, type FormValues } from "@/lib/web/form-action";
import { tested, toFormState, type FormState, type TestState } from "@/lib/web/form-state";

const LIST = SETTINGS_SECTIONS.deployTargets.href;

/** Adds a deploy target, or changes the one the form came from. */
function createOrUpdateTarget(actor: Actor, values: FormValues) {
  const id = values.targetId;
  return id ? updateDeployTarget(actor, toUpdateDeployTargetInput(id, values)) : createDeployTarget(actor, toDeployTargetInput(values));
}

/** Adds a deploy target, or saves one (an SSH key left as "keep" stays as stored). */
export const saveDeployTargetAction = formAction(
  createOrUpdateTarget,
  (values) => values,
  (saved): FormState => {
    revalidatePath(LIST);
    redirect(`${LIST}/${saved.id}?saved=1`);
  },
  (error, values) => toFormState(error, echoableValues(values)),
);

export const deleteDeployTargetAction = formAction(
  deleteDeployTarget,
  idFrom("targetId"),
  () => {
    revalidatePath(LIST);
    redirect(LIST);
  },
  toFormState,
);

export type TestDeployTargetState = TestState<DeployTargetTestResult>;

/** "Test": SSH logs in (pinning the host key on first use), nginx runs its test command. */
export const testDeployTargetAction = formAction(
  testDeployTarget,
  idFrom("targetId"),
  (result, values) => {
    revalidatePath(LIST);
    revalidatePath(`${LIST}/${values.targetId}`);
    return tested(result);
  },
  (error) => tested<DeployTargetTestResult>({ ok: false, message: toFormState(error).formError ?? "The target could not be tested." }),
);

/** Pins the host key the operator checked, after the host is asked again. */
export const acceptHostKeyAction = formAction(
  acceptSshHostKey,
  (values) => ({ id: values.targetId ?? "", fingerprint: values.fingerprint ?? "" }),
  ({ hostKey }, values): FormState => {
    revalidatePath(LIST);
    revalidatePath(`${LIST}/${values.targetId}`);
    return { success: `Pinned ${hostKey.fingerprint}. Deploys to this host go through again.` };
  },
  toFormState,
);
