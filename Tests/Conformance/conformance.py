#!/usr/bin/env python3
"""digest against its peers' own test corpora: feedparser's feeds, icalendar's and recurring-ical-events' calendars.

Usage: conformance.py [--digest .build/debug/digest] [--jobs N] [--timeout S] [--corpus calendars|feeds]

Downloads the pinned sdists (sdists.py), runs `digest collect --json` on every corpus file (one process per file,
N at a time, each with a timeout) while the peers, imported from those same sdists, read the same files; prints per
corpus the crashes, hangs, agreement per field and every disagreement; exits 1 if anything crashed or hung or an
agreement is below its threshold in thresholds.json, 0 otherwise, and 0 with one line when the package index
cannot be reached.
"""
import argparse
import concurrent.futures
import json
import os
import pathlib
import signal
import sys
import tempfile
import time
import warnings

HERE = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import calendar_peer  # noqa: E402
import digest_runner  # noqa: E402
import feed_peer  # noqa: E402
import sdists  # noqa: E402

# Ends at midnight in Europe/Stockholm, so that an all-day event on 1 January 2040 is outside on both sides.
CALENDAR_WINDOW = ("1900-01-01T00:00:00Z", "2040-01-01T00:00:00+01:00")
FEED_WINDOW = ("1900-01-01T00:00:00Z", "2040-01-01T00:00:00Z")
SHOWN_PER_FILE = 4
BATCH = 50


class PeerTimeout(Exception):
    pass


def with_alarm(seconds, function, *args):
    """Runs function(*args) in the main thread, raising PeerTimeout after `seconds`."""
    def ring(signum, frame):
        raise PeerTimeout(f"the peer took more than {seconds} s")

    previous = signal.signal(signal.SIGALRM, ring)
    signal.alarm(seconds)
    try:
        return function(*args)
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def relative(path, tops):
    for top in tops.values():
        if path.is_relative_to(top):
            return f"{top.name}/{path.relative_to(top)}"
    return str(path)


def calendar_files(tops):
    icalendar_tests = tops["icalendar-7.3.2.tar.gz"] / "src" / "icalendar" / "tests"
    recurring = tops["recurring_ical_events-3.8.2.tar.gz"] / "recurring_ical_events" / "test" / "calendars"
    files = sorted(icalendar_tests.rglob("*.ics")) + sorted(p for p in recurring.rglob("*") if p.is_file())
    return files


def feed_files(tops):
    tests = tops["feedparser-6.0.14.tar.gz"] / "tests"
    return sorted(p for p in tests.rglob("*") if p.is_file() and p.suffix != ".py")


def run_digest_all(pool, binary, files, kind, window, timeout):
    """One `digest collect` per file, on the pool: {file: future of its Run}."""
    return {path: pool.submit(digest_runner.collect, binary, [path], kind, window, timeout) for path in files}


def run_digest_batches(pool, binary, files, kind, window, timeout):
    """`BATCH` files per `digest collect`, for crashes and hangs only; a batch that crashed or hung is run again one
    file at a time to name the file. Returns {file: Run} for the files that crashed or hung."""
    batches = [files[start:start + BATCH] for start in range(0, len(files), BATCH)]
    futures = [pool.submit(digest_runner.collect, binary, batch, kind, window, timeout * 2) for batch in batches]
    suspects = [path for batch, future in zip(batches, futures) if future.result().outcome in ("crash", "hang")
                for path in batch]
    singles = run_digest_all(pool, binary, suspects, kind, window, timeout)
    return {path: run for path, run in ((p, f.result()) for p, f in singles.items())
            if run.outcome in ("crash", "hang")}


def short(occurrences):
    shown = ", ".join(f"{start} {who[:40]}" for start, who in occurrences[:SHOWN_PER_FILE])
    more = len(occurrences) - SHOWN_PER_FILE
    return (shown + (f" … and {more} more" if more > 0 else "")) or "nothing"


def calendars(pool, binary, tops, timeout, thresholds):
    files = calendar_files(tops)
    runs = run_digest_all(pool, binary, files, "event", CALENDAR_WINDOW, timeout)
    window = tuple(calendar_peer.dt.datetime.fromisoformat(t.replace("Z", "+00:00") if t.endswith("Z") else t) for t in CALENDAR_WINDOW)
    peers = {}
    for path in files:
        try:
            peers[path] = ("ok", with_alarm(timeout, calendar_peer.peer_occurrences, path, calendar_peer.ZONE, window))
        except Exception as error:  # noqa: BLE001 – any error of the peer marks the file as invalid input
            peers[path] = ("invalid", f"{type(error).__name__}: {str(error).splitlines()[0] if str(error) else ''}")
    crashes, hangs, invalid, disagreements, silent = [], [], [], [], []
    matched = total = 0
    for path in files:
        name = relative(path, tops)
        run = runs[path].result()
        status, peer = peers[path]
        if run.outcome in ("crash", "hang"):
            (crashes if run.outcome == "crash" else hangs).append(f"{name}: {run.detail}")
            total += len(peer) if status == "ok" else 0  # a crash agrees on nothing
            continue
        if status == "invalid":
            invalid.append(f"{name}: recurring-ical-events: {peer[:160]}"
                           + ("" if run.outcome == "ok" else f"; digest: {run.detail}"))
            continue
        ours = calendar_peer.digest_occurrences(run.stdout) if run.outcome == "ok" else []
        both, ours_only, theirs_only = calendar_peer.compare(ours, peer)
        matched += both
        total += both + len(ours_only) + len(theirs_only)
        if ours_only or theirs_only:
            disagreements.append(f"{name}: ours {short(ours_only)} | theirs {short(theirs_only)}"
                                 + ("" if run.outcome == "ok" else f" (digest {run.detail})"))
            if theirs_only and not run.stderr.strip():
                silent.append(name)
    agreement = 100.0 * matched / total if total else 100.0
    print(f"calendars: {len(files)} files (icalendar 7.3.2 src/icalendar/tests, recurring-ical-events 3.8.2 "
          f"test/calendars), {len(crashes)} crashes, {len(hangs)} hangs")
    print(f"  occurrences: {agreement:.2f} % agree ({matched} of {total}; threshold "
          f"{thresholds['occurrences']} %), {len(invalid)} files testing invalid input left out")
    report_lists([("crashes", crashes), ("hangs", hangs), ("invalid input (left out)", invalid),
                  ("disagreements (ours only | theirs only)", disagreements),
                  ("missing occurrences with no problem reported", silent)])
    failures = [f"calendars: {len(crashes)} crashes"] if crashes else []
    failures += [f"calendars: {len(hangs)} hangs"] if hangs else []
    # No silent loss: an occurrence the peer lists and digest does not must come with a problem digest reported.
    failures += [f"calendars: {len(silent)} files miss occurrences with no problem reported"] if silent else []
    if round(agreement, 2) < thresholds["occurrences"]:
        failures.append(f"calendars: occurrences {agreement:.2f} % < {thresholds['occurrences']} %")
    return failures


def feeds(pool, binary, tops, timeout, thresholds):
    files = feed_files(tops)
    fields_of = {path: feed_peer.checked_fields(feed_peer.expectation(path.read_bytes())) for path in files}
    compared_files = [path for path in files if fields_of[path]]
    runs = run_digest_all(pool, binary, compared_files, "funding", FEED_WINDOW, timeout)
    # The batches wait on the pool: their coordinator runs on a thread of its own.
    coordinator = concurrent.futures.ThreadPoolExecutor(max_workers=1)
    others = coordinator.submit(run_digest_batches, pool, binary, [p for p in files if not fields_of[p]],
                                "funding", FEED_WINDOW, timeout)
    coordinator.shutdown(wait=False)
    checks = {}
    for path in compared_files:
        try:
            checks[path] = (fields_of[path], with_alarm(timeout, feed_peer.peer_first_entry, path), None)
        except Exception as error:  # noqa: BLE001
            checks[path] = (fields_of[path], None, f"{type(error).__name__}: {error}")
    crashes, hangs, disagreements = [], [], []
    agree = {name: 0 for name in feed_peer.FIELDS}
    compared = {name: 0 for name in feed_peer.FIELDS}
    results = {path: future.result() for path, future in runs.items()} | others.result()
    for path in files:
        name = relative(path, tops)
        run = results.get(path)
        if run and run.outcome in ("crash", "hang"):
            (crashes if run.outcome == "crash" else hangs).append(f"{name}: {run.detail}")
            for field in fields_of[path]:
                compared[field] += 1  # a crash agrees on nothing
            continue
        if path not in checks:
            continue
        fields, peer, error = checks[path]
        items = feed_peer.digest_items(run.stdout) if run.outcome == "ok" else []
        item = feed_peer.digest_entry(items, peer)
        for field in fields:
            compared[field] += 1
            theirs = feed_peer.normalised(field, peer.get(field)) if peer else None
            ours = feed_peer.field_of(item, field)
            if ours == theirs:
                agree[field] += 1
            else:
                why = "" if run.outcome == "ok" else f" (digest {run.detail})"
                why = why or ("" if item else " (digest: no item)")
                why += f" (feedparser: {error})" if error else ""
                disagreements.append(f"{name}: {field}: ours {ours!r} | theirs {theirs!r}{why}")
    print(f"feeds: {len(files)} files (feedparser 6.0.14 tests/), {len(crashes)} crashes, {len(hangs)} hangs, "
          f"{len(checks)} whose Expect checks the first entry's title, link or id")
    failures = [f"feeds: {len(crashes)} crashes"] if crashes else []
    failures += [f"feeds: {len(hangs)} hangs"] if hangs else []
    for field in feed_peer.FIELDS:
        percent = 100.0 * agree[field] / compared[field] if compared[field] else 100.0
        print(f"  {field}: {percent:.2f} % agree ({agree[field]} of {compared[field]}; threshold "
              f"{thresholds[field]} %)")
        if round(percent, 2) < thresholds[field]:
            failures.append(f"feeds: {field} {percent:.2f} % < {thresholds[field]} %")
    report_lists([("crashes", crashes), ("hangs", hangs), ("disagreements", disagreements)])
    return failures


def report_lists(lists):
    for title, entries in lists:
        if entries:
            print(f"  {title}: {len(entries)}")
            for entry in entries:
                print(f"    {entry}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--digest", default=str(digest_runner.ROOT / ".build" / "debug" / "digest"))
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--timeout", type=int, default=30, help="seconds per file, for digest and for the peer")
    parser.add_argument("--corpus", choices=["calendars", "feeds"], action="append")
    parser.add_argument("--cache", type=pathlib.Path, default=sdists.default_cache())
    args = parser.parse_args()
    binary = pathlib.Path(args.digest)
    if not binary.exists():
        print(f"conformance: {binary} is missing: run `swift build` first", file=sys.stderr)
        return 1
    began = time.monotonic()
    try:
        archives = sdists.fetch(args.cache)
    except sdists.Offline as offline:
        print(f"conformance: skipped, the package index is not reachable: {offline}")
        return 0
    except RuntimeError as error:
        print(f"conformance: {error}", file=sys.stderr)
        return 1
    # The peers warn about what they guess (vendor-prefixed TZIDs, …); their results are what is compared.
    warnings.simplefilter("ignore")
    thresholds = json.loads((HERE / "thresholds.json").read_text())
    with tempfile.TemporaryDirectory(prefix="digest-conformance-corpora-") as folder:
        tops = sdists.extract(archives, pathlib.Path(folder))
        # The peers are the sdists' own code, so that they match their corpora whatever pip installed.
        sys.path[:0] = [str(tops["feedparser-6.0.14.tar.gz"]), str(tops["icalendar-7.3.2.tar.gz"] / "src"),
                        str(tops["recurring_ical_events-3.8.2.tar.gz"])]
        failures = []
        corpora = args.corpus or ["calendars", "feeds"]
        with concurrent.futures.ThreadPoolExecutor(max_workers=args.jobs) as pool:
            if "calendars" in corpora:
                failures += calendars(pool, binary, tops, args.timeout, thresholds["calendars"])
            if "feeds" in corpora:
                failures += feeds(pool, binary, tops, args.timeout, thresholds["feeds"])
    print(f"conformance: {time.monotonic() - began:.0f} s")
    for failure in failures:
        print(f"conformance: FAILED: {failure}", file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
