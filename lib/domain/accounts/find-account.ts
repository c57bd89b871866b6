import { AppError } from "@/lib/core/app-error";
import { db } from "@/lib/data/client";
import type { Prisma } from "@/lib/generated/prisma/client";

/** The refusal when a command names an account that is not (or no longer) there. */
export function accountNotFound(): AppError {
  return new AppError("not_found", "That account does not exist.");
}

/** The account a command works on, with the columns `select` names, or accountNotFound(). */
export async function accountOrNotFound<Select extends Prisma.AcmeAccountSelect>(id: string, select: Select) {
  const account = await db.acmeAccount.findUnique({ where: { id }, select });
  if (!account) throw accountNotFound();
  return account;
}
