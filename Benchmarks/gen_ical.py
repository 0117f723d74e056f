#!/usr/bin/env python3
"""Writes the iCalendar benchmark's calendar: 20,000 events, a quarter of them recurring.

Usage: gen_ical.py OUT.ics [--events N] [--seed S]

Recurring events use weekly rules (COUNT, UNTIL, BYDAY, some EXDATEs) and monthly rules (BYDAY=2TH, BYMONTHDAY),
each DTSTART on a day its rule gives; times are in Europe/Stockholm (with its VTIMEZONE), in UTC, or all-day dates. No time falls near midnight on the
window's edges, so both tools see the same occurrences whatever zone the window is read in.
"""
import argparse
import datetime as dt
import random

VTIMEZONE = """BEGIN:VTIMEZONE
TZID:Europe/Stockholm
X-LIC-LOCATION:Europe/Stockholm
BEGIN:DAYLIGHT
TZOFFSETFROM:+0100
TZOFFSETTO:+0200
TZNAME:CEST
DTSTART:19700329T020000
RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU
END:DAYLIGHT
BEGIN:STANDARD
TZOFFSETFROM:+0200
TZOFFSETTO:+0100
TZNAME:CET
DTSTART:19701025T030000
RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU
END:STANDARD
END:VTIMEZONE
"""

WEEKDAYS = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]
PLACES = ["Falun", "Borlänge", "Mora", "Ludvika", "Avesta", "Leksand", "Rättvik", "Säter", "Teams (digitalt)"]
TOPICS = ["Finansiering", "Export", "Hållbarhet", "Innovation", "Rådgivning", "Digitalisering", "Kompetens"]
WORDS = ("seminarium frukostmöte workshop rådgivning export finansiering hållbarhet innovation företag "
         "nätverk ledarskap digitalisering kompetens energi landsbygd bootcamp").split()


def escape(text):
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def fold(line):
    """Folds a content line at 75 octets, as RFC 5545 asks."""
    data = line.encode("utf-8")
    if len(data) <= 75:
        return line + "\r\n"
    parts, current = [], b""
    for char in line:
        encoded = char.encode("utf-8")
        if len(current) + len(encoded) > (75 if not parts else 74):
            parts.append(current)
            current = b""
        current += encoded
    parts.append(current)
    return "\r\n ".join(part.decode("utf-8") for part in parts) + "\r\n"


def local(moment):
    return moment.strftime("%Y%m%dT%H%M%S")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out")
    parser.add_argument("--events", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=49)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//digest//benchmark//SV", "CALSCALE:GREGORIAN",
             "X-WR-CALNAME:Benchmark"]
    # No X-WR-TIMEZONE: recurring-ical-events would move UTC times into it and repeat them in local wall time.
    out = ["\r\n".join(lines) + "\r\n", VTIMEZONE.replace("\n", "\r\n")]
    first = dt.datetime(2026, 6, 1)
    for index in range(args.events):
        day = first + dt.timedelta(days=rng.randrange(0, 730))
        if (day.month, day.day) in ((12, 31), (1, 1)):
            day += dt.timedelta(days=2)
        start = day.replace(hour=rng.randrange(8, 17), minute=rng.choice([0, 15, 30]))
        length = dt.timedelta(minutes=rng.choice([45, 60, 90, 120, 180]))
        title = " ".join(rng.choice(WORDS) for _ in range(rng.randrange(2, 6))).capitalize()
        description = " ".join(rng.choice(WORDS) for _ in range(rng.randrange(10, 40)))
        event = [
            "BEGIN:VEVENT",
            f"UID:bench-{index}@digest.example.se",
            "DTSTAMP:20261101T090000Z",
            f"SUMMARY:{escape(title)} {index}",
            f"DESCRIPTION:{escape(description + ', välkommen!')}",
            f"LOCATION:{escape(rng.choice(PLACES))}",
            f"CATEGORIES:{','.join(escape(t) for t in rng.sample(TOPICS, 2))}",
        ]
        kind = index % 20
        recurring = kind < 5  # a quarter of the events
        if recurring:
            start = dt.datetime(2026, 9, 1) + dt.timedelta(days=rng.randrange(0, 480))
            start = start.replace(hour=rng.randrange(8, 17), minute=rng.choice([0, 30]))
            if kind in (2, 3):  # DTSTART on the rule's day (RFC 5545 leaves an unsynchronised one undefined)
                first = start.replace(day=1)
                start = first + dt.timedelta(days=(3 - first.weekday()) % 7 + 7)
        zone = "stockholm" if kind % 3 != 2 else "utc"
        if not recurring and kind % 7 == 6:
            zone = "date"
        if zone == "stockholm":
            event += [f"DTSTART;TZID=Europe/Stockholm:{local(start)}",
                      f"DTEND;TZID=Europe/Stockholm:{local(start + length)}"]
        elif zone == "utc":
            event += [f"DTSTART:{local(start)}Z", f"DTEND:{local(start + length)}Z"]
        else:
            event += [f"DTSTART;VALUE=DATE:{start:%Y%m%d}",
                      f"DTEND;VALUE=DATE:{start + dt.timedelta(days=1):%Y%m%d}"]
        if recurring:
            weekday = WEEKDAYS[start.weekday()]
            if kind in (0, 1):
                days = [weekday] + ([WEEKDAYS[(start.weekday() + 2) % 7]] if kind == 1 else [])
                limit = f"COUNT={rng.randrange(8, 60)}" if index % 2 else \
                    f"UNTIL={local(start + dt.timedelta(days=rng.randrange(60, 400)))}Z"
                event.append(f"RRULE:FREQ=WEEKLY;INTERVAL={rng.choice([1, 1, 2])};BYDAY={','.join(days)};{limit}")
                if index % 4 == 0:
                    exdates = [start + dt.timedelta(days=7 * k) for k in (2, 4)]
                    if zone == "utc":
                        event.append("EXDATE:" + ",".join(local(d) + "Z" for d in exdates))
                    else:
                        event.append("EXDATE;TZID=Europe/Stockholm:" + ",".join(local(d) for d in exdates))
            elif kind in (2, 3):
                event.append(f"RRULE:FREQ=MONTHLY;BYDAY=2TH;COUNT={rng.randrange(3, 18)}")
            else:
                limit = local(start + dt.timedelta(days=rng.randrange(90, 500)))
                event.append(f"RRULE:FREQ=MONTHLY;BYMONTHDAY={start.day};UNTIL={limit}Z")
        event.append("END:VEVENT")
        out.append("".join(fold(line) for line in event))
    out.append("END:VCALENDAR\r\n")
    with open(args.out, "w", encoding="utf-8", newline="") as handle:
        handle.write("".join(out))


if __name__ == "__main__":
    main()
