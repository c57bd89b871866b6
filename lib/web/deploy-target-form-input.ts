/**
 * The deploy target form's fields (strings from FormData) → the typed inputs of the commands in
 * lib/domain/deploy/targets. Only the form's own notation is handled here (empty fields, numbers,
 * octal modes, checkboxes); whether the values make sense is for the command to judge.
 */
import type { CreateDeployTargetInput, PrivateKeySource, UpdateDeployTargetInput } from "@/lib/domain/deploy/targets/target-input";

type FormValues = Record<string, string | undefined>;

/** The fields that hold secrets: never echoed back into the form after an error. */
export const SECRET_FORM_FIELDS = ["privateKey", "passphrase"] as const;

const given = (value: string | undefined) => (value === undefined || value.trim() === "" ? undefined : value);
const isTicked = (value: string | undefined) => value === "on";

/** A whole number as typed; "" = not given (the default); anything else is NaN, which the command refuses on its field. */
export function numberField(value: string | undefined): number | undefined {
  const text = given(value)?.trim();
  if (text === undefined) return undefined;
  return /^[0-9]{1,9}$/.test(text) ? Number(text) : Number.NaN;
}

/** A file mode as typed: "0644", "644" or "0o644"; anything else is NaN. */
export function modeField(value: string | undefined): number | undefined {
  const text = given(value)?.trim();
  if (text === undefined) return undefined;
  const match = /^(?:0o?)?([0-7]{3})$/i.exec(text);
  return match ? parseInt(match[1], 8) : Number.NaN;
}

/** The form of one target type → createDeployTarget's input. */
export function toDeployTargetInput(values: FormValues): CreateDeployTargetInput {
  const common = { name: values.name ?? "", isDefault: isTicked(values.isDefault) };
  switch (values.type) {
    case "nginx":
      return {
        type: "nginx",
        ...common,
        testCommand: given(values.testCommand),
        reloadCommand: given(values.reloadCommand),
        verifyAddress: given(values.verifyAddress),
        verifyTimeoutSeconds: numberField(values.verifyTimeoutSeconds),
      };
    case "ssh":
      return {
        type: "ssh",
        ...common,
        host: values.host ?? "",
        port: numberField(values.port),
        username: values.username ?? "",
        fullchainPath: values.fullchainPath ?? "",
        chainPath: values.chainPath ?? "",
        certPath: values.certPath ?? "",
        keyPath: values.keyPath ?? "",
        certificateMode: modeField(values.certificateMode),
        keyMode: modeField(values.keyMode),
        owner: values.owner ?? "",
        group: values.group ?? "",
        // Empty means "no reload command": the field shows the preset until it is cleared.
        reloadCommand: values.reloadCommand ?? "",
        reloadTimeoutSeconds: numberField(values.reloadTimeoutSeconds),
        verify: isTicked(values.verify),
        verifyAddress: values.verifyAddress ?? "",
        verifyTimeoutSeconds: numberField(values.verifyTimeoutSeconds),
        privateKeySource: (values.privateKeySource ?? "keep") as PrivateKeySource,
        privateKey: given(values.privateKey),
        passphrase: given(values.passphrase),
      };
    case "command":
      return {
        type: "command",
        ...common,
        command: values.command ?? "",
        timeoutSeconds: numberField(values.timeoutSeconds) ?? null,
        verifyAddress: values.verifyAddress ?? "",
        verifyTimeoutSeconds: numberField(values.verifyTimeoutSeconds),
      };
    default:
      // The command refuses an unknown type with its own sentence.
      return { type: values.type as "nginx", ...common };
  }
}

/** The same, with the target's id, for updateDeployTarget. */
export function toUpdateDeployTargetInput(id: string, values: FormValues): UpdateDeployTargetInput {
  return { id, ...toDeployTargetInput(values) } as UpdateDeployTargetInput;
}

/** The submitted values to show again after an error: everything but the secrets. */
export function echoableValues(values: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(values).filter(([key]) => !(SECRET_FORM_FIELDS as readonly string[]).includes(key)));
}
