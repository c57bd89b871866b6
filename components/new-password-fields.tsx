import { Field, Input } from "@/components/ui/form-field";

/**
 * A new password and the same again (the server checks the length and that both match). The
 * browser is never given them back after an error.
 */
export function NewPasswordFields({
  id,
  label,
  confirmationId,
  confirmationLabel,
  errors,
}: {
  id: string;
  label: string;
  confirmationId: string;
  confirmationLabel: string;
  errors: Record<string, string[] | undefined>;
}) {
  return (
    <>
      <Field id={id} label={label} hint="At least 12 characters." errors={errors[id]}>
        <Input id={id} type="password" autoComplete="new-password" required hasHint errors={errors[id]} />
      </Field>
      <Field id={confirmationId} label={confirmationLabel} errors={errors[confirmationId]}>
        <Input id={confirmationId} type="password" autoComplete="new-password" required errors={errors[confirmationId]} />
      </Field>
    </>
  );
}
