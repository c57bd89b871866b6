"use client";

import { useActionState, useState } from "react";
import { Upload } from "lucide-react";
import { FormError } from "@/components/form-error";
import { SubmitButton } from "@/components/submit-button";
import { Field, FieldErrors, Input, Textarea } from "@/components/ui/form-field";
import type { FormState } from "@/lib/web/form-state";
import { replaceUploadedCertificateAction, uploadCertificateAction } from "./actions";
import { RadioCard, type RadioCardChoice } from "@/components/ui/radio-cards";

/** The two forms an upload comes in. */
const FORMATS: RadioCardChoice[] = [
  { id: "pem", label: "PEM text", hint: "fullchain.pem and privkey.pem, .crt and .key files" },
  { id: "pfx", label: "A PFX file", hint: ".pfx or .p12, as Windows and many CAs export it" },
];

/**
 * A certificate issued elsewhere, with its key: pasted as PEM or chosen as a PFX file with its
 * password. Without `certificateId` it adds a certificate; with one, it uploads a newer version.
 */
export function UploadCertificateForm({ certificateId, submitLabel }: { certificateId?: string; submitLabel: string }) {
  const [state, formAction] = useActionState<FormState, FormData>(certificateId ? replaceUploadedCertificateAction : uploadCertificateAction, {});
  const errors = state.fieldErrors ?? {};
  const values = state.values ?? {};
  const [format, setFormat] = useState(values.format === "pfx" || errors.pfxBase64 || errors.password ? "pfx" : "pem");

  return (
    <form action={formAction} className="space-y-5" noValidate>
      {certificateId && <input type="hidden" name="certificateId" value={certificateId} />}
      {/* Uncontrolled radios: React resets a form after its action, and they then show the format the fields show. */}
      <fieldset>
        <legend className="mb-1.5 text-sm font-medium">What you have</legend>
        <div className="grid gap-2 sm:grid-cols-2">
          {FORMATS.map((choice) => (
            <RadioCard
              key={choice.id}
              name="format"
              value={choice.id}
              defaultChecked={format === choice.id}
              onChange={() => setFormat(choice.id)}
              label={choice.label}
              hint={choice.hint}
            />
          ))}
        </div>
      </fieldset>

      {format === "pem" ? (
        <>
          <Field
            id="pem"
            label="Certificate, chain and private key"
            hint="Paste the certificate, its intermediate certificates and its private key, one after the other, in any order. A root certificate is left out."
            errors={errors.pem}
          >
            <Textarea
              id="pem"
              rows={12}
              hasHint
              placeholder={"-----BEGIN CERTIFICATE-----\n…\n-----END CERTIFICATE-----\n-----BEGIN PRIVATE KEY-----\n…\n-----END PRIVATE KEY-----"}
              className="text-xs"
              defaultValue={values.pem}
              errors={errors.pem}
            />
          </Field>
          <Field id="keyPassphrase" label="Key passphrase" hint="Only for an encrypted key (ENCRYPTED PRIVATE KEY)." errors={errors.keyPassphrase}>
            <Input id="keyPassphrase" type="password" hasHint autoComplete="off" className="sm:max-w-xs" errors={errors.keyPassphrase} />
          </Field>
        </>
      ) : (
        <>
          <div className="space-y-1.5">
            <label htmlFor="pfx" className="block text-sm font-medium">
              PFX file
            </label>
            <input
              id="pfx"
              name="pfx"
              type="file"
              accept=".pfx,.p12,application/x-pkcs12"
              aria-describedby={errors.pfxBase64?.length ? "pfx-hint pfx-error" : "pfx-hint"}
              aria-invalid={errors.pfxBase64?.length ? true : undefined}
              className="block w-full max-w-full text-sm file:mr-3 file:rounded-md file:border file:border-zinc-300 file:bg-white file:px-3 file:py-1.5 file:text-sm file:font-medium dark:file:border-zinc-700 dark:file:bg-zinc-900 dark:file:text-zinc-100"
            />
            <p id="pfx-hint" className="text-xs text-zinc-500 dark:text-zinc-400">
              The certificate with its private key (and its chain). It is read on the server with OpenSSL and never written to disk as it is.
            </p>
            <FieldErrors id="pfx-error" errors={errors.pfxBase64} />
          </div>
          <Field id="password" label="PFX password" hint="The password it was exported with; empty if it has none." errors={errors.password}>
            <Input id="password" type="password" hasHint autoComplete="off" className="sm:max-w-xs" errors={errors.password} />
          </Field>
        </>
      )}

      <FormError message={state.formError} />
      <SubmitButton pendingLabel="Uploading…" icon={Upload}>
        {submitLabel}
      </SubmitButton>
    </form>
  );
}
