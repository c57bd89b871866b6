/**
 * AppError → a form's state. A server action returns this for every expected failure; the form
 * shows `fieldErrors` under their inputs and `formError` above them. The mapping itself is pure
 * (form-state-of.ts); this adds what only a server action needs.
 */
import { unstable_rethrow } from "next/navigation";
import { formStateOf } from "@/lib/web/form-state-of";

export interface FormState {
  fieldErrors?: Record<string, string[] | undefined>;
  formError?: string;
  /** The submitted values, so the form shows what the user typed after an error. */
  values?: Record<string, string>;
  /** A sentence confirming what was done, for forms that stay on the page. */
  success?: string;
}

/** A form that stays on the page after saving: `savedAt` makes it say "Saved.". */
export type SavedFormState = FormState & { savedAt?: number };

/** Maps a thrown error to the form; Next.js's own control flow (redirect(), notFound()) is thrown on. */
export function toFormState(error: unknown, values?: Record<string, string>): FormState {
  unstable_rethrow(error);
  return formStateOf(error, values);
}

/** A form's text fields (file inputs and Next's "$ACTION…" fields left out). */
export function formValues(formData: FormData): Record<string, string> {
  return Object.fromEntries([...formData].filter((entry): entry is [string, string] => !entry[0].startsWith("$") && typeof entry[1] === "string"));
}

/**
 * A dialog's or a row's one line for a refusal: a malformed id (its hidden field, tampered with)
 * is a thing that does not exist, said as `missing`.
 */
export function toDialogState(error: unknown, missing: string): FormState {
  const state = toFormState(error);
  return { formError: state.fieldErrors?.id ? missing : state.formError };
}

/** What a "Test" button's form shows: the last result, and when (a new key announces it again). */
export interface TestState<Result> {
  result?: Result;
  testedAt?: number;
}

export const tested = <Result>(result: Result): TestState<Result> => ({ result, testedAt: Date.now() });
