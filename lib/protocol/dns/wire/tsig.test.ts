/**
 * TSIG against recorded interop vectors: a signed query from dig 9.18 and BIND 9.18's signed
 * answer (fixtures/tsig-dig-bind9.json, captured through a UDP proxy with a throwaway key).
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, it } from "node:test";
import { decodeMessage, RecordType, type TsigData } from "./dns-message";
import { signMessage, verifyResponse, type TsigKey } from "./tsig";

const vector = JSON.parse(readFileSync(path.join(import.meta.dirname, "fixtures", "tsig-dig-bind9.json"), "utf8")) as {
  key: { name: string; algorithm: "hmac-sha256"; secret: string };
  query: string;
  response: string;
};
const key: TsigKey = { name: vector.key.name, algorithm: vector.key.algorithm, secret: Buffer.from(vector.key.secret, "base64") };
const query = Buffer.from(vector.query, "hex");
const response = Buffer.from(vector.response, "hex");

function tsigOf(bytes: Buffer): { data: TsigData; offset: number } {
  const record = decodeMessage(bytes).additionals.find((candidate) => candidate.type === RecordType.TSIG);
  assert.ok(record, "the message carries a TSIG record");
  return { data: record.data as TsigData, offset: record.offset };
}

const queryTsig = tsigOf(query);
const signedAt = new Date(queryTsig.data.timeSigned * 1000);

describe("TSIG (RFC 8945)", () => {
  it("signs exactly like dig: the same message and time give dig's MAC, byte for byte", () => {
    const unsigned = Buffer.from(query.subarray(0, queryTsig.offset));
    unsigned.writeUInt16BE(unsigned.readUInt16BE(10) - 1, 10);
    const { signed, mac } = signMessage(unsigned, key, signedAt);
    assert.equal(mac.toString("base64"), queryTsig.data.mac.toString("base64"));
    assert.equal(signed.toString("hex"), query.toString("hex"));
  });

  it("verifies dig's request and BIND's answer to it", () => {
    assert.deepEqual(verifyResponse(query, key, null, signedAt), { ok: true });
    assert.deepEqual(verifyResponse(response, key, queryTsig.data.mac, signedAt), { ok: true });
  });

  it("refuses a tampered answer, a wrong secret, a wrong key name, and an answer to another request", () => {
    const tampered = Buffer.from(response);
    tampered[tsigOf(response).offset - 4] ^= 0x01; // the SOA minimum TTL
    assert.deepEqual(verifyResponse(tampered, key, queryTsig.data.mac, signedAt), { ok: false, problem: "bad-mac" });
    const wrongSecret = { ...key, secret: Buffer.from("another secret entirely") };
    assert.deepEqual(verifyResponse(response, wrongSecret, queryTsig.data.mac, signedAt), { ok: false, problem: "bad-mac" });
    assert.deepEqual(verifyResponse(response, { ...key, name: "other-key" }, queryTsig.data.mac, signedAt), { ok: false, problem: "wrong-key" });
    assert.deepEqual(verifyResponse(response, key, Buffer.alloc(32, 1), signedAt), { ok: false, problem: "bad-mac" });
  });

  it("refuses a signature from outside the allowed clock difference (fudge, 300 s)", () => {
    const later = new Date(signedAt.getTime() + 301_000);
    assert.deepEqual(verifyResponse(response, key, queryTsig.data.mac, later), { ok: false, problem: "bad-time" });
    assert.deepEqual(verifyResponse(response, key, queryTsig.data.mac, new Date(signedAt.getTime() + 299_000)), { ok: true });
  });

  it("reports an unsigned answer", () => {
    const unsigned = Buffer.from(response.subarray(0, tsigOf(response).offset));
    unsigned.writeUInt16BE(0, 10);
    assert.deepEqual(verifyResponse(unsigned, key, queryTsig.data.mac, signedAt), { ok: false, problem: "unsigned" });
  });

  it("signs with each algorithm it offers and verifies its own signature", () => {
    const unsigned = Buffer.from(query.subarray(0, queryTsig.offset));
    unsigned.writeUInt16BE(0, 10);
    for (const algorithm of ["hmac-sha1", "hmac-sha224", "hmac-sha256", "hmac-sha384", "hmac-sha512"] as const) {
      const ownKey = { ...key, algorithm };
      const { signed, mac } = signMessage(unsigned, ownKey, signedAt);
      assert.equal(mac.length, { "hmac-sha1": 20, "hmac-sha224": 28, "hmac-sha256": 32, "hmac-sha384": 48, "hmac-sha512": 64 }[algorithm]);
      assert.deepEqual(verifyResponse(signed, ownKey, null, signedAt), { ok: true }, algorithm);
      assert.equal(tsigOf(signed).data.algorithm, algorithm);
    }
  });
});
