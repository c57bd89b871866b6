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
 * Thrown (through ResponderContext.askOperator) by a responder that cannot go on until the
 * operator acts, e.g. creates a TXT record by hand. Whoever runs the order parks it: it is not a
 * failure, and the order resumes from its saved progress once the operator lets it go on.
 */
export class OperatorActionNeeded extends Error {
  /** What the operator must do, for the job log and the page. */
  readonly instructions: string;
  /**
   * What to tell the notification channels when nobody may be watching (a scheduled renewal),
   * with everything the operator needs; absent when there is nothing new to tell.
   */
  readonly notice?: string;

  constructor(instructions: string, options: { notice?: string } = {}) {
    super(instructions);
    this.name = "OperatorActionNeeded";
    this.instructions = instructions;
    this.notice = options.notice;
  }
}

/**
 * What a responder may use besides the world it publishes to: the log of the order it works
 * for, a saved state of its own that survives a restart and a parked order, and the operator.
 */
export interface ResponderContext {
  /** Names what this responder publishes (the job's id), so one order's answers are told from another's. */
  readonly owner: string;
  log: ResponderLog;
  /** The responder's own saved keys (the job's own keys are not among them); empty at first. */
  readState(): Record<string, unknown>;
  /** Merges `patch` (the responder's own keys only) into the saved state before returning. */
  saveState(patch: Record<string, unknown>): Promise<void>;
  /**
   * When the operator last let the parked order go on, or null. A responder that asked compares
   * it with when it asked.
   */
  readonly operatorResumedAt: Date | null;
  /** Parks the order until the operator acts: throws OperatorActionNeeded. */
  askOperator(instructions: string, options?: { notice?: string }): Promise<never>;
}

/**
 * Publishes challenge answers where the CA looks for them, for one order (it is opened with that
 * order's ResponderContext). The order flow
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
   * every authoritative nameserver. May ask the operator (manual DNS), which parks the order.
   */
  awaitReady?(): Promise<void>;
  /** Removes what was published (records, files, listeners); also after a failure. */
  close(options?: { parked?: boolean }): Promise<void>;
}

/**
 * HTTP-01 responders (token → key authorization) as one ChallengeResponder. `targetFor` names
 * where an identifier's answers go (one webroot per name, or "" when all share one place); each
 * target is opened once, when its first answer is published.
 */
export function http01ChallengeResponder(targetFor: (identifier: string) => string, open: (target: string) => Promise<Http01Responder>): ChallengeResponder {
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
