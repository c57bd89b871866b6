import type { z } from "zod";
import { AppError } from "@/lib/core/app-error";
import { fieldErrorsOfZod } from "@/lib/core/field-errors";
import type { AuditAction } from "@/lib/domain/audit/audit-actions";
import { recordAuditEvent } from "@/lib/domain/audit/record-audit-event";
import type { Actor } from "@/lib/domain/command/actor";
import { assertAllowed, type Permission } from "@/lib/domain/command/permissions";

/** What a command writes to the audit log; the actor and its address are filled in. */
export interface AuditEntry {
  /** Defaults to the command's name ("certificate.renew"). */
  action?: AuditAction;
  /** What it was done to: a certificate name, an account label … */
  target?: string | null;
  /** Plain facts only: never a secret, key or password. */
  detail?: Record<string, unknown>;
}

export interface CommandContext {
  actor: Actor;
  audit(entry: AuditEntry): Promise<void>;
}

/** Who may run a command, and on what input: its identity, written on one line above its body. */
export interface CommandDefinition<Schema extends z.ZodType> {
  /** "certificate.renew": the command's name in logs, and its audit action (one of AUDIT_ACTIONS, with its label). */
  name: AuditAction;
  permission: Permission;
  /** What the command does, for a refusal: "… so it cannot renew certificates". */
  does: string;
  input: Schema;
}

/** The command's body: it gets the parsed input. */
export type CommandRun<Schema extends z.ZodType, Result> = (input: z.output<Schema>, context: CommandContext) => Promise<Result>;

export type Command<Input, Result> = ((actor: Actor, input: Input) => Promise<Result>) & { readonly commandName: string };

/**
 * One operation, as the dashboard and the REST API both call it: the actor's rights are checked,
 * the input is parsed (zod; a refusal is an AppError("invalid_input") with the problems per
 * field), then `run` checks the state, changes it, enqueues slow work and writes the audit entry.
 * Every expected failure is an AppError.
 *
 *   export const renewCertificate = defineCommand({ name: "certificate.renew", permission: "write", does: "renew certificates", input }, async ({ id }, context) => {
 *     …
 *   });
 */
export function defineCommand<Schema extends z.ZodType, Result>(
  definition: CommandDefinition<Schema>,
  run: CommandRun<Schema, Result>,
): Command<z.input<Schema>, Result> {
  const command = async (actor: Actor, rawInput: z.input<Schema>): Promise<Result> => {
    assertAllowed(actor, definition.permission, definition.does);
    const parsed = definition.input.safeParse(rawInput);
    if (!parsed.success) throw invalidInput(parsed.error);
    return run(parsed.data, {
      actor,
      audit: (entry) =>
        recordAuditEvent({
          actor: actor.name,
          action: entry.action ?? definition.name,
          target: entry.target,
          detail: entry.detail,
          ip: actor.address,
        }),
    });
  };
  return Object.assign(command, { commandName: definition.name });
}

/** "Fix these fields: names, accountId." with the problems per field. */
export function invalidInput(error: z.ZodError): AppError {
  const fieldErrors = fieldErrorsOfZod(error);
  const fields = Object.keys(fieldErrors).map((field) => field || "the request");
  return new AppError("invalid_input", `Fix these fields: ${fields.join(", ")}.`, { fieldErrors });
}
