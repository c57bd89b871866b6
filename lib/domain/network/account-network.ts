import type { NameParseOptions } from "@/lib/protocol/names/names";
import { outboundPolicy, type OutboundPolicy } from "@/lib/protocol/net/outbound-url";
import { ACCOUNT_PRIVATE_NETWORK_HINT } from "@/lib/domain/network/private-network-words";

/**
 * Where CertDeck may connect for one ACME account, and which names its certificates may carry.
 *
 * An account is public unless the operator chose "This CA is on my private network or this
 * machine" (AcmeAccount.privateNetwork) when adding it: a lab CA such as Pebble on this machine, or
 * step-ca on the LAN. Public accounts reach their CA over https on public addresses only, so the
 * account form cannot be used to make CertDeck fetch http://127.0.0.1/… or a cloud metadata
 * address; their certificates cannot name loopback or private addresses, which public CAs refuse
 * anyway. A private-network account lifts exactly that: loopback and private addresses (and http)
 * for its CA, such names for its certificates. Metadata, link-local, multicast and the other
 * special-purpose addresses stay refused for every account (lib/protocol/net/special-addresses.ts).
 */
export interface AccountNetworkChoice {
  privateNetwork: boolean;
}

/** The outbound policy for every request to the account's CA (directory, orders, ARI …). */
export function accountNetwork(account: AccountNetworkChoice, field?: string): OutboundPolicy {
  return outboundPolicy(account.privateNetwork, { labHint: ACCOUNT_PRIVATE_NETWORK_HINT, ...(field ? { field } : {}) });
}

/** The name policy for the account's certificates: loopback and private addresses only for a private-network account. */
export function accountNameOptions(account: AccountNetworkChoice): Pick<NameParseOptions, "allowLoopback" | "allowPrivate"> {
  return { allowLoopback: account.privateNetwork, allowPrivate: account.privateNetwork };
}
