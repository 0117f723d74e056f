"""The calendar peer: recurring-ical-events (over icalendar) from the downloaded sdists, and how occurrences compare.

An occurrence is `(start, who)`: the start in UTC (`2024-09-13T09:00:00Z`) or, for an all-day event, its date
(`2024-09-13`); `who` is the UID, or the SUMMARY when the event has no UID. Floating times are read in the same zone
as digest's `newsletter.timeZone`. Cancelled occurrences (STATUS:CANCELLED) are left out on both sides: digest
keeps them for its change notices but `digest collect` does not list them.
"""
import datetime as dt
import json
import zoneinfo

ZONE = "Europe/Stockholm"
WINDOW = (dt.datetime(1900, 1, 1, tzinfo=dt.timezone.utc), dt.datetime(2040, 1, 1, tzinfo=dt.timezone.utc))


def key_of_time(value, zone):
    if isinstance(value, dt.datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=zone)
        return value.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    return value.isoformat()


def peer_occurrences(path, zone_name=ZONE, window=WINDOW):
    """The occurrences recurring-ical-events finds in `path` over `window`, as a sorted list of (start, who).

    Raises whatever icalendar or recurring-ical-events raise: such a file tests invalid input.
    """
    import icalendar
    import recurring_ical_events

    zone = zoneinfo.ZoneInfo(zone_name)
    data = path.read_bytes()
    components = icalendar.Calendar.from_ical(data, multiple=True)
    found = []
    for component in components:
        for event in recurring_ical_events.of(component).between(*window):
            if event.name != "VEVENT" or str(event.get("STATUS", "")).upper() == "CANCELLED":
                continue
            who = str(event.get("UID", "")).strip() or str(event.get("SUMMARY", "")).strip()
            found.append((key_of_time(event.get("DTSTART").dt, zone), who))
    return sorted(found)


def digest_occurrences(stdout):
    """The occurrences in `digest collect --json` output, as a sorted list of (start, who)."""
    found = []
    for line in stdout.splitlines():
        if not line.strip():
            continue
        item = json.loads(line)
        if item.get("kind") != "event" or item.get("start") is None:
            continue
        start = item["start"]
        if not item.get("allDay"):
            start = dt.datetime.fromisoformat(start).astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
        who = (item.get("uid") or "").strip() or (item.get("title") or "").strip()
        found.append((start, who))
    return sorted(found)


def compare(ours, theirs):
    """(matched, ours only, theirs only), counting repeated occurrences as often as they occur."""
    from collections import Counter

    mine, peer = Counter(ours), Counter(theirs)
    matched = sum((mine & peer).values())
    return matched, sorted((mine - peer).elements()), sorted((peer - mine).elements())
