#!/usr/bin/env python3
"""Python peer of `digest-bench render`: personalised digests with Jinja2 and email.message.EmailMessage.

Usage: peer_render.py DATA [--count 10000] [--repo ROOT]

Reads items.json and subscribers.json from DATA (gen_render.py), the newsletter settings from ROOT/digest.yaml and
the fixed words and topic labels from ROOT/templates/strings and ROOT/topics.yaml, so its digests say what
DigestKit's say. For each subscriber: select the items by topic and region, sort them into new funding calls and
events grouped by week and day, render HTML and text with the templates in peer_templates/, wrap the text at 72
columns, and build an EmailMessage with text/plain and text/html alternatives (and the events as a text/calendar
attachment, as DigestKit does), then `as_bytes()`. Only counts are kept. Prints one JSON line.
"""
import argparse
import base64
import datetime as dt
import email.policy
import email.utils
import hashlib
import hmac
import json
import os
import textwrap
import time
import zoneinfo
from email.message import EmailMessage

import jinja2
import yaml

from benchlib import cpu_seconds, report

HERE = os.path.dirname(os.path.abspath(__file__))
NOW = dt.datetime(2026, 12, 1, 8, 0, tzinfo=zoneinfo.ZoneInfo("Europe/Stockholm"))
SECRET = b"bench-secret"


class Digests:
    """Everything a run shares: settings, strings, labels and compiled templates."""

    def __init__(self, root):
        with open(os.path.join(root, "digest.yaml"), encoding="utf-8") as handle:
            self.newsletter = yaml.safe_load(handle)["newsletter"]
        self.zone = zoneinfo.ZoneInfo(self.newsletter.get("timeZone", "Europe/Stockholm"))
        self.strings = {}
        for language in ("sv", "en"):
            with open(os.path.join(root, "templates", "strings", f"{language}.yaml"), encoding="utf-8") as handle:
                self.strings[language] = yaml.safe_load(handle)
        with open(os.path.join(root, "topics.yaml"), encoding="utf-8") as handle:
            self.topics = yaml.safe_load(handle)["topics"]
        self.from_name, self.from_address = email.utils.parseaddr(self.newsletter["from"])
        self.list_id = self.newsletter.get("listID") or "digest." + self.from_address.split("@")[1]
        self.base_url = self.newsletter.get("baseURL")
        loader = jinja2.FileSystemLoader(os.path.join(HERE, "peer_templates"))
        html = jinja2.Environment(loader=loader, autoescape=True, trim_blocks=True)
        text = jinja2.Environment(loader=loader, autoescape=False, trim_blocks=True)
        self.html = html.get_template("digest.html.j2")
        self.text = text.get_template("digest.txt.j2")

    def counted(self, strings, key, count):
        return strings[key + ("One" if count == 1 else "Many")].replace("{n}", str(count))

    def day_label(self, strings, moment):
        return f"{strings['weekdays'][moment.weekday()]} {moment.day} {strings['months'][moment.month - 1]}"

    def span(self, strings, start, end):
        clock = lambda m: f"{m.hour:02d}{strings['timeSeparator']}{m.minute:02d}"
        return f"{self.day_label(strings, start)} {strings['timePrefix']}{clock(start)}–{clock(end)}"

    def select(self, items, subscriber):
        """The items the subscriber follows, with the labels of why: a topic they follow, in a region they chose."""
        wanted = set(subscriber["topics"])
        regions = set(subscriber["regions"])
        chosen = []
        for item in items:
            region_reasons = []
            if regions:
                if item["online"]:
                    region_reasons = ["online"]
                elif not item["regions"]:
                    region_reasons = []
                elif "Dalarna" in regions:
                    region_reasons = ["Dalarna"]
                else:
                    region_reasons = [r for r in item["regions"] if r in regions]
                    if not region_reasons:
                        continue
            topics = [t for t in item["topics"] if t in wanted]
            if topics:
                chosen.append((item, topics, region_reasons))
        return chosen

    def build(self, subscriber, items):
        language = subscriber.get("language") or "sv"
        strings = self.strings[language]
        funding, events = [], []
        for item, topics, regions in self.select(items, subscriber):
            labels = [self.topics[t].get(language, t) for t in topics]
            labels += [strings["online"] if r == "online" else r for r in regions]
            values = {
                "title": item["title"], "url": item["url"], "organizer": item["organizer"],
                "summary": item["summary"][:300], "why": strings["whyPrefix"] + " " + " · ".join(labels),
                "linkText": strings["readMore"].replace("{title}", item["title"]),
            }
            if item["kind"] == "funding":
                deadline = dt.datetime.fromisoformat(item["deadline"].replace("Z", "+00:00")).astimezone(self.zone)
                days = (deadline.date() - NOW.date()).days
                values.update(deadline=f"{deadline.day} {strings['months'][deadline.month - 1]} {deadline.year}",
                              daysLeftText=self.counted(strings, "daysLeft", days), budget=item.get("budget"),
                              sort=(deadline, item["id"]))
                funding.append(values)
            else:
                start = dt.datetime.fromisoformat(item["start"].replace("Z", "+00:00")).astimezone(self.zone)
                end = dt.datetime.fromisoformat(item["end"].replace("Z", "+00:00")).astimezone(self.zone)
                location = strings["online"] if item["online"] else item.get("location")
                values.update(when=self.span(strings, start, end), location=location, sort=(start, item["id"]),
                              start=start, end=end, id=item["id"], description=item["summary"])
                events.append(values)
        funding.sort(key=lambda v: v["sort"])
        events.sort(key=lambda v: v["sort"])
        weeks = []
        for event in events[:40]:
            week = event["start"].isocalendar().week
            day = self.day_label(strings, event["start"])
            if not weeks or weeks[-1]["number"] != week:
                weeks.append({"number": week, "label": f"{strings['week']} {week}", "days": []})
            if not weeks[-1]["days"] or weeks[-1]["days"][-1]["label"] != day:
                weeks[-1]["days"].append({"label": day, "items": []})
            weeks[-1]["days"][-1]["items"].append(event)
        parts = [self.counted(strings, key, len(group)) for key, group in (("newFunding", funding), ("events", events))
                 if group]
        summary_line = ", ".join(parts) if parts else strings["nothingNew"]
        week = NOW.isocalendar().week
        subject = f"{strings['week']} {week}: {summary_line}"
        token = self.token(subscriber["email"])
        name = subscriber.get("name")
        context = {
            "lang": language, "t": strings, "subject": subject,
            "preheader": (summary_line + ": " + " · ".join(v["title"] for v in (funding + events)[:3]))[:140],
            "newsletter": {"title": self.newsletter["title"], "postalAddress": self.newsletter.get("postalAddress"),
                           "senderDescription": self.newsletter.get("senderDescription")},
            "subscriber": {"greeting": strings["greeting"].replace("{name}", name) if name
                           else strings["greetingAnonymous"]},
            "issue": {"week": week, "date": f"{NOW.day} {strings['months'][NOW.month - 1]} {NOW.year}"},
            "is_empty": not funding and not events,
            "new_funding": {"heading": strings["newFundingHeading"], "items": funding[:40],
                            "more": strings["andMore"].replace("{n}", str(len(funding) - 40)) if len(funding) > 40
                            else None},
            "events": {"heading": strings["eventsHeading"], "items": events, "weeks": weeks,
                       "more": strings["andMore"].replace("{n}", str(len(events) - 40)) if len(events) > 40
                       else None},
            "has_calendar": bool(events),
            "footer": {"why": strings["footerWhy"].replace("{title}", self.newsletter["title"]),
                       "unsubscribeURL": f"{self.base_url}/unsubscribe/{token}",
                       "preferencesURL": f"{self.base_url}/preferences/{token}"},
        }
        html = self.html.render(context)
        text = wrap(self.text.render(context))
        message = EmailMessage(policy=email.policy.SMTP)
        message["From"] = self.newsletter["from"]
        message["To"] = email.utils.formataddr((name, subscriber["email"])) if name else subscriber["email"]
        message["Reply-To"] = self.newsletter.get("replyTo")
        message["Subject"] = subject
        message["Date"] = email.utils.format_datetime(NOW)
        digest = hashlib.sha256((subscriber["email"].lower() + "|" + self.list_id).encode()).hexdigest()[:20]
        message["Message-ID"] = f"<digest.2026-W{week}.{digest}@{self.from_address.split('@')[1]}>"
        message["List-Id"] = f"{self.newsletter['title']} <{self.list_id}>"
        message["List-Unsubscribe"] = (f"<{self.base_url}/unsubscribe/{token}>, "
                                       f"<mailto:unsubscribe@{self.from_address.split('@')[1]}?subject=unsubscribe>")
        message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
        message.set_content(text)
        message.add_alternative(html, subtype="html")
        if events:
            message.add_attachment(self.calendar(events).encode("utf-8"), maintype="text", subtype="calendar",
                                   filename="evenemang.ics" if language == "sv" else "events.ics",
                                   params={"method": "PUBLISH"})
        return message.as_bytes(), len(funding) + len(events)

    def token(self, address):
        mac = hmac.new(SECRET, (address.lower() + "|" + self.list_id).encode(), hashlib.sha256).digest()
        return base64.urlsafe_b64encode(mac).rstrip(b"=").decode()

    def calendar(self, events):
        stamp = NOW.astimezone(dt.timezone.utc).strftime("%Y%m%dT%H%M%SZ")
        lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//digest//peer//SV", "METHOD:PUBLISH"]
        for event in events:
            lines += ["BEGIN:VEVENT", f"UID:{event['id']}@example.se", f"DTSTAMP:{stamp}",
                      "DTSTART;TZID=Europe/Stockholm:" + event["start"].strftime("%Y%m%dT%H%M%S"),
                      "DTEND;TZID=Europe/Stockholm:" + event["end"].strftime("%Y%m%dT%H%M%S"),
                      "SUMMARY:" + escape(event["title"]), "DESCRIPTION:" + escape(event["description"]),
                      "LOCATION:" + escape(event["location"] or ""), "URL:" + event["url"], "END:VEVENT"]
        lines.append("END:VCALENDAR")
        return "\r\n".join(fold(line) for line in lines) + "\r\n"


def escape(text):
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def fold(line):
    return "\r\n ".join(line[i:i + 73] for i in range(0, len(line), 73)) if len(line) > 73 else line


def wrap(text):
    lines = []
    for line in text.split("\n"):
        if len(line) <= 72 or "://" in line:
            lines.append(line.rstrip())
            continue
        indent = line[:len(line) - len(line.lstrip())]
        lines += textwrap.wrap(line, 72, initial_indent="", subsequent_indent=indent, break_long_words=False)
    return "\n".join(lines).strip("\n") + "\n"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data")
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--repo", default=os.path.dirname(HERE))
    args = parser.parse_args()
    digests = Digests(args.repo)
    with open(os.path.join(args.data, "items.json"), encoding="utf-8") as handle:
        items = json.load(handle)
    with open(os.path.join(args.data, "subscribers.json"), encoding="utf-8") as handle:
        subscribers = json.load(handle)[:args.count]
    began = time.perf_counter()
    cpu_began = cpu_seconds()
    messages = size = listed = 0
    for subscriber in subscribers:
        data, count = digests.build(subscriber, items)
        messages += 1
        size += len(data)
        listed += count
    seconds = time.perf_counter() - began
    report(f"render-{args.count}-python", seconds, cpu_seconds() - cpu_began, messages=messages,
           messagesPerSecond=messages / seconds, averageBytes=size / max(1, messages),
           averageItems=listed / max(1, messages), itemPool=len(items))


if __name__ == "__main__":
    main()
