import type { FieldErrors as ApiFieldErrors } from "@/lib/core/app-error";
import type { CreateCertificateBody } from "@/lib/web/api/schemas";
import type { CreateCertificateInput } from "@/lib/domain/certificates/certificate.validation";
import type { FormState } from "@/lib/web/form-state";

/**
 * The API's JSON body → the Add certificate form's fields, so that createCertificate() (and its
 * zod schema, name rules, account and profile checks) judges both the same way.
 */
export function toCreateCertificateForm(body: CreateCertificateBody): CreateCertificateInput {
  const webrootEntries = Object.entries(body.webrootPaths ?? {});
  return {
    names: Array.isArray(body.names) ? body.names.join("\n") : body.names,
    challengeMethod: body.challengeMethod,
    accountId: body.accountId,
    keyType: body.keyType,
    webrootPath: body.webrootPath,
    webrootPaths: webrootEntries.map(([name, webroot]) => `${name} ${webroot}`).join("\n"),
    dnsProviderId: body.dnsProviderId,
    profile: body.profile,
    reuseKey: body.reuseKey ? "on" : undefined,
    issueAnyway: body.issueAnyway ? "on" : undefined,
  };
}

/**
 * The form's field errors in API terms: per-name webroots are an object in JSON, so "Line 2: …"
 * becomes "webrootPaths["shop.example.com"]: …".
 */
export function toApiFieldErrors(fieldErrors: FormState["fieldErrors"], body: CreateCertificateBody): ApiFieldErrors {
  const webrootNames = Object.keys(body.webrootPaths ?? {});
  const fields: ApiFieldErrors = {};
  for (const [field, messages] of Object.entries(fieldErrors ?? {})) {
    if (!messages?.length) continue;
    fields[field] =
      field === "webrootPaths"
        ? messages.map((message) => message.replace(/^Line (\d+): /, (line, number: string) => (webrootNames[Number(number) - 1] ? `${JSON.stringify(webrootNames[Number(number) - 1])}: ` : line)))
        : messages;
  }
  return fields;
}
