/** What a form's server action returns for expected failures; bugs are thrown instead. */
export interface FormState {
  fieldErrors?: Record<string, string[] | undefined>;
  formError?: string;
  /** The submitted values, so the form shows what the user typed after an error. */
  values?: Record<string, string>;
}
