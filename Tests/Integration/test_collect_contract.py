"""What scripts see of `digest collect`: each event's status and each feed entry's dates in the JSON lines, exit
status 2 when every source failed, failure lines that name the source and its URL or path, and feeds in other
encodings than UTF-8 read as text (never their raw bytes on standard error)."""

import codecs
import json
import subprocess
import sys

import pytest

from conftest import HERE, run_digest, write_config

NOW = "2026-12-01T08:00:00+01:00"

CALENDAR = """BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//digest tests//EN
BEGIN:VEVENT
UID:bekraftat@example.se
DTSTAMP:20261101T090000Z
DTSTART:20261208T090000Z
DTEND:20261208T100000Z
SUMMARY:Bekräftat seminarium
STATUS:CONFIRMED
END:VEVENT
BEGIN:VEVENT
UID:preliminart@example.se
DTSTAMP:20261101T090000Z
DTSTART:20261209T090000Z
DTEND:20261209T100000Z
SUMMARY:Preliminärt seminarium
STATUS:TENTATIVE
END:VEVENT
BEGIN:VEVENT
UID:utan-status@example.se
DTSTAMP:20261101T090000Z
DTSTART:20261210T090000Z
DTEND:20261210T100000Z
SUMMARY:Seminarium utan status
END:VEVENT
BEGIN:VEVENT
UID:installt@example.se
DTSTAMP:20261101T090000Z
DTSTART:20261211T090000Z
DTEND:20261211T100000Z
SUMMARY:Inställt seminarium
STATUS:CANCELLED
END:VEVENT
END:VCALENDAR
"""

FEED = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title>Utlysningar</title>
  <id>tag:example.se,2026:calls</id>
  <updated>2026-11-20T12:30:00Z</updated>
  <entry>
    <title>Innovationscheck 2027</title>
    <id>tag:example.se,2026:check</id>
    <link href="https://example.se/check"/>
    <published>2026-11-03T08:00:00Z</published>
    <updated>2026-11-20T12:30:00Z</updated>
    <summary>Sista ansökningsdag 15 januari 2027.</summary>
  </entry>
  <entry>
    <title>Utan datum</title>
    <id>tag:example.se,2026:utan</id>
    <link href="https://example.se/utan"/>
    <summary>Sista ansökningsdag 20 januari 2027.</summary>
  </entry>
</feed>
"""


def collect(digest_bin, tmp_path, sources):
    config = write_config(tmp_path, "  transport: maildir:outbox", sources=sources)
    return run_digest(digest_bin, "collect", "--json", "--config", str(config), "--now", NOW, cwd=tmp_path)


@pytest.fixture
def http_server():
    process = subprocess.Popen([sys.executable, str(HERE / "http_server.py"), "--port", "0"],
                               stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    line = process.stdout.readline().strip()
    assert line.startswith("PORT "), line
    yield f"http://127.0.0.1:{line.split()[1]}"
    process.kill()
    process.wait(timeout=10)


def test_events_carry_their_status_and_feed_entries_their_dates(digest_bin, tmp_path):
    (tmp_path / "kalender.ics").write_text(CALENDAR, encoding="utf-8")
    (tmp_path / "calls.xml").write_text(FEED, encoding="utf-8")
    result = collect(digest_bin, tmp_path, f"""
  - name: kalender
    kind: event
    url: {tmp_path}/kalender.ics
  - name: utlysningar
    kind: funding
    url: {tmp_path}/calls.xml""")
    assert result.returncode == 0, result.stderr
    items = {item["title"]: item for item in map(json.loads, result.stdout.splitlines())}
    assert {title: item["status"] for title, item in items.items() if item["kind"] == "event"} == {
        "Bekräftat seminarium": "confirmed",
        "Preliminärt seminarium": "tentative",
        "Seminarium utan status": "confirmed",
    }  # the cancelled one is left out, as collect has always done
    check = items["Innovationscheck 2027"]
    assert (check["status"], check["published"], check["updated"]) == (
        None, "2026-11-03T09:00:00+01:00", "2026-11-20T13:30:00+01:00")
    assert (items["Utan datum"]["published"], items["Utan datum"]["updated"]) == (None, None)
    assert items["Bekräftat seminarium"]["published"] is None


def test_exit_status_2_when_every_source_failed_and_each_failure_names_its_place(digest_bin, tmp_path, http_server):
    missing = tmp_path / "finns-inte.ics"
    failing = f"""
  - name: saknad
    kind: event
    url: {missing}
  - name: trasig
    kind: funding
    url: {http_server}/error500
    format: rss"""
    result = collect(digest_bin, tmp_path, failing)
    assert result.returncode == 2, (result.returncode, result.stderr)
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    saknad = [line for line in lines if line.startswith("saknad: failed: ")]
    trasig = [line for line in lines if line.startswith("trasig: failed: ")]
    assert len(saknad) == 1 and str(missing) in saknad[0], lines
    assert len(trasig) == 1 and f"{http_server}/error500" in trasig[0], lines
    assert "every source failed (2); nothing was collected" in lines

    (tmp_path / "calls.xml").write_text(FEED, encoding="utf-8")
    one_works = collect(digest_bin, tmp_path, failing + f"""
  - name: utlysningar
    kind: funding
    url: {tmp_path}/calls.xml""")
    assert one_works.returncode == 0, one_works.stderr
    assert any(line.startswith("saknad: failed: ") for line in one_works.stderr.splitlines())
    assert "Innovationscheck 2027" in one_works.stdout


def test_feeds_in_other_encodings_are_read_as_text(digest_bin, tmp_path, http_server):
    rss = ('<rss version="2.0"><channel><title>Flöde</title><item><title>Företagsstöd i Dalarna</title>'
           '<link>https://example.se/{name}</link></item></channel></rss>\n')
    (tmp_path / "utf32.xml").write_bytes(rss.format(name="utf32").encode("utf-32-be"))  # no BOM
    (tmp_path / "utf16.xml").write_bytes(codecs.BOM_UTF16_LE + rss.format(name="utf16").encode("utf-16-le"))
    result = collect(digest_bin, tmp_path, f"""
  - name: utf32
    kind: event
    url: {tmp_path}/utf32.xml
  - name: utf16
    kind: event
    url: {tmp_path}/utf16.xml
  - name: koi8r
    kind: event
    url: {http_server}/koi8r-feed""")
    assert result.returncode == 0, result.stderr
    assert "\x00" not in result.stderr and "\x00" not in result.stdout
    assert "failed" not in result.stderr, result.stderr
    titles = {item["source"]: item["title"] for item in map(json.loads, result.stdout.splitlines())}
    assert titles == {"utf32": "Företagsstöd i Dalarna", "utf16": "Företagsstöd i Dalarna",
                      "koi8r": "Гранты для бизнеса"}


def test_a_source_that_is_not_text_prints_no_raw_bytes(digest_bin, tmp_path):
    (tmp_path / "binary.yaml").write_bytes(b"title: \x00\x1b[31mred\x1b[0m\x07\n- [\x00")
    result = collect(digest_bin, tmp_path, f"""
  - name: binar
    kind: funding
    url: {tmp_path}/binary.yaml""")
    assert result.returncode == 2, result.stderr
    assert not any(ord(c) < 0x20 and c not in "\n" for c in result.stderr), repr(result.stderr)
    assert any(line.startswith("binar: failed: ") for line in result.stderr.splitlines()), result.stderr
