import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { challengeUrl, describeProbe, type ProbeContext } from "./http-check";

const url = challengeUrl("shop.example.com", 80, "certdeck-probe-00");
const context: ProbeContext = {
  name: "shop.example.com",
  address: "198.51.100.4",
  port: 80,
  url,
  method: "http-01-app",
  isHostAddress: true,
  webrootPath: null,
  standalonePort: 80,
};

describe("HTTP probe wording", () => {
  it("builds the URL the CA fetches", () => {
    assert.equal(url, "http://shop.example.com/.well-known/acme-challenge/certdeck-probe-00");
    assert.equal(challengeUrl("2001:db8::1", 5002, "t"), "http://[2001:db8::1]:5002/.well-known/acme-challenge/t");
  });

  it("says the nginx location block is missing on a 404 for the app method", () => {
    const check = describeProbe({ outcome: "status", status: 404, server: "nginx", body: "" }, context);
    assert.equal(check.status, "fail");
    assert.equal(
      check.message,
      `nginx at 198.51.100.4 answered 404 for ${url}: the location block that forwards /.well-known/acme-challenge/ to CertDeck is missing.`,
    );
  });

  it("points at the webroot on a 404 for the webroot method", () => {
    const check = describeProbe({ outcome: "status", status: 404, body: "" }, { ...context, method: "http-01-webroot", webrootPath: "/var/www/html" });
    assert.equal(check.message, `The web server at 198.51.100.4 answered 404 for ${url}: it does not serve /var/www/html for shop.example.com.`);
  });

  it("reports a redirect's Location without following it", () => {
    const check = describeProbe({ outcome: "redirect", status: 301, location: "https://shop.example.com/", server: "nginx" }, context);
    assert.equal(check.status, "warn");
    assert.equal(check.message, `nginx at 198.51.100.4 redirects ${url} (301) to https://shop.example.com/.`);
  });

  it("tells refused, timeout and wrong content apart", () => {
    const refused = describeProbe({ outcome: "refused", errno: "ECONNREFUSED" }, context);
    assert.equal(refused.message, `Nothing accepts connections on 198.51.100.4 port 80 (connection refused), so the CA cannot fetch ${url}.`);
    const timeout = describeProbe({ outcome: "timeout", errno: "ETIMEDOUT" }, context);
    assert.equal(
      timeout.message,
      "198.51.100.4 port 80 did not answer within 5 seconds: a firewall probably drops the connection, and the CA will time out too.",
    );
    const wrong = describeProbe({ outcome: "wrong-body", server: "nginx", body: "<!doctype html><title>Shop</title>" }, context);
    assert.equal(wrong.message, `nginx at 198.51.100.4 answered ${url} with other content (<!doctype html><title>Shop</title>) instead of the challenge.`);
    const gateway = describeProbe({ outcome: "status", status: 502, server: "nginx", body: "" }, context);
    assert.equal(gateway.message, `nginx at 198.51.100.4 answered 502 for ${url}: it forwards the request but cannot reach CertDeck.`);
  });

  it("sends the user to the DNS record when the address is not this host", () => {
    const check = describeProbe({ outcome: "refused", errno: "ECONNREFUSED" }, { ...context, address: "203.0.113.9", isHostAddress: false });
    assert.equal(check.fix, "203.0.113.9 is not this host, so fix the DNS record first (see above).");
  });

  it("passes the right answer", () => {
    const check = describeProbe({ outcome: "ok", server: "nginx" }, context);
    assert.deepEqual([check.status, check.message], ["pass", `${url} answers with the challenge through 198.51.100.4.`]);
  });
});
