#!/usr/bin/env python3
"""Python peer of `digest send` end to end: subscriber files, filter, render, ledger, SMTP over several connections.

Usage: peer_send.py WORKSPACE --port P [--connections 4] [--repo ROOT]

Timed from process start, like the command: reads every WORKSPACE/subscribers/*.yaml with PyYAML (their checks:
an address, known topics), the items `digest collect --json` made of the same sources (WORKSPACE/items.jsonl,
written by run.sh; parsing three small example files is not where the time goes), then for each reader selects,
renders and builds the message as peer_render.py does, records it as sending and then delivered in a SQLite ledger
(one transaction per 64 outcomes, as digest batches them), and sends it with smtplib over CONNECTIONS threads, each
with its own connection. Prints one JSON line.
"""
import argparse
import json
import os
import queue
import re
import smtplib
import sqlite3
import sys
import threading
import time

import yaml

from benchlib import cpu_seconds, peak_memory_mb, report
from peer_render import Digests

ADDRESS = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def peer_item(item):
    """An item of `digest collect --json` in peer_render's shape."""
    shaped = dict(item)
    shaped["summary"] = item.get("summary") or ""
    shaped["organizer"] = item.get("organizer") or ""
    shaped["url"] = item.get("url") or ""
    shaped["online"] = (item.get("location") or "").lower() in ("online", "teams", "zoom")
    return shaped


def main():
    began = time.perf_counter()
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("workspace")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--connections", type=int, default=4)
    parser.add_argument("--count", type=int, help="read only the first COUNT subscriber files")
    parser.add_argument("--repo", default=os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    args = parser.parse_args()
    digests = Digests(args.repo)
    topics = set(digests.topics)
    folder = os.path.join(args.workspace, "subscribers")
    subscribers = []
    names = sorted(name for name in os.listdir(folder) if name.endswith((".yaml", ".yml")))
    for name in names[:args.count]:
        with open(os.path.join(folder, name), encoding="utf-8") as handle:
            entry = yaml.safe_load(handle)
        interests = entry.get("interests") or {}
        wanted = [topic for topic in interests.get("topics", []) if topic in topics]
        if not ADDRESS.match(entry.get("email", "")) or len(wanted) != len(interests.get("topics", [])):
            sys.exit(f"{name}: not a valid subscriber")
        subscribers.append({"email": entry["email"], "name": entry.get("name"), "language": entry.get("language"),
                            "topics": wanted, "regions": interests.get("regions", [])})
    with open(os.path.join(args.workspace, "items.jsonl"), encoding="utf-8") as handle:
        collected = [json.loads(line) for line in handle if line.strip()]
    # What peer_render can place: events with a start, calls with a deadline.
    items = [peer_item(item) for item in collected
             if (item.get("kind") == "event" and item.get("start")) or item.get("deadline")]
    ledger_path = os.path.join(args.workspace, "peer-ledger.sqlite")
    if os.path.exists(ledger_path):
        os.remove(ledger_path)
    ledger = sqlite3.connect(ledger_path)
    ledger.execute("CREATE TABLE delivery (subscriber TEXT PRIMARY KEY, status TEXT)")
    work = queue.Queue(maxsize=256)
    done = queue.Queue()

    def sender():
        with smtplib.SMTP("127.0.0.1", args.port, timeout=30) as client:
            while (job := work.get()) is not None:
                address, data = job
                client.sendmail("bounces@example.se", [address], data)
                done.put(address)

    threads = [threading.Thread(target=sender) for _ in range(args.connections)]
    for thread in threads:
        thread.start()
    sent = size = 0
    pending = []

    def record(block=False):
        while True:
            try:
                pending.append(done.get(block=block, timeout=30 if block else None))
            except queue.Empty:
                break
            block = False
        if len(pending) >= 64:
            ledger.executemany("UPDATE delivery SET status = 'delivered' WHERE subscriber = ?",
                               [(address,) for address in pending])
            ledger.commit()
            pending.clear()

    batch = []
    for subscriber in subscribers:
        data, count = digests.build(subscriber, items)
        if count == 0:
            continue
        batch.append((subscriber["email"], data))
        if len(batch) == 64:
            ledger.executemany("INSERT INTO delivery VALUES (?, 'sending')", [(address,) for address, _ in batch])
            ledger.commit()
            for job in batch:
                work.put(job)
            sent += len(batch)
            size += sum(len(data) for _, data in batch)
            batch = []
            record()
    ledger.executemany("INSERT INTO delivery VALUES (?, 'sending')", [(address,) for address, _ in batch])
    ledger.commit()
    for job in batch:
        work.put(job)
    sent += len(batch)
    size += sum(len(data) for _, data in batch)
    for _ in threads:
        work.put(None)
    for thread in threads:
        thread.join()
    record()
    ledger.executemany("UPDATE delivery SET status = 'delivered' WHERE subscriber = ?", [(a,) for a in pending])
    ledger.commit()
    delivered = ledger.execute("SELECT count(*) FROM delivery WHERE status = 'delivered'").fetchone()[0]
    seconds = time.perf_counter() - began
    report(f"send-{len(subscribers)}-python", seconds, cpu_seconds(), messages=sent, delivered=delivered,
           subscribers=len(subscribers), messagesPerSecond=sent / seconds, averageBytes=size / max(1, sent),
           connections=args.connections, peakMemoryMB=peak_memory_mb())


if __name__ == "__main__":
    main()
