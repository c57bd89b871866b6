import { probeTlsEndpoint, type TlsProbeResult } from "@/lib/protocol/tls/probe-tls-endpoint";

/**
 * After a reload, asks the server again and again, for each name (SNI), which certificate it
 * serves, until every name serves the expected leaf or the time is up. A reload is
 * asynchronous (nginx starts new workers after the signal), so a single look right after it
 * would often see the old certificate.
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

export async function waitForServedFingerprint(options: WaitForServedFingerprintOptions): Promise<{ allMatch: boolean; checks: ServedFingerprintCheck[] }> {
  const deadline = Date.now() + options.timeoutMs;
  const expected = options.fingerprintSha256.toUpperCase();
  const latest = new Map<string, ServedFingerprintCheck>();
  for (;;) {
    for (const name of options.names) {
      if (latest.get(name)?.matches) continue;
      const probe = await probeTlsEndpoint({
        host: options.host,
        port: options.port,
        servername: name,
        connectTimeoutMs: options.probeTimeoutMs ?? 2000,
        handshakeTimeoutMs: options.probeTimeoutMs ?? 2000,
      });
      latest.set(name, { name, matches: probe.served?.leaf.fingerprintSha256.toUpperCase() === expected, probe });
    }
    const checks = options.names.map((name) => latest.get(name)!);
    const allMatch = checks.every((check) => check.matches);
    if (allMatch || Date.now() >= deadline) return { allMatch, checks };
    await new Promise((resolve) => setTimeout(resolve, Math.min(options.pollIntervalMs ?? 250, Math.max(0, deadline - Date.now()))));
  }
}
