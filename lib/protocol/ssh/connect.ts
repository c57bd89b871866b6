/**
 * Opens an SSH connection with a private key and checks the server's host key against the one
 * CertDeck pinned, in the handshake, before anything of the user is sent: a changed key stops
 * the connection before the user name or the key's signature leaves this machine.
 *
 * No pinned key yet (the target's first connection): the connection goes ahead and `hostKey` says
 * what to pin; the caller stores it (trust on first use, as ssh's "yes" to an unknown host).
 */
import { lookup } from "node:dns/promises";
import { isIP } from "node:net";
import ssh2, { type Algorithms, type Client as SshClient, type ConnectConfig } from "ssh2";
import { AppError, fieldError } from "@/lib/core/app-error";
import { fingerprintsEqual, hostKeyAlgorithmsFor, hostKeyOfBlob, normalizeFingerprint, type HostKey, type PinnedHostKey } from "@/lib/protocol/ssh/host-key";
import { readPrivateKey, type SshPrivateKey } from "@/lib/protocol/ssh/private-key";
import {
  authenticationRefusedError,
  connectionError,
  describeEndpoint,
  dnsError,
  hostKeyChangedError,
  hostKeyTypeGoneError,
  timeoutError,
  type ConnectionStage,
  type SshEndpoint,
} from "@/lib/protocol/ssh/ssh-errors";

export const DEFAULT_SSH_PORT = 22;
/** DNS lookup plus TCP connect. */
export const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;
/** SSH handshake plus authentication, after the TCP connection stands. */
export const DEFAULT_HANDSHAKE_TIMEOUT_MS = 20_000;

export interface SshTimeouts {
  connectTimeoutMs?: number;
  handshakeTimeoutMs?: number;
}

export interface SshTarget extends SshTimeouts {
  host: string;
  /** Default 22. */
  port?: number;
  username: string;
  /** The private key's text (OpenSSH, PEM or PKCS#8; ed25519, ECDSA or RSA). */
  privateKey: string;
  passphrase?: string | null;
  /** The key pinned on the first connection; null/undefined = none yet (accept and report it). */
  pinnedHostKey?: PinnedHostKey | null;
}

export interface SshConnection {
  endpoint: SshEndpoint;
  /** "deploy@10.0.0.5:22", for messages. */
  label: string;
  /** The key the server showed (equal to the pinned one when one was pinned). */
  hostKey: HostKey;
  /** True when nothing was pinned: the caller should pin `hostKey` now. */
  hostKeyIsNew: boolean;
  client: SshClient;
  /** Ends the connection (idempotent). */
  close(): void;
}

export function endpointOf(target: Pick<SshTarget, "host" | "port" | "username">): SshEndpoint {
  return { host: target.host.trim(), port: target.port ?? DEFAULT_SSH_PORT, username: target.username };
}

/** Connects, verifies the host key, authenticates with the private key. Throws AppError. */
export async function connectSsh(target: SshTarget): Promise<SshConnection> {
  const key = readPrivateKey(target.privateKey, target.passphrase);
  if (target.pinnedHostKey?.fingerprint && normalizeFingerprint(target.pinnedHostKey.fingerprint) === null) {
    throw fieldError(
      "pinnedHostKey",
      `"${target.pinnedHostKey.fingerprint}" is not an SSH fingerprint: it looks like SHA256:… (43 characters of base64), as ssh-keygen -lf prints it.`,
    );
  }
  const endpoint = endpointOf(target);
  const timeouts = timeoutsOf(target);
  const address = await resolveHost(endpoint, timeouts.connectTimeoutMs);
  const { client, hostKey } = await handshake({ endpoint, address, key, pinned: target.pinnedHostKey ?? null, timeouts });
  return {
    endpoint,
    label: describeEndpoint(endpoint),
    hostKey,
    hostKeyIsNew: !target.pinnedHostKey,
    client,
    close: () => client.end(),
  };
}

/** Runs `work` on a fresh connection and always closes it. */
export async function withSshConnection<T>(target: SshTarget, work: (connection: SshConnection) => Promise<T>): Promise<T> {
  const connection = await connectSsh(target);
  try {
    return await work(connection);
  } finally {
    connection.close();
  }
}

/**
 * The server's host key without logging in (what `ssh-keyscan host | ssh-keygen -lf -` shows),
 * to show the fingerprint before the first deploy. The handshake stops once the key is seen.
 */
export async function scanHostKey(host: string, port = DEFAULT_SSH_PORT, options: SshTimeouts & { type?: string } = {}): Promise<HostKey> {
  const endpoint = endpointOf({ host, port, username: "(scan)" });
  const timeouts = timeoutsOf(options);
  const address = await resolveHost(endpoint, timeouts.connectTimeoutMs);
  const { hostKey } = await handshake({ endpoint, address, key: null, pinned: options.type ? { fingerprint: "", type: options.type } : null, timeouts });
  return hostKey;
}

function timeoutsOf(options: SshTimeouts): Required<SshTimeouts> {
  return {
    connectTimeoutMs: options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS,
    handshakeTimeoutMs: options.handshakeTimeoutMs ?? DEFAULT_HANDSHAKE_TIMEOUT_MS,
  };
}

async function resolveHost(endpoint: SshEndpoint, timeoutMs: number): Promise<string> {
  if (endpoint.host === "")
    throw new AppError("invalid_input", "Enter the SSH host's name or address.", { fieldErrors: { host: ["Enter the SSH host's name or address."] } });
  if (isIP(endpoint.host)) return endpoint.host;
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(timeoutError(endpoint, "dns", timeoutMs)), timeoutMs);
  });
  try {
    const { address } = await Promise.race([lookup(endpoint.host), deadline]);
    return address;
  } catch (error) {
    if (error instanceof AppError) throw error;
    throw dnsError(endpoint, (error as NodeJS.ErrnoException).code);
  } finally {
    clearTimeout(timer);
  }
}

interface HandshakeOptions {
  endpoint: SshEndpoint;
  address: string;
  /** null: only look at the host key (scan), then hang up. */
  key: SshPrivateKey | null;
  /** A pinned key; a `type` alone (empty fingerprint) only narrows the algorithms. */
  pinned: PinnedHostKey | null;
  timeouts: Required<SshTimeouts>;
}

function handshake({ endpoint, address, key, pinned, timeouts }: HandshakeOptions): Promise<{ client: SshClient; hostKey: HostKey }> {
  const client = new ssh2.Client();
  let seen: HostKey | null = null;
  let refusedHostKey = false;
  let stage: ConnectionStage = "tcp";

  return new Promise((resolve, reject) => {
    let settled = false;
    let timer: NodeJS.Timeout | undefined;
    const startTimer = (ms: number) => {
      clearTimeout(timer);
      timer = setTimeout(() => fail(timeoutError(endpoint, stage, ms)), ms);
    };
    const finish = () => {
      settled = true;
      clearTimeout(timer);
    };
    const fail = (error: AppError) => {
      if (settled) return;
      finish();
      client.destroy();
      reject(error);
    };

    // Errors after the connection is up reach the operation that runs on it; this listener
    // only keeps a late one (a reset socket) from crashing the process.
    client.on("error", (error: Error & { level?: string; code?: unknown }) => {
      if (settled) return;
      if (refusedHostKey && seen) {
        if (key === null) {
          finish();
          client.destroy();
          resolve({ client, hostKey: seen });
          return;
        }
        fail(hostKeyChangedError(endpoint, seen.fingerprint, pinned?.fingerprint ?? ""));
        return;
      }
      if (error.level === "client-authentication") {
        fail(authenticationRefusedError(endpoint, key?.type ?? "", key?.fingerprint ?? ""));
        return;
      }
      if (pinned?.type && seen === null && /host key/i.test(error.message)) {
        fail(key === null ? connectionError(endpoint, error) : hostKeyTypeGoneError(endpoint, pinned.fingerprint, pinned.type, error.message));
        return;
      }
      if (error.level === "client-timeout") {
        fail(timeoutError(endpoint, stage, stage === "tcp" ? timeouts.connectTimeoutMs : timeouts.handshakeTimeoutMs));
        return;
      }
      fail(connectionError(endpoint, error));
    });
    client.on("connect", () => {
      stage = "handshake";
      startTimer(timeouts.handshakeTimeoutMs);
    });
    client.on("handshake", () => {
      stage = "authentication";
    });
    client.on("ready", () => {
      if (settled || seen === null) return;
      finish();
      resolve({ client, hostKey: seen });
    });
    client.on("close", () => {
      if (!settled) fail(connectionError(endpoint, new Error("Connection lost before handshake")));
    });

    const config: ConnectConfig = {
      host: address,
      port: endpoint.port,
      username: endpoint.username,
      hostVerifier: (keyBlob: Buffer) => {
        seen = hostKeyOfBlob(keyBlob);
        if (key === null) {
          refusedHostKey = true;
          return false;
        }
        if (pinned?.fingerprint && !fingerprintsEqual(pinned.fingerprint, seen.fingerprint)) {
          refusedHostKey = true;
          return false;
        }
        return true;
      },
      // Our own timers say which stage was slow; this is only a backstop.
      readyTimeout: timeouts.connectTimeoutMs + timeouts.handshakeTimeoutMs + 5_000,
      keepaliveInterval: 15_000,
      keepaliveCountMax: 4,
    };
    if (key !== null) {
      config.privateKey = key.pem;
      if (key.passphrase) config.passphrase = key.passphrase;
      config.authHandler = ["publickey"];
    }
    if (pinned?.type) {
      config.algorithms = { serverHostKey: hostKeyAlgorithmsFor(pinned.type) } as Algorithms;
    }
    startTimer(timeouts.connectTimeoutMs);
    client.connect(config);
  });
}
