/**
 * Every way an SSH connection can fail, as a sentence that says what to do. The target is named
 * as people write it for ssh: "deploy@10.0.0.5:22" ("deploy@[2001:db8::5]:22" for IPv6).
 */
import { isIPv6 } from "node:net";
import { AppError } from "@/lib/core/app-error";
import { keyTypeLabel } from "@/lib/protocol/ssh/host-key";

export interface SshEndpoint {
  host: string;
  port: number;
  username: string;
}

export function describeEndpoint({ host, port, username }: SshEndpoint): string {
  return `${username}@${isIPv6(host) ? `[${host}]` : host}:${port}`;
}

const ACCEPT_HINT = "If the server was reinstalled, check the new fingerprint (ssh-keyscan / ssh-keygen -lf) and accept it on the target's page.";

/** The pinned key and the key the server showed differ. Nothing was sent: no user, no key. */
export function hostKeyChangedError(endpoint: SshEndpoint, seen: string, pinned: string): AppError {
  return new AppError(
    "upstream_failed",
    `The host key of ${describeEndpoint(endpoint)} changed: it is now ${seen}, CertDeck pinned ${pinned} . ${ACCEPT_HINT}`,
    { reason: "ssh_host_key_changed" },
  );
}

/** The key of the pinned type is gone (the server offers other kinds of host keys only). */
export function hostKeyTypeGoneError(endpoint: SshEndpoint, pinned: string, pinnedType: string, detail: string): AppError {
  return new AppError(
    "upstream_failed",
    `The host key of ${describeEndpoint(endpoint)} changed: it no longer offers a ${keyTypeLabel(pinnedType)} host key, CertDeck pinned ${pinned} . ${ACCEPT_HINT}`,
    { reason: "ssh_host_key_changed", logMessage: `SSH handshake with ${describeEndpoint(endpoint)} failed: ${detail}` },
  );
}

export function authenticationRefusedError(endpoint: SshEndpoint, keyType: string, keyFingerprint: string): AppError {
  const user = endpoint.username;
  return new AppError(
    "upstream_failed",
    `The server refused the key for user ${user}: add the public key to ~${user}/.ssh/authorized_keys on ${endpoint.host} ` +
      `(CertDeck logs in with the ${keyTypeLabel(keyType)} key ${keyFingerprint}).`,
    { reason: "ssh_authentication" },
  );
}

export function dnsError(endpoint: SshEndpoint, code: string | undefined): AppError {
  const temporary = code === "EAI_AGAIN";
  return new AppError(
    "upstream_failed",
    temporary
      ? `The name ${endpoint.host} could not be resolved right now (DNS did not answer): check this server's DNS resolvers, or use the host's IP address.`
      : `The name ${endpoint.host} does not exist in DNS: check the spelling, or use the host's IP address.`,
    { reason: "ssh_dns", isRetryable: temporary },
  );
}

export type ConnectionStage = "dns" | "tcp" | "handshake" | "authentication";

export function timeoutError(endpoint: SshEndpoint, stage: ConnectionStage, timeoutMs: number): AppError {
  const seconds = `${Math.round(timeoutMs / 100) / 10} s`;
  const target = describeEndpoint(endpoint);
  const message = {
    dns: `Looking up ${endpoint.host} in DNS took longer than ${seconds}: check this server's DNS resolvers, or use the host's IP address.`,
    tcp: `${endpoint.host} did not answer on port ${endpoint.port} within ${seconds}: check the address and port, and that a firewall lets this server through.`,
    handshake: `${target} accepted the connection but the SSH handshake did not finish within ${seconds}: is an SSH server listening on port ${endpoint.port}?`,
    authentication: `${target} did not finish logging in within ${seconds}: the server may be overloaded, try again.`,
  }[stage];
  return new AppError("upstream_failed", message, { reason: "ssh_timeout", isRetryable: true });
}

/** Socket and protocol failures that are not timeouts, DNS, host keys or authentication. */
export function connectionError(endpoint: SshEndpoint, error: Error & { code?: unknown; level?: string }): AppError {
  const target = describeEndpoint(endpoint);
  const code = typeof error.code === "string" ? error.code : undefined;
  const options = { reason: "ssh_connection", isRetryable: true, cause: error, logMessage: `SSH connection to ${target} failed: ${error.message}` };
  switch (code) {
    case "ECONNREFUSED":
      return new AppError(
        "upstream_failed",
        `${endpoint.host} refused the connection on port ${endpoint.port}: no SSH server listens there (is sshd running, is the port right?).`,
        options,
      );
    case "EHOSTUNREACH":
    case "ENETUNREACH":
      return new AppError(
        "upstream_failed",
        `${endpoint.host} cannot be reached from this server (no route to host): check the address and the network.`,
        options,
      );
    case "ECONNRESET":
    case "EPIPE":
      return new AppError(
        "upstream_failed",
        `${target} closed the connection during the SSH handshake (a firewall, fail2ban, or an sshd that refuses this client).`,
        options,
      );
  }
  if (/Connection lost before handshake/i.test(error.message)) {
    return new AppError(
      "upstream_failed",
      `${target} closed the connection before the SSH handshake: is an SSH server listening on port ${endpoint.port}, and does it accept this server (fail2ban, AllowUsers, MaxStartups)?`,
      options,
    );
  }
  if (error.level === "handshake" || error.level === "protocol") {
    return new AppError("upstream_failed", `The SSH handshake with ${target} failed: ${error.message}.`, options);
  }
  return new AppError("upstream_failed", `The SSH connection to ${target} failed: ${error.message}.`, options);
}
