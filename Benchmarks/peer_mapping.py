#!/usr/bin/env python3
"""Python peer of `digest collect --json` on the mapping benchmark's JSON and HTML sources.

Usage: peer_mapping.py json|html FILE [--now 2026-12-01T08:00:00+01:00]

Does what digest does with the configs gen_mapping.py writes, and prints the same JSON lines:

json  json.loads, the items at `data.results` and each field through jsonpath-ng (every path parsed once, `.find`
      per item; lists flattened to their scalars);
html  lxml.html (the <meta charset> honoured, links resolved against <base href>), the items XPath and each field's
      XPath relative to its item (compiled once);

then for both, as digest's ItemMapper and SourceCollector do: every text field cleaned as digest's MappedText does
(trimmed, a "(sv):" prefix dropped, HTML to plain text: blocks as blank lines, list items as "• …", links as
"text <url>", scripts dropped, entities decoded, whitespace collapsed), the first non-empty value kept, the link
resolved, the deadline and opening date read (ISO 8601 through datetime.fromisoformat, RFC 822, or Swedish and
English text: "Sista ansökningsdag 2027-02-15 kl. 14.00", "15 mars 2027", "Löpande"), the title and summary of a
call without a deadline (and not rolling) searched for one, an opening date and budget phrases, calls closed before
--now dropped, the id hashed from the canonical link (SHA-256), duplicates merged by id or by folded title and deadline,
and the items sorted by deadline and id. Times are printed in RFC 3339 with Stockholm's offset.
"""
import argparse
import datetime as dt
import email.utils
import hashlib
import json
import os
import re
import sys
import unicodedata
import zoneinfo
from urllib.parse import quote, urljoin, urlsplit, urlunsplit

import lxml.etree
import lxml.html
from jsonpath_ng import parse as jsonpath

ZONE = zoneinfo.ZoneInfo("Europe/Stockholm")
MAX_ITEMS = 10_000  # digest reads at most this many items of one document

JSON_SOURCE = {
    "name": "bench-json", "items": "data.results",
    "fields": {"id": "reference", "title": "metadata.title[0]", "summary": "summary", "url": "url",
               "deadline": "metadata.deadlineDate[0]", "opens": "metadata.startDate[0]",
               "organizer": "organisation.name"},
}
HTML_SOURCE = {
    "name": "bench-html", "items": "//li[contains(@class, 'utlysning')]",
    "fields": {"title": ".//h3", "url": ".//a/@href", "summary": ".//p[1]",
               "deadline": ".//span[@class='deadline']"},
}

# --- HTML to plain text, as digest's HTMLText.plainText -------------------------------------------------------------

DROPPED = {"script", "style", "head", "title", "noscript", "template", "iframe", "object", "embed", "form", "svg",
           "math", "applet", "select", "textarea", "button"}
BLOCKS = {"p", "div", "section", "article", "header", "footer", "main", "aside", "nav", "figure", "figcaption",
          "blockquote", "ul", "ol", "dl", "dt", "dd", "table", "thead", "tbody", "tfoot", "tr", "pre", "address",
          "center", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "body", "html"}
WHITESPACE = re.compile(r"\s+")


class PlainText:
    """Walks an lxml tree and writes its text: breaks owed between blocks, runs of whitespace as one space."""

    def __init__(self, base):
        self.base = base
        self.out = ""
        self.pending_break = 0
        self.pending_space = False
        self.preformatted = 0

    def request_break(self, level):
        if self.out:
            self.pending_break = max(self.pending_break, level)
        self.pending_space = False

    def flush_break(self):
        if self.pending_break and self.out:
            self.out = self.out.rstrip(" ") + ("\n\n" if self.pending_break >= 2 else "\n")
        self.pending_break = 0

    def emit(self, text):
        if self.preformatted:
            self.flush_break()
            self.out += text
            return
        parts = text.split()
        if not parts:
            if self.out and not self.pending_break:
                self.pending_space = True
            return
        if text[0].isspace() and self.out and not self.pending_break:
            self.pending_space = True
        self.flush_break()
        if self.pending_space and self.out and not self.out[-1].isspace():
            self.out += " "
        self.out += " ".join(parts)
        self.pending_space = text[-1].isspace()

    def children(self, element):
        if element.text:
            self.emit(element.text)
        for child in element:
            self.visit(child)
            if child.tail:
                self.emit(child.tail)

    def visit(self, element):
        tag = element.tag
        if not isinstance(tag, str):  # comments, processing instructions
            return
        tag = tag.lower()
        if tag in DROPPED:
            return
        if tag == "br":
            self.flush_break()
            self.out += "\n"
            self.pending_space = False
        elif tag == "li":
            self.request_break(1)
            self.flush_break()
            self.out += "• "
            self.pending_space = False
            self.children(element)
            self.request_break(1)
        elif tag in ("td", "th"):
            if self.out:
                self.pending_space = True
            self.children(element)
            self.pending_space = True
        elif tag == "a":
            before = len(self.out)
            self.children(element)
            text = self.out[before:].strip()
            href = element.get("href")
            href = resolve_any(href, self.base) if href is not None else None
            if href and href.startswith(("http://", "https://", "mailto:")) and href != text \
                    and href.replace("mailto:", "") != text:
                self.emit(f" <{href}>" if text else href)
        elif tag == "pre":
            self.request_break(2)
            self.preformatted += 1
            self.children(element)
            self.preformatted -= 1
            self.request_break(2)
        else:
            level = 1 if tag in ("tr", "dt", "dd") else 2
            if tag in BLOCKS:
                self.request_break(level)
            self.children(element)
            if tag in BLOCKS:
                self.request_break(level)

    def result(self):
        return self.out.strip()


def plain_text(html, base=None):
    """`html` (a fragment) as plain text; text without markup only has its whitespace collapsed."""
    if "<" not in html and "&" not in html:
        return " ".join(html.split())
    builder = PlainText(base)
    builder.children(lxml.html.fragment_fromstring(html, create_parent="div"))
    return builder.result()


def element_text(element, base):
    """An element's content as plain text (digest takes its inner HTML and converts it)."""
    builder = PlainText(base)
    builder.children(element)
    return builder.result()


LANGUAGE_PREFIX = re.compile(r"\(([^\W\d_]{0,4})\):")


def clean(text, field, base):
    """A mapped value as digest's MappedText.clean keeps it."""
    if field in ("url", "id"):
        return text.strip()
    return plain_text(without_language(text), base)


def without_language(text):
    """`text` trimmed, without a leading language tag such as "(sv):"."""
    value = text.strip()
    match = LANGUAGE_PREFIX.match(value)
    return value[match.end():] if match else value


# --- links ----------------------------------------------------------------------------------------------------------

LINK_SAFE = "!$&'()*+,-./:;=?@_~#%[]"
NOT_IN_URL = re.compile(r'[^!-~]|["<>\\^`{|}]')


def resolve_any(href, base):
    """`href` resolved against `base` (nil for empty); non-URL characters percent-encoded."""
    href = href.strip()
    if not href:
        return None
    if NOT_IN_URL.search(href):
        href = quote(href, safe=LINK_SAFE)
    url = urljoin(base, href) if base else href
    return url if urlsplit(url).scheme else None


def resolve_link(href, base):
    url = resolve_any(href, base)
    if url and urlsplit(url).scheme.lower() in ("http", "https", "mailto", "file"):
        return url
    return None


def canonical(url):
    parts = urlsplit(url)
    text = urlunsplit(("https", parts.netloc.lower(), parts.path, parts.query, ""))
    return text.rstrip("/")


def stable_hash(text):
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


# --- dates ----------------------------------------------------------------------------------------------------------

MONTHS = {
    "jan": 1, "january": 1, "januari": 1, "feb": 2, "february": 2, "februari": 2, "mar": 3, "march": 3, "mars": 3,
    "apr": 4, "april": 4, "may": 5, "maj": 5, "jun": 6, "june": 6, "juni": 6, "jul": 7, "july": 7, "juli": 7,
    "aug": 8, "august": 8, "augusti": 8, "sep": 9, "sept": 9, "september": 9, "oct": 10, "okt": 10, "october": 10,
    "oktober": 10, "nov": 11, "november": 11, "dec": 12, "december": 12,
}
_MONTH = "|".join(sorted(MONTHS, key=len, reverse=True))
# 2027-01-15 · 15 januari 2027, 15. jan. 2027, 15 jan · 15.01.2027 · 15/1 2027, 15/1/2027 · january 15, 2027
DATE = re.compile(rf"""(?<![0-9])(?:
      (?P<iy>[0-9]{{4}})\s*-\s*(?P<im>[0-9]{{1,2}})\s*-\s*(?P<id>[0-9]{{1,2}})(?![0-9])
    | (?P<dd>[0-9]{{1,2}})(?![0-9])\s*(?:\.\s*)?(?P<dm>{_MONTH})(?![^\W\d_])(?:\s*\.)?
      (?:\s*(?P<dy>[0-9]{{4}})(?![0-9]))?
    | (?P<nd>[0-9]{{1,2}})\s*\.\s*(?P<nm>[0-9]{{1,2}})\s*\.\s*(?P<ny>[0-9]{{4}})(?![0-9])
    | (?P<sd>[0-9]{{1,2}})\s*/\s*(?P<sm>[0-9]{{1,2}})(?![0-9])(?:\s*/?\s*(?P<sy>[0-9]{{4}})(?![0-9]))?
    | (?<![^\W\d_])(?P<md>{_MONTH})(?![^\W\d_])\s*(?P<mdd>[0-9]{{1,2}})(?![0-9])(?:\s*,?\s*(?P<my>[0-9]{{4}})(?![0-9]))?
    )""", re.X)
TIME = re.compile(r"(?:\s*,)?\s*(?:(?P<marker>kl|klockan|at)(?![^\W\d_])\s*(?:\.\s*)?)?(?P<h>[0-9]{1,2})(?![0-9])"
                  r"(?:\s*(?P<sep>[:.])\s*(?P<m>[0-9]{2})(?![0-9]))?")

DEADLINE_PHRASES = [
    "sista ansökningsdag", "sista ansökningsdagen", "sista dag att ansöka", "sista dag för ansökan",
    "sista dagen att söka", "sista dag", "ansök senast", "ansökan senast", "senast", "stänger", "stängs",
    "stängd", "stängde", "ansökningstiden går ut", "t.o.m.", "t.o.m", "tom.", "till och med", "deadline",
    "closing date", "closes", "closed", "close", "apply by", "due",
]
OPENING_PHRASES = ["öppnar", "öppnas", "öppen från", "öppen fr.o.m.", "öppningsdatum", "planerar att öppna",
                   "fr.o.m.", "från och med", "opens", "opening date", "open from"]
PUBLICATION_PHRASES = ["publicerad", "publicerat", "publiceringsdatum", "uppdaterad", "uppdaterat", "published",
                       "updated", "posted", "postad"]
RANGE_PHRASES = ["ansökningsperiod", "ansökningsperioden", "application period", "öppen", "open"]
PHRASE_GROUPS = [("deadline", DEADLINE_PHRASES), ("opening", OPENING_PHRASES),
                 ("publication", PUBLICATION_PHRASES), ("range", RANGE_PHRASES)]
ROLLING = ["löpande", "rolling basis", "continuous", "kontinuerligt"]
BUDGET = re.compile(
    r"(?:(?:upp till|högst|maximalt|max\.?|totalt|cirka|ca\.?|up to|budget(?:en)?(?: för utlysningen)?(?: är)?:?)\s*)?"
    r"\d{1,3}(?:[ \u00A0.]\d{3})*(?:,\d+)?\s*"
    r"(?:mkr|msek|mnkr|tkr|miljoner kronor|miljoner euro|miljoner|miljon kronor|miljon|miljarder kronor|kronor|"
    r"kr|sek|meur|euro|eur|million euro|million eur|million sek|million|€)(?![^\W\d_])", re.I)


def year_of(text):
    if text is None:
        return None
    value = int(text)
    return value if 1990 <= value <= 2200 else None


def mentions(text):
    """The dates `text` (lower case) mentions: [start, end, year, month, day, hour, minute]."""
    found = []
    for match in DATE.finditer(text):
        g = match.group
        if g("iy") is not None:
            year = year_of(g("iy"))
            if year is None:
                continue
            mention = [match.start(), match.end(), year, int(g("im")), int(g("id")), None, None]
        elif g("dd") is not None:
            mention = [match.start(), match.end(), year_of(g("dy")), MONTHS[g("dm")], int(g("dd")), None, None]
        elif g("nd") is not None:
            mention = [match.start(), match.end(), year_of(g("ny")), int(g("nm")), int(g("nd")), None, None]
        elif g("sd") is not None:
            mention = [match.start(), match.end(), year_of(g("sy")), int(g("sm")), int(g("sd")), None, None]
        else:
            mention = [match.start(), match.end(), year_of(g("my")), MONTHS[g("md")], int(g("mdd")), None, None]
        time = TIME.match(text, match.end())  # kl. 14.00, klockan 14, at 14:00, 14:00
        if time and int(time.group("h")) <= 23:
            minute, marker = time.group("m"), time.group("marker")
            if minute is not None and int(minute) < 60 and (time.group("sep") == ":" or marker):
                mention[1], mention[5], mention[6] = time.end(), int(time.group("h")), int(minute)
            elif marker:
                mention[1], mention[5], mention[6] = time.end("h"), int(time.group("h")), 0
        found.append(mention)
    return found


def infer_years(found, reference):
    for index, mention in enumerate(found):
        if mention[2] is not None:
            continue
        following = next((m for m in found[index + 1:] if m[2] is not None), None)
        if following:
            mention[2] = following[2] - 1 if mention[3] > following[3] else following[2]
        elif reference:
            local = reference.astimezone(ZONE)
            mention[2] = local.year + 1 if (mention[3], mention[4]) < (local.month, local.day) else local.year


def make_date(year, month, day, hour, minute, end_of_day):
    try:
        if hour is not None:
            return dt.datetime(year, month, day, hour, minute or 0, tzinfo=ZONE)
        if end_of_day:
            return dt.datetime(year, month, day, 23, 59, 59, tzinfo=ZONE)
        return dt.datetime(year, month, day, tzinfo=ZONE)
    except ValueError:
        return None


def last_word_match(phrase, window):
    end = len(window)
    while True:
        start = window.rfind(phrase, 0, end)
        if start < 0:
            return None
        stop = start + len(phrase)
        starts_word = start == 0 or not window[start - 1].isalpha()
        ends_word = not phrase[-1].isalpha() or stop == len(window) or not window[stop].isalpha()
        if starts_word and ends_word:
            return stop
        end = stop - 1
        if end <= 0:
            return None


def classify(window):
    best = None
    for kind, phrases in PHRASE_GROUPS:
        for phrase in phrases:
            stop = last_word_match(phrase, window)
            if stop is not None and (best is None or stop > best[0] or (stop == best[0] and len(phrase) > best[1])):
                best = (stop, len(phrase), kind)
    return best[2] if best else None


def lowered(text):
    if "<" in text and ">" in text:
        text = plain_text(text)
    return text, text.lower().replace("\u00a0", " ")


def find(text, reference, read_budgets=True):
    """Deadline, opening date, rolling and budget phrases in funding-call text, as digest's DeadlineFinder."""
    plain, lower = lowered(text)
    found = mentions(lower)
    infer_years(found, reference)
    deadline = opens = None
    has_time = False
    previous_end, previous_kind = 0, None
    for start, end, year, month, day, hour, minute in found:
        window_start = max(previous_end, start - 60)
        newline = lower.rfind("\n", window_start, start)
        kind = classify(lower[newline + 1 if newline >= 0 else window_start:start])
        separator = lower[previous_end:start].strip(" \t")
        if separator in ("–", "-", "—", "till", "to", "until") and previous_kind in ("range", "opening"):
            kind = "deadline"
        previous_end, previous_kind = end, kind
        if year is None:
            continue
        if kind == "deadline":
            date = make_date(year, month, day, hour, minute, True)
            if date and deadline is None:
                deadline, has_time = date, hour is not None
        elif kind in ("opening", "range"):
            if opens is None:
                opens = make_date(year, month, day, hour, minute, False)
            if kind == "range":
                previous_kind = "range"
    rolling = any(phrase in lower for phrase in ROLLING)
    budget = []
    for match in BUDGET.finditer(plain) if read_budgets else ():
        phrase = match.group().strip()
        if phrase not in budget:
            budget.append(phrase)
    return deadline, has_time, opens, rolling, budget


def first_date(text, reference, end_of_day):
    _, lower = lowered(text)
    found = mentions(lower)
    infer_years(found, reference)
    for _, _, year, month, day, hour, minute in found:
        if year is not None:
            date = make_date(year, month, day, hour, minute, end_of_day)
            if date:
                return date
    return None


ROLLING_READING = "rolling"
ISO_START = re.compile(r"[0-9]{4}-")
BARE_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def read_date(text, field, reference):
    """A mapped date field's value as digest's MappedDate reads it: a datetime, ROLLING_READING or None."""
    text = text.strip()
    if not text or len(text.encode("utf-8")) >= 2000:
        return None
    end_of_day = field == "deadline"
    whole = text.split(".", 1)
    if whole[0].isascii() and whole[0].isdigit() and (len(whole) == 1 or whole[1].isascii() and whole[1].isdigit()):
        if 9 <= len(whole[0]) <= 11:
            return dt.datetime.fromtimestamp(float(text), ZONE)
        if 12 <= len(whole[0]) <= 14:
            return dt.datetime.fromtimestamp(float(text) / 1000, ZONE)
    if BARE_DAY.fullmatch(text):
        return make_date(int(text[:4]), int(text[5:7]), int(text[8:]), None, None, end_of_day)
    if ISO_START.match(text) or ":" in text:
        try:
            date = dt.datetime.fromisoformat(text)
            return date if date.tzinfo else date.replace(tzinfo=ZONE)
        except ValueError:
            try:
                date = email.utils.parsedate_to_datetime(text)
                return date if date.tzinfo else date.replace(tzinfo=ZONE)
            except (TypeError, ValueError):
                pass
    deadline, _, opens, rolling, _ = find(text, reference, read_budgets=False)
    if field == "deadline" and deadline:
        return deadline
    if field == "opens" and opens:
        return opens
    date = first_date(text, reference, end_of_day)
    if date:
        return date
    return ROLLING_READING if rolling else None


# --- items ----------------------------------------------------------------------------------------------------------


def item(source, values, base, now):
    """The item one entry's field values give (each a list of cleaned texts), or None."""
    def first(field):
        return next((value.strip() for value in values.get(field, ()) if value.strip()), None)

    title = first("title")
    if not title:
        return None
    link = first("url")
    url = resolve_link(link, base) if link else None
    dates = {}
    for field in ("deadline", "opens"):
        value = first(field)
        if value is not None:
            dates[field] = read_date(value, field, now)
    deadline = dates.get("deadline")
    opens = dates.get("opens")
    deadline = deadline if isinstance(deadline, dt.datetime) else None
    opens = opens if isinstance(opens, dt.datetime) else None
    summary = first("summary") or ""
    budget = []
    if deadline is None and dates.get("deadline") != ROLLING_READING:
        # A call without a mapped deadline may name it in its text ("Sista ansökningsdag …"), as digest reads it.
        deadline, _, found_opens, _, budget = find(title + "\n" + summary, now)
        opens = opens or found_opens
    uid = first("id")
    if url:
        key = "fu-" + stable_hash(canonical(url))
    else:
        key = "fu-" + stable_hash(source["name"] + "|" + (uid if uid is not None else title))
    return {"id": key, "kind": "funding", "source": source["name"], "uid": uid, "title": title,
            "summary": summary, "url": url, "start": None, "end": None, "allDay": False, "location": None,
            "organizer": first("organizer"), "deadline": deadline, "topics": [], "regions": [],
            "_opens": opens, "_budget": budget[0] if budget else None}


def fold(text):
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


TOKENS = re.compile(r"[^\W_]+")


def deduplicate(items):
    result, index = [], {}
    for entry in items:
        keys = [entry["id"]]
        deadline = str(int(entry["deadline"].timestamp())) if entry["deadline"] else ""
        keys.append(f"title|{' '.join(TOKENS.findall(fold(entry['title'])))}|{deadline}")
        position = next((index[k] for k in keys if k in index), None)
        if position is None:
            for k in keys:
                index[k] = len(result)
            result.append(entry)
            continue
        merged = result[position]
        if entry["organizer"] and merged["organizer"] and entry["organizer"].lower() not in merged["organizer"].lower():
            merged["organizer"] += ", " + entry["organizer"]
        merged["deadline"] = merged["deadline"] or entry["deadline"]
        for k in keys:
            index[k] = position
    return sorted(result, key=lambda e: (e["deadline"].timestamp() if e["deadline"] else float("inf"), e["id"]))


def line(entry):
    fields = {key: value for key, value in entry.items() if not key.startswith("_")}
    if fields["deadline"]:
        fields["deadline"] = fields["deadline"].astimezone(ZONE).isoformat(timespec="seconds")
    return json.dumps(fields, ensure_ascii=False, separators=(",", ":"))


def scalars(value, out, depth=0):
    if isinstance(value, list):
        if depth < 8:
            for element in value:
                scalars(element, out, depth + 1)
    elif isinstance(value, bool):
        out.append("true" if value else "false")
    elif isinstance(value, (str, int, float)):
        out.append(value if isinstance(value, str) else json.dumps(value))


def page_digest(data):
    """digest hashes every page it reads (to stop paging when a service ignores the page parameter); so does this."""
    return hashlib.sha256(data.decode("utf-8", "replace").encode("utf-8")).hexdigest()[:32]


def json_entries(path):
    source = JSON_SOURCE
    base = "file://" + os.path.abspath(path)
    with open(path, "rb") as handle:
        data = handle.read()
    page_digest(data)
    document = json.loads(data)
    found = jsonpath(source["items"]).find(document)
    elements = found[0].value if len(found) == 1 and isinstance(found[0].value, list) else \
        [e for m in found for e in (m.value if isinstance(m.value, list) else [m.value])]
    paths = {field: jsonpath(expression) for field, expression in source["fields"].items()}
    for element in elements[:MAX_ITEMS]:
        values = {}
        for field, compiled in paths.items():
            texts = []
            for match in compiled.find(element):
                scalars(match.value, texts)
            values[field] = [v for v in (clean(t, field, base) for t in texts) if v]
        yield source, values, base


def html_entries(path):
    source = HTML_SOURCE
    url = "file://" + os.path.abspath(path)
    with open(path, "rb") as handle:
        data = handle.read()
    page_digest(data)
    document = lxml.html.document_fromstring(data)
    base = url
    href = document.xpath("string((//base[@href])[1]/@href)")
    if href:
        resolved = resolve_any(href, url)
        if resolved and urlsplit(resolved).scheme.lower() in ("http", "https", "file"):
            base = resolved
    paths = {field: lxml.etree.XPath(expression) for field, expression in source["fields"].items()}
    for node in lxml.etree.XPath(source["items"])(document)[:MAX_ITEMS]:
        values = {}
        for field, compiled in paths.items():
            texts = []
            result = compiled(node)
            for found in result if isinstance(result, list) else [result]:
                if not isinstance(found, lxml.etree._Element):  # attributes, text, strings
                    texts.append(clean(str(found), field, base))
                elif field in ("url", "id"):
                    texts.append(found.text_content().strip())
                else:  # an element's content as plain text (digest converts its inner HTML)
                    texts.append(without_language(element_text(found, base)))
            values[field] = [text for text in texts if text]
        yield source, values, base


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("format", choices=["json", "html"])
    parser.add_argument("file")
    parser.add_argument("--now", default="2026-12-01T08:00:00+01:00")
    args = parser.parse_args()
    now = dt.datetime.fromisoformat(args.now)
    entries = json_entries(args.file) if args.format == "json" else html_entries(args.file)
    items = []
    for source, values, base in entries:
        found = item(source, values, base, now)
        if found and not (found["deadline"] and found["deadline"] < now):
            items.append(found)
    sys.stdout.write("".join(line(entry) + "\n" for entry in deduplicate(items)))


if __name__ == "__main__":
    main()
