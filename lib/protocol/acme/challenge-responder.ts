import type { Http01Responder } from "@/lib/protocol/acme/http-01";

/** The ACME challenge types CertDeck answers. */
export type ChallengeType = "http-01" | "dns-01" | "tls-alpn-01";

/** One challenge to answer, as the order flow hands it to a responder. */
export interface ChallengeToAnswer {
  /** The authorization's identifier: for `*.example.com` the value is `example.com`, wildcard true. */
  identifier: { type: "dns" | "ip"; value: string };
  wildcard: boolean;
  token: string;
  /**
   * What acme-client's getChallengeKeyAuthorization returns for this type: the key authorization
   * (http-01, tls-alpn-01) or the TXT record value, base64url(SHA-256(key authorization)) (dns-01).
   */
  keyAuthorization: string;
}

export type ResponderLog = (step: string, message: string, options?: { level?: "info" | "warn" | "error"; detail?: unknown }) => Promise<void>;

/**
 * Publishes challenge answers where the CA looks for them, for one job's order. The order flow
 * calls publish for every pending authorization, then awaitReady once, then tells the CA to
 * validate, and always calls close at the end (after success, failure, or when the job parks).
 */
export interface ChallengeResponder {
  readonly type: ChallengeType;
  /** Where the answers are, for the job log ("TXT records via RFC 2136 at 192.0.2.53"). */
  readonly description: string;
  publish(challenge: ChallengeToAnswer): Promise<void>;
  /**
   * After every publish, before the CA is asked: e.g. wait until the TXT records are visible at
   * every authoritative nameserver. May throw JobWaitingForOperator (manual DNS) to park the job.
   */
  awaitReady?(log: ResponderLog): Promise<void>;
  /** Removes what was published (records, files, listeners); also after a failure. */
  close(options?: { parked?: boolean }): Promise<void>;
}

/**
 * HTTP-01 responders (token → key authorization) as one ChallengeResponder. `targetFor` names
 * where an identifier's answers go (one webroot per name, or "" when all share one place); each
 * target is opened once, when its first answer is published.
 */
export function http01ChallengeResponder(
  targetFor: (identifier: string) => string,
  open: (target: string) => Promise<Http01Responder>,
): ChallengeResponder {
  const opened = new Map<string, Promise<Http01Responder>>();
  const descriptions = new Set<string>();
  return {
    type: "http-01",
    get description() {
      return [...descriptions].join("; ") || "HTTP-01";
    },
    async publish({ identifier, token, keyAuthorization }) {
      const target = targetFor(identifier.value);
      let responder = opened.get(target);
      if (!responder) {
        responder = open(target);
        opened.set(target, responder);
      }
      const ready = await responder;
      descriptions.add(ready.description);
      await ready.publish(token, keyAuthorization);
    },
    async close() {
      const all = await Promise.allSettled(opened.values());
      opened.clear();
      for (const result of all) if (result.status === "fulfilled") await result.value.close();
    },
  };
}
