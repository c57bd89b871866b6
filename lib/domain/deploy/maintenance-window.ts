import { Cron } from "croner";

/**
 * Maintenance windows: when hooks that reload or restart services may run. Pure (no database,
 * no clock of its own), safe to import from client components.
 *
 * A window is written as a spec string, in one of two forms:
 *   days and hours   "Mon-Fri 01:00-03:00", "Mon,Thu 22:00-02:00" (crosses midnight), "daily 02:00-04:00"
 *   cron             "0 3 * * 1" (opens at each match, open 1 hour), "0 3 * * 1 for 90m"
 * and "" means no window: any time.
 *
 * Every time is a wall-clock time in the time zone passed in (the server's, lib/core/env.ts
 * displayTimeZone). All schedule arithmetic is croner's, including daylight saving time: an
 * opening at a wall-clock time that does not exist that day (spring forward) happens when the
 * clock has jumped past the gap; one that occurs twice (fall back) happens at its first
 * occurrence. A days-and-hours window closes at the next occurrence of its end time, so
 * "01:00-03:00" on a fall-back night is open three real hours, and on a spring-forward night one.
 */

export interface ClockTime {
  hour: number;
  minute: number;
}

export type MaintenanceWindow =
  | {
      kind: "days";
      /** The spec as written (trimmed). */
      spec: string;
      /** Days the window opens on, 0 = Sunday … 6 = Saturday, ascending. */
      days: number[];
      start: ClockTime;
      /** Wall-clock closing time; earlier than `start` when the window crosses midnight. */
      end: ClockTime;
    }
  | {
      kind: "cron";
      spec: string;
      /** A 5-field cron expression; the window opens at each match. */
      cron: string;
      durationMinutes: number;
    };

export type ParseWindowResult = { ok: true; window: MaintenanceWindow } | { ok: false; error: string };

export interface WindowOpening {
  start: Date;
  end: Date;
}

const DEFAULT_CRON_DURATION_MINUTES = 60;
const MAX_CRON_DURATION_MINUTES = 7 * 24 * 60;
/** Longest a day's real length can differ from its wall-clock length (one DST shift, with room to spare). */
const MAX_DST_SHIFT_MS = 3 * 3600 * 1000;
/** Openings that overlap are merged; this bounds the work for patterns such as "* * * * *". */
const MAX_MERGED_OPENINGS = 1000;
/** Openings skipped in a row because they fell into a DST gap before giving up. */
const MAX_SKIPPED_OPENINGS = 50;

const DAY_NAMES = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];
const DAY_ALIASES = new Map<string, number>();
DAY_NAMES.forEach((name, index) => {
  const lower = name.toLowerCase();
  for (const alias of [lower, `${lower}s`, lower.slice(0, 3), `${lower.slice(0, 3)}s`]) DAY_ALIASES.set(alias, index);
});
for (const [alias, day] of [
  ["tues", 2],
  ["weds", 3],
  ["thur", 4],
  ["thurs", 4],
] as const)
  DAY_ALIASES.set(alias, day);

const ALL_DAYS = [0, 1, 2, 3, 4, 5, 6];
const DAY_GROUPS = new Map<string, number[]>([
  ["daily", ALL_DAYS],
  ["everyday", ALL_DAYS],
  ["every day", ALL_DAYS],
  ["weekdays", [1, 2, 3, 4, 5]],
  ["weekday", [1, 2, 3, 4, 5]],
  ["weekends", [0, 6]],
  ["weekend", [0, 6]],
]);

const TIME = String.raw`\d{1,2}:\d{2}`;
const DAYS_AND_HOURS = new RegExp(String.raw`^(.*?)\s*\b(${TIME})\s*(?:-|–|—|\bto\b)\s*(${TIME})$`, "i");
const CRON_WITH_LENGTH = /^(.*?)\s+for\s+(.+)$/i;

// ---- parsing -------------------------------------------------------------------------------

export function parseMaintenanceWindow(spec: string): ParseWindowResult {
  const trimmed = spec.trim().replace(/\s+/g, " ");
  if (trimmed === "") return { ok: false, error: "Enter a maintenance window, or leave the field empty for any time" };
  const quoted = quote(trimmed);
  const daysAndHours = DAYS_AND_HOURS.exec(trimmed);
  if (daysAndHours) return parseDaysAndHours(trimmed, quoted, daysAndHours[1], daysAndHours[2], daysAndHours[3]);
  return parseCronWindow(trimmed, quoted);
}

function parseDaysAndHours(spec: string, quoted: string, daysText: string, startText: string, endText: string): ParseWindowResult {
  const days = parseDays(daysText);
  if (!days.ok) return { ok: false, error: `${quoted}: ${days.error}` };
  const start = parseClockTime(startText, false);
  if (!start.ok) return { ok: false, error: `${quoted}: ${start.error}` };
  const end = parseClockTime(endText, true);
  if (!end.ok) return { ok: false, error: `${quoted}: ${end.error}` };
  if (start.time.hour === end.time.hour && start.time.minute === end.time.minute) {
    return {
      ok: false,
      error: `${quoted}: the window ends when it starts; give it a length, such as ${startText}-${formatClockTime({ hour: (start.time.hour + 2) % 24, minute: start.time.minute })}`,
    };
  }
  return { ok: true, window: { kind: "days", spec, days: days.days, start: start.time, end: end.time } };
}

function parseDays(text: string): { ok: true; days: number[] } | { ok: false; error: string } {
  const lower = text.trim().toLowerCase();
  // "01:00-03:00" alone means every day; "every Monday" is "Monday".
  if (lower === "") return { ok: true, days: ALL_DAYS };
  const group = DAY_GROUPS.get(lower);
  if (group) return { ok: true, days: group };
  const normalized = lower.replace(/^every\s+/, "").replace(/\s*(?:-|–|—|\bto\b)\s*/g, "-");
  const days = new Set<number>();
  for (const token of normalized.split(/\s*(?:,|&|\band\b|\s)\s*/).filter(Boolean)) {
    const tokenGroup = DAY_GROUPS.get(token);
    if (tokenGroup) {
      tokenGroup.forEach((day) => days.add(day));
      continue;
    }
    const [from, to, ...rest] = token.split("-");
    const first = DAY_ALIASES.get(from);
    const last = to === undefined ? first : DAY_ALIASES.get(to);
    const unknown = first === undefined ? from : last === undefined ? to : rest.length > 0 ? token : undefined;
    if (unknown !== undefined || first === undefined || last === undefined) {
      return {
        ok: false,
        error: `unknown day ${JSON.stringify(unknown ?? token)}; use Mon, Tue, Wed, Thu, Fri, Sat, Sun (or ranges such as Mon-Fri), weekdays, weekends or daily`,
      };
    }
    // A range may wrap around the week: Fri-Mon is Friday, Saturday, Sunday and Monday.
    for (let day = first; ; day = (day + 1) % 7) {
      days.add(day);
      if (day === last) break;
    }
  }
  return { ok: true, days: [...days].sort((a, b) => a - b) };
}

function parseClockTime(text: string, isEnd: boolean): { ok: true; time: ClockTime } | { ok: false; error: string } {
  const [hourText, minuteText] = text.split(":");
  const hour = Number(hourText);
  const minute = Number(minuteText);
  if (isEnd && hour === 24 && minute === 0) return { ok: true, time: { hour: 0, minute: 0 } };
  if (hour > 23) return { ok: false, error: `${text} is not a time of day: hours go from 00 to 23` };
  if (minute > 59) return { ok: false, error: `${text} is not a time of day: minutes go from 00 to 59` };
  return { ok: true, time: { hour, minute } };
}

const CRON_FIELDS: Record<string, string> = {
  minute: "minute must be 0-59",
  hour: "hour must be 0-23",
  day: "day-of-month must be 1-31",
  month: "month must be 1-12 (or JAN-DEC)",
  dayOfWeek: "day-of-week must be 0-7 (or SUN-SAT)",
};

function parseCronWindow(spec: string, quoted: string): ParseWindowResult {
  const withLength = CRON_WITH_LENGTH.exec(spec);
  const cron = (withLength ? withLength[1] : spec).trim();
  let durationMinutes = DEFAULT_CRON_DURATION_MINUTES;
  if (withLength) {
    const duration = parseDuration(withLength[2]);
    if (!duration.ok) return { ok: false, error: `${quoted}: ${duration.error}` };
    durationMinutes = duration.minutes;
  }
  const fieldCount = cron.split(" ").length;
  if (fieldCount !== 5 || !/^[\d*]/.test(cron)) {
    return {
      ok: false,
      error: `${quoted}: not a maintenance window. Write days and hours such as "Mon-Fri 01:00-03:00", or a 5-field cron expression such as "0 3 * * 1" (minute hour day-of-month month day-of-week)`,
    };
  }
  let schedule: Cron;
  try {
    schedule = createCron(cron, "UTC");
  } catch (error) {
    return { ok: false, error: `${quoted}: ${describeCronError(error)}` };
  }
  // A pattern such as "0 3 30 2 *" (30 February) is valid cron that never matches.
  if (!schedule.nextRun(new Date(Date.UTC(2000, 0, 1)))) return { ok: false, error: `${quoted}: this cron expression never matches a date` };
  return { ok: true, window: { kind: "cron", spec, cron, durationMinutes } };
}

function describeCronError(error: unknown): string {
  const message = error instanceof Error ? error.message.replace(/^CronPattern:\s*/, "") : String(error);
  const invalidValue = /^Invalid value for (\w+)/.exec(message);
  if (invalidValue && Object.hasOwn(CRON_FIELDS, invalidValue[1])) return CRON_FIELDS[invalidValue[1]];
  const illegal = /configuration entry (\d) \((.*)\) contains illegal characters/.exec(message);
  if (illegal) {
    const field = Object.values(CRON_FIELDS)[Number(illegal[1]) - 1]?.split(" ")[0] ?? "a field";
    return `${field} ${JSON.stringify(illegal[2])} contains characters cron does not know`;
  }
  return `not a valid cron expression (${message})`;
}

function parseDuration(text: string): { ok: true; minutes: number } | { ok: false; error: string } {
  const match = /^(?:(\d+)\s*h(?:ours?|rs?)?)?\s*(?:(\d+)\s*m(?:in(?:ute)?s?)?)?$/i.exec(text.trim());
  if (!match || (match[1] === undefined && match[2] === undefined)) {
    return { ok: false, error: `cannot read the length ${JSON.stringify(text)}; write it as "for 90m" or "for 2h"` };
  }
  const minutes = Number(match[1] ?? 0) * 60 + Number(match[2] ?? 0);
  if (minutes < 1 || minutes > MAX_CRON_DURATION_MINUTES) return { ok: false, error: "the length must be between 1 minute and 7 days (168h)" };
  return { ok: true, minutes };
}

function quote(spec: string): string {
  return JSON.stringify(spec.length > 80 ? `${spec.slice(0, 80)}…` : spec);
}

// ---- schedule ------------------------------------------------------------------------------

function createCron(pattern: string, timeZone: string): Cron {
  // No callback: croner only computes dates, it schedules nothing.
  return new Cron(pattern, { timezone: timeZone, mode: "5-part", paused: true });
}

interface Schedule {
  opening: Cron;
  /** When the window that opened at `start` closes, or null when it has no time that day (a DST gap). */
  closingOf(start: Date): Date | null;
}

function createSchedule(window: MaintenanceWindow, timeZone: string): Schedule {
  if (window.kind === "cron") {
    const lengthMs = window.durationMinutes * 60_000;
    return { opening: createCron(window.cron, timeZone), closingOf: (start) => new Date(start.getTime() + lengthMs) };
  }
  const days = window.days.length === 7 ? "*" : window.days.join(",");
  const opening = createCron(`${window.start.minute} ${window.start.hour} * * ${days}`, timeZone);
  const closing = createCron(`${window.end.minute} ${window.end.hour} * * *`, timeZone);
  const wallClockMs = ((toMinutes(window.end) - toMinutes(window.start) + 1440) % 1440) * 60_000;
  return {
    opening,
    closingOf(start) {
      const end = closing.nextRun(start);
      // When the closing time falls into a spring-forward gap right after the opening, the next
      // occurrence is a day later: that day's window has no time at all.
      if (!end || end.getTime() - start.getTime() > wallClockMs + MAX_DST_SHIFT_MS) return null;
      return end;
    },
  };
}

/**
 * The opening at `start`, extended over any later openings that begin before it closes. The
 * search for the following opening continues after its end.
 */
function mergeFrom(schedule: Schedule, start: Date, end: Date): WindowOpening {
  let lastStart = start;
  let closing = end;
  for (let merged = 0; merged < MAX_MERGED_OPENINGS; merged++) {
    const next = schedule.opening.nextRun(lastStart);
    if (!next || next.getTime() > closing.getTime()) break;
    lastStart = next;
    const nextEnd = schedule.closingOf(next);
    if (nextEnd && nextEnd > closing) closing = nextEnd;
  }
  return { start, end: closing };
}

/** The opening that `at` falls in, if any. */
function openingAt(schedule: Schedule, at: Date): WindowOpening | null {
  // croner's previousRuns excludes a run at exactly the reference; 1 ms later includes it.
  const [start] = schedule.opening.previousRuns(1, new Date(at.getTime() + 1));
  if (!start) return null;
  const end = schedule.closingOf(start);
  if (!end || end.getTime() <= at.getTime()) return null;
  return mergeFrom(schedule, start, end);
}

/**
 * The next `count` openings as seen at `from`: the one `from` falls in first (its start is then
 * at or before `from`), then the following ones. Overlapping openings are merged into one.
 */
export function nextWindowOpenings(window: MaintenanceWindow, from: Date, count: number, timeZone: string): WindowOpening[] {
  const schedule = createSchedule(window, timeZone);
  const openings: WindowOpening[] = [];
  const current = openingAt(schedule, from);
  let cursor = from;
  if (current) {
    openings.push(current);
    cursor = current.end;
  }
  let skipped = 0;
  while (openings.length < count && skipped < MAX_SKIPPED_OPENINGS) {
    const start = schedule.opening.nextRun(cursor);
    if (!start) break;
    cursor = start;
    const end = schedule.closingOf(start);
    if (!end) {
      skipped++;
      continue;
    }
    skipped = 0;
    const merged = mergeFrom(schedule, start, end);
    openings.push(merged);
    cursor = merged.end;
  }
  return openings;
}

export function isInsideWindow(window: MaintenanceWindow, at: Date, timeZone: string): boolean {
  return openingAt(createSchedule(window, timeZone), at) !== null;
}

/** `from` itself when the window is open then, else when it next opens. */
export function nextWindowStart(window: MaintenanceWindow, from: Date, timeZone: string): Date {
  const [next] = nextWindowOpenings(window, from, 1, timeZone);
  if (!next) throw new Error(`maintenance window ${JSON.stringify(window.spec)} never opens`);
  return next.start.getTime() < from.getTime() ? from : next.start;
}

// ---- description ---------------------------------------------------------------------------

/** "Monday to Friday, 01:00–03:00", "Mondays and Thursdays, 22:00–02:00 (closes the next day)". */
export function describeWindow(window: MaintenanceWindow): string {
  if (window.kind === "cron") {
    return `Opens at each match of the cron expression ${window.cron} and stays open ${describeMinutes(window.durationMinutes)}`;
  }
  const crossesMidnight = toMinutes(window.end) <= toMinutes(window.start);
  return `${describeDays(window.days)}, ${formatClockTime(window.start)}–${formatClockTime(window.end)}${crossesMidnight ? " (closes the next day)" : ""}`;
}

function describeDays(days: number[]): string {
  const key = days.join(",");
  if (key === "0,1,2,3,4,5,6") return "Every day";
  if (key === "1,2,3,4,5") return "Monday to Friday";
  if (key === "0,6") return "Saturdays and Sundays";
  // A run of three or more days, possibly across the weekend: "Friday to Monday".
  const first = days.find((day) => !days.includes((day + 6) % 7));
  if (days.length >= 3 && first !== undefined && days.every((_, index) => days.includes((first + index) % 7))) {
    return `${DAY_NAMES[first]} to ${DAY_NAMES[(first + days.length - 1) % 7]}`;
  }
  // Otherwise a list, Monday first, as on most calendars a server admin reads.
  const names = [...days].sort((a, b) => ((a + 6) % 7) - ((b + 6) % 7)).map((day) => `${DAY_NAMES[day]}s`);
  return names.length === 1 ? names[0] : `${names.slice(0, -1).join(", ")} and ${names.at(-1)}`;
}

function describeMinutes(minutes: number): string {
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  const parts = [hours ? `${hours} hour${hours === 1 ? "" : "s"}` : "", rest ? `${rest} minute${rest === 1 ? "" : "s"}` : ""];
  return parts.filter(Boolean).join(" ");
}

function toMinutes(time: ClockTime): number {
  return time.hour * 60 + time.minute;
}

function formatClockTime(time: ClockTime): string {
  return `${String(time.hour).padStart(2, "0")}:${String(time.minute).padStart(2, "0")}`;
}
