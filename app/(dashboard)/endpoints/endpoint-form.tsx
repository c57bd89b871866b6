"use client";

import { useActionState } from "react";
import { FormError } from "@/components/form-error";
import { SubmitButton } from "@/components/submit-button";
import { CodeField, Field, Input, InputField, Options, Select, Textarea, type FormView } from "@/components/ui/form-field";
import type { FormState } from "@/lib/web/form-state";
import { saveEndpointAction } from "./actions";

export interface EndpointFormProps {
  /** Absent when adding. */
  endpoint?: {
    id: string;
    values: { address: string; serverName: string; caBundlePem: string; label: string; certificateId: string };
    /** Watched because this deploy target verifies there: address, name and certificate follow the target. */
    targetName: string | null;
  };
  certificates: Array<{ id: string; name: string }>;
  /** Preselected certificate when adding (from a certificate's page). */
  defaultCertificateId?: string;
}

/**
 * Add or change a watched endpoint: host:port, the SNI name, the managed certificate it should
 * serve, a CA bundle for private CAs, a label. Saving probes at once and shows the endpoint.
 */
export function EndpointForm({ endpoint, certificates, defaultCertificateId }: EndpointFormProps) {
  const [state, formAction] = useActionState<FormState, FormData>(saveEndpointAction, {});
  const errors = state.fieldErrors ?? {};
  const values: Record<string, string | undefined> = { certificateId: defaultCertificateId, ...endpoint?.values, ...state.values };
  const form: FormView = { values, errors };
  const isAutomatic = Boolean(endpoint?.targetName);
  return (
    <form action={formAction} className="space-y-4" noValidate>
      {endpoint && <input type="hidden" name="endpointId" value={endpoint.id} />}
      {isAutomatic && (
        <p className="rounded-md bg-zinc-100 px-3 py-2 text-sm text-zinc-700 dark:bg-zinc-800 dark:text-zinc-300">
          Watched because the deploy target “{endpoint?.targetName}” verifies there: its address, name and certificate follow the target. The label and the CA
          bundle can change here.
        </p>
      )}
      <div className="grid gap-4 sm:grid-cols-2">
        <CodeField
          id="address"
          label="Address"
          hint="host:port, such as shop.example.com:443, 10.0.0.5:8443 or [2001:db8::1]:443 (port 443 when left out)."
          form={form}
          required
          readOnly={isAutomatic}
          autoComplete="off"
          inputMode="url"
          placeholder="shop.example.com:443"
        />
        <CodeField
          id="serverName"
          label="Server name (SNI, optional)"
          hint="Sent in the handshake and expected on the certificate; empty: the host, when it is a name."
          form={form}
          readOnly={isAutomatic}
          autoComplete="off"
          placeholder="www.example.com"
        />
      </div>
      <Field
        id="certificateId"
        label="Should serve (optional)"
        hint="A certificate managed here: the endpoint is then checked for its current version (“served ≠ issued”)."
        errors={errors.certificateId}
      >
        {isAutomatic ? (
          <>
            <input type="hidden" name="certificateId" value={values.certificateId ?? ""} />
            {/* Shows the certificate's name and posts nothing (no name): the hidden field carries its id. */}
            <Input
              id="certificateId"
              name=""
              hasHint
              readOnly
              value={certificates.find((certificate) => certificate.id === values.certificateId)?.name ?? "none"}
              errors={errors.certificateId}
            />
          </>
        ) : (
          <Select id="certificateId" hasHint defaultValue={values.certificateId ?? ""} errors={errors.certificateId}>
            <option value="">Any certificate (issued here or elsewhere)</option>
            <Options choices={certificates.map(({ id, name }) => ({ id, label: name }))} />
          </Select>
        )}
      </Field>
      <InputField
        id="label"
        label="Label (optional)"
        hint="How lists and notifications name it, e.g. “Mail server” or “Load balancer, rack 2”."
        form={form}
        maxLength={100}
        autoComplete="off"
      />
      <Field
        id="caBundlePem"
        label="CA bundle (optional)"
        hint="For a private CA: its root certificate in PEM form, trusted besides the system's roots for this endpoint only."
        errors={errors.caBundlePem}
      >
        <Textarea
          id="caBundlePem"
          hasHint
          rows={4}
          placeholder="-----BEGIN CERTIFICATE-----"
          defaultValue={values.caBundlePem}
          errors={errors.caBundlePem}
          className="text-xs"
        />
      </Field>
      <FormError message={state.formError} />
      <SubmitButton pendingLabel={endpoint ? "Saving and checking…" : "Adding and checking…"}>{endpoint ? "Save endpoint" : "Watch endpoint"}</SubmitButton>
    </form>
  );
}
