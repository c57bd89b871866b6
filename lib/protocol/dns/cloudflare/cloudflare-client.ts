/**
 * The few Cloudflare API v4 calls DNS-01 needs, with an API token (never the Global API Key):
 * find the zone of a name, create a TXT record, delete it by id. Cloudflare's `errors[]` become
 * sentences that say what to change. `fetch` is injectable for the unit tests.
 */
import { AppError } from "@/lib/core/app-error";

export const CLOUDFLARE_API_URL = "https://api.cloudflare.com/client/v4";
const REQUEST_TIMEOUT_MS = 15_000;

export interface CloudflareZone {
  id: string;
  name: string;
}

export interface CloudflareTxtRecord {
  id: string;
  name: string;
  /** The value without the quotation marks Cloudflare stores around TXT content. */
  value: string;
}

interface CloudflareError {
  code: number;
  message: string;
}

interface CloudflareEnvelope<T> {
  success: boolean;
  errors?: CloudflareError[];
  result: T;
  result_info?: { page: number; total_pages?: number };
}

export interface CloudflareClientOptions {
  apiToken: string;
  fetch?: typeof fetch;
  baseUrl?: string;
  signal?: AbortSignal;
}

/** Cloudflare codes for a token it does not accept at all (revoked, mistyped, wrong header). */
const INVALID_TOKEN_CODES = new Set([1000, 6003, 6111, 9103, 9106]);
/**
 * 9109 means both "Invalid access token" and "Unauthorized to access requested resource" (a
 * valid token without this zone); its message tells which.
 */
const AMBIGUOUS_AUTH_CODE = 9109;
/** "Authentication error": the token is fine but lacks the permission or zone this call needs. */
const MISSING_PERMISSION_CODE = 10000;
const IDENTICAL_RECORD_CODES = new Set([81057, 81058]);
const UNKNOWN_OBJECT_CODES = new Set([7000, 7003, 1049, 81044]);

function isInvalidToken(status: number, errors: CloudflareError[]): boolean {
  if (errors.some((error) => INVALID_TOKEN_CODES.has(error.code) || (error.code === AMBIGUOUS_AUTH_CODE && /invalid/i.test(error.message)))) return true;
  return status === 401 && !errors.some((error) => error.code === MISSING_PERMISSION_CODE || error.code === AMBIGUOUS_AUTH_CODE);
}

function cloudflareError(message: string, options: { isRetryable?: boolean; cause?: unknown } = {}): AppError {
  return new AppError("challenge_failed", message, { reason: "dns", isRetryable: options.isRetryable ?? false, cause: options.cause });
}

/** The API's own words, for the end of a sentence: "Invalid access token (9109)". */
function quoteErrors(errors: CloudflareError[]): string {
  return errors.map((error) => `${error.message} (${error.code})`).join("; ");
}

/** TXT content in the quoted form Cloudflare asks for (RFC 1035 character-strings). */
export function quoteTxtContent(value: string): string {
  return `"${value}"`;
}

export function unquoteTxtContent(content: string): string {
  return content.replace(/^"([\s\S]*)"$/, "$1").replace(/" "/g, "");
}

export class CloudflareApiError extends AppError {
  readonly codes: number[];
  readonly status: number;
  constructor(message: string, status: number, codes: number[], isRetryable: boolean) {
    super("challenge_failed", message, { reason: "dns", isRetryable });
    this.status = status;
    this.codes = codes;
  }
}

export function createCloudflareClient(options: CloudflareClientOptions) {
  const fetchImpl = options.fetch ?? fetch;
  const baseUrl = (options.baseUrl ?? CLOUDFLARE_API_URL).replace(/\/$/, "");

  /** One API call; `doing` completes "Cloudflare refused to <doing>". */
  async function call<T>(method: string, path: string, doing: string, body?: unknown): Promise<T> {
    const signals = [AbortSignal.timeout(REQUEST_TIMEOUT_MS), ...(options.signal ? [options.signal] : [])];
    let response: Response;
    try {
      response = await fetchImpl(`${baseUrl}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${options.apiToken}`,
          accept: "application/json",
          ...(body === undefined ? {} : { "content-type": "application/json" }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.any(signals),
      });
    } catch (error) {
      const isTimeout = (error as Error).name === "TimeoutError";
      throw cloudflareError(
        isTimeout
          ? `Cloudflare's API did not answer within ${REQUEST_TIMEOUT_MS / 1000} s while CertDeck tried to ${doing}. Try again later; https://www.cloudflarestatus.com/ shows outages.`
          : `CertDeck could not reach Cloudflare's API (${new URL(baseUrl).host}) to ${doing}: ${(error as Error).message}. Check this host's internet access and proxy settings.`,
        { isRetryable: true, cause: error },
      );
    }
    let envelope: CloudflareEnvelope<T> | null = null;
    try {
      envelope = (await response.json()) as CloudflareEnvelope<T>;
    } catch {
      envelope = null;
    }
    if (response.ok && envelope?.success) return envelope.result;
    const errors = envelope?.errors ?? [];
    const codes = errors.map((error) => error.code);
    const said = errors.length > 0 ? ` Cloudflare said: ${quoteErrors(errors)}.` : ` (HTTP ${response.status})`;
    if (response.status === 429) {
      throw new CloudflareApiError(
        `Cloudflare is rate-limiting this API token, so CertDeck could not ${doing}. It will try again later.${said}`,
        response.status,
        codes,
        true,
      );
    }
    if (response.status >= 500) {
      throw new CloudflareApiError(
        `Cloudflare's API failed (HTTP ${response.status}) while CertDeck tried to ${doing}. Try again later.${said}`,
        response.status,
        codes,
        true,
      );
    }
    if (isInvalidToken(response.status, errors)) {
      throw new CloudflareApiError(
        `Cloudflare does not accept the API token (invalid, expired or revoked), so CertDeck could not ${doing}. Create an API token with the permissions Zone → Zone → Read and Zone → DNS → Edit for your zone (My Profile → API Tokens) and paste it into this DNS provider.${said}`,
        response.status,
        codes,
        false,
      );
    }
    if (codes.includes(MISSING_PERMISSION_CODE) || codes.includes(AMBIGUOUS_AUTH_CODE) || response.status === 403) {
      throw new CloudflareApiError(
        `The API token is valid but may not ${doing}: it lacks a permission or does not include this zone. Edit the token to grant Zone → Zone → Read and Zone → DNS → Edit for the zone.${said}`,
        response.status,
        codes,
        false,
      );
    }
    throw new CloudflareApiError(`Cloudflare refused to ${doing}.${said}`, response.status, codes, false);
  }

  async function getZone(zoneId: string): Promise<CloudflareZone> {
    try {
      const zone = await call<CloudflareZone>("GET", `/zones/${encodeURIComponent(zoneId)}`, `read the zone ${zoneId}`);
      return { id: zone.id, name: zone.name.toLowerCase() };
    } catch (error) {
      if (error instanceof CloudflareApiError && (error.status === 404 || error.codes.some((code) => UNKNOWN_OBJECT_CODES.has(code)))) {
        throw cloudflareError(
          `Cloudflare has no zone with the ID ${zoneId} that this token can see. Copy the zone ID from the zone's Overview page, or leave it empty.`,
          { cause: error },
        );
      }
      throw error;
    }
  }

  /** The zone a name lives in: the longest parent name Cloudflare knows as a zone. */
  async function findZone(name: string): Promise<CloudflareZone> {
    const labels = name.toLowerCase().replace(/\.$/, "").split(".");
    for (let index = 0; index < labels.length - 1; index++) {
      const candidate = labels.slice(index).join(".");
      const zones = await call<CloudflareZone[]>("GET", `/zones?name=${encodeURIComponent(candidate)}`, `look up the zone ${candidate}`);
      const zone = zones.find((found) => found.name.toLowerCase() === candidate);
      if (zone) return { id: zone.id, name: zone.name.toLowerCase() };
    }
    throw cloudflareError(
      `Cloudflare has no zone for ${name} that this API token can see. Check that the domain is on this Cloudflare account and that the token's "Zone Resources" include it, or set the zone ID.`,
    );
  }

  async function listZones(): Promise<CloudflareZone[]> {
    const zones = await call<CloudflareZone[]>("GET", "/zones?per_page=50", "list the zones");
    return zones.map((zone) => ({ id: zone.id, name: zone.name.toLowerCase() }));
  }

  /** User tokens only (account-owned tokens answer "Invalid API Token" here; use listZones for those). */
  async function verifyToken(): Promise<{ status: string }> {
    return call<{ status: string }>("GET", "/user/tokens/verify", "verify the API token");
  }

  async function findTxtRecords(zone: CloudflareZone, name: string): Promise<CloudflareTxtRecord[]> {
    const records = await call<Array<{ id: string; name: string; content: string }>>(
      "GET",
      `/zones/${encodeURIComponent(zone.id)}/dns_records?type=TXT&name=${encodeURIComponent(name)}&per_page=100`,
      `list the TXT records at ${name}`,
    );
    return records.map((record) => ({ id: record.id, name: record.name, value: unquoteTxtContent(record.content) }));
  }

  /**
   * Adds a TXT record (another value at the same name is a separate record; nothing is replaced).
   * An identical record already there (a job resumed after a crash) is taken over.
   */
  async function createTxtRecord(zone: CloudflareZone, name: string, value: string, ttl: number): Promise<CloudflareTxtRecord> {
    try {
      const record = await call<{ id: string; name: string; content: string }>(
        "POST",
        `/zones/${encodeURIComponent(zone.id)}/dns_records`,
        `create the TXT record ${name} in the zone ${zone.name}`,
        { type: "TXT", name, content: quoteTxtContent(value), ttl, comment: "ACME DNS-01 challenge (CertDeck); removed after validation" },
      );
      return { id: record.id, name: record.name, value };
    } catch (error) {
      if (!(error instanceof CloudflareApiError) || !error.codes.some((code) => IDENTICAL_RECORD_CODES.has(code))) throw error;
      const existing = (await findTxtRecords(zone, name)).find((record) => record.value === value);
      if (!existing) throw error;
      return existing;
    }
  }

  async function deleteRecord(zone: CloudflareZone, recordId: string): Promise<void> {
    try {
      await call<{ id: string }>(
        "DELETE",
        `/zones/${encodeURIComponent(zone.id)}/dns_records/${encodeURIComponent(recordId)}`,
        `delete a TXT record in the zone ${zone.name}`,
      );
    } catch (error) {
      // Already gone (deleted by hand, or by an earlier try) is what was wanted.
      if (error instanceof CloudflareApiError && (error.status === 404 || error.codes.includes(81044))) return;
      throw error;
    }
  }

  return { getZone, findZone, listZones, verifyToken, findTxtRecords, createTxtRecord, deleteRecord };
}

export type CloudflareClient = ReturnType<typeof createCloudflareClient>;
