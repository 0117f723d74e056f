#!/usr/bin/env python3
"""Times a whole command, process start to exit, and prints one JSON line like the benchmarks'.

Usage: time_command.py NAME RUNS [--reset-ledger DB] [--fresh FOLDER] [--count-from REGEX] [--warm] -- COMMAND…

Before each run: with --reset-ledger, the ledger tables of the digest state DB are emptied (the subscriber cache
and the sources' cache are kept, as between two weekly runs); with --fresh, FOLDER is moved aside (all moved
folders are removed after the last run, so the file system is not busy freeing inodes during a timed run). With
--warm, one untimed run first. Prints the medians of wall and CPU time (user + system, from wait4), the largest
peak RSS (the largest of any child so far), every run's wall time, and with --count-from the first group of REGEX in the last run's stdout (such as
the number of messages sent).
"""
import argparse
import json
import os
import re
import resource
import shutil
import sqlite3
import statistics
import subprocess
import sys
import time


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("name")
    parser.add_argument("runs", type=int)
    parser.add_argument("--reset-ledger")
    parser.add_argument("--fresh")
    parser.add_argument("--count-from")
    parser.add_argument("--warm", action="store_true")
    if "--" not in sys.argv:
        parser.error("give the command after --")
    split = sys.argv.index("--")
    args = parser.parse_args(sys.argv[1:split])
    command = sys.argv[split + 1:]
    moved = []

    def prepare():
        if args.reset_ledger and os.path.exists(args.reset_ledger):
            with sqlite3.connect(args.reset_ledger) as db:
                db.executescript("DELETE FROM delivery; DELETE FROM sentItem; DELETE FROM run;")
        if args.fresh and os.path.exists(args.fresh):
            aside = f"{args.fresh}.old-{len(moved)}"
            shutil.rmtree(aside, ignore_errors=True)
            os.rename(args.fresh, aside)
            moved.append(aside)

    def once():
        prepare()
        began = time.perf_counter()
        process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        stdout, stderr = process.communicate()
        wall = time.perf_counter() - began
        if process.returncode != 0:
            sys.exit(f"{command[0]} exited with {process.returncode}: {stderr.decode(errors='replace')[-500:]}")
        return wall, stdout.decode(errors="replace")

    if args.warm:
        once()
    timed = []
    output = ""
    for _ in range(args.runs):
        # communicate() reaps the child, so its CPU time is the growth of RUSAGE_CHILDREN (one child at a time).
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        wall, output = once()
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        timed.append((wall, cpu, after.ru_maxrss / 1024))
    for folder in moved:
        shutil.rmtree(folder, ignore_errors=True)
    details = {"runs": args.runs, "wallRuns": [round(run[0], 3) for run in timed]}
    if args.count_from:
        found = re.search(args.count_from, output)
        details["count"] = int(found.group(1)) if found else 0
    print(json.dumps({"benchmark": args.name, "seconds": statistics.median(run[0] for run in timed),
                      "cpuSeconds": statistics.median(run[1] for run in timed),
                      "peakMemoryMB": round(max(run[2] for run in timed), 1), "details": details}, sort_keys=True))


if __name__ == "__main__":
    main()
