import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { acceptsEventStream, formatServerSentComment, formatServerSentEvent, formatServerSentRetry, parseLastEventId, parseServerSentEvents } from "./sse";

describe("formatServerSentEvent", () => {
  it("writes id, event and the JSON data, ended by a blank line", () => {
    assert.equal(
      formatServerSentEvent({ id: 42, event: "log", data: { id: 42, message: "Asking the CA to validate" } }),
      'id: 42\nevent: log\ndata: {"id":42,"message":"Asking the CA to validate"}\n\n',
    );
  });
  it("leaves out the fields not given", () => {
    assert.equal(formatServerSentEvent({ data: { status: "running" } }), 'data: {"status":"running"}\n\n');
    assert.equal(formatServerSentEvent({ event: "end", data: null }), "event: end\ndata: null\n\n");
  });
  it("keeps line breaks inside the data on one data line (escaped by JSON)", () => {
    const text = formatServerSentEvent({ event: "log", data: { detail: "line one\nline two\r\nline three" } });
    assert.equal(text.split("\n").filter((line) => line.startsWith("data:")).length, 1);
    const [parsed] = parseServerSentEvents(text).events;
    assert.deepEqual(JSON.parse(parsed.data), { detail: "line one\nline two\r\nline three" });
  });
  it("refuses an id or event type with a line break (it would end the field)", () => {
    assert.throws(() => formatServerSentEvent({ id: "1\n2", data: 1 }), /line break/);
    assert.throws(() => formatServerSentEvent({ event: "log\ndata: forged", data: 1 }), /line break/);
    assert.throws(() => formatServerSentEvent({ id: "1\u00002", data: 1 }), /NUL/);
  });
});

describe("comments and retry", () => {
  it("writes comments that clients ignore", () => {
    assert.equal(formatServerSentComment("keep-alive"), ": keep-alive\n\n");
    assert.equal(formatServerSentComment("two\nlines"), ": two\n: lines\n\n");
    const parsed = parseServerSentEvents(formatServerSentComment("keep-alive") + formatServerSentEvent({ event: "log", data: 1 }));
    assert.deepEqual(parsed.comments, ["keep-alive"]);
    assert.deepEqual(parsed.events, [{ event: "log", data: "1" }]);
  });
  it("writes the reconnection delay in whole milliseconds", () => {
    assert.equal(formatServerSentRetry(2000), "retry: 2000\n\n");
    assert.equal(formatServerSentRetry(-5), "retry: 0\n\n");
    assert.equal(parseServerSentEvents(formatServerSentRetry(1500.4)).retry, 1500);
  });
});

describe("parseServerSentEvents", () => {
  it("reads what the formatter writes, in order, and keeps an incomplete event as the rest", () => {
    const stream =
      formatServerSentRetry(2000) +
      formatServerSentEvent({ id: 1, event: "log", data: { message: "first" } }) +
      formatServerSentEvent({ event: "status", data: { status: "running" } }) +
      formatServerSentEvent({ id: 2, event: "log", data: { message: "second" } }) +
      'id: 3\nevent: log\ndata: {"mess';
    const { events, rest } = parseServerSentEvents(stream);
    assert.deepEqual(events, [
      { id: "1", event: "log", data: '{"message":"first"}' },
      { event: "status", data: '{"status":"running"}' },
      { id: "2", event: "log", data: '{"message":"second"}' },
    ]);
    assert.equal(rest, 'id: 3\nevent: log\ndata: {"mess');
  });
  it("joins several data lines with line breaks and defaults the type to message, as EventSource does", () => {
    assert.deepEqual(parseServerSentEvents("data: a\ndata: b\n\n").events, [{ event: "message", data: "a\nb" }]);
    assert.deepEqual(parseServerSentEvents("data:no space\r\n\r\n").events, [{ event: "message", data: "no space" }]);
    assert.deepEqual(parseServerSentEvents("event: log\n\n").events, [], "an event without data is not dispatched");
  });
});

describe("parseLastEventId", () => {
  it("reads a whole number, treats absence as none and anything else as invalid", () => {
    assert.equal(parseLastEventId("17"), 17);
    assert.equal(parseLastEventId(" 0 "), 0);
    assert.equal(parseLastEventId(null), undefined);
    assert.equal(parseLastEventId(""), undefined);
    for (const bad of ["-1", "1.5", "abc", "1e3", "9".repeat(16)]) assert.equal(parseLastEventId(bad), null, bad);
  });
});

describe("acceptsEventStream", () => {
  it("is true only when text/event-stream is acceptable", () => {
    assert.equal(acceptsEventStream("text/event-stream"), true);
    assert.equal(acceptsEventStream("application/json, Text/Event-Stream;q=0.9"), true);
    assert.equal(acceptsEventStream("text/event-stream;q=0"), false);
    assert.equal(acceptsEventStream("application/json"), false);
    assert.equal(acceptsEventStream("*/*"), false, "curl's default keeps the JSON answer");
    assert.equal(acceptsEventStream(null), false);
  });
});
