#!/usr/bin/env python3
"""Reference reading of a feed file with Python feedparser, for comparison with the Swift Feeds module.

Usage: feed_reference.py FILE [--base URL] [--charset NAME]

Prints one JSON object per entry, in document order:
  {"title": ..., "link": ..., "published": "YYYY-MM-DDTHH:MM:SSZ" or null, "updated": ... or null}
`published` is feedparser's published_parsed (pubDate, Atom published) and `updated` its updated_parsed
(dc:date, Atom updated), both in UTC.
Exit status 2 when feedparser is not installed (pip install feedparser).
"""
import argparse
import calendar
import json
import sys
import time

try:
    import feedparser
except ImportError:
    sys.stderr.write("feedparser is not installed: pip install feedparser\n")
    sys.exit(2)


def iso(parsed):
    if not parsed:
        return None
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(calendar.timegm(parsed)))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("file")
    parser.add_argument("--base", default=None, help="URL the bytes came from, for relative links")
    parser.add_argument("--charset", default=None, help="HTTP charset, if any")
    args = parser.parse_args()
    with open(args.file, "rb") as handle:
        data = handle.read()
    headers = {}
    if args.base:
        headers["content-location"] = args.base
    if args.charset:
        headers["content-type"] = "application/xml; charset=" + args.charset
    result = feedparser.parse(data, response_headers=headers)
    for entry in result.entries:
        print(json.dumps({
            "title": entry.get("title"),
            "link": entry.get("link"),
            "published": iso(entry.get("published_parsed")),
            "updated": iso(entry.get("updated_parsed")),
        }, ensure_ascii=False))


if __name__ == "__main__":
    main()
