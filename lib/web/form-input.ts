/**
 * FormData strings → the typed inputs commands take. The command validates; these only convert,
 * the way z.coerce would, so a form's messages stay the command's ("Enter a port number" for
 * "abc", which arrives as NaN).
 */

/** A number field, converted as z.coerce.number() would: "abc" is NaN, "" is 0 (both refused by the command's range). */
export function numberInput(text: string | undefined): number {
  return Number(text ?? "");
}

/** An optional number field: empty means "not given" (the command's default applies). */
export function optionalNumberInput(text: string | undefined): number | undefined {
  return text === undefined || text.trim() === "" ? undefined : Number(text);
}

/** An optional text field: empty means "not given". */
export function optionalTextInput(text: string | undefined): string | undefined {
  return text === undefined || text === "" ? undefined : text;
}

/** A checkbox: the browser sends "on" when it is ticked and nothing otherwise. */
export function checkboxInput(text: string | undefined): boolean {
  return text === "on";
}

/** The submitted values without the fields that must never be sent back to the browser (passwords, secrets). */
export function withoutFields(values: Record<string, string>, ...fields: string[]): Record<string, string> {
  return Object.fromEntries(Object.entries(values).filter(([key]) => !fields.includes(key)));
}
