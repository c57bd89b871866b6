"use server";

import { revalidatePath } from "next/cache";
import { deployToTargetNow, setCertificateDeployTargets } from "@/lib/domain/certificates/deploy-targets";
import { requireActor } from "@/lib/web/actor";
import { toFormState, type FormState } from "@/lib/web/form-state";

/** "Deploy now" next to one target: queues the deploy of the current version there, ignoring the window. */
export async function deployToTargetAction(_previous: FormState, formData: FormData): Promise<FormState> {
  const actor = await requireActor();
  const certificateId = String(formData.get("certificateId") ?? "");
  try {
    await deployToTargetNow(actor, { certificateId, targetId: String(formData.get("targetId") ?? "") });
  } catch (error) {
    return toFormState(error);
  }
  revalidatePath(`/certificates/${certificateId}`);
  return { success: "Queued: the job log shows each step." };
}

/** The certificate's own targets, or the default ones. */
export async function chooseDeployTargetsAction(_previous: FormState & { savedAt?: number }, formData: FormData): Promise<FormState & { savedAt?: number }> {
  const actor = await requireActor();
  const certificateId = String(formData.get("certificateId") ?? "");
  try {
    await setCertificateDeployTargets(actor, {
      certificateId,
      useDefaults: formData.get("choice") !== "chosen",
      targetIds: formData.getAll("targetIds").map(String),
    });
  } catch (error) {
    return toFormState(error);
  }
  revalidatePath(`/certificates/${certificateId}`);
  revalidatePath("/");
  return { success: "Saved. The next deploy uses these targets.", savedAt: Date.now() };
}
