#!/usr/bin/env python3
"""Python peer of `digest-bench icalendar`: parse with icalendar and expand with recurring-ical-events.

Usage: peer_ical.py FILE.ics [--from 2027-01-01] [--to 2028-01-01]

Times `recurring_ical_events.of(icalendar.Calendar.from_ical(data)).between(a, b)` where a and b are midnights in
Europe/Stockholm, and prints one JSON line with the seconds, peak memory and the number of occurrences.
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
    occurrences = recurring_ical_events.of(calendar).between(start, end)
    count = sum(1 for event in occurrences if event.name == "VEVENT")
    done = time.perf_counter()
    report("icalendar", done - began, cpu_seconds() - cpu_began, parseSeconds=parsed - began, expandSeconds=done - parsed,
           events=len(calendar.walk("VEVENT")), occurrences=count)


if __name__ == "__main__":
    main()
