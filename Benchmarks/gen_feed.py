#!/usr/bin/env python3
"""Writes the Feeds benchmark's RSS 2.0 document: about 20 MB of funding calls.

Usage: gen_feed.py OUT.xml [--megabytes 20] [--seed S]

Items carry CDATA HTML descriptions, several categories, dc:creator, RFC 822 pubDates, a guid and a link; some titles
and descriptions use `&nbsp;`, which XML does not declare (real feeds do it anyway).
"""
import argparse
import datetime as dt
import email.utils
import random

WORDS = ("stöd bidrag lån innovation export hållbarhet företag utlysning ansökan projekt klimat energi "
         "digitalisering kompetens landsbygd forskning utveckling samverkan region dalarna").split()
FUNDERS = ["Vinnova", "Tillväxtverket", "Energimyndigheten", "Region Dalarna", "Almi", "EKN", "Naturvårdsverket"]
CATEGORIES = ["Finansiering", "Innovation", "Export", "Hållbarhet", "Energi", "Digitalisering", "Kompetens",
              "Landsbygd", "Forskning", "Startup"]


def sentence(rng, low, high):
    return " ".join(rng.choice(WORDS) for _ in range(rng.randrange(low, high))).capitalize() + "."


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out")
    parser.add_argument("--megabytes", type=float, default=20)
    parser.add_argument("--seed", type=int, default=49)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    target = int(args.megabytes * 1_000_000)
    head = ('<?xml version="1.0" encoding="UTF-8"?>\n'
            '<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/" '
            'xmlns:content="http://purl.org/rss/1.0/modules/content/">\n<channel>\n'
            '<title>Utlysningar – benchmark</title>\n<link>https://utlysningar.example.se/</link>\n'
            '<description>Genererade utlysningar</description>\n<language>sv</language>\n')
    parts = [head]
    size = len(head.encode("utf-8"))
    published = dt.datetime(2026, 11, 30, 9, 0, tzinfo=dt.timezone.utc)
    index = 0
    while size < target - 100:
        nbsp = index % 10 == 0
        title = sentence(rng, 3, 8).rstrip(".") + f" {index}"
        if nbsp:
            title = title.replace(" ", "&nbsp;", 1)
        paragraphs = "".join(f"<p>{sentence(rng, 12, 40)}</p>" for _ in range(rng.randrange(2, 6)))
        deadline = (published + dt.timedelta(days=rng.randrange(5, 200))).strftime("%Y-%m-%d")
        description = (f"<![CDATA[{paragraphs}<p><strong>Sista ansökningsdag: {deadline}</strong></p>"
                       f"<ul><li>Budget: upp till {rng.randrange(1, 20)} mkr</li>"
                       f"<li><a href=\"https://utlysningar.example.se/{index}\">Läs mer</a></li></ul>]]>")
        categories = "".join(f"<category>{c}</category>" for c in rng.sample(CATEGORIES, rng.randrange(1, 4)))
        pub = email.utils.format_datetime(published - dt.timedelta(minutes=17 * index))
        extra = f"<p>Kontakt:&nbsp;{rng.choice(FUNDERS)}</p>" if nbsp else ""
        item = (f"<item>\n<title>{title}</title>\n<link>https://utlysningar.example.se/call/{index}</link>\n"
                f"<guid isPermaLink=\"false\">call-{index}@utlysningar.example.se</guid>\n"
                f"<pubDate>{pub}</pubDate>\n<dc:creator>{rng.choice(FUNDERS)}</dc:creator>\n{categories}\n"
                f"<description>{description}</description>\n"
                + (f"<content:encoded>{extra}</content:encoded>\n" if nbsp else "")
                + "</item>\n")
        parts.append(item)
        size += len(item.encode("utf-8"))
        index += 1
    parts.append("</channel>\n</rss>\n")
    with open(args.out, "w", encoding="utf-8") as handle:
        handle.write("".join(parts))


if __name__ == "__main__":
    main()
