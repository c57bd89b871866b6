import { z } from "zod";

const username = z
  .string()
  .trim()
  .toLowerCase()
  .min(1, "Enter a user name")
  .max(64, "At most 64 characters")
  .regex(/^[a-z0-9._-]+$/, "Use letters, digits, dots, dashes and underscores");

export const signInSchema = z.object({
  username,
  password: z.string().min(1, "Enter your password").max(1024),
});

export const firstAdminSchema = z
  .object({
    username,
    password: z.string().min(12, "Use at least 12 characters").max(1024, "At most 1024 characters"),
    passwordConfirmation: z.string(),
  })
  .refine((input) => input.password === input.passwordConfirmation, {
    message: "The passwords do not match",
    path: ["passwordConfirmation"],
  });
