"use client";

import { useActionState } from "react";
import { FormError } from "@/components/form-error";
import { SubmitButton } from "@/components/submit-button";
import { ACCOUNT_PRIVATE_NETWORK_LABEL } from "@/lib/domain/network/private-network-words";
import type { FormState } from "@/lib/web/form-state";
import { setAccountNetworkAction } from "./actions";

/** Turns "This CA is on my private network or this machine" on or off for one account. */
export function AccountNetworkForm({ accountId, label, privateNetwork }: { accountId: string; label: string; privateNetwork: boolean }) {
  const [state, formAction] = useActionState<FormState & { savedAt?: number }, FormData>(setAccountNetworkAction, {});
  return (
    <form action={formAction} className="space-y-2">
      <input type="hidden" name="accountId" value={accountId} />
      <input type="hidden" name="privateNetwork" value={privateNetwork ? "false" : "true"} />
      <p className="text-xs text-zinc-500 dark:text-zinc-400">
        {privateNetwork
          ? "Turn it off once the CA is reached on a public address: CertDeck then connects over https to public addresses only."
          : `For a lab or private CA (Pebble, step-ca) on this machine or the LAN: "${ACCOUNT_PRIVATE_NETWORK_LABEL}".`}
      </p>
      <FormError message={state.formError} />
      <SubmitButton
        variant="secondary"
        size="sm"
        pendingLabel="Saving…"
        aria-label={`${privateNetwork ? "Public addresses only for" : "Allow the private network for"} ${label}`}
      >
        {privateNetwork ? "Public addresses only" : "Allow the private network"}
      </SubmitButton>
    </form>
  );
}
