#!/usr/bin/env python3
"""Writes the end-to-end benchmarks' workspace: subscriber files beside the example sources, templates and topics.

Usage: gen_send.py OUT_FOLDER [--subscribers 20000] [--seed S]

OUT_FOLDER/subscribers/ gets one file per reader, written as people write them (a comment, eight to twelve lines):
one or two topics of topics.yaml, some narrowed to municipalities or organisers, some excluding a keyword, a fifth
reading English. OUT_FOLDER/items.json holds what `digest collect --json` made of the example sources, for the
Python peer (which reads the same subscriber files). `digest send`, `digest check` and `digest collect` run on
OUT_FOLDER/digest-*.yaml, which run.sh writes per run (the transport differs).
"""
import argparse
import os
import random

TOPICS = ["finansiering", "hallbarhet", "innovation", "export", "radgivning", "starta-foretag", "digitalisering",
          "kompetens", "energi", "landsbygd"]
MUNICIPALITIES = ["Avesta", "Borlänge", "Falun", "Gagnef", "Hedemora", "Leksand", "Ludvika", "Malung-Sälen", "Mora",
                  "Orsa", "Rättvik", "Smedjebacken", "Säter", "Vansbro", "Älvdalen"]
ORGANIZERS = ["Almi", "Coompanion", "Invest in Dalarna", "Region Dalarna", "Dalarna Science Park"]
FIRST = ["Anna", "Erik", "Sara", "Lars", "Karin", "Johan", "Maria", "Per", "Eva", "Nils", "Åsa", "Örjan"]
LAST = ["Andersson", "Lindqvist", "Okafor", "Nilsson", "Eriksson", "Larsson", "Svensson", "Gustafsson", "Ödmark"]
KEYWORDS = ["kooperativ", "lantbruk", "webbinarium", "frukost"]


def subscriber(rng, index):
    first, last = rng.choice(FIRST), rng.choice(LAST)
    lines = [f"# {first} {last}, prenumerant nummer {index}.",
             f"email: reader{index:05d}@example.com",
             f"name: {first} {last}",
             f"language: {'en' if rng.random() < 0.2 else 'sv'}",
             "interests:",
             f"  topics: [{', '.join(rng.sample(TOPICS, rng.choice([1, 2, 2, 3])))}]"]
    if rng.random() < 0.4:
        lines.append(f"  regions: [{', '.join(rng.sample(MUNICIPALITIES, rng.choice([1, 2])))}]")
    if rng.random() < 0.2:
        lines.append(f"  organizers: [{rng.choice(ORGANIZERS)}]")
    if rng.random() < 0.3:
        lines += ["exclude:", f"  keywords: [{rng.choice(KEYWORDS)}]"]
    return "\n".join(lines) + "\n"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out")
    parser.add_argument("--subscribers", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=49)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    folder = os.path.join(args.out, "subscribers")
    os.makedirs(folder, exist_ok=True)
    for index in range(args.subscribers):
        with open(os.path.join(folder, f"reader{index:05d}.yaml"), "w", encoding="utf-8") as handle:
            handle.write(subscriber(rng, index))


if __name__ == "__main__":
    main()
