import { z } from "zod";

/**
 * Row ids (cuid: lower-case letters and digits). Every id that arrives from outside (a form, a
 * URL, the API) is parsed with this before it reaches a query.
 */
export const idSchema = z
  .string({ error: "Give an id" })
  .min(1, "Give an id")
  .max(64, "Not an id")
  .regex(/^[a-z0-9]+$/i, "Not an id");
