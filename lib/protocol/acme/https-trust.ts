import tls from "node:tls";
import { OutboundHttpAgent, OutboundHttpsAgent, PUBLIC_NETWORK, type OutboundPolicy } from "@/lib/protocol/net/outbound-url";

/**
 * The connection to one ACME directory: the TLS trust (the system's roots plus the account's
 * own CA bundle: a private CA, or Pebble's throwaway CA in tests) and the outbound-URL policy
 * (lib/protocol/net/outbound-url.ts), which every connection to the CA and to every URL its
 * directory names goes through. Agents are cached per bundle and policy.
 */

/**
 * The policy ACME requests use when the caller passes none: public addresses over https only.
 * Every caller in the app passes its account's policy (lib/domain/network/account-network.ts):
 * a lab CA (Pebble on 127.0.0.1, step-ca on the LAN) is reached only through an account marked
 * "This CA is on my private network or this machine".
 */
export const DEFAULT_ACME_NETWORK: Readonly<OutboundPolicy> = PUBLIC_NETWORK;

const httpsAgents = new Map<string, OutboundHttpsAgent>();
const httpAgents = new Map<string, OutboundHttpAgent>();

function policyKey(network: OutboundPolicy): string {
  return JSON.stringify([
    network.allowHttp ?? false,
    network.allowLoopback ?? false,
    network.allowPrivate ?? false,
    network.allowCredentials ?? false,
    network.labHint ?? "",
  ]);
}

export function trustedCertificates(caBundlePem?: string | null): string[] {
  return caBundlePem ? [...tls.rootCertificates, caBundlePem] : [...tls.rootCertificates];
}

export function httpsAgentFor(caBundlePem?: string | null, network: OutboundPolicy = DEFAULT_ACME_NETWORK): OutboundHttpsAgent {
  const key = `${caBundlePem ?? ""}\n${policyKey(network)}`;
  let agent = httpsAgents.get(key);
  if (!agent) {
    // One secure context per bundle: building it parses every root certificate (about 15 ms of
    // CPU), which an agent given `ca` would otherwise repeat for each new connection.
    const secureContext = tls.createSecureContext({ ca: trustedCertificates(caBundlePem) });
    agent = new OutboundHttpsAgent(network, { secureContext, keepAlive: true, maxSockets: 8 });
    httpsAgents.set(key, agent);
  }
  return agent;
}

/** For http:// URLs: refuses to connect unless the policy allows http (the lab opt-in). */
export function httpAgentFor(network: OutboundPolicy = DEFAULT_ACME_NETWORK): OutboundHttpAgent {
  const key = policyKey(network);
  let agent = httpAgents.get(key);
  if (!agent) {
    agent = new OutboundHttpAgent(network, { keepAlive: true, maxSockets: 8 });
    httpAgents.set(key, agent);
  }
  return agent;
}
