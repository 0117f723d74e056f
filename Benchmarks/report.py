#!/usr/bin/env python3
"""Prints the benchmark table from the JSON results run.sh collected, and writes it as Markdown.

Usage: report.py RESULTS_FOLDER

Reads digest-*.json (digest-bench) and peer-*.json (Python peers), and sink-*.count (messages smtp-sink received);
for mapping, also the two commands' outputs (*-mapping-*.out.jsonl), which must hold the same titles and deadlines.
Ratios are the peer's time over digest's for the same work; for rates, digest's rate over the peer's. Wall-clock
time decides pass or fail; the CPU ratio is shown beside it because the machine is shared and wall time is noisy.
Exits 1 when a benchmark that was run left no result (its .err file says why).
"""
import json
import os
import sys


def load(folder, name):
    path = os.path.join(folder, name + ".json")
    if not os.path.exists(path):
        return None
    with open(path, encoding="utf-8") as handle:
        lines = [line for line in handle if line.strip().startswith("{")]
    return json.loads(lines[-1]) if lines else None


def sink_count(folder, name):
    path = os.path.join(folder, name + ".count")
    if not os.path.exists(path):
        return None
    with open(path, encoding="ascii") as handle:
        text = handle.read().strip()
    return int(text) if text.isdigit() else None


def seconds(value):
    return f"{value:.3f} s" if value < 10 else f"{value:.1f} s"


def ratio(value):
    return f"{value:.1f}×" if value < 100 else f"{value:.0f}×"


def verdict(ok):
    return "PASS" if ok else "FAIL"


def mapping_outputs(folder, key):
    """Compares digest's and the peer's JSON lines: (digest count, peer count, warnings, notes)."""
    outputs = []
    for side in ("digest", "peer"):
        path = os.path.join(folder, f"{side}-mapping-{key}.out.jsonl")
        if not os.path.exists(path):
            return None
        with open(path, encoding="utf-8") as handle:
            outputs.append([json.loads(line) for line in handle if line.strip()])
    ours, theirs = outputs
    warnings, notes = [], []
    if len(ours) != len(theirs):
        warnings.append(f"digest printed {len(ours):,} items, the peer {len(theirs):,}")
    pairs = [sorted((item["title"], item["deadline"] or "") for item in side) for side in outputs]
    if pairs[0] != pairs[1]:
        only_ours = sorted(set(pairs[0]) - set(pairs[1]))
        only_theirs = sorted(set(pairs[1]) - set(pairs[0]))
        warnings.append(f"titles and deadlines differ: {len(only_ours):,} only in digest's output, "
                        f"{len(only_theirs):,} only in the peer's")
        for title, deadline in only_ours[:3]:
            warnings.append(f"  only digest: {title!r} {deadline or 'no deadline'}")
        for title, deadline in only_theirs[:3]:
            warnings.append(f"  only peer:   {title!r} {deadline or 'no deadline'}")
    peer_by_title = {item["title"]: item for item in theirs}
    for field in ("id", "url", "summary", "organizer"):  # reported, not judged
        differing = [item for item in ours if item["title"] in peer_by_title and
                     item[field] != peer_by_title[item["title"]][field]]
        if differing:
            notes.append(f"{len(differing):,} items' {field} differ, e.g. {differing[0]['title']!r}: "
                         f"{differing[0][field]!r} vs {peer_by_title[differing[0]['title']][field]!r}")
    return len(ours), len(theirs), warnings, notes


def command_rows(folder, rows):
    """The whole commands (run.sh `commands`), first in the table: digest send, check and collect."""
    peer = load(folder, "peer-send")
    peer_rate = peer["details"]["messagesPerSecond"] if peer else None
    small = load(folder, "digest-send-smtp-5000")
    for name, label, target in (
            ("digest-send-smtp-5000", "5,000 subscribers to smtp-sink, 4 connections", None),
            ("digest-send-smtp-20000", "20,000 subscribers to smtp-sink, 4 connections", 2000),
            ("digest-send-maildir-20000", "20,000 subscribers to the Maildir", 1500)):
        digest = load(folder, name)
        if not digest:
            continue
        sent = digest["details"].get("count", 0)
        rate = sent / digest["seconds"]
        memory = digest["peakMemoryMB"]
        wanted = "reported (memory reference)"
        ok = None
        if target:
            flat = "smtp" not in name or not small or memory <= 1.25 * small["peakMemoryMB"]
            ok = rate >= target and memory <= 150 and flat
            wanted = f"≥ {target:,} msg/s, ≤ 150 MB" + (", flat from 5,000" if "smtp" in name else "")
        rows.append([f"`digest send` end to end: {label}, {sent:,} sent, median of {digest['details']['runs']} "
                     f"({', '.join(f'{run:.2f}' for run in digest['details']['wallRuns'])} s)",
                     f"{rate:,.0f} msg/s ({seconds(digest['seconds'])})",
                     f"{peer_rate:,.0f} msg/s (2,000)" if peer_rate else "–",
                     ratio(rate / peer_rate) if peer_rate else "–", "–", f"{memory:.0f} MB", wanted,
                     "–" if ok is None else verdict(ok)])
    for name, label in (("digest-check-cold", "no state: every file read and checked"),
                        ("digest-check-warm", "files kept by an earlier run")):
        digest = load(folder, name)
        if digest:
            rows.append([f"`digest check`, 20,000 subscriber files, {label}", seconds(digest["seconds"]), "–", "–",
                         "–", f"{digest['peakMemoryMB']:.0f} MB", "≤ 1.5 s" if "warm" in name else "reported",
                         verdict(digest["seconds"] <= 1.5) if "warm" in name else "–"])
    for key, label, who in (("feed", "the 20 MB RSS feed", "feedparser"),
                            ("ical", "the 20,000-event calendar, one year", "recurring-ical-events")):
        digest, peer = load(folder, f"digest-collect-{key}"), load(folder, f"peer-collect-{key}")
        if digest and peer:
            wall = peer["seconds"] / digest["seconds"]
            cpu = peer["cpuSeconds"] / max(digest["cpuSeconds"], 1e-9)
            rows.append([f"`digest collect --json` on {label}, whole command vs the {who} script",
                         seconds(digest["seconds"]), seconds(peer["seconds"]), ratio(wall), ratio(cpu),
                         f"{digest['peakMemoryMB']:.0f} MB", "≥ 20×", verdict(wall >= 20)])


def main():
    folder = sys.argv[1]
    rows = []
    messages = []
    missing = []
    for name in sorted(os.listdir(folder)):
        if name.endswith(".err") and not os.path.exists(os.path.join(folder, name[:-4] + ".json")):
            missing.append(name[:-4])

    command_rows(folder, rows)

    digest, peer = load(folder, "digest-icalendar"), load(folder, "peer-icalendar")
    if digest and peer:
        found, expected = digest["details"]["occurrences"], peer["details"]["occurrences"]
        wall = peer["seconds"] / digest["seconds"]
        cpu = peer["cpuSeconds"] / max(digest["cpuSeconds"], 1e-9)
        ok = wall >= 20 and digest["peakMemoryMB"] < 200 and found == expected
        rows.append([f"iCalendar: 20,000 events, parse + 1 year of occurrences ({int(found):,} vs {int(expected):,})",
                     seconds(digest["seconds"]), seconds(peer["seconds"]), ratio(wall), ratio(cpu),
                     f"{digest['peakMemoryMB']:.0f} MB", "≥ 20×, < 200 MB, same count", verdict(ok)])

    digest, peer = load(folder, "digest-feeds"), load(folder, "peer-feeds")
    if digest and peer:
        megabytes = digest["details"]["bytes"] / 1_000_000
        found, expected = digest["details"]["items"], peer["details"]["items"]
        wall = peer["seconds"] / digest["seconds"]
        cpu = peer["cpuSeconds"] / max(digest["cpuSeconds"], 1e-9)
        rows.append([f"Feeds: {megabytes:.0f} MB RSS 2.0 ({int(found):,} vs {int(expected):,} items)",
                     seconds(digest["seconds"]), seconds(peer["seconds"]), ratio(wall), ratio(cpu),
                     f"{digest['peakMemoryMB']:.0f} MB", "≥ 20× (memory reported)",
                     verdict(wall >= 20 and found == expected)])

    digest = load(folder, "digest-text")
    if digest:  # a part of collect, reported so that its next slow stage shows without a profiler
        details = digest["details"]
        each = 1e6 / details["items"]
        rows.append([f"Feed text: {int(details['items']):,} summaries, plain text "
                     f"{details['plainTextSeconds'] * each:.0f} µs + deadlines {details['deadlineSeconds'] * each:.0f} µs "
                     f"per item, 1 thread",
                     seconds(digest["seconds"]), "–", "–", "–", f"{digest['peakMemoryMB']:.0f} MB",
                     "none (reported)", "–"])

    peer_render = load(folder, "peer-render-2000")
    small = load(folder, "digest-render-2000")
    variants = [  # result name, what the row says, whether the row is judged against the target
        ("digest-render-2000", "2,000 digests, 1 thread", False),
        ("digest-render-10000", "10,000 digests, 1 thread", False),
        ("digest-render-10000-jobs2", "10,000 digests, 2 threads", True),
        ("digest-render-10000-jobs2-no-reuse", "10,000 digests, 2 threads, no outline shared (worst case)", False),
    ]
    attempts = [result for result in (load(folder, f"digest-render-10000-jobs2-run{n}") for n in (1, 2, 3)) if result]
    for name, label, judged in variants:
        digest = load(folder, name)
        if name == "digest-render-10000-jobs2" and attempts:
            attempts.sort(key=lambda result: result["details"]["messagesPerSecond"])
            digest = attempts[len(attempts) // 2]
            rates = ", ".join(f"{result['details']['messagesPerSecond']:,.0f}" for result in attempts)
            label += f", median of {len(attempts)} runs ({rates} msg/s)"
        if not digest:
            continue
        count = int(digest["details"]["messages"])
        peer = load(folder, f"peer-render-{count}") or peer_render
        rate = digest["details"]["messagesPerSecond"]
        target = "≥ 5,000 msg/s, ≥ 10× Python" if judged else "reported"
        ok = rate >= 5000
        peer_text, wall_text, cpu_text = "–", "–", "–"
        if peer:
            peer_rate = peer["details"]["messagesPerSecond"]
            peer_cpu_rate = peer["details"]["messages"] / peer["cpuSeconds"]
            digest_cpu_rate = digest["details"]["messages"] / max(digest["cpuSeconds"], 1e-9)
            peer_text = f"{peer_rate:,.0f} msg/s" + ("" if peer["details"]["messages"] == count else
                                                     f" (at {int(peer['details']['messages']):,})")
            wall_text, cpu_text = ratio(rate / peer_rate), ratio(digest_cpu_rate / peer_cpu_rate)
            ok = ok and rate / peer_rate >= 10
        if name == "digest-render-10000" and small:
            target = "memory flat (≤ 1.25× the 2,000 run)"
            judged = True
            ok = digest["peakMemoryMB"] <= small["peakMemoryMB"] * 1.25
        rendered = digest["details"].get("outlinesRendered", 0)
        shared = f", {int(rendered):,} outlines rendered" if rendered else ""
        rows.append([f"Rendering: {label}, {digest['details']['averageItems']:.0f} items and "
                     f"{digest['details']['averageBytes'] / 1000:.0f} KB each{shared}",
                     f"{rate:,.0f} msg/s ({seconds(digest['seconds'])})", peer_text, wall_text, cpu_text,
                     f"{digest['peakMemoryMB']:.0f} MB", target, verdict(ok) if judged else "–"])

    peer = load(folder, "peer-smtp")
    for connections in (1, 4):
        digest = load(folder, f"digest-smtp-{connections}")
        if not digest or not peer:
            continue
        rate, peer_rate = digest["details"]["messagesPerSecond"], peer["details"]["messagesPerSecond"]
        received = sink_count(folder, f"sink-smtp-{connections}")
        sent = int(digest["details"]["messages"])
        note = f", sink counted {received:,}" if received is not None else ""
        target = "≥ 2× smtplib" if connections > 1 else "none (reported)"
        ok = (rate / peer_rate >= 2 if connections > 1 else True) and received in (None, sent)
        result = verdict(ok) if connections > 1 or not ok else "–"
        rows.append([f"SMTP: {sent:,} × {digest['details']['averageBytes'] / 1000:.0f} KB to smtp-sink, "
                     f"{connections} connection{'s' if connections > 1 else ''}{note}",
                     f"{rate:,.0f} msg/s", f"{peer_rate:,.0f} msg/s (smtplib, 1 conn.)", ratio(rate / peer_rate),
                     ratio((sent / max(digest['cpuSeconds'], 1e-9)) / (peer['details']['messages'] /
                                                                     max(peer['cpuSeconds'], 1e-9))),
                     f"{digest['peakMemoryMB']:.0f} MB", target, result])

    digest = load(folder, "digest-filter")
    if digest:
        details = digest["details"]
        rows.append([f"Filtering: {int(details['subscribers']):,} subscribers × {int(details['items']):,} items "
                     f"({details['averageSelected']:.0f} selected each)",
                     seconds(digest["seconds"]), "–", "–", "–", f"{digest['peakMemoryMB']:.0f} MB", "< 1 s",
                     verdict(digest["seconds"] < 1)])

    for key, label in (("json", "JSON {:,} items"), ("html", "HTML {:,} rows")):
        digest, peer = load(folder, f"digest-mapping-{key}"), load(folder, f"peer-mapping-{key}")
        if not digest or not peer:
            continue
        compared = mapping_outputs(folder, key)
        agree = compared is not None and not compared[2]
        counts = f"{compared[0]:,} vs {compared[1]:,} items out" if compared else "outputs missing"
        wall = peer["seconds"] / digest["seconds"]
        cpu = peer["cpuSeconds"] / max(digest["cpuSeconds"], 1e-9)
        runs = digest["details"]["runs"]
        rows.append([f"mapping: {label.format(int(digest['details']['items']))} "
                     f"({digest['details']['bytes'] / 1_000_000:.1f} MB), whole `digest collect --json` vs "
                     f"`peer_mapping.py {key}`, median of {runs} runs ({counts})",
                     seconds(digest["seconds"]), seconds(peer["seconds"]), ratio(wall), ratio(cpu),
                     f"{digest['peakMemoryMB']:.0f} MB", "≥ 10×, same titles and deadlines",
                     verdict(wall >= 10 and agree)])
        if compared is None:
            messages.append(f"warning: mapping {key}: an output is missing, so the outputs were not compared")
        else:
            messages += [f"warning: mapping {key}: {text}" for text in compared[2]]
            messages += [f"note: mapping {key}: {text}" for text in compared[3]]

    header = ["benchmark", "digest", "peer", "ratio", "CPU ratio", "digest peak memory", "target", "result"]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    table = "\n".join(lines)
    print(table)
    for message in messages:
        print(message)
    with open(os.path.join(folder, "table.md"), "w", encoding="utf-8") as handle:
        handle.write(table + "\n")
    for name in missing:
        print(f"\n{name} left no result; see {os.path.join(folder, name + '.err')}", file=sys.stderr)
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
