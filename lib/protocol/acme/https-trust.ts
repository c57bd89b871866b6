import https from "node:https";
import tls from "node:tls";

/**
 * The TLS trust for one ACME directory: the system's roots plus the account's own CA bundle
 * (a private CA, or Pebble's throwaway CA in tests). Returned agents are cached per bundle.
 */
const agents = new Map<string, https.Agent>();

export function trustedCertificates(caBundlePem?: string | null): string[] {
  return caBundlePem ? [...tls.rootCertificates, caBundlePem] : [...tls.rootCertificates];
}

export function httpsAgentFor(caBundlePem?: string | null): https.Agent {
  const key = caBundlePem ?? "";
  let agent = agents.get(key);
  if (!agent) {
    // One secure context per bundle: building it parses every root certificate (about 15 ms of
    // CPU), which an agent given `ca` would otherwise repeat for each new connection.
    const secureContext = tls.createSecureContext({ ca: trustedCertificates(caBundlePem) });
    agent = new https.Agent({ secureContext, keepAlive: true, maxSockets: 8 });
    agents.set(key, agent);
  }
  return agent;
}
