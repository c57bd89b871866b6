import { keysOf } from "@/lib/core/keys-of";
/** RFC 5280 CRLReason codes a subscriber may give (RFC 8555 section 7.6), with when to use each. */
export const REVOCATION_REASONS = {
  keyCompromise: { code: 1, label: "Key compromise: the private key may be known to someone else" },
  superseded: { code: 4, label: "Superseded: replaced by a newer certificate" },
  cessationOfOperation: { code: 5, label: "Cessation of operation: the names are no longer used" },
} as const;

export type RevocationReason = keyof typeof REVOCATION_REASONS;
export const REVOCATION_REASON_IDS = keysOf(REVOCATION_REASONS);
