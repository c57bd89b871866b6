/**
 * The Cloudflare client's HTTP calls, against recorded Cloudflare API v4 responses (fixtures/),
 * through an injected fetch that also checks each request.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, it } from "node:test";
import { AppError } from "@/lib/core/app-error";
import { createCloudflareClient, quoteTxtContent, unquoteTxtContent } from "./cloudflare-client";

const TOKEN = "Y2xvdWRmbGFyZS10b2tlbi1mb3ItdGVzdHMtMDE";
const ZONE = { id: "023e105f4ecef8ad9ca31a8372d0c353", name: "example.com" };
const VALUE = "LoqXcYV8q5ONbJQxbmR7SCTNo3tiAXDfowyjxAjEuX0";

function fixture(name: string): { status: number; body: unknown } {
  return JSON.parse(readFileSync(path.join(import.meta.dirname, "fixtures", `${name}.json`), "utf8"));
}

interface RecordedRequest {
  method: string;
  url: URL;
  authorization: string | null;
  body: unknown;
}

/** A fetch that answers each request with the next fixture and records what was asked. */
function scriptedFetch(...fixtures: string[]) {
  const requests: RecordedRequest[] = [];
  const fake = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const headers = new Headers(init?.headers);
    requests.push({
      method: init?.method ?? "GET",
      url: new URL(String(input)),
      authorization: headers.get("authorization"),
      body: typeof init?.body === "string" ? JSON.parse(init.body) : undefined,
    });
    const next = fixtures.shift();
    if (!next) throw new Error(`unexpected request: ${init?.method} ${String(input)}`);
    const { status, body } = fixture(next);
    return new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });
  };
  return { fetch: fake as typeof fetch, requests, remaining: () => fixtures.length };
}

async function rejection(promise: Promise<unknown>): Promise<AppError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof AppError, `an AppError, got ${String(error)}`);
    return error;
  }
  assert.fail("expected a rejection");
}

describe("Cloudflare client", () => {
  it("finds a name's zone by walking up its labels, sending the token as a bearer token", async () => {
    const api = scriptedFetch("zones-empty", "zones-empty", "zones-example-com");
    const client = createCloudflareClient({ apiToken: TOKEN, fetch: api.fetch });
    assert.deepEqual(await client.findZone("_acme-challenge.www.example.com"), ZONE);
    assert.deepEqual(
      api.requests.map((request) => [request.method, request.url.pathname, request.url.searchParams.get("name")]),
      [
        ["GET", "/client/v4/zones", "_acme-challenge.www.example.com"],
        ["GET", "/client/v4/zones", "www.example.com"],
        ["GET", "/client/v4/zones", "example.com"],
      ],
      "stops at the first zone found, before the top-level domain",
    );
    assert.equal(api.requests[0].authorization, `Bearer ${TOKEN}`);
    assert.equal(api.requests[0].url.origin, "https://api.cloudflare.com");
  });

  it("says plainly when no zone matches, after trying every parent but the top-level domain", async () => {
    const api = scriptedFetch("zones-empty", "zones-empty");
    const client = createCloudflareClient({ apiToken: TOKEN, fetch: api.fetch });
    const error = await rejection(client.findZone("_acme-challenge.example.org"));
    assert.match(error.userMessage, /Cloudflare has no zone for _acme-challenge\.example\.org that this API token can see/);
    assert.equal(api.requests.length, 2, "org itself is not asked");
  });

  it("creates the TXT record with quoted content and a short TTL, and deletes it by id", async () => {
    const api = scriptedFetch("dns-record-created", "dns-record-deleted");
    const client = createCloudflareClient({ apiToken: TOKEN, fetch: api.fetch });
    const record = await client.createTxtRecord(ZONE, "_acme-challenge.www.example.com", VALUE, 60);
    assert.deepEqual(record, { id: "372e67954025e0ba6aaa6d586b9e0b59", name: "_acme-challenge.www.example.com", value: VALUE });
    assert.equal(api.requests[0].method, "POST");
    assert.equal(api.requests[0].url.pathname, `/client/v4/zones/${ZONE.id}/dns_records`);
    assert.deepEqual(
      { ...(api.requests[0].body as Record<string, unknown>), comment: undefined },
      { type: "TXT", name: "_acme-challenge.www.example.com", content: `"${VALUE}"`, ttl: 60, comment: undefined },
    );
    await client.deleteRecord(ZONE, record.id);
    assert.equal(api.requests[1].method, "DELETE");
    assert.equal(api.requests[1].url.pathname, `/client/v4/zones/${ZONE.id}/dns_records/${record.id}`);
  });

  it("takes over an identical record that is already there (a resumed job) instead of failing", async () => {
    const api = scriptedFetch("error-identical-record", "dns-records-txt");
    const client = createCloudflareClient({ apiToken: TOKEN, fetch: api.fetch });
    const record = await client.createTxtRecord(ZONE, "_acme-challenge.www.example.com", VALUE, 60);
    assert.equal(record.id, "9a7806061c88ada191ed06f989cc3dac");
    assert.equal(record.value, VALUE);
    assert.equal(api.requests[1].url.searchParams.get("type"), "TXT");
    assert.equal(api.requests[1].url.searchParams.get("name"), "_acme-challenge.www.example.com");
  });

  it("treats deleting a record that is already gone as done", async () => {
    const api = scriptedFetch("error-record-not-found");
    const client = createCloudflareClient({ apiToken: TOKEN, fetch: api.fetch });
    await client.deleteRecord(ZONE, "9a7806061c88ada191ed06f989cc3dac");
    assert.equal(api.remaining(), 0);
  });

  it("explains an invalid token, and a malformed one, as a token to replace", async () => {
    for (const name of ["error-invalid-token", "error-malformed-authorization"]) {
      const client = createCloudflareClient({ apiToken: TOKEN, fetch: scriptedFetch(name).fetch });
      const error = await rejection(client.findZone("www.example.com"));
      assert.match(error.userMessage, /Cloudflare does not accept the API token/, name);
      assert.match(error.userMessage, /Zone → DNS → Edit/);
      assert.equal(error.isRetryable, false);
      assert.ok(!error.userMessage.includes(TOKEN), "the token is never repeated");
    }
  });

  it("explains a token without DNS edit permission", async () => {
    const client = createCloudflareClient({ apiToken: TOKEN, fetch: scriptedFetch("error-authentication").fetch });
    const error = await rejection(client.createTxtRecord(ZONE, "_acme-challenge.example.com", VALUE, 60));
    assert.match(error.userMessage, /The API token is valid but may not create the TXT record _acme-challenge\.example\.com in the zone example\.com/);
    assert.match(error.userMessage, /Zone → DNS → Edit/);
    assert.match(error.userMessage, /Authentication error \(10000\)/);
  });

  it("explains a zone the token does not cover, and an unknown zone ID", async () => {
    const outside = createCloudflareClient({ apiToken: TOKEN, fetch: scriptedFetch("error-unauthorized-resource").fetch });
    assert.match((await rejection(outside.getZone(ZONE.id))).userMessage, /lacks a permission or does not include this zone/);
    const unknown = createCloudflareClient({ apiToken: TOKEN, fetch: scriptedFetch("error-unknown-zone").fetch });
    assert.match((await rejection(unknown.getZone("0123456789abcdef0123456789abcdef"))).userMessage, /no zone with the ID 0123456789abcdef0123456789abcdef/);
  });

  it("marks rate limiting and network failures as worth retrying", async () => {
    const limited = createCloudflareClient({ apiToken: TOKEN, fetch: scriptedFetch("error-rate-limited").fetch });
    const error = await rejection(limited.findZone("www.example.com"));
    assert.equal(error.isRetryable, true);
    assert.match(error.userMessage, /rate-limiting/);
    const offline = createCloudflareClient({
      apiToken: TOKEN,
      fetch: (async () => {
        throw new TypeError("fetch failed");
      }) as typeof fetch,
    });
    const networkError = await rejection(offline.findZone("www.example.com"));
    assert.equal(networkError.isRetryable, true);
    assert.match(networkError.userMessage, /could not reach Cloudflare's API \(api\.cloudflare\.com\)/);
  });

  it("reads a zone by ID and verifies a token", async () => {
    const api = scriptedFetch("zone-get", "token-verify-active");
    const client = createCloudflareClient({ apiToken: TOKEN, fetch: api.fetch });
    assert.deepEqual(await client.getZone(ZONE.id), ZONE);
    assert.deepEqual(await client.verifyToken(), { id: "ed17574386854bf78a67040be0a770b0", status: "active" });
    assert.equal(api.requests[1].url.pathname, "/client/v4/user/tokens/verify");
  });

  it("quotes TXT content the way Cloudflare stores it, and reads it back", () => {
    assert.equal(quoteTxtContent(VALUE), `"${VALUE}"`);
    assert.equal(unquoteTxtContent(`"${VALUE}"`), VALUE);
    assert.equal(unquoteTxtContent(VALUE), VALUE);
  });
});
