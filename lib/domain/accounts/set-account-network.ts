import { AppError } from "@/lib/core/app-error";
import { db } from "@/lib/data/client";
import { accountNetworkSchema } from "@/lib/domain/accounts/account.validation";
import { accountOrNotFound } from "@/lib/domain/accounts/find-account";
import { accountNameOptions, accountNetwork } from "@/lib/domain/network/account-network";
import { parseStoredIdentifiers } from "@/lib/protocol/names/stored-identifiers";
import { defineCommand } from "@/lib/domain/command/define-command";
import { namePolicyError } from "@/lib/protocol/names/names";
import { checkOutboundUrl } from "@/lib/protocol/net/outbound-url";

/**
 * Turns "This CA is on my private network or this machine" on or off for an account (its row on
 * the Accounts page). Off is refused while the directory URL needs it, or while one of the
 * account's certificates names a loopback or private address (its renewals would be refused).
 */
export const setAccountNetwork = defineCommand(
  { name: "account.network", permission: "write", does: "change ACME accounts", input: accountNetworkSchema },
  async ({ id, privateNetwork }, context) => {
    const account = await accountOrNotFound(id, { label: true, directoryUrl: true, privateNetwork: true });
    if (account.privateNetwork === privateNetwork) return { privateNetwork };
    if (!privateNetwork) {
      try {
        checkOutboundUrl(account.directoryUrl, accountNetwork({ privateNetwork: false }));
      } catch (error) {
        const reason = error instanceof AppError ? error.userMessage : String(error);
        throw new AppError("conflict", `${account.label} needs it: ${reason}`, { cause: error });
      }
      const certificates = await db.certificate.findMany({ where: { accountId: id }, select: { name: true, identifiers: true } });
      const needing = certificates.filter((certificate) =>
        parseStoredIdentifiers(certificate.identifiers).some(
          (identifier) => namePolicyError(identifier, accountNameOptions({ privateNetwork: false })) !== undefined,
        ),
      );
      if (needing.length > 0) {
        const names = needing
          .slice(0, 5)
          .map((certificate) => certificate.name)
          .join(", ");
        throw new AppError(
          "conflict",
          `${account.label} issues for loopback or private addresses (${names}${needing.length > 5 ? " …" : ""}): delete those certificates first.`,
        );
      }
    }
    await db.acmeAccount.updateMany({ where: { id }, data: { privateNetwork } });
    await context.audit({ target: account.label, detail: { privateNetwork } });
    return { privateNetwork };
  },
);
