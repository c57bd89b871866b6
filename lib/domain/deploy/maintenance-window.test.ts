import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { describeWindow, isInsideWindow, nextWindowOpenings, nextWindowStart, parseMaintenanceWindow, type MaintenanceWindow } from "./maintenance-window";

function parse(spec: string): MaintenanceWindow {
  const result = parseMaintenanceWindow(spec);
  if (!result.ok) assert.fail(`${spec}: ${result.error}`);
  return result.window;
}

/** Openings as "start → end" ISO pairs, easy to compare and to read in a failure. */
function openings(spec: string, from: string, count: number, timeZone: string): string[] {
  return nextWindowOpenings(parse(spec), new Date(from), count, timeZone).map(({ start, end }) => `${start.toISOString()} → ${end.toISOString()}`);
}

// 2026-01-05 is a Monday.
const MONDAY = "2026-01-05";

describe("parseMaintenanceWindow: days and hours", () => {
  const cases: Array<[string, { days: number[]; start: string; end: string }]> = [
    ["Mondays 01:00-03:00", { days: [1], start: "1:00", end: "3:00" }],
    ["Mon 01:00-03:00", { days: [1], start: "1:00", end: "3:00" }],
    ["monday 1:00-3:00", { days: [1], start: "1:00", end: "3:00" }],
    ["Mon,Thu 22:00-02:00", { days: [1, 4], start: "22:00", end: "2:00" }],
    ["Mon, Wed and Fri 01:00 - 03:00", { days: [1, 3, 5], start: "1:00", end: "3:00" }],
    ["Mon-Fri 01:00-03:00", { days: [1, 2, 3, 4, 5], start: "1:00", end: "3:00" }],
    ["Fri-Mon 23:00-24:00", { days: [0, 1, 5, 6], start: "23:00", end: "0:00" }],
    ["weekdays 01:00-03:00", { days: [1, 2, 3, 4, 5], start: "1:00", end: "3:00" }],
    ["WEEKENDS 00:00-06:00", { days: [0, 6], start: "0:00", end: "6:00" }],
    ["daily 02:00-04:00", { days: [0, 1, 2, 3, 4, 5, 6], start: "2:00", end: "4:00" }],
    ["every day 02:00-04:00", { days: [0, 1, 2, 3, 4, 5, 6], start: "2:00", end: "4:00" }],
    ["Every Day 02:00–04:00", { days: [0, 1, 2, 3, 4, 5, 6], start: "2:00", end: "4:00" }],
    ["every Sunday 05:30-06:15", { days: [0], start: "5:30", end: "6:15" }],
  ];
  for (const [spec, expected] of cases) {
    it(`reads ${JSON.stringify(spec)}`, () => {
      const window = parse(spec);
      assert.equal(window.kind, "days");
      if (window.kind !== "days") return;
      assert.deepEqual(
        {
          days: window.days,
          start: `${window.start.hour}:${String(window.start.minute).padStart(2, "0")}`,
          end: `${window.end.hour}:${String(window.end.minute).padStart(2, "0")}`,
        },
        expected,
      );
      assert.equal(window.spec, spec);
    });
  }
});

describe("parseMaintenanceWindow: cron", () => {
  it("reads a certbot user's cron line as a one-hour window", () => {
    assert.deepEqual(parse("0 3 * * 1"), { kind: "cron", spec: "0 3 * * 1", cron: "0 3 * * 1", durationMinutes: 60 });
  });
  it("reads the length after for", () => {
    assert.equal((parse("0 3 * * 1 for 90m") as { durationMinutes: number }).durationMinutes, 90);
    assert.equal((parse("0 3 * * 1 for 2h") as { durationMinutes: number }).durationMinutes, 120);
    assert.equal((parse("30 1 * * SAT FOR 1h30m") as { durationMinutes: number }).durationMinutes, 90);
  });
  it("accepts 7 for Sunday and names of days", () => {
    assert.equal(parse("0 3 * * 7").kind, "cron");
    assert.equal(parse("0 3 * * MON-FRI").kind, "cron");
  });
});

describe("parseMaintenanceWindow: refused specs name the problem", () => {
  const bad: Array<[string, string]> = [
    ["0 3 * * 8", `"0 3 * * 8": day-of-week must be 0-7 (or SUN-SAT)`],
    ["61 3 * * 1", `"61 3 * * 1": minute must be 0-59`],
    ["0 24 * * 1", `"0 24 * * 1": hour must be 0-23`],
    ["0 3 32 * *", `"0 3 32 * *": day-of-month must be 1-31`],
    ["0 3 * 13 *", `"0 3 * 13 *": month must be 1-12 (or JAN-DEC)`],
    ["0 3 * * x", `"0 3 * * x": day-of-week "x" contains characters cron does not know`],
    ["0 3 30 2 *", `"0 3 30 2 *": this cron expression never matches a date`],
    ["0 3 * * 1 for 0m", `"0 3 * * 1 for 0m": the length must be between 1 minute and 7 days (168h)`],
    ["0 3 * * 1 for 200h", `"0 3 * * 1 for 200h": the length must be between 1 minute and 7 days (168h)`],
    ["0 3 * * 1 for a while", `"0 3 * * 1 for a while": cannot read the length "a while"; write it as "for 90m" or "for 2h"`],
    ["Mon 25:00-03:00", `"Mon 25:00-03:00": 25:00 is not a time of day: hours go from 00 to 23`],
    ["Mon 01:60-03:00", `"Mon 01:60-03:00": 01:60 is not a time of day: minutes go from 00 to 59`],
    ["Mon 01:00-01:00", `"Mon 01:00-01:00": the window ends when it starts; give it a length, such as 01:00-03:00`],
    [
      "Funday 01:00-03:00",
      `"Funday 01:00-03:00": unknown day "funday"; use Mon, Tue, Wed, Thu, Fri, Sat, Sun (or ranges such as Mon-Fri), weekdays, weekends or daily`,
    ],
    [
      "Mon-Fry 01:00-03:00",
      `"Mon-Fry 01:00-03:00": unknown day "fry"; use Mon, Tue, Wed, Thu, Fri, Sat, Sun (or ranges such as Mon-Fri), weekdays, weekends or daily`,
    ],
    [
      "sometimes",
      `"sometimes": not a maintenance window. Write days and hours such as "Mon-Fri 01:00-03:00", or a 5-field cron expression such as "0 3 * * 1" (minute hour day-of-month month day-of-week)`,
    ],
    [
      "0 3 * *",
      `"0 3 * *": not a maintenance window. Write days and hours such as "Mon-Fri 01:00-03:00", or a 5-field cron expression such as "0 3 * * 1" (minute hour day-of-month month day-of-week)`,
    ],
    ["   ", "Enter a maintenance window, or leave the field empty for any time"],
  ];
  for (const [spec, error] of bad) {
    it(`refuses ${JSON.stringify(spec)}`, () => assert.deepEqual(parseMaintenanceWindow(spec), { ok: false, error }));
  }
});

describe("nextWindowOpenings", () => {
  it("lists the next three weekly openings", () => {
    assert.deepEqual(openings("Mon 01:00-03:00", `${MONDAY}T12:00:00Z`, 3, "UTC"), [
      "2026-01-12T01:00:00.000Z → 2026-01-12T03:00:00.000Z",
      "2026-01-19T01:00:00.000Z → 2026-01-19T03:00:00.000Z",
      "2026-01-26T01:00:00.000Z → 2026-01-26T03:00:00.000Z",
    ]);
  });

  it("skips the weekend for Mon-Fri", () => {
    assert.deepEqual(openings("Mon-Fri 01:00-03:00", "2026-01-08T12:00:00Z", 3, "UTC"), [
      "2026-01-09T01:00:00.000Z → 2026-01-09T03:00:00.000Z",
      "2026-01-12T01:00:00.000Z → 2026-01-12T03:00:00.000Z",
      "2026-01-13T01:00:00.000Z → 2026-01-13T03:00:00.000Z",
    ]);
  });

  it("crosses midnight: a Monday and Thursday night window closes on Tuesday and Friday", () => {
    assert.deepEqual(openings("Mon,Thu 22:00-02:00", `${MONDAY}T12:00:00Z`, 3, "UTC"), [
      "2026-01-05T22:00:00.000Z → 2026-01-06T02:00:00.000Z",
      "2026-01-08T22:00:00.000Z → 2026-01-09T02:00:00.000Z",
      "2026-01-12T22:00:00.000Z → 2026-01-13T02:00:00.000Z",
    ]);
  });

  it("lists the opening in progress first, with its real start", () => {
    assert.deepEqual(openings("Mon,Thu 22:00-02:00", "2026-01-06T01:00:00Z", 2, "UTC"), [
      "2026-01-05T22:00:00.000Z → 2026-01-06T02:00:00.000Z",
      "2026-01-08T22:00:00.000Z → 2026-01-09T02:00:00.000Z",
    ]);
  });

  it("keeps a cron window open an hour by default, or as long as asked", () => {
    assert.deepEqual(openings("0 3 * * 1", `${MONDAY}T12:00:00Z`, 2, "UTC"), [
      "2026-01-12T03:00:00.000Z → 2026-01-12T04:00:00.000Z",
      "2026-01-19T03:00:00.000Z → 2026-01-19T04:00:00.000Z",
    ]);
    assert.deepEqual(openings("0 3 * * 1 for 90m", `${MONDAY}T12:00:00Z`, 1, "UTC"), ["2026-01-12T03:00:00.000Z → 2026-01-12T04:30:00.000Z"]);
  });

  it("merges cron openings that overlap into one", () => {
    assert.deepEqual(openings("*/30 2 * * *", `${MONDAY}T12:00:00Z`, 2, "UTC"), [
      "2026-01-06T02:00:00.000Z → 2026-01-06T03:30:00.000Z",
      "2026-01-07T02:00:00.000Z → 2026-01-07T03:30:00.000Z",
    ]);
  });

  it("reads wall-clock times in the time zone given", () => {
    // Berlin is UTC+1 in January.
    assert.deepEqual(openings("daily 02:00-04:00", `${MONDAY}T12:00:00Z`, 1, "Europe/Berlin"), ["2026-01-06T01:00:00.000Z → 2026-01-06T03:00:00.000Z"]);
  });
});

describe("isInsideWindow and nextWindowStart", () => {
  const window = parse("Mon,Thu 22:00-02:00");
  const at = (iso: string) => new Date(iso);

  it("opens at the start (inclusive) and closes at the end (exclusive)", () => {
    assert.equal(isInsideWindow(window, at(`${MONDAY}T21:59:59Z`), "UTC"), false);
    assert.equal(isInsideWindow(window, at(`${MONDAY}T22:00:00Z`), "UTC"), true);
    assert.equal(isInsideWindow(window, at("2026-01-06T01:59:59Z"), "UTC"), true);
    assert.equal(isInsideWindow(window, at("2026-01-06T02:00:00Z"), "UTC"), false);
  });

  it("is inside after midnight on the following day only", () => {
    assert.equal(isInsideWindow(window, at("2026-01-06T00:30:00Z"), "UTC"), true, "Tuesday 00:30, from Monday night");
    assert.equal(isInsideWindow(window, at("2026-01-05T00:30:00Z"), "UTC"), false, "Monday 00:30: Sunday night has no window");
  });

  it("returns the moment itself when inside, else the next opening", () => {
    assert.equal(nextWindowStart(window, at("2026-01-06T01:00:00Z"), "UTC").toISOString(), "2026-01-06T01:00:00.000Z");
    assert.equal(nextWindowStart(window, at("2026-01-06T02:00:00Z"), "UTC").toISOString(), "2026-01-08T22:00:00.000Z");
  });

  it("works for cron windows", () => {
    const cron = parse("0 3 * * 1 for 2h");
    assert.equal(isInsideWindow(cron, at(`${MONDAY}T04:59:00Z`), "UTC"), true);
    assert.equal(isInsideWindow(cron, at(`${MONDAY}T05:00:00Z`), "UTC"), false);
    assert.equal(nextWindowStart(cron, at(`${MONDAY}T05:00:00Z`), "UTC").toISOString(), "2026-01-12T03:00:00.000Z");
  });
});

/**
 * Daylight saving time in Europe/Berlin, 2026. The rule: a window is the stretch of wall-clock
 * time between its start and its end, on the server's clock.
 *
 * Spring forward, Sunday 29 March: at 02:00 CET (01:00 UTC) the clock jumps to 03:00 CEST, so
 * 02:00-02:59 does not exist that night. A window starting 02:30 opens when the clock has jumped,
 * at 03:00 CEST = 01:00 UTC (croner runs a fixed-time job there, as Vixie cron does), and a
 * 02:30-04:00 window closes at 04:00 CEST = 02:00 UTC: one real hour instead of one and a half.
 * A cron "30 2 * * *" window opens at the same instant and lasts its hour of elapsed time. A
 * window that lies entirely inside the gap (02:10-02:40) does not open that night at all.
 *
 * Fall back, Sunday 25 October: at 03:00 CEST (01:00 UTC) the clock goes back to 02:00 CET, so
 * 02:00-02:59 happens twice. A 01:00-03:00 window opens at 01:00 CEST = 23:00 UTC on the 24th and
 * closes when the clock shows 03:00 for real, 03:00 CET = 02:00 UTC: three real hours, covering
 * both passes through 02:xx. A window starting at 02:30 opens on the first pass (00:30 UTC).
 * A cron window is elapsed time: "0 1 * * * for 2h" closes two real hours after 23:00 UTC.
 */
describe("daylight saving time (Europe/Berlin, 2026)", () => {
  const tz = "Europe/Berlin";

  it("spring forward: a 02:30 daily window opens when the clock jumps to 03:00 CEST", () => {
    assert.deepEqual(openings("daily 02:30-04:00", "2026-03-27T12:00:00Z", 3, tz), [
      "2026-03-28T01:30:00.000Z → 2026-03-28T03:00:00.000Z", // 02:30-04:00 CET
      "2026-03-29T01:00:00.000Z → 2026-03-29T02:00:00.000Z", // 03:00-04:00 CEST: 02:30 never happens
      "2026-03-30T00:30:00.000Z → 2026-03-30T02:00:00.000Z", // 02:30-04:00 CEST
    ]);
    assert.deepEqual(openings("30 2 * * *", "2026-03-28T12:00:00Z", 1, tz), ["2026-03-29T01:00:00.000Z → 2026-03-29T02:00:00.000Z"]);
  });

  it("spring forward: a window inside the gap is skipped that night", () => {
    assert.deepEqual(openings("daily 02:10-02:40", "2026-03-28T12:00:00Z", 1, tz), ["2026-03-30T00:10:00.000Z → 2026-03-30T00:40:00.000Z"]);
    assert.equal(isInsideWindow(parse("daily 02:10-02:40"), new Date("2026-03-29T01:05:00Z"), tz), false);
  });

  it("fall back: a 01:00-03:00 window is open three real hours", () => {
    assert.deepEqual(openings("daily 01:00-03:00", "2026-10-23T12:00:00Z", 3, tz), [
      "2026-10-23T23:00:00.000Z → 2026-10-24T01:00:00.000Z", // 01:00-03:00 CEST
      "2026-10-24T23:00:00.000Z → 2026-10-25T02:00:00.000Z", // 01:00 CEST - 03:00 CET
      "2026-10-26T00:00:00.000Z → 2026-10-26T02:00:00.000Z", // 01:00-03:00 CET
    ]);
    const window = parse("daily 01:00-03:00");
    assert.equal(isInsideWindow(window, new Date("2026-10-25T00:30:00Z"), tz), true, "02:30 CEST, first pass");
    assert.equal(isInsideWindow(window, new Date("2026-10-25T01:30:00Z"), tz), true, "02:30 CET, second pass");
    assert.equal(isInsideWindow(window, new Date("2026-10-25T02:00:00Z"), tz), false, "03:00 CET");
  });

  it("fall back: a start in the repeated hour opens on its first occurrence", () => {
    assert.deepEqual(openings("daily 02:30-03:30", "2026-10-24T12:00:00Z", 1, tz), ["2026-10-25T00:30:00.000Z → 2026-10-25T02:30:00.000Z"]);
  });

  it("fall back: a cron window lasts its elapsed length", () => {
    assert.deepEqual(openings("0 1 * * * for 2h", "2026-10-24T12:00:00Z", 1, tz), ["2026-10-24T23:00:00.000Z → 2026-10-25T01:00:00.000Z"]);
  });
});

describe("describeWindow", () => {
  const cases: Array<[string, string]> = [
    ["daily 02:00-04:00", "Every day, 02:00–04:00"],
    ["Mon-Fri 01:00-03:00", "Monday to Friday, 01:00–03:00"],
    ["Tue-Thu 1:00-3:00", "Tuesday to Thursday, 01:00–03:00"],
    ["Fri-Mon 23:00-01:00", "Friday to Monday, 23:00–01:00 (closes the next day)"],
    ["Mon,Thu 22:00-02:00", "Mondays and Thursdays, 22:00–02:00 (closes the next day)"],
    ["sun,wed,mon 05:00-06:00", "Mondays, Wednesdays and Sundays, 05:00–06:00"],
    ["weekends 00:00-06:00", "Saturdays and Sundays, 00:00–06:00"],
    ["0 3 * * 1", "Opens at each match of the cron expression 0 3 * * 1 and stays open 1 hour"],
    ["0 3 * * 1 for 90m", "Opens at each match of the cron expression 0 3 * * 1 and stays open 1 hour 30 minutes"],
  ];
  for (const [spec, description] of cases) it(spec, () => assert.equal(describeWindow(parse(spec)), description));
});
