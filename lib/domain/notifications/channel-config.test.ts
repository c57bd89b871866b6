import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { createChannelSchema } from "./channel-config";

const emailChannel = (host: string, security = "starttls") => ({ type: "email", host, security, from: "certdeck@example.com", to: "ops@example.com" });

describe("the e-mail channel form", () => {
  it("takes a host name or an IP address, an IPv6 one with or without brackets", () => {
    for (const [host, stored] of [
      ["smtp.example.com", "smtp.example.com"],
      ["10.0.0.25", "10.0.0.25"],
      ["[2001:db8::25]", "2001:db8::25"],
      ["2001:db8::25", "2001:db8::25"],
    ]) {
      const parsed = createChannelSchema.safeParse(emailChannel(host));
      assert.ok(parsed.success, host);
      assert.equal(parsed.data.config.type === "email" && parsed.data.config.host, stored);
    }
  });

  it("refuses a scheme, a port, a path or what is not an address", () => {
    for (const host of ["smtp://smtp.example.com", "smtp.example.com:587", "smtp.example.com/x", "::::", "a..b"]) {
      const parsed = createChannelSchema.safeParse(emailChannel(host));
      assert.equal(parsed.success, false, host);
      assert.deepEqual(
        parsed.error?.issues.map((issue) => issue.message),
        ["Enter just a host name or an IP address, without scheme, port or path"],
        host,
      );
    }
  });

  it("uses the encryption's usual port when none is given", () => {
    const ports = (["starttls", "tls", "none"] as const).map((security) => {
      const parsed = createChannelSchema.parse(emailChannel("smtp.example.com", security));
      return parsed.config.type === "email" ? parsed.config.port : 0;
    });
    assert.deepEqual(ports, [587, 465, 587]);
  });
});
