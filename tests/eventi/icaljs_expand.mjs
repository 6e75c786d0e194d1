// Expands every event of an iCalendar file with ical.js (Mozilla's parser, as Thunderbird and
// many web calendars use it): node icaljs_expand.mjs ICAL_JS_PATH FROM TO < feed.ics
// prints [{uid, start, end, status}] as JSON, instants as Unix seconds, for
// tests/eventi/test_icaljs.py. Moved and cancelled dates (RECURRENCE-ID) are applied.
import { readFileSync } from "node:fs";
import { pathToFileURL } from "node:url";

const [modulePath, from, to] = process.argv.slice(2);
const ICAL = (await import(pathToFileURL(modulePath).href)).default;
const root = new ICAL.Component(ICAL.parse(readFileSync(0, "utf-8")));
for (const zone of root.getAllSubcomponents("vtimezone")) {
  ICAL.TimezoneService.register(new ICAL.Timezone(zone));
}
const start = Number(from), end = Number(to);
const masters = new Map(), exceptions = [];
for (const vevent of root.getAllSubcomponents("vevent")) {
  const event = new ICAL.Event(vevent);
  if (event.isRecurrenceException()) { exceptions.push(event); } else { masters.set(event.uid, event); }
}
for (const exception of exceptions) { masters.get(exception.uid).relateException(exception); }
const found = [];
for (const event of masters.values()) {
  const iterator = event.iterator();
  for (let next = iterator.next(); next; next = iterator.next()) {
    const details = event.getOccurrenceDetails(next);
    const begin = details.startDate.toUnixTime();
    if (next.toUnixTime() >= end && begin >= end) { break; }
    if (begin < start || begin >= end) { continue; }
    const status = details.item.component.getFirstPropertyValue("status") || "";
    found.push({ uid: event.uid, start: begin, end: details.endDate.toUnixTime(), status });
  }
}
process.stdout.write(JSON.stringify(found));
