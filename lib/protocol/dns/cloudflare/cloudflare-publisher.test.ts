/**
 * The Cloudflare provider's choices (which zone, which records to delete, what the Test button
 * says) against recorded Cloudflare API v4 responses through an injected fetch.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, it } from "node:test";
import { createCloudflarePublisher, testCloudflareProvider } from "./cloudflare-publisher";

const TOKEN = "Y2xvdWRmbGFyZS10b2tlbi1mb3ItdGVzdHMtMDE";
const ZONE_ID = "023e105f4ecef8ad9ca31a8372d0c353";

/** Answers requests whose "METHOD path?query" matches a route, in order; records every request. */
function routedFetch(routes: Array<[RegExp, string]>) {
  const requests: string[] = [];
  const fake = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const url = new URL(String(input));
    const line = `${init?.method ?? "GET"} ${url.pathname.replace("/client/v4", "")}${url.search}`;
    requests.push(line);
    const index = routes.findIndex(([pattern]) => pattern.test(line));
    if (index < 0) throw new Error(`unexpected request: ${line}`);
    const [[, name]] = routes.splice(index, 1);
    const { status, body } = JSON.parse(readFileSync(path.join(import.meta.dirname, "fixtures", `${name}.json`), "utf8"));
    return new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });
  };
  return { fetch: fake as typeof fetch, requests };
}

describe("Cloudflare provider", () => {
  it("writes into the configured zone, and deletes exactly the records it created", async () => {
    const api = routedFetch([
      [/^GET \/zones\/023e/, "zone-get"],
      [/^POST \/zones\/023e.*\/dns_records$/, "dns-record-created"],
      [/^DELETE \/zones\/023e.*\/dns_records\/372e67954025e0ba6aaa6d586b9e0b59$/, "dns-record-deleted"],
    ]);
    const publisher = createCloudflarePublisher({ config: { zoneId: ZONE_ID }, credentials: { apiToken: TOKEN } }, { fetch: api.fetch });
    const record = await publisher.add("_acme-challenge.www.Example.com.", "LoqXcYV8q5ONbJQxbmR7SCTNo3tiAXDfowyjxAjEuX0");
    assert.deepEqual(record, {
      name: "_acme-challenge.www.example.com",
      value: "LoqXcYV8q5ONbJQxbmR7SCTNo3tiAXDfowyjxAjEuX0",
      zone: "example.com",
      providerRecordId: `${ZONE_ID}/372e67954025e0ba6aaa6d586b9e0b59`,
    });
    await publisher.remove([record]);
    assert.equal(api.requests.length, 3, api.requests.join("\n"));
  });

  it("looks the zone up by name when a CNAME leads outside the configured zone", async () => {
    const api = routedFetch([
      [/^GET \/zones\/023e/, "zone-get"],
      [/^GET \/zones\?name=www\.acme-delegation\.net$/, "zones-empty"],
      [/^GET \/zones\?name=acme-delegation\.net$/, "zones-acme-delegation-net"],
      [/^POST \/zones\/5f1b8a1ed6d3c9a05c1b0e4f7e2a9c10\/dns_records$/, "dns-record-created"],
      [/^DELETE \/zones\/5f1b8a1ed6d3c9a05c1b0e4f7e2a9c10\/dns_records\/372e67954025e0ba6aaa6d586b9e0b59$/, "dns-record-deleted"],
    ]);
    const publisher = createCloudflarePublisher({ config: { zoneId: ZONE_ID }, credentials: { apiToken: TOKEN } }, { fetch: api.fetch });
    const record = await publisher.add("www.acme-delegation.net", "LoqXcYV8q5ONbJQxbmR7SCTNo3tiAXDfowyjxAjEuX0");
    assert.equal(record.zone, "acme-delegation.net");
    await publisher.remove([record]);
    assert.deepEqual(api.requests.slice(1, 3), ["GET /zones?name=www.acme-delegation.net", "GET /zones?name=acme-delegation.net"]);
    assert.equal(api.requests.length, 5);
  });

  it("Test button: with a zone ID, creates and deletes a test record; without, lists the zones it sees", async () => {
    const withZone = routedFetch([
      [/^GET \/zones\/023e/, "zone-get"],
      [/^POST \/zones\/023e.*\/dns_records$/, "dns-record-created"],
      [/^DELETE \/zones\/023e/, "dns-record-deleted"],
    ]);
    const tested = await testCloudflareProvider({ config: { zoneId: ZONE_ID }, credentials: { apiToken: TOKEN } }, { fetch: withZone.fetch });
    assert.deepEqual(tested, {
      ok: true,
      message: "Works: the token can change TXT records in example.com.",
      steps: [
        { ok: true, message: "The token reads the zone example.com." },
        { ok: true, message: "A test TXT record at _acme-challenge.example.com was created and deleted again." },
      ],
    });

    const listed = await testCloudflareProvider(
      { config: { zoneId: null }, credentials: { apiToken: TOKEN } },
      { fetch: routedFetch([[/^GET \/zones\?per_page=50$/, "zones-example-com"]]).fetch },
    );
    assert.equal(listed.ok, true);
    assert.match(listed.message, /^The token works and sees example\.com\. Whether it may edit DNS records shows at the first issuance/);

    const refused = await testCloudflareProvider(
      { config: { zoneId: null }, credentials: { apiToken: TOKEN } },
      { fetch: routedFetch([[/^GET \/zones/, "error-invalid-token"]]).fetch },
    );
    assert.equal(refused.ok, false);
    assert.match(refused.message, /^Cloudflare does not accept the API token/);
  });
});
