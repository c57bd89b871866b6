/**
 * The words of the "private network" choice, for forms and pages (no server-only imports: client
 * components read them). What the choice does: lib/domain/network/account-network.ts and
 * lib/domain/notifications/channel-network.ts.
 */
export const ACCOUNT_PRIVATE_NETWORK_LABEL = "This CA is on my private network or this machine (lab CA, step-ca)";

/** What a refusal the account's choice would lift says about it. */
export const ACCOUNT_PRIVATE_NETWORK_HINT = `Only a lab or private CA (Pebble, step-ca) lives there: choose "${ACCOUNT_PRIVATE_NETWORK_LABEL}" for the account to allow it.`;

/** The note on an account's row and in the form while the choice is on. */
export const ACCOUNT_PRIVATE_NETWORK_NOTE =
  "Private network: CertDeck connects to this CA on this machine or a private address too (and over http), and its certificates may name loopback and private addresses.";

export const CHANNEL_PRIVATE_NETWORK_LABEL = "This webhook or SMTP server is on my private network or this machine";

/** What a refusal the channel's choice would lift says about it. */
export const CHANNEL_PRIVATE_NETWORK_HINT = `Only a server on your own network lives there (a chat server or mail relay on the LAN): choose "${CHANNEL_PRIVATE_NETWORK_LABEL}" for the channel to allow it.`;
