import assert from "node:assert/strict";
import dgram from "node:dgram";
import { after, before, describe, it } from "node:test";
import { classifyDnsFailure, createDnsClient, followCnames, lookupAddresses, lookupCaa, parseResolverList } from "./dns-client";
import { decodeMessage, encodeName, encodeRecord, Rcode, RecordClass, RecordType, type DnsRecord } from "./wire/dns-message";
import { DnsTransportError } from "./wire/dns-transport";

describe("parseResolverList", () => {
  it("accepts IPv4 and IPv6 resolvers with optional ports", () => {
    assert.deepEqual(parseResolverList("1.1.1.1, 8.8.8.8:53\n127.0.0.1:8053 2001:db8::53 [2001:db8::54]:5353 [::1]"), {
      ok: true,
      servers: ["1.1.1.1", "8.8.8.8:53", "127.0.0.1:8053", "2001:db8::53", "[2001:db8::54]:5353", "::1"],
    });
    assert.deepEqual(parseResolverList("  "), { ok: true, servers: [] }, "empty: the system's resolvers");
  });

  it("refuses host names, bad ports and junk, naming each entry", () => {
    const result = parseResolverList("dns.google, 1.1.1.1:99999, 300.1.1.1, 1.1.1.1");
    assert.equal(result.ok, false);
    if (result.ok) return;
    assert.equal(result.errors.length, 3);
    assert.match(result.errors[0], /^"dns\.google": enter the resolver's IP address/);
    assert.match(result.errors[1], /^"1\.1\.1\.1:99999"/);
    assert.match(result.errors[2], /^"300\.1\.1\.1"/);
  });
});

describe("classifyDnsFailure", () => {
  it("tells NXDOMAIN, no data, SERVFAIL, timeouts and refusals apart", () => {
    const code = (outcome: Parameters<typeof classifyDnsFailure>[0]) => classifyDnsFailure(outcome).code;
    const unanswered = (problem: DnsTransportError["problem"]) => new DnsTransportError(problem, problem);
    assert.equal(code({ rcode: Rcode.NXDOMAIN }), "nxdomain");
    assert.equal(code({ rcode: Rcode.NOERROR }), "nodata", "NOERROR without records of the type");
    assert.equal(code({ rcode: Rcode.SERVFAIL }), "servfail");
    assert.equal(code(unanswered("timeout")), "timeout");
    assert.equal(code(unanswered("refused")), "refused", "nothing listens (connection refused)");
    assert.equal(code({ rcode: Rcode.REFUSED }), "refused", "the resolver answers REFUSED");
    assert.equal(code(unanswered("malformed")), "error");
    assert.equal(code({ rcode: Rcode.NOTIMP }), "error");
  });

  it("names what happened for the detail", () => {
    assert.deepEqual(classifyDnsFailure({ rcode: Rcode.SERVFAIL }), { code: "servfail", errno: "SERVFAIL" });
    assert.deepEqual(classifyDnsFailure(new DnsTransportError("timeout", "no answer")), { code: "timeout", errno: "ETIMEDOUT" });
    assert.deepEqual(classifyDnsFailure({ rcode: Rcode.FORMERR }), { code: "error", errno: "FORMERR" });
  });
});

/** The answer a stub resolver gives to one question. */
interface StubAnswer {
  rcode?: number;
  records?: DnsRecord[];
}

/** A recursive resolver stand-in on loopback UDP: answers every question from `answer(name, type)`. */
async function startStubResolver(answer: (name: string, type: number) => StubAnswer): Promise<{ server: string; questions: string[]; close(): Promise<void> }> {
  const socket = dgram.createSocket("udp4");
  const questions: string[] = [];
  socket.on("message", (bytes, from) => {
    const query = decodeMessage(bytes);
    const [question] = query.questions;
    questions.push(`${question.name} ${question.type}`);
    const { rcode = Rcode.NOERROR, records = [] } = answer(question.name, question.type);
    const header = Buffer.alloc(12);
    header.writeUInt16BE(query.id, 0);
    header.writeUInt16BE(0x8000 | 0x0100 | 0x0080 | rcode, 2);
    header.writeUInt16BE(1, 4);
    header.writeUInt16BE(records.length, 6);
    // The question as asked: its name, type and class follow the header unchanged.
    const questionBytes = bytes.subarray(12, 12 + encodeName(question.name).length + 4);
    socket.send(Buffer.concat([header, questionBytes, ...records.map(encodeRecord)]), from.port, from.address);
  });
  await new Promise<void>((resolve) => socket.bind(0, "127.0.0.1", resolve));
  return { server: `127.0.0.1:${socket.address().port}`, questions, close: () => new Promise<void>((resolve) => socket.close(() => resolve())) };
}

const record = (name: string, type: number, rdata: Buffer): DnsRecord => ({ name, type, class: RecordClass.IN, ttl: 60, rdata });
const cname = (name: string, target: string) => record(name, RecordType.CNAME, encodeName(target));
const a = (name: string, address: string) => record(name, RecordType.A, Buffer.from(address.split(".").map(Number)));
const caa = (name: string, flags: number, tag: string, value: string) =>
  record(name, RecordType.CAA, Buffer.concat([Buffer.from([flags, tag.length]), Buffer.from(tag), Buffer.from(value)]));

/** A port where nothing listens: UDP questions to it are refused at once. */
async function deadServer(): Promise<string> {
  const socket = dgram.createSocket("udp4");
  await new Promise<void>((resolve) => socket.bind(0, "127.0.0.1", resolve));
  const { port } = socket.address();
  await new Promise<void>((resolve) => socket.close(() => resolve()));
  return `127.0.0.1:${port}`;
}

describe("the DNS client", () => {
  // CNAMEs as a zone would hold them; a recursive resolver answers A with the whole chain in front.
  const aliases: Record<string, string> = {
    "www.example.test": "edge.cdn.test",
    "edge.cdn.test": "pop1.cdn.test",
    "loop-a.example.test": "loop-b.example.test",
    "loop-b.example.test": "loop-a.example.test",
    ...Object.fromEntries(Array.from({ length: 12 }, (_, hop) => [`hop${hop}.example.test`, `hop${hop + 1}.example.test`])),
  };
  const addresses: Record<string, string> = { "pop1.cdn.test": "192.0.2.10", "plain.example.test": "192.0.2.20" };
  let resolver: Awaited<ReturnType<typeof startStubResolver>>;

  before(async () => {
    resolver = await startStubResolver((name, type) => {
      if (name === "broken.example.test") return { rcode: Rcode.SERVFAIL };
      if (name === "caa.example.test" && type === RecordType.CAA) return { records: [caa(name, 128, "issue", "letsencrypt.org; validationmethods=http-01")] };
      if (type === RecordType.CNAME) return aliases[name] ? { records: [cname(name, aliases[name])] } : {};
      const chain: DnsRecord[] = [];
      let owner = name;
      for (let hop = 0; aliases[owner] && hop < 20; hop++) {
        chain.push(cname(owner, aliases[owner]));
        owner = aliases[owner];
      }
      if (type === RecordType.A && addresses[owner]) return { records: [...chain, a(owner, addresses[owner])] };
      return chain.length > 0 || owner.startsWith("plain.") || owner === "caa.example.test" ? { records: chain } : { rcode: Rcode.NXDOMAIN };
    });
  });

  after(() => resolver?.close());

  it("follows a CNAME chain and finds the addresses at its end", async () => {
    const lookup = await lookupAddresses(createDnsClient(resolver.server), "www.example.test");
    assert.deepEqual(lookup.cnameChain, ["edge.cdn.test", "pop1.cdn.test"]);
    assert.equal(lookup.cnameProblem, undefined);
    assert.deepEqual(lookup.a, { ok: true, records: ["192.0.2.10"] });
    assert.deepEqual(lookup.aaaa, { ok: false, failure: { code: "nodata", errno: "NODATA" } });
  });

  it("stops at a CNAME loop and at a chain longer than 8 names", async () => {
    const client = createDnsClient(resolver.server);
    const loop = await lookupAddresses(client, "loop-a.example.test");
    assert.equal(loop.cnameProblem, "loop");
    assert.deepEqual(loop.cnameChain, ["loop-b.example.test", "loop-a.example.test"]);
    const long = await followCnames(client, "hop0.example.test");
    assert.deepEqual(long.problem, { kind: "too-long", target: "hop9.example.test" });
    assert.equal(long.targets.length, 8);
    assert.equal(long.finalName, "hop8.example.test");
  });

  it("classifies NXDOMAIN and SERVFAIL", async () => {
    const client = createDnsClient(resolver.server);
    assert.deepEqual((await lookupAddresses(client, "nothing.example.test")).a, { ok: false, failure: { code: "nxdomain", errno: "NXDOMAIN" } });
    const broken = await lookupAddresses(client, "broken.example.test");
    assert.deepEqual(
      [broken.a, broken.aaaa],
      [
        { ok: false, failure: { code: "servfail", errno: "SERVFAIL" } },
        { ok: false, failure: { code: "servfail", errno: "SERVFAIL" } },
      ],
    );
    assert.deepEqual(broken.cnameChain, [], "the failed CNAME question ends the chain");
  });

  it("reads CAA records with their flags", async () => {
    assert.deepEqual(await lookupCaa(createDnsClient(resolver.server), "caa.example.test"), {
      ok: true,
      records: [{ flags: 128, tag: "issue", value: "letsencrypt.org; validationmethods=http-01" }],
    });
    assert.deepEqual(await lookupCaa(createDnsClient(resolver.server), "plain.example.test"), { ok: false, failure: { code: "nodata", errno: "NODATA" } });
  });

  it("asks the next resolver when one does not answer, and names each when none does", async () => {
    const dead = await deadServer();
    const client = createDnsClient(`${dead}, ${resolver.server}`);
    assert.equal(client.describe(), `${dead}, ${resolver.server}`);
    assert.deepEqual((await lookupAddresses(client, "plain.example.test")).a, { ok: true, records: ["192.0.2.20"] });

    const alone = createDnsClient(dead);
    const answer = await alone.ask("plain.example.test", RecordType.A);
    assert.equal(answer.ok, false);
    if (answer.ok) return;
    assert.deepEqual(answer.failure, { code: "refused", errno: "ECONNREFUSED" });
    await assert.rejects(alone.query("plain.example.test", RecordType.A), {
      userMessage: `No DNS resolver could look up plain.example.test: nothing answers DNS at ${dead} (connection refused). Check the DNS resolvers under Settings → Network.`,
    });
    const chain = await followCnames(alone, "www.example.test");
    assert.deepEqual([chain.targets, chain.finalName, chain.unanswered?.failure.code], [[], "www.example.test", "refused"]);
  });

  it("says so when a name cannot even be asked", async () => {
    const answer = await createDnsClient(resolver.server).ask(`${"x".repeat(64)}.example.test`, RecordType.A);
    assert.equal(answer.ok, false);
    if (answer.ok) return;
    assert.deepEqual(answer.failure, { code: "error", errno: "EBADNAME" });
    assert.match(answer.problems[0], /is not a valid DNS name/);
  });

  it("takes the system's resolvers when the setting is empty or unusable", () => {
    assert.match(createDnsClient("").describe(), /^the system's resolver \(/);
    assert.match(createDnsClient("dns.google").describe(), /^the system's resolver \(/);
  });
});
