import type { Client } from "acme-client";
import { createAcmeClient } from "@/lib/protocol/acme/client";
import { decryptSecret } from "@/lib/data/secret-box";
import { accountNetwork } from "@/lib/domain/network/account-network";

/** An AcmeAccount row read with its secret columns (see lib/data/client.ts `omit`). */
export interface AccountWithSecrets {
  directoryUrl: string;
  accountUrl: string | null;
  accountKeyEnc: string;
  caBundlePem: string | null;
  eabKeyId: string | null;
  eabHmacKeyEnc: string | null;
  /** "This CA is on my private network or this machine" (lib/domain/network/account-network.ts). */
  privateNetwork: boolean;
}

export const ACCOUNT_SECRETS = { accountKeyEnc: false, eabHmacKeyEnc: false } as const;

/**
 * The acme-client Client for an account. `directoryUrl` may differ from the account's own (dry runs
 * go to the CA's staging directory); the account URL is then unknown and found by registering.
 * Every request goes through the account's outbound policy.
 */
export function clientForAccount(account: AccountWithSecrets, directoryUrl = account.directoryUrl): Client {
  const isOwnDirectory = directoryUrl === account.directoryUrl;
  return createAcmeClient({
    directoryUrl,
    accountKeyPem: decryptSecret(account.accountKeyEnc),
    accountUrl: isOwnDirectory ? account.accountUrl : null,
    caBundlePem: account.caBundlePem,
    network: accountNetwork(account),
    externalAccountBinding: account.eabKeyId && account.eabHmacKeyEnc ? { kid: account.eabKeyId, hmacKey: decryptSecret(account.eabHmacKeyEnc) } : undefined,
  });
}
