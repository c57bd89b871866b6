/**
 * FormData strings → the typed inputs commands take. The command validates; these only convert,
 * the way z.coerce would, so a form's messages stay the command's ("Enter a port number" for
 * "abc", which arrives as NaN).
 */

/** A number field, converted as z.coerce.number() would: "abc" is NaN, "" is 0 (both refused by the command's range). */
export function numberInput(text: string | undefined): number {
  return Number(text ?? "");
}

/**
 * An optional whole-number field (a port, seconds): empty means "not given" (the command's
 * default applies); anything but digits is NaN, which the command refuses on its field.
 */
export function optionalNumberInput(text: string | undefined): number | undefined {
  const typed = optionalTextInput(text)?.trim();
  if (typed === undefined) return undefined;
  return /^\d+$/.test(typed) ? Number(typed) : Number.NaN;
}

/** An optional text field or select: empty (or only spaces) means "not given". The value is passed on as typed. */
export function optionalTextInput(text: string | undefined): string | undefined {
  return text === undefined || text.trim() === "" ? undefined : text;
}

/** A text field the command needs (it says so when it is empty): a field the form did not send counts as empty. */
export function textInput(text: string | undefined): string {
  return text ?? "";
}

/** A checkbox: the browser sends "on" when it is ticked and nothing otherwise. */
export function checkboxInput(text: string | undefined): boolean {
  return text === "on";
}

/** How one field's text becomes the value a command takes. */
export type FieldInput<Value> = (text: string | undefined) => Value;

/**
 * A form's fields read by the converter given for each:
 * `readFields(values, { port: optionalNumberInput, verify: checkboxInput })` → `{ port, verify }`.
 */
export function readFields<Fields extends Record<string, FieldInput<unknown>>>(
  values: Record<string, string | undefined>,
  fields: Fields,
): { [Name in keyof Fields]: ReturnType<Fields[Name]> } {
  return Object.fromEntries(Object.entries(fields).map(([name, read]) => [name, read(values[name])])) as { [Name in keyof Fields]: ReturnType<Fields[Name]> };
}

/** The submitted values without the fields that must never be sent back to the browser (passwords, secrets). */
export function withoutFields(values: Record<string, string>, ...fields: string[]): Record<string, string> {
  return Object.fromEntries(Object.entries(values).filter(([key]) => !fields.includes(key)));
}
