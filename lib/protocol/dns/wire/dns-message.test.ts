import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, it } from "node:test";
import {
  decodeMessage,
  DnsFormatError,
  encodeMessage,
  encodeName,
  encodeTxtRdata,
  Opcode,
  queryMessage,
  Rcode,
  rcodeName,
  RecordClass,
  RecordType,
  updateMessage,
  type SoaData,
} from "./dns-message";

const recorded = JSON.parse(readFileSync(path.join(import.meta.dirname, "fixtures", "tsig-dig-bind9.json"), "utf8")) as { response: string };

describe("DNS messages", () => {
  it("reads BIND's answer, following compression pointers", () => {
    const answer = decodeMessage(Buffer.from(recorded.response, "hex"));
    assert.equal(answer.isResponse, true);
    assert.equal(answer.isAuthoritative, true);
    assert.equal(answer.rcode, Rcode.NOERROR);
    assert.deepEqual(answer.questions, [{ name: "example.test", type: RecordType.SOA, class: RecordClass.IN }]);
    const soa = answer.answers[0].data as SoaData;
    assert.equal(answer.answers[0].name, "example.test");
    assert.equal(soa.primaryServer, "ns1.example.test");
    assert.equal(soa.responsibleMailbox, "hostmaster.example.test");
    assert.deepEqual([soa.serial, soa.refresh, soa.retry, soa.expire, soa.minimum], [1, 3600, 600, 86400, 60]);
  });

  it("writes an UPDATE that reads back the same: zone, additions and exact deletions", () => {
    const bytes = encodeMessage({
      id: 0x1234,
      opcode: Opcode.UPDATE,
      questions: [{ name: "example.test", type: RecordType.SOA, class: RecordClass.IN }],
      authorities: [
        { name: "_acme-challenge.example.test", type: RecordType.TXT, class: RecordClass.IN, ttl: 60, rdata: encodeTxtRdata("value-one") },
        { name: "_acme-challenge.example.test", type: RecordType.TXT, class: RecordClass.NONE, ttl: 0, rdata: encodeTxtRdata("value-two") },
      ],
    });
    const read = decodeMessage(bytes);
    assert.equal(read.id, 0x1234);
    assert.equal(read.opcode, Opcode.UPDATE);
    assert.equal(read.isResponse, false);
    assert.deepEqual(
      read.authorities.map((record) => [record.name, record.class, record.ttl, record.data]),
      [
        ["_acme-challenge.example.test", RecordClass.IN, 60, "value-one"],
        ["_acme-challenge.example.test", RecordClass.NONE, 0, "value-two"],
      ],
    );
  });

  it("builds questions and UPDATEs: class IN, the zone section, prerequisites and updates in their sections", () => {
    const question = decodeMessage(encodeMessage(queryMessage("example.test", RecordType.SOA, { recursionDesired: true })));
    assert.deepEqual(
      [question.opcode, question.recursionDesired, question.questions],
      [Opcode.QUERY, true, [{ name: "example.test", type: RecordType.SOA, class: RecordClass.IN }]],
    );
    const prerequisite = { name: "example.test", type: RecordType.ANY, class: RecordClass.ANY, ttl: 0, rdata: Buffer.alloc(0) };
    const addition = { name: "_acme-challenge.example.test", type: RecordType.TXT, class: RecordClass.IN, ttl: 60, rdata: encodeTxtRdata("value") };
    const update = decodeMessage(encodeMessage(updateMessage("example.test", { prerequisites: [prerequisite], updates: [addition] })));
    assert.deepEqual(
      [update.opcode, update.questions, update.answers.map((record) => record.type), update.authorities.map((record) => record.data)],
      [Opcode.UPDATE, [{ name: "example.test", type: RecordType.SOA, class: RecordClass.IN }], [RecordType.ANY], ["value"]],
    );
  });

  it("splits TXT values longer than 255 bytes into character-strings and joins them back", () => {
    const long = "x".repeat(300);
    const rdata = encodeTxtRdata(long);
    assert.deepEqual([rdata[0], rdata[256]], [255, 45]);
    assert.deepEqual([...encodeTxtRdata("")], [0]);
    const bytes = encodeMessage({
      id: 1,
      opcode: Opcode.QUERY,
      questions: [],
      additionals: [{ name: "a.test", type: RecordType.TXT, class: RecordClass.IN, ttl: 1, rdata }],
    });
    assert.equal(decodeMessage(bytes).additionals[0].data, long);
  });

  it("reads A and AAAA addresses in their usual text forms", () => {
    const bytes = encodeMessage({
      id: 2,
      opcode: Opcode.QUERY,
      questions: [],
      additionals: [
        { name: "ns1.test", type: RecordType.A, class: RecordClass.IN, ttl: 1, rdata: Buffer.from([192, 0, 2, 53]) },
        { name: "ns1.test", type: RecordType.AAAA, class: RecordClass.IN, ttl: 1, rdata: Buffer.from("20010db8000000000000000000000053", "hex") },
        { name: "ns1.test", type: RecordType.AAAA, class: RecordClass.IN, ttl: 1, rdata: Buffer.from("20010db8000100000001000000000001", "hex") },
      ],
    });
    assert.deepEqual(
      decodeMessage(bytes).additionals.map((record) => record.data),
      ["192.0.2.53", "2001:db8::53", "2001:db8:1:0:1::1"],
    );
  });

  it("reads CAA records: flags, tag and value", () => {
    const rdata = Buffer.concat([Buffer.from([128, 5]), Buffer.from("issue"), Buffer.from("letsencrypt.org; accounturi=https://acme.example/acct/1")]);
    const bytes = encodeMessage({
      id: 3,
      opcode: Opcode.QUERY,
      questions: [],
      answers: [{ name: "example.test", type: RecordType.CAA, class: RecordClass.IN, ttl: 1, rdata }],
    });
    assert.deepEqual(decodeMessage(bytes).answers[0].data, { flags: 128, tag: "issue", value: "letsencrypt.org; accounturi=https://acme.example/acct/1" });
    const short = encodeMessage({
      id: 4,
      opcode: Opcode.QUERY,
      questions: [],
      answers: [{ name: "example.test", type: RecordType.CAA, class: RecordClass.IN, ttl: 1, rdata: Buffer.from([0, 9, 0x69]) }],
    });
    assert.throws(() => decodeMessage(short), DnsFormatError);
  });

  it("refuses names that cannot be written, and messages that loop or run short", () => {
    assert.throws(() => encodeName(`${"a".repeat(64)}.test`), DnsFormatError);
    assert.throws(() => encodeName("a..test"), DnsFormatError);
    assert.throws(() => encodeName(Array.from({ length: 130 }, () => "ab").join(".")), DnsFormatError);
    assert.deepEqual([...encodeName("")], [0]);
    assert.deepEqual([...encodeName("Ab.", { lowercase: true })], [2, 0x61, 0x62, 0]);
    const looping = Buffer.from("000081800001000000000000c00c00060001", "hex");
    assert.throws(() => decodeMessage(looping), /compression loop/);
    assert.throws(() => decodeMessage(Buffer.from(recorded.response, "hex").subarray(0, 40)), DnsFormatError);
  });

  it("names RCODEs", () => {
    assert.equal(rcodeName(Rcode.NOTAUTH), "NOTAUTH");
    assert.equal(rcodeName(Rcode.BADSIG), "BADSIG");
    assert.equal(rcodeName(42), "RCODE 42");
  });
});
