import { z } from "zod";

const username = z
  .string()
  .trim()
  .toLowerCase()
  .min(1, "Enter a user name")
  .max(64, "At most 64 characters")
  .regex(/^[a-z0-9._-]+$/, "Use letters, digits, dots, dashes and underscores");

const newPassword = z.string().min(12, "Use at least 12 characters").max(1024, "At most 1024 characters");

export const signInSchema = z.object({
  username,
  password: z.string().min(1, "Enter your password").max(1024),
});

export const firstAdminSchema = z
  .object({
    username,
    password: newPassword,
    passwordConfirmation: z.string(),
  })
  .refine((input) => input.password === input.passwordConfirmation, {
    message: "The passwords do not match",
    path: ["passwordConfirmation"],
  });

/** The first-run setup code as typed (lib/domain/auth/setup-code.ts forgives case, spaces and dashes). */
export const setupCodeSchema = z.object({
  setupCode: z.string().trim().min(1, "Enter the setup code from the server's log").max(64, "At most 64 characters"),
});

export const changePasswordSchema = z
  .object({
    currentPassword: z.string().min(1, "Enter your current password").max(1024),
    newPassword,
    newPasswordConfirmation: z.string(),
    /** The session to keep (the one asking); every other session of the user ends. */
    keepSessionId: z.string().max(200).optional(),
  })
  .refine((input) => input.newPassword === input.newPasswordConfirmation, {
    message: "The passwords do not match",
    path: ["newPasswordConfirmation"],
  });
