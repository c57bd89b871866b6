import { CodeField, type FormView } from "@/components/ui/form-field";

/**
 * The EAB key ID and HMAC key inputs. The HMAC key is a password field that is never filled back
 * in: after an error the user pastes it again.
 */
export function EabFields({
  idPrefix = "",
  source,
  defaultKeyId,
  errors = {},
}: {
  idPrefix?: string;
  /** Where the CA hands out the credentials, when known. */
  source?: string;
  defaultKeyId?: string;
  errors?: Record<string, string[] | undefined>;
}) {
  // The HMAC key is never filled back in.
  const form: FormView = { values: { eabKeyId: defaultKeyId }, errors };
  return (
    <div className="space-y-3">
      {source && (
        <p className="text-xs text-zinc-600 dark:text-zinc-400">
          Get them from: <span className="font-medium text-zinc-800 dark:text-zinc-200">{source}</span>
        </p>
      )}
      <div className="grid gap-4">
        <CodeField id={`${idPrefix}eabKeyId`} name="eabKeyId" label="EAB key ID" form={form} autoComplete="off" />
        <CodeField
          id={`${idPrefix}eabHmacKey`}
          name="eabHmacKey"
          label="EAB HMAC key"
          hint="Stored encrypted; never shown again."
          form={form}
          type="password"
          autoComplete="off"
        />
      </div>
    </div>
  );
}
