/**
 * The certificate forms' fields (strings from FormData) → the typed inputs of the commands.
 * Only the form's own notation is handled here: the names textarea, the "name /path" webroot
 * lines and the checkboxes. Everything else (which names, which paths, which account) is for the
 * command to judge, so the dashboard and the REST API are refused with the same words.
 */
import { AppError, fieldError } from "@/lib/core/app-error";
import { idSchema } from "@/lib/core/ids";
import type { ChallengeSettingsInput, CreateCertificateInput } from "@/lib/domain/certificates/certificate.validation";
import type { RenewalSettingsInput } from "@/lib/domain/certificates/renewal-settings";
import { splitNameInput } from "@/lib/protocol/names/names";
import { checkboxInput, optionalTextInput } from "@/lib/web/form-input";

type FormValues = Record<string, string | undefined>;

/**
 * Per-name webroots, one "name /path" (or "name=/path") per line, as certbot's -w before -d.
 * Names are compared in lower case. A line that is not "name path" is refused on the field
 * "webrootPaths" with its line number; the paths themselves are checked by the command.
 */
export function parseWebrootLines(text: string): Record<string, string> {
  const paths: Record<string, string> = {};
  for (const [index, rawLine] of text.split(/\r?\n/).entries()) {
    const line = rawLine.trim();
    if (!line) continue;
    const match = /^([^\s=]+)\s*(?:=|\s)\s*(\S.*)$/.exec(line);
    if (!match) throw fieldError("webrootPaths", `Line ${index + 1}: write "name /path/to/webroot"`);
    paths[match[1].toLowerCase()] = match[2].trim();
  }
  return paths;
}

/** Per-name webroots as the form's textarea shows them: "name /path" lines. */
export function webrootLinesOf(paths: Record<string, string>): string {
  return Object.entries(paths)
    .map(([name, webroot]) => `${name} ${webroot}`)
    .join("\n");
}

/** The challenge part both forms share; per-name lines only count for the webroot method. */
function challengeInputOf(values: FormValues) {
  const challengeMethod = values.challengeMethod ?? "";
  return {
    // The command refuses anything that is not one of the methods; the cast only names the type it expects.
    challengeMethod: challengeMethod as ChallengeSettingsInput["challengeMethod"],
    webrootPath: optionalTextInput(values.webrootPath),
    webrootPaths: challengeMethod === "http-01-webroot" ? parseWebrootLines(values.webrootPaths ?? "") : {},
    dnsProviderId: optionalTextInput(values.dnsProviderId),
    profile: optionalTextInput(values.profile),
    reuseKey: checkboxInput(values.reuseKey),
  };
}

/**
 * The Add certificate form → createCertificate's input: names one per line or separated by
 * commas and spaces, the webroot lines as { name: path }, the checkboxes as booleans.
 * Throws AppError("invalid_input") on "webrootPaths" for a line it cannot read.
 */
export function toCreateCertificateInput(values: FormValues): CreateCertificateInput {
  return {
    names: splitNameInput(values.names ?? ""),
    accountId: values.accountId ?? "",
    keyType: (values.keyType ?? "") as CreateCertificateInput["keyType"],
    ...challengeInputOf(values),
    issueAnyway: checkboxInput(values.issueAnyway),
  };
}

/** A certificate's "Challenge settings" form → updateChallengeSettings' input. */
export function toChallengeSettingsInput(id: string, values: FormValues): ChallengeSettingsInput {
  return { id, ...challengeInputOf(values) };
}

/**
 * The certificate id a form on the certificate's page carries in a hidden field. A malformed one
 * (a tampered request) is refused as "no such certificate", shown above the form.
 */
export function certificateIdOf(values: FormValues): string {
  const id = idSchema.safeParse(values.certificateId);
  if (!id.success) throw new AppError("not_found", "That certificate does not exist.");
  return id.data;
}

const HOOK_FIELDS = ["preHook", "postHook", "deployHook"] as const;

/**
 * The "Renewal and deploy" form → updateRenewalSettings' input: each setting's mode ("global",
 * "none", "custom") becomes null (the global setting), "" or the own value; an empty number is
 * "automatic" (null). "Its own window" left empty is refused here, since "" means "any time".
 */
export function toRenewalSettingsInput(id: string, values: FormValues): RenewalSettingsInput {
  const days = (values.renewBeforeDays ?? "").trim();
  const windowMode = values.windowMode ?? "";
  const window = (values.maintenanceWindow ?? "").trim();
  if (!["global", "none", "custom"].includes(windowMode)) throw fieldError("maintenanceWindow", "Choose when deploy hooks may run");
  if (windowMode === "custom" && window === "") throw fieldError("maintenanceWindow", 'Enter a window such as "Mon-Fri 01:00-03:00", or choose "Any time"');
  const hooks = Object.fromEntries(HOOK_FIELDS.map((hook) => [hook, values[`${hook}Mode`] === "custom" ? (values[hook] ?? "") : null])) as Record<
    (typeof HOOK_FIELDS)[number],
    string | null
  >;
  return {
    id,
    renewBeforeDays: days === "" ? null : Number(days),
    maintenanceWindow: windowMode === "global" ? null : windowMode === "none" ? "" : window,
    ...hooks,
  };
}
