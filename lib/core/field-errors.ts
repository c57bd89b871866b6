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

/** Names of Object.prototype's members: "constructor", "__proto__", "toString", "hasOwnProperty" … */
const PROTOTYPE_MEMBER_NAMES: ReadonlySet<string> = new Set(Object.getOwnPropertyNames(Object.prototype));

/**
 * The paths ("constructor", "webrootPaths.__proto__") of keys in parsed JSON that name a member of
 * Object.prototype. zod decides whether a key is known with `key in shape`, so such a key passes a
 * strict object as if it were a field, and code that copies keys into a plain object may change
 * its prototype: no input of CertDeck has such a field, so they are refused before validation.
 * Walks with an explicit stack (a deeply nested body cannot overflow the call stack).
 */
export function prototypeMemberKeysIn(value: unknown, limit = 20): string[] {
  interface Step {
    value: unknown;
    key: string | null;
    parent: Step | null;
  }
  const pathOf = (step: Step | null, key: string): string => {
    const parts = [key];
    for (let current = step; current?.key != null; current = current.parent) parts.push(current.key);
    return parts.reverse().join(".");
  };
  const found: string[] = [];
  const stack: Step[] = [{ value, key: null, parent: null }];
  while (stack.length > 0 && found.length < limit) {
    const step = stack.pop()!;
    if (step.value === null || typeof step.value !== "object") continue;
    for (const key of Object.keys(step.value)) {
      if (PROTOTYPE_MEMBER_NAMES.has(key)) found.push(pathOf(step, key));
      else stack.push({ value: (step.value as Record<string, unknown>)[key], key, parent: step });
    }
  }
  return found;
}
