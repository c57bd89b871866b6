"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { AppError } from "@/lib/core/app-error";
import { createCertificate } from "@/lib/domain/certificates/create-certificate";
import { deleteCertificate } from "@/lib/domain/certificates/delete-certificate";
import { deployCertificateNow, renewCertificate, testRenewal } from "@/lib/domain/certificates/renew-certificate";
import { toCreateCertificateInput } from "@/lib/web/certificate-form-input";
import { buttonAction, formAction, idFrom, type FormValues } from "@/lib/web/form-action";
import { toFormState } from "@/lib/web/form-state";

/** The Add certificate form: the form's notation becomes the typed input; the command judges it. */
export const createCertificateAction = formAction(
  createCertificate,
  toCreateCertificateInput,
  ({ certificateId }) => {
    revalidatePath("/");
    redirect(`/certificates/${certificateId}`);
  },
  toFormState,
);

export interface RenewButtonState {
  /** Set when a renewal had succeeded a moment ago and was answered instead: the button asks "renew again?". */
  reusedAt?: number;
}

/**
 * One click on Renew: queues a renewal; a job already working on the certificate is left alone.
 * Within a minute of a successful renewal nothing is queued and the button asks for a second
 * click, which sends again=true.
 */
export const renewFromButtonAction = formAction(
  renewCertificate,
  (values) => ({ id: values.certificateId ?? "", again: values.again === "true" }),
  (result, values): RenewButtonState => {
    revalidateCertificate(values);
    return result.reused ? { reusedAt: Date.now() } : {};
  },
  (error, values): RenewButtonState => {
    if (!(error instanceof AppError)) throw error;
    revalidateCertificate(values);
    return {};
  },
);

const certificateOf = idFrom("certificateId");

/** The overview and the certificate page show the job (or the one that was already working). */
function revalidateCertificate(values: FormValues): void {
  revalidatePath("/");
  revalidatePath(`/certificates/${values.certificateId ?? ""}`);
}

/** "Test renewal": a dry run against the CA's staging directory; the live certificate is untouched. */
export const testRenewalAction = buttonAction(testRenewal, certificateOf, revalidateCertificate);

/** Runs the deploy for the current version now, ignoring the maintenance window. */
export const deployNowAction = buttonAction(deployCertificateNow, certificateOf, revalidateCertificate);

export const deleteCertificateAction = formAction(
  deleteCertificate,
  certificateOf,
  () => {
    revalidatePath("/");
    redirect("/");
  },
  toFormState,
);
