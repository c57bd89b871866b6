import { parseServerSentEvents, type ParsedServerSentEvent } from "../../lib/web/sse";

export interface ReceivedEvent extends ParsedServerSentEvent {
  /** Date.now() when the event was read off the stream. */
  receivedAt: number;
}

/**
 * Reads a text/event-stream response body as a client would, one event at a time, noting when
 * each arrived. `cancel()` is the client going away.
 */
export class SseReader {
  private readonly reader: ReadableStreamDefaultReader<Uint8Array>;
  private readonly decoder = new TextDecoder();
  private buffer = "";
  private readonly queued: ReceivedEvent[] = [];
  readonly comments: string[] = [];
  retry: number | undefined;
  isClosed = false;
  /** A read that outlived a timeout is kept, so its chunk is not lost. */
  private pendingRead: Promise<ReadableStreamReadResult<Uint8Array>> | null = null;

  constructor(response: Response) {
    if (!response.body) throw new Error("the response has no body");
    this.reader = response.body.getReader();
  }

  /** The next event, or null when the stream closed. Fails after `timeoutMs`. */
  async next(timeoutMs = 30_000): Promise<ReceivedEvent | null> {
    const deadline = Date.now() + timeoutMs;
    while (this.queued.length === 0) {
      if (this.isClosed) return null;
      const remaining = deadline - Date.now();
      if (remaining <= 0) throw new Error(`no event within ${timeoutMs} ms`);
      let timer: NodeJS.Timeout | undefined;
      this.pendingRead ??= this.reader.read();
      const chunk = await Promise.race([
        this.pendingRead,
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error(`no event within ${timeoutMs} ms`)), remaining);
        }),
      ]).finally(() => clearTimeout(timer));
      this.pendingRead = null;
      if (chunk.done) {
        this.isClosed = true;
        continue;
      }
      this.buffer += this.decoder.decode(chunk.value, { stream: true });
      const parsed = parseServerSentEvents(this.buffer);
      this.buffer = parsed.rest;
      this.comments.push(...parsed.comments);
      if (parsed.retry !== undefined) this.retry = parsed.retry;
      const receivedAt = Date.now();
      this.queued.push(...parsed.events.map((event) => ({ ...event, receivedAt })));
    }
    return this.queued.shift()!;
  }

  /** Every event up to and including `event: end`, then checks that the stream closes. */
  async untilEnd(timeoutMs = 60_000): Promise<ReceivedEvent[]> {
    const events: ReceivedEvent[] = [];
    for (;;) {
      const event = await this.next(timeoutMs);
      if (!event) throw new Error(`the stream closed without an end event after ${JSON.stringify(events.map((e) => e.event))}`);
      events.push(event);
      if (event.event === "end") break;
    }
    const after = await this.next(5000);
    if (after) throw new Error(`an event after end: ${JSON.stringify(after)}`);
    return events;
  }

  /** Reads for `ms` and returns what came (the stream stays open). */
  async readFor(ms: number): Promise<ReceivedEvent[]> {
    const events: ReceivedEvent[] = [];
    const until = Date.now() + ms;
    for (;;) {
      const remaining = until - Date.now();
      if (remaining <= 0) return events;
      try {
        const event = await this.next(remaining);
        if (!event) return events;
        events.push(event);
      } catch (error) {
        if ((error as Error).message.startsWith("no event within")) return events;
        throw error;
      }
    }
  }

  async cancel(): Promise<void> {
    await this.reader.cancel();
  }
}
