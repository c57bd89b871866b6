import { AppError, GENERIC_ERROR_MESSAGE, type FieldErrors } from "@/lib/core/app-error";
import type { FormState } from "@/lib/web/form-state";

/**
 * The one mapping from a thrown error to a form's state. An AppError without fields is shown
 * above the form; its field errors go under their inputs: a command's field path
 * "webrootPaths.shop.example.com" lands on the form field "webrootPaths" as
 * "shop.example.com: …", "names.2" as "Line 3: …", and "" (the whole input) above the form.
 * Anything that is not an AppError is a bug: logged, shown as a generic sentence.
 */
export function formStateOf(error: unknown, values?: Record<string, string>): FormState {
  if (!(error instanceof AppError)) {
    console.error("[certdeck] a form action failed", error);
    return { formError: GENERIC_ERROR_MESSAGE, values };
  }
  if (!error.fieldErrors) return { formError: error.userMessage, values };
  const { "": whole, ...fieldErrors } = formFieldsOf(error.fieldErrors);
  return { fieldErrors, formError: whole?.join(" "), values };
}

/** Plain objects built from a Map: state crosses to the browser, and field names may be anything. */
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
