#!/usr/bin/env python3
"""Writes the rendering benchmark's inputs: an item set and a subscriber population, as JSON.

Usage: gen_render.py OUT_FOLDER [--subscribers 10000] [--items 200] [--seed S]

`items.json` holds events within four weeks of 2026-12-01 and open funding calls; `subscribers.json` holds readers
who follow one or two topics of topics.yaml, some narrowed to municipalities, a fifth reading English. Both
`digest-bench render` and `peer_render.py` read these files, so they render the same digests (about 30 items each).
"""
import argparse
import datetime as dt
import json
import os
import random

TOPICS = ["finansiering", "hallbarhet", "innovation", "export", "radgivning", "starta-foretag", "digitalisering",
          "kompetens", "energi", "landsbygd"]
MUNICIPALITIES = ["Avesta", "Borlänge", "Falun", "Gagnef", "Hedemora", "Leksand", "Ludvika", "Malung-Sälen", "Mora",
                  "Orsa", "Rättvik", "Smedjebacken", "Säter", "Vansbro", "Älvdalen"]
ORGANIZERS = ["Almi", "Coompanion", "Invest in Dalarna", "Region Dalarna", "Dalarna Science Park", "Vinnova",
              "Tillväxtverket", "Energimyndigheten"]
WORDS = ("frukostmöte seminarium workshop rådgivning export finansiering hållbarhet innovation företag nätverk "
         "ledarskap digitalisering kompetens energi landsbygd bootcamp stöd bidrag lån klimat samverkan").split()
FIRST = ["Anna", "Erik", "Sara", "Lars", "Karin", "Johan", "Maria", "Per", "Eva", "Nils", "Åsa", "Örjan"]
LAST = ["Andersson", "Lindqvist", "Okafor", "Nilsson", "Eriksson", "Larsson", "Svensson", "Gustafsson", "Ödmark"]


def iso(moment):
    return moment.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def words(rng, low, high):
    return " ".join(rng.choice(WORDS) for _ in range(rng.randrange(low, high)))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out")
    parser.add_argument("--subscribers", type=int, default=10_000)
    parser.add_argument("--items", type=int, default=200)
    parser.add_argument("--seed", type=int, default=49)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    stockholm = dt.timezone(dt.timedelta(hours=1))  # December: CET
    now = dt.datetime(2026, 12, 1, 8, 0, tzinfo=stockholm)
    items = []
    for index in range(args.items):
        kind = "event" if index % 2 == 0 else "funding"
        topics = rng.sample(TOPICS, rng.choice([1, 1, 2]))
        item = {
            "id": f"bench-{kind}-{index}",
            "kind": kind,
            "source": "kalendarium" if kind == "event" else "utlysningar",
            "title": words(rng, 2, 6).capitalize() + f" {index}",
            "summary": words(rng, 20, 60).capitalize() + ".",
            "url": f"https://example.se/{kind}/{index}",
            "organizer": rng.choice(ORGANIZERS),
            "topics": topics,
            "regions": [],
            "online": False,
        }
        if kind == "event":
            day = now.replace(hour=0, minute=0) + dt.timedelta(days=rng.randrange(1, 27))
            start = day.replace(hour=rng.randrange(8, 17), minute=rng.choice([0, 30]))
            item["start"] = iso(start)
            item["end"] = iso(start + dt.timedelta(minutes=rng.choice([60, 90, 150])))
            if rng.random() < 0.15:
                item["online"] = True
                item["location"] = "Teams"
            else:
                town = rng.choice(MUNICIPALITIES)
                item["regions"] = [town]
                item["location"] = f"Näringslivskontoret, {town}"
        else:
            item["deadline"] = iso(now.replace(hour=23, minute=59) + dt.timedelta(days=rng.randrange(2, 120)))
            item["budget"] = f"upp till {rng.randrange(1, 20)} mkr"
        items.append(item)
    subscribers = []
    for index in range(args.subscribers):
        roll = rng.random()
        regions = rng.sample(MUNICIPALITIES, rng.choice([1, 2])) if roll < 0.5 else (["Dalarna"] if roll < 0.7 else [])
        subscribers.append({
            "email": f"reader{index}@example.com",
            "name": f"{rng.choice(FIRST)} {rng.choice(LAST)}",
            "language": "en" if index % 5 == 0 else "sv",
            "topics": rng.sample(TOPICS, rng.choice([1, 2])),
            "regions": regions,
        })
    os.makedirs(args.out, exist_ok=True)
    with open(os.path.join(args.out, "items.json"), "w", encoding="utf-8") as handle:
        json.dump(items, handle, ensure_ascii=False, indent=1)
    with open(os.path.join(args.out, "subscribers.json"), "w", encoding="utf-8") as handle:
        json.dump(subscribers, handle, ensure_ascii=False, indent=1)


if __name__ == "__main__":
    main()
