import { db } from "@/lib/data/client";
import { rateLimitsSchema } from "@/lib/domain/accounts/account.validation";
import { accountNotFound, accountOrNotFound } from "@/lib/domain/accounts/find-account";
import { defineCommand } from "@/lib/domain/command/define-command";

/** The rate-limit guard's limits for one account (defaults: Let's Encrypt's numbers). */
export const updateAccountRateLimits = defineCommand(
  { name: "account.rate-limits", permission: "write", does: "change ACME accounts", input: rateLimitsSchema },
  async ({ id, ...limits }, context) => {
    const account = await accountOrNotFound(id, { label: true });
    const { count } = await db.acmeAccount.updateMany({ where: { id }, data: limits });
    if (count === 0) throw accountNotFound();
    await context.audit({ target: account.label, detail: limits });
    return limits;
  },
);
