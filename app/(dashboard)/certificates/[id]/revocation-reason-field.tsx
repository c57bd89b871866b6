import { Field, Options, Select } from "@/components/ui/form-field";
import { REVOCATION_REASONS, type RevocationReason } from "@/lib/protocol/acme/revocation-reasons";
import { choicesOf } from "@/lib/core/keys-of";

const REASON_CHOICES = choicesOf(REVOCATION_REASONS);

/** The "Reason" of a revocation, posted as `reason`: the RFC 5280 reasons a subscriber may give. */
export function RevocationReasonField({ id, defaultReason }: { id: string; defaultReason: RevocationReason }) {
  return (
    <Field id={id} label="Reason">
      <Select id={id} name="reason" defaultValue={defaultReason}>
        <Options choices={REASON_CHOICES} />
      </Select>
    </Field>
  );
}
