import { AppError } from "@/lib/core/app-error";
import { db } from "@/lib/data/client";
import { rateLimitsSchema } from "@/lib/domain/accounts/account.validation";
import { defineCommand } from "@/lib/domain/command/define-command";

/** The rate-limit guard's limits for one account (defaults: Let's Encrypt's numbers). */
export const updateAccountRateLimits = defineCommand(
  { name: "account.rate-limits", permission: "write", does: "change ACME accounts", input: rateLimitsSchema },
  async ({ id, ...limits }, context) => {
    const account = await db.acmeAccount.findUnique({ where: { id }, select: { label: true } });
    if (!account) throw new AppError("not_found", "That account does not exist.");
    const { count } = await db.acmeAccount.updateMany({ where: { id }, data: limits });
    if (count === 0) throw new AppError("not_found", "That account does not exist.");
    await context.audit({ target: account.label, detail: limits });
    return limits;
  },
);
