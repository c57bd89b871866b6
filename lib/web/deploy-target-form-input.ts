/**
 * The deploy target form's fields (strings from FormData) → the typed inputs of the commands in
 * lib/domain/deploy/targets. Only the form's own notation is handled here (empty fields, numbers,
 * octal modes, checkboxes); whether the values make sense is for the command to judge.
 */
import type { CreateDeployTargetInput, PrivateKeySource, UpdateDeployTargetInput } from "@/lib/domain/deploy/targets/target-input";
import { checkboxInput, optionalNumberInput, optionalTextInput, readFields, textInput, withoutFields, type FieldInput } from "@/lib/web/form-input";

type FormValues = Record<string, string | undefined>;

/** The fields that hold secrets: never echoed back into the form after an error. */
export const SECRET_FORM_FIELDS = ["privateKey", "passphrase"] as const;

/** A file mode as typed: "0644", "644" or "0o644"; anything else is NaN. */
export function modeField(value: string | undefined): number | undefined {
  const text = optionalTextInput(value)?.trim();
  if (text === undefined) return undefined;
  const match = /^(?:0o?)?([0-7]{3})$/i.exec(text);
  return match ? parseInt(match[1], 8) : Number.NaN;
}

type TargetInput<Type> = Extract<CreateDeployTargetInput, { type: Type }>;
/** How the form writes each field of one target type (every field but those all types share). */
type FieldsOf<Type> = { [Name in Exclude<keyof TargetInput<Type>, "type" | "name" | "isDefault">]-?: FieldInput<TargetInput<Type>[Name]> };

const NGINX_FIELDS = {
  testCommand: optionalTextInput,
  reloadCommand: optionalTextInput,
  verifyAddress: optionalTextInput,
  verifyTimeoutSeconds: optionalNumberInput,
} satisfies FieldsOf<"nginx">;

const SSH_FIELDS = {
  host: textInput,
  port: optionalNumberInput,
  username: textInput,
  fullchainPath: textInput,
  chainPath: textInput,
  certPath: textInput,
  keyPath: textInput,
  certificateMode: modeField,
  keyMode: modeField,
  owner: textInput,
  group: textInput,
  // Empty means "no reload command": the field shows the preset until it is cleared.
  reloadCommand: textInput,
  reloadTimeoutSeconds: optionalNumberInput,
  verify: checkboxInput,
  verifyAddress: textInput,
  verifyTimeoutSeconds: optionalNumberInput,
  // The command refuses a source that is not one of them; the cast only names the type it expects.
  privateKeySource: (text) => (text ?? "keep") as PrivateKeySource,
  privateKey: optionalTextInput,
  passphrase: optionalTextInput,
} satisfies FieldsOf<"ssh">;

const COMMAND_FIELDS = {
  command: textInput,
  // Empty: the hooks' timeout.
  timeoutSeconds: (text) => optionalNumberInput(text) ?? null,
  verifyAddress: textInput,
  verifyTimeoutSeconds: optionalNumberInput,
} satisfies FieldsOf<"command">;

const FIELDS_BY_TYPE: Record<string, Record<string, FieldInput<unknown>> | undefined> = { nginx: NGINX_FIELDS, ssh: SSH_FIELDS, command: COMMAND_FIELDS };

/** The form of one target type → createDeployTarget's input. */
export function toDeployTargetInput(values: FormValues): CreateDeployTargetInput {
  const fields = FIELDS_BY_TYPE[values.type ?? ""];
  // An unknown type goes on with the fields all types share: the command refuses it with its own sentence.
  return {
    type: values.type as CreateDeployTargetInput["type"],
    name: textInput(values.name),
    isDefault: checkboxInput(values.isDefault),
    ...(fields ? readFields(values, fields) : {}),
  } as CreateDeployTargetInput;
}

/** The same, with the target's id, for updateDeployTarget. */
export function toUpdateDeployTargetInput(id: string, values: FormValues): UpdateDeployTargetInput {
  return { id, ...toDeployTargetInput(values) } as UpdateDeployTargetInput;
}

/** The submitted values to show again after an error: everything but the secrets. */
export function echoableValues(values: Record<string, string>): Record<string, string> {
  return withoutFields(values, ...SECRET_FORM_FIELDS);
}
