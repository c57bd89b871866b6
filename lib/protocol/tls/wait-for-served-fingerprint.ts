import { probeTlsEndpoint, type TlsProbeResult } from "@/lib/protocol/tls/probe-tls-endpoint";

/**
 * After a reload, asks the server again and again, for each name (SNI), which certificate it
 * serves, until every name serves the expected leaf or the time is up. A reload is
 * asynchronous (nginx starts new workers after the signal, and old workers may still take a
 * connection or two while they wind down), so a name counts as served only after the expected
 * leaf came back twice in a row.
 */
export interface ServedFingerprintCheck {
  name: string;
  /** The served leaf is the expected one. */
  matches: boolean;
  /** The last probe for this name (its leaf's fingerprint, or why there was none). */
  probe: TlsProbeResult;
}

export interface WaitForServedFingerprintOptions {
  host: string;
  port: number;
  names: string[];
  /** As X509Certificate.fingerprint256 / CertDeck's fingerprintSha256. */
  fingerprintSha256: string;
  timeoutMs: number;
  /** Pause between rounds; default 250 ms. */
  pollIntervalMs?: number;
  /** Each probe's connect and handshake timeout; default 2 000 ms. */
  probeTimeoutMs?: number;
}

/** Matching answers in a row that make a name served. */
const CONFIRMATIONS = 2;

export async function waitForServedFingerprint(options: WaitForServedFingerprintOptions): Promise<{ allMatch: boolean; checks: ServedFingerprintCheck[] }> {
  const deadline = Date.now() + options.timeoutMs;
  const expected = options.fingerprintSha256.toUpperCase();
  const latest = new Map<string, ServedFingerprintCheck>();
  const streaks = new Map<string, number>();
  for (;;) {
    for (const name of options.names) {
      if ((streaks.get(name) ?? 0) >= CONFIRMATIONS) continue;
      const probe = await probeTlsEndpoint({
        host: options.host,
        port: options.port,
        servername: name,
        connectTimeoutMs: options.probeTimeoutMs ?? 2000,
        handshakeTimeoutMs: options.probeTimeoutMs ?? 2000,
      });
      const matches = probe.served?.leaf.fingerprintSha256.toUpperCase() === expected;
      latest.set(name, { name, matches, probe });
      streaks.set(name, matches ? (streaks.get(name) ?? 0) + 1 : 0);
    }
    const checks = options.names.map((name) => latest.get(name)!);
    const allMatch = options.names.every((name) => (streaks.get(name) ?? 0) >= CONFIRMATIONS);
    if (allMatch || Date.now() >= deadline) return { allMatch, checks };
    await new Promise((resolve) => setTimeout(resolve, Math.min(options.pollIntervalMs ?? 250, Math.max(0, deadline - Date.now()))));
  }
}
