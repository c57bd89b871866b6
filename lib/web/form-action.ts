import { AppError } from "@/lib/core/app-error";
import type { Actor } from "@/lib/domain/command/actor";
import { requireActor } from "@/lib/web/actor";
import { revalidatePath } from "next/cache";
import { formValues, toDialogState, type FormState } from "@/lib/web/form-state";

/** A form's text fields by name, as formValues() reads them. */
export type FormValues = Record<string, string>;

/**
 * A form's server action, in the shape every one shares: the signed-in actor, the submitted
 * text fields, the command called with the typed input `toInput` makes of them (a conversion
 * that throws an AppError is a refusal like the command's; `command` may also choose between
 * commands, add or change). After success `saved` revalidates
 * and answers, or redirects; a refusal is answered by `refused`, which must map the error with
 * toFormState (lib/web/form-state.ts) so that Next's own control flow is thrown on.
 */
export function formAction<Input, Result, State>(
  command: (actor: Actor, input: Input) => Promise<Result>,
  toInput: (values: FormValues) => Input,
  saved: (result: Result, values: FormValues) => State | Promise<State>,
  refused: (error: unknown, values: FormValues) => State,
): (previous: State, formData: FormData) => Promise<State> {
  return async (_previous, formData) => {
    const actor = await requireActor();
    const values = formValues(formData);
    let result: Result;
    try {
      result = await command(actor, toInput(values));
    } catch (error) {
      return refused(error, values);
    }
    return saved(result, values);
  };
}

/**
 * A list row's action behind a confirmation (delete, revoke): the list `page` is fresh whether it
 * worked or not, and a refusal is the dialog's one line (a malformed id: `missing`).
 */
export function listRowAction<Input>(
  command: (actor: Actor, input: Input) => Promise<unknown>,
  toInput: (values: FormValues) => Input,
  page: string,
  missing: string,
) {
  const answer = (state: FormState): FormState => {
    revalidatePath(page);
    return state;
  };
  return formAction(
    command,
    toInput,
    () => answer({}),
    (error) => answer(toDialogState(error, missing)),
  );
}

/**
 * A button's server action, with no state to answer: the page shows the outcome (the job, or the
 * one already working), so a refusal changes nothing the user would not see anyway. `after`
 * revalidates either way.
 */
export function buttonAction<Input>(
  command: (actor: Actor, input: Input) => Promise<unknown>,
  toInput: (values: FormValues) => Input,
  after: (values: FormValues) => void,
): (formData: FormData) => Promise<void> {
  return async (formData) => {
    const actor = await requireActor();
    const values = formValues(formData);
    try {
      await command(actor, toInput(values));
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
    }
    after(values);
  };
}

/** The input of a command that takes one id, from the form's hidden field. */
export const idFrom =
  (field: string) =>
  (values: FormValues): { id: string } => ({ id: values[field] ?? "" });
