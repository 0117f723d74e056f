#!/usr/bin/env python3
"""Writes Tests/ICalendarTests/Fixtures/rrule-variety-stockholm.ics: 80 random (seeded, reproducible) RRULEs in
Europe/Stockholm, each DTSTART synchronised with its rule (python-dateutil gives the rule's first instance), for the
differential test against recurring-ical-events. Run from the package folder: python3 Tests/Integration/make_rrule_variety.py
"""
import os
import random
random.seed(5545)
days = ["MO","TU","WE","TH","FR","SA","SU"]
lines = ["BEGIN:VCALENDAR","VERSION:2.0","PRODID:-//digest tests//rrule variety//EN"]
for i in range(80):
    freq = random.choice(["DAILY","WEEKLY","MONTHLY","YEARLY","WEEKLY","MONTHLY"])
    parts = ["FREQ="+freq]
    if random.random() < 0.5: parts.append("INTERVAL=%d" % random.randint(1,3))
    if freq in ("MONTHLY","YEARLY") and random.random() < 0.5:
        ordinal = random.choice(["", "1", "2", "-1", "-2"])
        parts.append("BYDAY=" + ",".join(sorted(set(ordinal + random.choice(days) for _ in range(random.randint(1,2))))))
    elif random.random() < 0.4:
        parts.append("BYDAY=" + ",".join(sorted(set(random.choice(days) for _ in range(random.randint(1,3))))))
    if freq in ("MONTHLY","YEARLY") and random.random() < 0.3:
        parts.append("BYMONTHDAY=" + ",".join(str(random.choice([1,2,13,15,28,29,30,31,-1,-2])) for _ in range(random.randint(1,2))))
    if freq in ("YEARLY","DAILY","WEEKLY") and random.random() < 0.3:
        parts.append("BYMONTH=" + ",".join(sorted(set(str(random.randint(1,12)) for _ in range(random.randint(1,3))), key=int)))
    if freq == "YEARLY" and random.random() < 0.15:
        parts.append("BYWEEKNO=" + str(random.choice([1,2,10,20,52,53,-1])))
    if freq == "YEARLY" and random.random() < 0.1:
        parts.append("BYYEARDAY=" + str(random.choice([1,60,100,200,-1,-100])))
    allday = random.random() < 0.15
    if freq == "DAILY" and not allday and random.random() < 0.3:
        parts.append("BYHOUR=8,17")
    if freq in ("MONTHLY",) and "BYDAY" in ";".join(parts) and random.random() < 0.4:
        parts.append("BYSETPOS=" + random.choice(["1","-1","2","1,-1"]))
    if random.random() < 0.3: parts.append("WKST=" + random.choice(days))
    r = random.random()
    if r < 0.35: parts.append("COUNT=%d" % random.randint(1,30))
    elif r < 0.6: parts.append("UNTIL=2026%02d%02dT%02d0000Z" % (random.randint(1,12), random.randint(1,28), random.randint(0,23)))
    y = random.choice([2025, 2026])
    m = random.randint(1,12); d = random.randint(1,28); h = random.randint(6,20)
    # Synchronise DTSTART with the rule (RFC 5545 leaves an unsynchronised DTSTART undefined): use the rule's first
    # instance at or after a random seed.
    from dateutil.rrule import rrulestr
    from datetime import datetime
    seed = datetime(y, m, d, h, random.choice([0, 30]))
    body = ";".join(p for p in parts if not p.startswith(("COUNT", "UNTIL")))
    try:
        first = rrulestr(body, dtstart=seed)[0]
    except IndexError:
        continue
    y, m, d, h, mi = first.year, first.month, first.day, first.hour, first.minute
    lines += ["BEGIN:VEVENT", "UID:variety-%d" % i, "DTSTAMP:20260101T000000Z", "SUMMARY:Variety %d: %s" % (i, ";".join(parts).replace(";", "\\;"))]
    if allday:
        lines += ["DTSTART;VALUE=DATE:%04d%02d%02d" % (y,m,d)]
    else:
        lines += ["DTSTART;TZID=Europe/Stockholm:%04d%02d%02dT%02d%02d00" % (y,m,d,h,mi), "DURATION:PT1H"]
    lines += ["RRULE:" + ";".join(parts), "END:VEVENT"]
lines.append("END:VCALENDAR")
open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "ICalendarTests", "Fixtures", "rrule-variety-stockholm.ics"), "w", newline="").write("\r\n".join(lines)+"\r\n")
