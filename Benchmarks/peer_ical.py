#!/usr/bin/env python3
"""Python peer of `digest-bench icalendar`: parse with icalendar and expand with recurring-ical-events.

Usage: peer_ical.py FILE.ics [--from 2027-01-01] [--to 2028-01-01] [--list OUT]

Times `recurring_ical_events.of(icalendar.Calendar.from_ical(data)).between(a, b)` where a and b are midnights in
Europe/Stockholm, and prints one JSON line with the seconds, peak memory and the number of occurrences. With --list,
also writes every occurrence (UID and UTC start, sorted, as `digest-bench icalendar --list` does), untimed.
"""
import argparse
import datetime as dt
import time
import zoneinfo

import icalendar
import recurring_ical_events

from benchlib import cpu_seconds, report


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("file")
    parser.add_argument("--from", dest="start", default="2027-01-01")
    parser.add_argument("--to", dest="end", default="2028-01-01")
    parser.add_argument("--list", help="write every occurrence's UID and UTC start to this file")
    args = parser.parse_args()
    zone = zoneinfo.ZoneInfo("Europe/Stockholm")
    start = dt.datetime.fromisoformat(args.start).replace(tzinfo=zone)
    end = dt.datetime.fromisoformat(args.end).replace(tzinfo=zone)
    with open(args.file, "rb") as handle:
        data = handle.read()
    began = time.perf_counter()
    cpu_began = cpu_seconds()
    calendar = icalendar.Calendar.from_ical(data)
    parsed = time.perf_counter()
    occurrences = [event for event in recurring_ical_events.of(calendar).between(start, end) if event.name == "VEVENT"]
    count = len(occurrences)
    done = time.perf_counter()
    if args.list:
        lines = []
        for event in occurrences:
            begin = event["DTSTART"].dt
            if not isinstance(begin, dt.datetime):
                begin = dt.datetime(begin.year, begin.month, begin.day, tzinfo=zone)
            lines.append(f"{event['UID']} {begin.astimezone(dt.timezone.utc):%Y-%m-%dT%H:%M:%SZ}")
        with open(args.list, "w", encoding="utf-8") as handle:
            handle.write("\n".join(sorted(lines)) + "\n")
    report("icalendar", done - began, cpu_seconds() - cpu_began, parseSeconds=parsed - began, expandSeconds=done - parsed,
           events=len(calendar.walk("VEVENT")), occurrences=count)


if __name__ == "__main__":
    main()
