/**
 * DNS messages on the wire (RFC 1035 §4, RFC 2136 §2 for UPDATE): just what CertDeck sends and
 * reads (queries, dynamic updates, TSIG). Encoding never compresses names; decoding follows
 * compression pointers. Names are written without the trailing dot; "" is the root.
 * Hand-written rather than dns-packet's: README.md, "Decisions", says why.
 */
import { randomInt } from "node:crypto";
import { canonicalIPv6 } from "@/lib/protocol/net/ip-address";

export const RecordType = { A: 1, NS: 2, CNAME: 5, SOA: 6, TXT: 16, AAAA: 28, OPT: 41, TSIG: 250, ANY: 255, CAA: 257 } as const;
export const RecordClass = { IN: 1, NONE: 254, ANY: 255 } as const;
export const Opcode = { QUERY: 0, UPDATE: 5 } as const;

/** RCODE values (RFC 1035, RFC 2136, RFC 8945 for the TSIG error field). */
export const Rcode = {
  NOERROR: 0,
  FORMERR: 1,
  SERVFAIL: 2,
  NXDOMAIN: 3,
  NOTIMP: 4,
  REFUSED: 5,
  YXDOMAIN: 6,
  YXRRSET: 7,
  NXRRSET: 8,
  NOTAUTH: 9,
  NOTZONE: 10,
  BADSIG: 16,
  BADKEY: 17,
  BADTIME: 18,
  BADTRUNC: 22,
} as const;

export function rcodeName(code: number): string {
  return Object.entries(Rcode).find(([, value]) => value === code)?.[0] ?? `RCODE ${code}`;
}

export interface SoaData {
  primaryServer: string;
  responsibleMailbox: string;
  serial: number;
  refresh: number;
  retry: number;
  expire: number;
  minimum: number;
}

/** A CAA record as RFC 8659 writes it: flags (128 = issuer critical), tag, value. */
export interface CaaData {
  flags: number;
  tag: string;
  value: string;
}

export interface TsigData {
  algorithm: string;
  timeSigned: number;
  fudge: number;
  mac: Buffer;
  originalId: number;
  error: number;
  otherData: Buffer;
}

export interface DnsQuestion {
  name: string;
  type: number;
  class: number;
}

export interface DnsRecord {
  name: string;
  type: number;
  class: number;
  ttl: number;
  /** RDATA as sent (for records decoded from a message: with its names possibly compressed). */
  rdata: Buffer;
}

/** A decoded record: the raw fields plus the parsed data for the types CertDeck reads. */
export interface DecodedRecord extends DnsRecord {
  /** Offset of the record's first byte in the message (TSIG verification cuts there). */
  offset: number;
  /** A/AAAA: the address; NS/CNAME: the target name; TXT: the strings joined; SOA/CAA/TSIG: objects. */
  data: string | SoaData | CaaData | TsigData | null;
}

export interface DnsHeader {
  id: number;
  isResponse: boolean;
  opcode: number;
  isAuthoritative: boolean;
  isTruncated: boolean;
  recursionDesired: boolean;
  recursionAvailable: boolean;
  rcode: number;
}

export interface DnsMessageToSend {
  id: number;
  opcode: number;
  recursionDesired?: boolean;
  /** For UPDATE: the zone section (one entry: zone, SOA, IN). */
  questions: DnsQuestion[];
  /** For UPDATE: prerequisites. */
  answers?: DnsRecord[];
  /** For UPDATE: the updates. */
  authorities?: DnsRecord[];
  additionals?: DnsRecord[];
}

export interface DecodedMessage extends DnsHeader {
  questions: DnsQuestion[];
  answers: DecodedRecord[];
  authorities: DecodedRecord[];
  additionals: DecodedRecord[];
}

export class DnsFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "DnsFormatError";
  }
}

/** "Example.COM." → "example.com"; the form names are compared in. */
export function normalizeName(name: string): string {
  return name.trim().replace(/\.$/, "").toLowerCase();
}

/** Wire form of a name, uncompressed. `lowercase` gives the canonical form TSIG signs. */
export function encodeName(name: string, options: { lowercase?: boolean } = {}): Buffer {
  const trimmed = name.replace(/\.$/, "");
  const labels = trimmed === "" ? [] : trimmed.split(".");
  const parts: Buffer[] = [];
  for (const label of labels) {
    const bytes = Buffer.from(options.lowercase ? label.toLowerCase() : label, "ascii");
    if (bytes.length === 0 || bytes.length > 63) throw new DnsFormatError(`"${name}" is not a valid DNS name (a label is empty or longer than 63 characters)`);
    parts.push(Buffer.from([bytes.length]), bytes);
  }
  parts.push(Buffer.from([0]));
  const wire = Buffer.concat(parts);
  if (wire.length > 255) throw new DnsFormatError(`"${name}" is longer than 255 bytes`);
  return wire;
}

/** TXT RDATA: the value as character-strings of at most 255 bytes each. */
export function encodeTxtRdata(value: string): Buffer {
  const bytes = Buffer.from(value, "utf8");
  const parts: Buffer[] = [];
  let start = 0;
  do {
    const chunk = bytes.subarray(start, start + 255);
    parts.push(Buffer.from([chunk.length]), chunk);
    start += 255;
  } while (start < bytes.length);
  return Buffer.concat(parts);
}

function u16(value: number): Buffer {
  const buffer = Buffer.alloc(2);
  buffer.writeUInt16BE(value);
  return buffer;
}

export function encodeRecord(record: DnsRecord): Buffer {
  const fixed = Buffer.alloc(10);
  fixed.writeUInt16BE(record.type, 0);
  fixed.writeUInt16BE(record.class, 2);
  fixed.writeUInt32BE(record.ttl >>> 0, 4);
  fixed.writeUInt16BE(record.rdata.length, 8);
  return Buffer.concat([encodeName(record.name), fixed, record.rdata]);
}

export function encodeMessage(message: DnsMessageToSend): Buffer {
  const header = Buffer.alloc(12);
  header.writeUInt16BE(message.id, 0);
  header.writeUInt16BE(((message.opcode & 0xf) << 11) | (message.recursionDesired ? 0x0100 : 0), 2);
  const sections = [message.questions, message.answers ?? [], message.authorities ?? [], message.additionals ?? []];
  sections.forEach((section, index) => header.writeUInt16BE(section.length, 4 + index * 2));
  const body = [
    ...message.questions.map((question) => Buffer.concat([encodeName(question.name), u16(question.type), u16(question.class)])),
    ...sections
      .slice(1)
      .flat()
      .map((record) => encodeRecord(record as DnsRecord)),
  ];
  return Buffer.concat([header, ...body]);
}

/**
 * A question for one name and type (class IN) under a fresh random id: the transport takes only
 * the answer that carries the same id.
 */
export function queryMessage(name: string, type: number, options: { recursionDesired?: boolean } = {}): DnsMessageToSend {
  return { id: randomInt(0x10000), opcode: Opcode.QUERY, recursionDesired: options.recursionDesired, questions: [{ name, type, class: RecordClass.IN }] };
}

/**
 * An UPDATE of `zone` (RFC 2136 §2) under a fresh random id: the zone section names the zone, the
 * prerequisites (§2.4) travel in the answer section, the updates (§2.5) in the authority section.
 */
export function updateMessage(zone: string, sections: { prerequisites?: DnsRecord[]; updates?: DnsRecord[] }): DnsMessageToSend {
  return {
    id: randomInt(0x10000),
    opcode: Opcode.UPDATE,
    questions: [{ name: zone, type: RecordType.SOA, class: RecordClass.IN }],
    answers: sections.prerequisites,
    authorities: sections.updates,
  };
}

export function decodeHeader(bytes: Buffer): DnsHeader {
  if (bytes.length < 12) throw new DnsFormatError("the answer is shorter than a DNS header");
  const flags = bytes.readUInt16BE(2);
  return {
    id: bytes.readUInt16BE(0),
    isResponse: (flags & 0x8000) !== 0,
    opcode: (flags >> 11) & 0xf,
    isAuthoritative: (flags & 0x0400) !== 0,
    isTruncated: (flags & 0x0200) !== 0,
    recursionDesired: (flags & 0x0100) !== 0,
    recursionAvailable: (flags & 0x0080) !== 0,
    rcode: flags & 0xf,
  };
}

/** Reads a (possibly compressed) name at `offset`; returns it and the offset after it. */
function readName(bytes: Buffer, offset: number): { name: string; next: number } {
  const labels: string[] = [];
  let position = offset;
  let next = -1;
  for (let jumps = 0; ;) {
    if (position >= bytes.length) throw new DnsFormatError("a name runs past the end of the message");
    const length = bytes[position];
    if (length === 0) {
      if (next < 0) next = position + 1;
      break;
    }
    if ((length & 0xc0) === 0xc0) {
      if (position + 1 >= bytes.length) throw new DnsFormatError("a compression pointer runs past the end of the message");
      if (next < 0) next = position + 2;
      if (++jumps > 64) throw new DnsFormatError("a name has a compression loop");
      position = ((length & 0x3f) << 8) | bytes[position + 1];
      continue;
    }
    if ((length & 0xc0) !== 0) throw new DnsFormatError("a name uses an unknown label type");
    if (position + 1 + length > bytes.length) throw new DnsFormatError("a label runs past the end of the message");
    labels.push(bytes.toString("latin1", position + 1, position + 1 + length));
    position += 1 + length;
  }
  return { name: labels.join("."), next };
}

function decodeData(bytes: Buffer, type: number, start: number, end: number): DecodedRecord["data"] {
  const rdata = bytes.subarray(start, end);
  switch (type) {
    case RecordType.A:
      return rdata.length === 4 ? [...rdata].join(".") : null;
    case RecordType.AAAA: {
      if (rdata.length !== 16) return null;
      const groups: string[] = [];
      for (let index = 0; index < 16; index += 2) groups.push(rdata.readUInt16BE(index).toString(16));
      return canonicalIPv6(groups.join(":"));
    }
    case RecordType.NS:
    case RecordType.CNAME:
      return readName(bytes, start).name;
    case RecordType.TXT: {
      const strings: string[] = [];
      for (let position = 0; position < rdata.length;) {
        const length = rdata[position];
        strings.push(rdata.toString("utf8", position + 1, position + 1 + length));
        position += 1 + length;
      }
      return strings.join("");
    }
    case RecordType.SOA: {
      const primary = readName(bytes, start);
      const mailbox = readName(bytes, primary.next);
      const numbers = mailbox.next;
      if (numbers + 20 > end) throw new DnsFormatError("an SOA record is too short");
      return {
        primaryServer: primary.name,
        responsibleMailbox: mailbox.name,
        serial: bytes.readUInt32BE(numbers),
        refresh: bytes.readUInt32BE(numbers + 4),
        retry: bytes.readUInt32BE(numbers + 8),
        expire: bytes.readUInt32BE(numbers + 12),
        minimum: bytes.readUInt32BE(numbers + 16),
      };
    }
    case RecordType.CAA: {
      if (rdata.length < 2 || 2 + rdata[1] > rdata.length) throw new DnsFormatError("a CAA record is too short");
      return { flags: rdata[0], tag: rdata.toString("latin1", 2, 2 + rdata[1]), value: rdata.toString("utf8", 2 + rdata[1]) };
    }
    case RecordType.TSIG: {
      const algorithm = readName(bytes, start);
      let position = algorithm.next;
      const timeSigned = bytes.readUIntBE(position, 6);
      const fudge = bytes.readUInt16BE(position + 6);
      const macSize = bytes.readUInt16BE(position + 8);
      position += 10;
      const mac = Buffer.from(bytes.subarray(position, position + macSize));
      position += macSize;
      const originalId = bytes.readUInt16BE(position);
      const error = bytes.readUInt16BE(position + 2);
      const otherLength = bytes.readUInt16BE(position + 4);
      const otherData = Buffer.from(bytes.subarray(position + 6, position + 6 + otherLength));
      return { algorithm: algorithm.name, timeSigned, fudge, mac, originalId, error, otherData };
    }
    default:
      return null;
  }
}

export function decodeMessage(bytes: Buffer): DecodedMessage {
  const header = decodeHeader(bytes);
  const counts = [4, 6, 8, 10].map((offset) => bytes.readUInt16BE(offset));
  let position = 12;
  const questions: DnsQuestion[] = [];
  for (let index = 0; index < counts[0]; index++) {
    const { name, next } = readName(bytes, position);
    if (next + 4 > bytes.length) throw new DnsFormatError("a question runs past the end of the message");
    questions.push({ name, type: bytes.readUInt16BE(next), class: bytes.readUInt16BE(next + 2) });
    position = next + 4;
  }
  const readRecords = (count: number): DecodedRecord[] => {
    const records: DecodedRecord[] = [];
    for (let index = 0; index < count; index++) {
      const offset = position;
      const { name, next } = readName(bytes, position);
      if (next + 10 > bytes.length) throw new DnsFormatError("a record runs past the end of the message");
      const type = bytes.readUInt16BE(next);
      const length = bytes.readUInt16BE(next + 8);
      const start = next + 10;
      if (start + length > bytes.length) throw new DnsFormatError("a record's data runs past the end of the message");
      records.push({
        offset,
        name,
        type,
        class: bytes.readUInt16BE(next + 2),
        ttl: bytes.readUInt32BE(next + 4),
        rdata: Buffer.from(bytes.subarray(start, start + length)),
        data: decodeData(bytes, type, start, start + length),
      });
      position = start + length;
    }
    return records;
  };
  const answers = readRecords(counts[1]);
  const authorities = readRecords(counts[2]);
  const additionals = readRecords(counts[3]);
  return { ...header, questions, answers, authorities, additionals };
}
