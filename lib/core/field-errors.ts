import type { z } from "zod";
import type { FieldErrors } from "@/lib/core/app-error";

/**
 * Collects problems per field. The map has no prototype, so a field named by the client
 * ("constructor", "__proto__", "toString") is a key like any other.
 */
export function createFieldErrors(): FieldErrors & { add(field: string, message: string): void } {
  const fields = Object.create(null) as FieldErrors;
  Object.defineProperty(fields, "add", {
    enumerable: false,
    value(field: string, message: string) {
      const messages = Object.hasOwn(fields, field) ? fields[field] : (fields[field] = []);
      if (!messages.includes(message)) messages.push(message);
    },
  });
  return fields as FieldErrors & { add(field: string, message: string): void };
}

export const UNKNOWN_FIELD_MESSAGE = "Unknown field";

/**
 * Zod issues by field path ("names.2"): unknown keys are named (a typo must not be ignored
 * silently); problems with the whole object go under "" (the form's top, the API's "body").
 */
export function fieldErrorsOfZod(error: z.ZodError): FieldErrors {
  const fields = createFieldErrors();
  for (const issue of error.issues) {
    const at = issue.path.map(String);
    if (issue.code === "unrecognized_keys") {
      for (const key of issue.keys) fields.add([...at, key].join("."), UNKNOWN_FIELD_MESSAGE);
    } else {
      fields.add(at.join("."), issue.message);
    }
  }
  return fields;
}
