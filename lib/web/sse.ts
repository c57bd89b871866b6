/**
 * Server-sent events (the WHATWG HTML standard's text/event-stream): the wire format, nothing
 * else. Every field is one line; a blank line ends the event.
 */

export interface ServerSentEvent {
  /** Becomes the client's last event id: EventSource sends it back as Last-Event-ID when it reconnects. */
  id?: string | number;
  /** The event type ("message" when absent). */
  event?: string;
  /** Sent as JSON. */
  data: unknown;
}

/** A line break of any kind: a field value must not contain one. */
const LINE_BREAK = /\r\n|\r|\n/;

function singleLine(name: string, value: string): string {
  if (LINE_BREAK.test(value)) throw new Error(`An SSE ${name} must not contain a line break`);
  return value;
}

/** One event, ending with the blank line that dispatches it. */
export function formatServerSentEvent({ id, event, data }: ServerSentEvent): string {
  let text = "";
  if (id !== undefined) {
    const value = singleLine("id", String(id));
    // The standard ignores an id containing NUL.
    if (value.includes("\0")) throw new Error("An SSE id must not contain NUL");
    text += `id: ${value}\n`;
  }
  if (event !== undefined) text += `event: ${singleLine("event type", event)}\n`;
  // JSON.stringify escapes line breaks inside strings; split anyway, so any text stays one data field.
  for (const line of (JSON.stringify(data) ?? "null").split(LINE_BREAK)) text += `data: ${line}\n`;
  return `${text}\n`;
}

/** A comment line: ignored by clients, keeps proxies and idle timers from closing the connection. */
export function formatServerSentComment(text: string): string {
  return text
    .split(LINE_BREAK)
    .map((line) => `: ${line}\n`)
    .join("")
    .concat("\n");
}

/** Tells EventSource how long to wait before reconnecting. */
export function formatServerSentRetry(milliseconds: number): string {
  return `retry: ${Math.max(0, Math.round(milliseconds))}\n\n`;
}

/**
 * A Last-Event-ID header (or an `after` parameter) as a log event id: a whole number ≥ 0, or
 * undefined when absent or empty; null when it is something else.
 */
export function parseLastEventId(value: string | null | undefined): number | undefined | null {
  if (value === null || value === undefined || value.trim() === "") return undefined;
  if (!/^\d{1,15}$/.test(value.trim())) return null;
  return Number(value.trim());
}

/** Whether the client asked for an event stream (Accept: text/event-stream). */
export function acceptsEventStream(accept: string | null): boolean {
  if (!accept) return false;
  return accept.split(",").some((part) => {
    const [type, ...parameters] = part
      .trim()
      .toLowerCase()
      .split(";")
      .map((piece) => piece.trim());
    return type === "text/event-stream" && !parameters.some((parameter) => /^q=0(\.0*)?$/.test(parameter));
  });
}

export interface ParsedServerSentEvent {
  id?: string;
  event: string;
  data: string;
}

/**
 * Parses a text/event-stream as the standard's EventSource does (fields, comments, data lines
 * joined by "\n", events without data dropped). For clients and tests; complete events only:
 * `rest` is what follows the last blank line.
 */
export function parseServerSentEvents(text: string): { events: ParsedServerSentEvent[]; comments: string[]; retry?: number; rest: string } {
  const events: ParsedServerSentEvent[] = [];
  const comments: string[] = [];
  let retry: number | undefined;
  const blocks = text.split(/\r\n\r\n|\n\n|\r\r/);
  const rest = blocks.pop() ?? "";
  for (const block of blocks) {
    let id: string | undefined;
    let event = "message";
    const data: string[] = [];
    for (const line of block.split(LINE_BREAK)) {
      if (line.startsWith(":")) {
        comments.push(line.slice(1).replace(/^ /, ""));
        continue;
      }
      const colon = line.indexOf(":");
      const field = colon === -1 ? line : line.slice(0, colon);
      const value = colon === -1 ? "" : line.slice(colon + 1).replace(/^ /, "");
      if (field === "id" && !value.includes("\0")) id = value;
      else if (field === "event") event = value;
      else if (field === "data") data.push(value);
      else if (field === "retry" && /^\d+$/.test(value)) retry = Number(value);
    }
    if (data.length > 0) events.push({ ...(id !== undefined ? { id } : {}), event, data: data.join("\n") });
  }
  return { events, comments, retry, rest };
}
