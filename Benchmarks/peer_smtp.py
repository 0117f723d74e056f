#!/usr/bin/env python3
"""Python peer of `digest-bench smtp`: send prebuilt messages with smtplib over one reused connection.

Usage: peer_smtp.py FOLDER --port P [--count 5000]

Connects once to 127.0.0.1:P (no STARTTLS), sends the msg-*.eml files of FOLDER in turn, each to its own
recipient, quits, and prints one JSON line with the seconds, peak memory and messages per second.
"""
import argparse
import os
import smtplib
import time

from benchlib import cpu_seconds, report


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--count", type=int, default=5000)
    args = parser.parse_args()
    names = sorted(n for n in os.listdir(args.folder) if n.startswith("msg-") and n.endswith(".eml"))
    messages = []
    for name in names:
        with open(os.path.join(args.folder, name), "rb") as handle:
            messages.append(handle.read())
    began = time.perf_counter()
    cpu_began = cpu_seconds()
    delivered = 0
    size = 0
    with smtplib.SMTP("127.0.0.1", args.port, timeout=30) as client:
        for index in range(args.count):
            message = messages[index % len(messages)]
            client.sendmail("bounces@example.se", [f"reader{index}@example.com"], message)
            delivered += 1
            size += len(message)
    seconds = time.perf_counter() - began
    report("smtp-python", seconds, cpu_seconds() - cpu_began, messages=args.count, delivered=delivered,
           messagesPerSecond=delivered / seconds, averageBytes=size / max(1, delivered), connections=1)


if __name__ == "__main__":
    main()
