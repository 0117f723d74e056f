#!/usr/bin/env python3
"""Reference expansion for the ICalendar module's differential test.

Usage: ical_reference.py FILE.ics START END [--tz ZONE] [--with-uid]

Prints the start instant of every occurrence that overlaps [START, END) (ISO 8601, e.g. 2026-01-01T00:00:00Z),
one per line, sorted, in UTC as 2026-03-24T08:00:00Z. Floating times and all-day dates are read in ZONE (default
Europe/Stockholm), as the Swift parser's default time zone. Uses the pip packages icalendar and recurring-ical-events.
"""
import argparse
import datetime as dt
import sys
import zoneinfo

import icalendar
import recurring_ical_events


def parse_instant(text):
    return dt.datetime.fromisoformat(text.replace("Z", "+00:00")).astimezone(dt.timezone.utc)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("file")
    parser.add_argument("start")
    parser.add_argument("end")
    parser.add_argument("--tz", default="Europe/Stockholm")
    parser.add_argument("--with-uid", action="store_true", help="append the UID to each line")
    args = parser.parse_args()
    zone = zoneinfo.ZoneInfo(args.tz)
    start = parse_instant(args.start)
    end = parse_instant(args.end)
    with open(args.file, "rb") as handle:
        try:
            calendar = icalendar.Calendar.from_ical(handle.read())
        except ValueError as error:
            print(f"{args.file}: icalendar cannot read this file: {error}", file=sys.stderr)
            return 2
    # Ask for a slightly wider window in the calendar's own terms, then filter exactly in UTC.
    query = recurring_ical_events.of(calendar).between(start - dt.timedelta(days=2), end + dt.timedelta(days=2))
    instants = []
    for event in query:
        if event.name != "VEVENT":
            continue
        # The Swift module drops cancelled instances and events; recurring-ical-events keeps them.
        if str(event.get("STATUS", "")).upper() == "CANCELLED":
            continue
        begin = event.get("DTSTART").dt
        finish = event.get("DTEND").dt if event.get("DTEND") is not None else None
        if event.get("DURATION") is not None and finish is None:
            finish = begin + event.get("DURATION").dt
        def to_utc(value):
            if isinstance(value, dt.datetime):
                if value.tzinfo is None:
                    value = value.replace(tzinfo=zone)
                return value.astimezone(dt.timezone.utc)
            return dt.datetime(value.year, value.month, value.day, tzinfo=zone).astimezone(dt.timezone.utc)
        begin_utc = to_utc(begin)
        if finish is None:
            finish_utc = to_utc(begin + dt.timedelta(days=1)) if not isinstance(begin, dt.datetime) else begin_utc
        else:
            finish_utc = to_utc(finish)
        overlaps = begin_utc < end and finish_utc > start if finish_utc > begin_utc else start <= begin_utc < end
        if overlaps:
            instants.append((begin_utc, str(event.get("UID", ""))))
    for instant, uid in sorted(instants):
        print(instant.strftime("%Y-%m-%dT%H:%M:%SZ") + (" " + uid if args.with_uid else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
