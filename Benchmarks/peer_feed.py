#!/usr/bin/env python3
"""Python peer of `digest-bench feeds`: parse an RSS document with feedparser.

Usage: peer_feed.py FILE.xml

Times `feedparser.parse(data)` on the bytes read beforehand and prints one JSON line with the seconds, peak memory
and the number of entries.
"""
import argparse
import time

import feedparser

from benchlib import cpu_seconds, report


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("file")
    args = parser.parse_args()
    with open(args.file, "rb") as handle:
        data = handle.read()
    began = time.perf_counter()
    cpu_began = cpu_seconds()
    feed = feedparser.parse(data)
    done = time.perf_counter()
    report("feeds", done - began, cpu_seconds() - cpu_began, items=len(feed.entries), bytes=len(data),
           bozo=int(bool(feed.bozo)))


if __name__ == "__main__":
    main()
