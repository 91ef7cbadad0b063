// SPDX-License-Identifier: EUPL-1.2
/**
 * The call-back promise in working days (Monday to Friday in the municipality's time zone):
 * when it runs out for a request, and how much of it is left. Dutch public holidays are no working days.
 */
import { publicHoliday } from './holidays.ts';

export interface CallbackPromise {
  workingDays: number;
  /** the calling window; the promise runs out at its end on the last working day */
  window?: { from: string; to: string } | undefined;
}

export interface TimeLeft {
  /** the moment the promise runs out */
  deadline: Date;
  overdue: boolean;
  /** working days after today up to the deadline's day: 0 means "today" (meaningless when overdue) */
  workingDaysLeft: number;
  /** the deadline's local time, HH:MM (24:00 for the end of the day) */
  deadlineTime: string;
}

export interface LocalDate {
  year: number;
  month: number;
  day: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
      hourCycle: 'h23',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** The wall-clock reading in `timeZone` at `instant`. */
export function wallClock(instant: number, timeZone: string): LocalDate & { hour: number; minute: number; second: number } {
  const parts = Object.fromEntries(formatter(timeZone).formatToParts(new Date(instant)).map((p) => [p.type, p.value]));
  return {
    year: Number(parts.year),
    month: Number(parts.month),
    day: Number(parts.day),
    hour: Number(parts.hour),
    minute: Number(parts.minute),
    second: Number(parts.second),
  };
}

/** How far `timeZone` is ahead of UTC at `instant`, in ms. */
function offsetAt(instant: number, timeZone: string): number {
  const w = wallClock(instant, timeZone);
  const asUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
  return asUtc - Math.floor(instant / 1000) * 1000;
}

/**
 * The instant at which the wall clock in `timeZone` reads this date and time. Two passes, so a
 * time on the other side of a daylight-saving change than the first guess comes out right.
 */
export function zonedInstant(date: LocalDate, minutes: number, timeZone: string): Date {
  const naive = Date.UTC(date.year, date.month - 1, date.day) + minutes * 60_000;
  let instant = naive - offsetAt(naive, timeZone);
  instant = naive - offsetAt(instant, timeZone);
  return new Date(instant);
}

export function addDays(date: LocalDate, days: number): LocalDate {
  const d = new Date(Date.UTC(date.year, date.month - 1, date.day + days));
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

/** 0 = Sunday … 6 = Saturday, of a calendar date (no time zone involved). */
export function weekday(date: LocalDate): number {
  return new Date(Date.UTC(date.year, date.month - 1, date.day)).getUTCDay();
}

export function isWorkingDay(date: LocalDate): boolean {
  const d = weekday(date);
  return d !== 0 && d !== 6 && publicHoliday(date) === null;
}

function sameDay(a: LocalDate, b: LocalDate): boolean {
  return a.year === b.year && a.month === b.month && a.day === b.day;
}

function before(a: LocalDate, b: LocalDate): boolean {
  return Date.UTC(a.year, a.month - 1, a.day) < Date.UTC(b.year, b.month - 1, b.day);
}

export function minutesOf(time: string): number {
  const [h, m] = time.split(':').map(Number) as [number, number];
  return h * 60 + m;
}

/**
 * When the promise made at `createdAt` runs out: the day of the request is day 0 and the
 * promise ends on the n-th working day after it, at the end of the calling window (or at
 * midnight when the municipality names no window). A request on Saturday with "2 working days"
 * runs out on Tuesday.
 */
export function promiseDeadline(createdAt: Date, promise: CallbackPromise, timeZone: string): Date {
  let date: LocalDate = wallClock(createdAt.getTime(), timeZone);
  let left = promise.workingDays;
  while (left > 0) {
    date = addDays(date, 1);
    if (isWorkingDay(date)) left--;
  }
  const end = promise.window ? minutesOf(promise.window.to) : 24 * 60;
  return zonedInstant(date, end, timeZone);
}

/** Working days strictly after `from` up to and including `to` (0 when `to` is not later). */
export function workingDaysBetween(from: LocalDate, to: LocalDate): number {
  let count = 0;
  let date = from;
  while (before(date, to)) {
    date = addDays(date, 1);
    if (isWorkingDay(date)) count++;
  }
  return count;
}

export function timeLeft(createdAt: Date, now: Date, promise: CallbackPromise, timeZone: string): TimeLeft {
  const deadline = promiseDeadline(createdAt, promise, timeZone);
  const overdue = now.getTime() > deadline.getTime();
  const today = wallClock(now.getTime(), timeZone);
  // An end at midnight belongs to the day before, for people reading "nog 1 werkdag".
  const endMinutes = promise.window ? minutesOf(promise.window.to) : 24 * 60;
  const lastDay = wallClock(deadline.getTime() - (endMinutes === 24 * 60 ? 1 : 0), timeZone);
  return {
    deadline,
    overdue,
    workingDaysLeft: overdue || sameDay(today, lastDay) ? 0 : workingDaysBetween(today, lastDay),
    deadlineTime: promise.window ? promise.window.to : '24:00',
  };
}
