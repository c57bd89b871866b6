/**
 * AppError → a form's state. A server action returns this for every expected failure; the form
 * shows `fieldErrors` under their inputs and `formError` above them. Anything that is not an
 * AppError is a bug: logged, shown as a generic sentence.
 */
import { unstable_rethrow } from "next/navigation";
import { AppError, GENERIC_ERROR_MESSAGE, type FieldErrors } from "@/lib/core/app-error";

export interface FormState {
  fieldErrors?: Record<string, string[] | undefined>;
  formError?: string;
  /** The submitted values, so the form shows what the user typed after an error. */
  values?: Record<string, string>;
  /** A sentence confirming what was done, for forms that stay on the page. */
  success?: string;
}

/**
 * Maps a thrown error to the form. Next.js's own control flow (redirect(), notFound()) is thrown
 * on. A command's field path "webrootPaths.shop.example.com" lands on the form field
 * "webrootPaths" as "shop.example.com: …"; "names.2" as "Line 3: …".
 */
export function toFormState(error: unknown, values?: Record<string, string>): FormState {
  unstable_rethrow(error);
  if (!(error instanceof AppError)) {
    console.error("[certdeck] a form action failed", error);
    return { formError: GENERIC_ERROR_MESSAGE, values };
  }
  if (!error.fieldErrors) return { formError: error.userMessage, values };
  const fieldErrors = formFieldsOf(error.fieldErrors);
  const formError = fieldErrors[""]?.join(" ");
  delete fieldErrors[""];
  return { fieldErrors, formError, values };
}

/** Plain objects built from Maps: state crosses to the browser, and field names may be anything. */
function formFieldsOf(fieldErrors: FieldErrors): Record<string, string[]> {
  const fields = new Map<string, string[]>();
  for (const [path, messages] of Object.entries(fieldErrors)) {
    const [field, ...rest] = path.split(".");
    const where = rest.join(".");
    const prefix = where === "" ? "" : /^\d+$/.test(where) ? `Line ${Number(where) + 1}: ` : `${where}: `;
    fields.set(field, [...(fields.get(field) ?? []), ...messages.map((message) => prefix + message)]);
  }
  return Object.fromEntries(fields);
}

/** A form's fields as strings (file inputs and Next's "$ACTION…" fields left out). */
export function formValues(formData: FormData): Record<string, string> {
  return Object.fromEntries([...formData].filter((entry): entry is [string, string] => !entry[0].startsWith("$") && typeof entry[1] === "string"));
}
