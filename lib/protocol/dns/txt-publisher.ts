/** What a DNS provider does for DNS-01: add TXT records and remove exactly those again. */
export interface PublishedTxtRecord {
  /** Where the record is (after CNAMEs), lower case, no trailing dot. */
  name: string;
  value: string;
  /** The zone it was written in. */
  zone: string;
  /** The provider's own id for the record, when it has one (Cloudflare). */
  providerRecordId?: string;
}

export interface TxtPublisher {
  /** For the job log: "RFC 2136 updates to 192.0.2.53:53 with key certdeck". */
  readonly description: string;
  /** Adds one value (a second value at the same name is added beside it, never in its place). */
  add(name: string, value: string): Promise<PublishedTxtRecord>;
  /** Removes exactly these records; tries them all, then throws the first failure. */
  remove(records: PublishedTxtRecord[]): Promise<void>;
}

/** The "Test" button's outcome, in plain words. */
export interface DnsProviderTestResult {
  ok: boolean;
  /** One sentence: what works, or what to fix. */
  message: string;
  /** What was checked, in order, each with its outcome. */
  steps: Array<{ ok: boolean; message: string }>;
}
