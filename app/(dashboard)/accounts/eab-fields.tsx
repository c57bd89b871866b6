import { Field, Input } from "@/components/ui/form-field";

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
  const keyIdId = `${idPrefix}eabKeyId`;
  const hmacId = `${idPrefix}eabHmacKey`;
  return (
    <div className="space-y-3">
      {source && (
        <p className="text-xs text-zinc-600 dark:text-zinc-400">
          Get them from: <span className="font-medium text-zinc-800 dark:text-zinc-200">{source}</span>
        </p>
      )}
      <div className="grid gap-4">
        <Field id={keyIdId} label="EAB key ID" errors={errors.eabKeyId}>
          <Input
            id={keyIdId}
            name="eabKeyId"
            autoComplete="off"
            spellCheck={false}
            defaultValue={defaultKeyId}
            errors={errors.eabKeyId}
            className="font-mono"
          />
        </Field>
        <Field id={hmacId} label="EAB HMAC key" hint="Stored encrypted; never shown again." errors={errors.eabHmacKey}>
          <Input id={hmacId} name="eabHmacKey" type="password" autoComplete="off" spellCheck={false} hasHint errors={errors.eabHmacKey} className="font-mono" />
        </Field>
      </div>
    </div>
  );
}
