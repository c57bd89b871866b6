/**
 * TSIG (RFC 8945): HMAC signatures on DNS messages with a shared secret, as nsupdate and BIND
 * use them. Signs requests and verifies the server's signed answers.
 */
import { createHmac, timingSafeEqual } from "node:crypto";
import { decodeMessage, encodeName, encodeRecord, RecordClass, RecordType, type DecodedMessage, type TsigData } from "@/lib/protocol/dns/wire/dns-message";

/** TSIG algorithms by the names BIND's `tsig-keygen -a` uses; the first is the default. */
export const TSIG_ALGORITHM_IDS = ["hmac-sha256", "hmac-sha1", "hmac-sha224", "hmac-sha384", "hmac-sha512"] as const;
export type TsigAlgorithm = (typeof TSIG_ALGORITHM_IDS)[number];

/** The hash behind each algorithm CertDeck offers (names as BIND's `tsig-keygen -a` uses them). */
const TSIG_ALGORITHMS: Record<TsigAlgorithm, string> = {
  "hmac-sha256": "sha256",
  "hmac-sha1": "sha1",
  "hmac-sha224": "sha224",
  "hmac-sha384": "sha384",
  "hmac-sha512": "sha512",
};

export interface TsigKey {
  name: string;
  algorithm: TsigAlgorithm;
  secret: Buffer;
}

/** Seconds of clock difference allowed (RFC 8945 recommends 300). */
const FUDGE_SECONDS = 300;

function u16(value: number): Buffer {
  const buffer = Buffer.alloc(2);
  buffer.writeUInt16BE(value);
  return buffer;
}

/** The TSIG variables of RFC 8945 §4.3.3, in the order they are digested. */
function tsigVariables(keyName: string, tsig: Omit<TsigData, "mac" | "originalId">): Buffer {
  const fixed = Buffer.alloc(6);
  fixed.writeUInt16BE(RecordClass.ANY, 0);
  fixed.writeUInt32BE(0, 2);
  const timers = Buffer.alloc(8);
  timers.writeUIntBE(tsig.timeSigned, 0, 6);
  timers.writeUInt16BE(tsig.fudge, 6);
  return Buffer.concat([
    encodeName(keyName, { lowercase: true }),
    fixed,
    encodeName(tsig.algorithm, { lowercase: true }),
    timers,
    u16(tsig.error),
    u16(tsig.otherData.length),
    tsig.otherData,
  ]);
}

function hmac(key: TsigKey, ...parts: Buffer[]): Buffer {
  const mac = createHmac(TSIG_ALGORITHMS[key.algorithm], key.secret);
  for (const part of parts) mac.update(part);
  return mac.digest();
}

function tsigRdata(tsig: TsigData): Buffer {
  const timers = Buffer.alloc(10);
  timers.writeUIntBE(tsig.timeSigned, 0, 6);
  timers.writeUInt16BE(tsig.fudge, 6);
  timers.writeUInt16BE(tsig.mac.length, 8);
  return Buffer.concat([encodeName(tsig.algorithm), timers, tsig.mac, u16(tsig.originalId), u16(tsig.error), u16(tsig.otherData.length), tsig.otherData]);
}

/**
 * Appends a TSIG record to an encoded message (its ARCOUNT must not count it yet). Returns the
 * signed message and the MAC, which the answer's signature covers.
 */
export function signMessage(message: Buffer, key: TsigKey, now: Date = new Date()): { signed: Buffer; mac: Buffer } {
  const base = { algorithm: key.algorithm, timeSigned: Math.floor(now.getTime() / 1000), fudge: FUDGE_SECONDS, error: 0, otherData: Buffer.alloc(0) };
  const mac = hmac(key, message, tsigVariables(key.name, base));
  const record = encodeRecord({
    name: key.name,
    type: RecordType.TSIG,
    class: RecordClass.ANY,
    ttl: 0,
    rdata: tsigRdata({ ...base, mac, originalId: message.readUInt16BE(0) }),
  });
  const signed = Buffer.concat([message, record]);
  signed.writeUInt16BE(message.readUInt16BE(10) + 1, 10);
  return { signed, mac };
}

export type TsigVerification =
  | { ok: true }
  /** unsigned: no TSIG in the answer; tsig-error: the server reports BADSIG/BADKEY/BADTIME in it. */
  | { ok: false; problem: "unsigned" | "tsig-error" | "bad-mac" | "bad-time" | "wrong-key"; tsigError?: number };

/**
 * Checks the signature of a server's answer to a request signed with `requestMac`, or of a
 * request itself when `requestMac` is null.
 */
export function verifyResponse(
  bytes: Buffer,
  key: TsigKey,
  requestMac: Buffer | null,
  now: Date = new Date(),
  decoded: DecodedMessage = decodeMessage(bytes),
): TsigVerification {
  const record = decoded.additionals.at(-1);
  if (!record || record.type !== RecordType.TSIG || !record.data || typeof record.data !== "object" || !("mac" in record.data)) {
    return { ok: false, problem: "unsigned" };
  }
  const tsig = record.data;
  if (tsig.error !== 0) return { ok: false, problem: "tsig-error", tsigError: tsig.error };
  if (record.name.toLowerCase() !== key.name.toLowerCase().replace(/\.$/, "") || tsig.algorithm.toLowerCase() !== key.algorithm) {
    return { ok: false, problem: "wrong-key" };
  }
  const unsigned = Buffer.from(bytes.subarray(0, record.offset));
  unsigned.writeUInt16BE(tsig.originalId, 0);
  unsigned.writeUInt16BE(unsigned.readUInt16BE(10) - 1, 10);
  const prefix = requestMac ? [u16(requestMac.length), requestMac] : [];
  const expected = hmac(key, ...prefix, unsigned, tsigVariables(record.name, tsig));
  // RFC 8945 §5.2.2.1: a truncated MAC must keep at least half the hash and 10 bytes.
  const minimum = Math.max(10, expected.length / 2);
  if (tsig.mac.length < minimum || tsig.mac.length > expected.length || !timingSafeEqual(tsig.mac, expected.subarray(0, tsig.mac.length))) {
    return { ok: false, problem: "bad-mac" };
  }
  if (Math.abs(Math.floor(now.getTime() / 1000) - tsig.timeSigned) > tsig.fudge) return { ok: false, problem: "bad-time" };
  return { ok: true };
}
