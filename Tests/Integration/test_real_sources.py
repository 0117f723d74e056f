"""Sources described by configuration alone (`format: json` / `format: html` with items, where, fields, paging,
request and follow), read from a loopback server that answers like the real services: Vinnova's older API, the EU
SEDIA search (POST, multipart, API key from the environment), verksamt.se's paged promotor service, Tillväxtverket's
HTML list and detail pages (ETag / Last-Modified, one page missing) and Dalarna Science Park's WordPress JSON-LD.

The server is Tests/Integration/source_server.py; the recorded responses are in examples/sources/ and the config is
examples/digest.real-sources.yaml, with the port and paths replaced."""

import json
import re
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid

import pytest

from conftest import HERE, ROOT, run_digest, write_config

NOW = "2026-12-01T08:00:00+01:00"
WEEK_LATER = "2026-12-08T08:00:00+01:00"
API_KEY = "itest-eu-key-5c1f9e27d3a84b06"
CONFIG_NAME = "digest.real-sources.yaml"
EXAMPLE = ROOT / "examples" / CONFIG_NAME
SOURCES = ROOT / "examples" / "sources"
FIVE = ["vinnova", "eu-portal", "verksamt", "tillvaxtverket", "science-park"]

EU_PATH = "/eu/search-api/prod/rest/search"
VERKSAMT_PATH = "/verksamt/api/tillvaxtverket/promotor-service/record/findByTaggroupsAndTypes"
DETAIL_PREFIX = "/tillvaxtverket/utlysningar/"

# Vinnova: title -> (url from the template https://www.vinnova.se/e/{Diarienummer}, deadline). Stangningsdatum has
# no offset and is read in Europe/Stockholm (the April one in summer time).
VINNOVA = {
    "Innovationsprojekt i företag – våren 2027": ("2026-03512", "2027-02-11T14:00:00+01:00"),
    "Testbäddar för cirkulär tillverkning 2026": ("2026-02877", "2026-12-10T14:00:00+01:00"),
    "Smart elektronik – förstudier 2027": ("2026-04120", "2027-04-14T14:00:00+02:00"),
    "Digitala tvillingar i små och medelstora tillverkande företag": ("2026-03105", "2027-03-18T14:00:00+01:00"),
}
VINNOVA_LEFT_OUT = [
    "Forska och väx – hösten 2026",  # closed on 2026-11-20
    "Utmaningsdriven innovation – intern beredning",  # Publik: false
]

EU_TOPICS = "https://ec.europa.eu/info/funding-tenders/opportunities/data/topicDetails/"
# EU: title -> (url, deadline = metadata.deadlineDate[0], given as "2027-02-18T17:00:00.000+0100" and the like).
EU = {
    "Digital tools for resource-efficient manufacturing in SMEs (Made in Europe Partnership)":
        (EU_TOPICS + "horizon-cl4-2027-twin-transition-01-05.json", "2027-02-18T17:00:00+01:00"),  # two stages
    "Uptake of trustworthy AI by European SMEs":
        (EU_TOPICS + "digital-2027-ai-09-sme-uptake.json", "2027-01-22T17:00:00+01:00"),
    "Clean energy transition in rural business communities":
        (EU_TOPICS + "life-2027-cet-rural.json", "2027-03-04T17:00:00+01:00"),  # forthcoming
    "Euro Clusters for resilient regional value chains":
        (EU_TOPICS + "smp-cosme-2027-cluster-01.json", "2027-04-27T17:00:00+02:00"),  # given as 15:00 +0000
    "Circular bio-based solutions for the forest industry":
        (EU_TOPICS + "horizon-cl6-2027-circbio-02-03.json", "2027-09-23T17:00:00+02:00"),
}

# verksamt: title -> deadline from event.endDate (epoch milliseconds, a bare date, or ISO with Z), None when the
# record has no end date (löpande).
VERKSAMT = {
    "Almi Företagslån": None,
    "Almi Innovationslån": None,
    "Verifieringsmedel för innovativa idéer": "2027-01-31T23:59:59+01:00",  # 1801436399000
    "Regionalt investeringsstöd": None,  # endDate null
    "Konsultcheck för små företag i Dalarna": "2027-02-26T23:59:59+01:00",  # "2027-02-26"
    "Exportcheck": None,
    "Energikartläggningsstöd för företag": "2027-04-30T23:59:59+02:00",  # "2027-04-30"
    "Starta eget-bidrag": None,
    "Mikrolån för nya företag": None,
    "Innovationscheck Dalarna": "2027-03-15T00:00:00+01:00",  # 1805065200000
    "Investeringsstöd till landsbygdsföretag": "2027-01-29T23:59:59+01:00",  # "2027-01-29"
    "Stöd till kommersiell service på landsbygden": None,
    "Såddfinansiering för startups": None,
    "Exportkreditgaranti för små företag": None,
    "Industriklivet – forskning och förstudier": "2027-06-30T23:59:59+02:00",  # "2027-06-30T21:59:59.000Z"
    "Affärsutvecklingscheck för kooperativ": None,
    "Lån till hållbara investeringar": None,
    "Kompetensutvecklingsstöd via Regionalfonden": "2027-03-31T23:59:59+02:00",  # "2027-03-31"
    "Stöd till digitalisering i handeln": "2027-02-19T12:00:00+01:00",  # 1803034800000
    "Riskkapital från Dalarnas investeringsfond": None,
    "Startlån via Nyföretagarcentrum": None,
}
VERKSAMT_LEFT_OUT = [
    "Klimatklivet – stöd till klimatinvesteringar",  # ended 2026-11-10 (epoch ms)
    "Utvecklingsstöd för besöksnäringen",  # ended 2026-11-30T23:59:59+01:00, before --now
]
VERKSAMT_REGIONS = {
    "Regionalt investeringsstöd": ["Malung-Sälen", "Vansbro", "Älvdalen"],
    "Innovationscheck Dalarna": ["Falun", "Borlänge"],
    "Stöd till digitalisering i handeln": ["Ludvika", "Smedjebacken"],
    "Almi Företagslån": [],  # "Dalarna": the whole region
}

# Tillväxtverket: title -> (detail page, deadline read from it).
TILLVAXTVERKET = {
    "Grön omställning i små och medelstora företag i Norra Mellansverige": (
        "gronomstallningismaochmedelstoraforetaginorramellansverige.7101.html",
        "2027-02-15T14:00:00+01:00"),  # "Öppen – sista ansökningsdag 2027-02-15 kl. 14.00"
    "Utveckla färdigheter för smart specialisering i Norra Mellansverige": (
        "utvecklafardigheterforsmartspecialiseringinorramellansverige.7088.html",
        "2027-03-19T23:59:59+01:00"),  # "Stängd 19 mars 2027"
    "Digitalisering i besöksnäringen": (
        "digitaliseringibesoksnaringen.7125.html",
        "2027-02-10T23:59:59+01:00"),  # no status line; "Sista ansökningsdag är den 10 februari 2027." in <main>
    "Stöd till innovation i besöksnäringen på landsbygden": (
        "innovationibesoksnaringenpalandsbygden.7130.html", None),  # the page does not exist: 404
}
MISSING_PAGE = "innovationibesoksnaringenpalandsbygden.7130.html"
MISSING_LEAD = ("Företag och föreningar på landsbygden kan söka stöd för att utveckla nya upplevelser och tjänster "
                "för besökare.")
EXISTING_PAGES = sorted(page for page, _ in TILLVAXTVERKET.values() if page != MISSING_PAGE)

SCIENCE_PARK_EVENTS = "https://www.dalarnasciencepark.example.se/event/"
# Science park: title (HTML entities decoded) -> (url, start, end, allDay, municipality in the location).
EVENTS = {
    "Frukostmöte: Finansiering för växande företag": (
        "frukostmote-finansiering-for-vaxande-foretag/", "2026-12-03T07:30:00+01:00", "2026-12-03T09:00:00+01:00",
        False, "Borlänge"),
    "Mingel & pitch: Startup Night Dalarna": (  # from the ItemList block
        "mingel-och-pitch-startup-night/", "2026-12-09T17:30:00+01:00", "2026-12-09T20:30:00+01:00", False, "Falun"),
    "Innovationsdagen 2026 – Idé till affär": (  # startDate "2026-12-10", all day
        "innovationsdagen-2026/", "2026-12-10", None, True, "Falun"),
    "Webbinarium: Sök EU-medel med Horizon Europe": (  # VirtualLocation
        "webbinarium-horizon-europe/", "2026-12-17T10:00:00+01:00", "2026-12-17T11:30:00+01:00", False, None),
}
CANCELLED = "Workshop: AI-verktyg i vardagen för småföretag"  # eventStatus EventCancelled


class SourceServer:
    def __init__(self, process, port):
        self.process, self.port = process, port
        self.base = f"http://127.0.0.1:{port}"

    def log(self):
        with urllib.request.urlopen(f"{self.base}/_log") as response:
            return json.load(response)

    def reset(self):
        request = urllib.request.Request(f"{self.base}/_reset", data=b"", method="POST")
        with urllib.request.urlopen(request) as response:
            response.read()

    def requests(self, prefix):
        return [entry for entry in self.log() if entry["path"].startswith(prefix)]


@pytest.fixture
def source_server():
    process = subprocess.Popen(
        [sys.executable, str(HERE / "source_server.py"), "--port", "0", "--api-key", API_KEY],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )
    line = process.stdout.readline().strip()
    assert line.startswith("PORT "), f"source_server.py said {line!r}"
    yield SourceServer(process, int(line.split()[1]))
    process.kill()
    process.wait(timeout=10)


def real_config(folder, port=8765, name=CONFIG_NAME, state="state.sqlite", text=None, subscribers=None):
    """examples/digest.real-sources.yaml written into `folder` under `name`: the server's port, absolute paths and
    the state in `folder`. Every line stays where it was, so diagnostics point at the example's own lines."""
    text = text if text is not None else EXAMPLE.read_text(encoding="utf-8")
    text = text.replace("127.0.0.1:8765", f"127.0.0.1:{port}")
    text = re.sub(r"^(subscribers|templates|topics|editorNote): \.\./", rf"\1: {ROOT}/", text, flags=re.M)
    if subscribers is not None:
        text = re.sub(r"^subscribers: .*$", f"subscribers: {subscribers}", text, flags=re.M)
    text = re.sub(r"^state: .*$", f"state: {folder / state}", text, flags=re.M)
    text = text.replace("maildir:../", f"maildir:{folder}/")
    assert text.count("\n") == EXAMPLE.read_text(encoding="utf-8").count("\n")
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def file_config(folder):
    """The same five sources read from file: URLs (the request block stays and is ignored for files)."""
    files = {
        "vinnova": f"file://{SOURCES}/vinnova-ansokningsomgangar.json",
        "eu": f"file://{SOURCES}/eu-search-page-{{page}}.json",
        "verksamt": f"file://{SOURCES}/verksamt-{{page}}.json",
        "tillvaxtverket": f"file://{SOURCES}/tillvaxtverket/utlysningar.html",
        "sciencepark": f"file://{SOURCES}/sciencepark-events.html",
    }
    text, count = re.subn(r'url: "http://127\.0\.0\.1:8765/(\w+)/[^"]*"',
                          lambda match: f'url: "{files[match.group(1)]}"', EXAMPLE.read_text(encoding="utf-8"))
    assert count == 5 and 'url: "http://127.0.0.1' not in text
    return real_config(folder, name="digest.file-sources.yaml", state="file-state.sqlite", text=text)


def collect(binary, config, now=NOW, key=API_KEY):
    env = {"EU_API_KEY": key} if key is not None else {}
    result = run_digest(binary, "collect", "--json", "--config", str(config), "--now", now,
                        env_extra=env, cwd=config.parent)
    items = [json.loads(line) for line in result.stdout.splitlines() if line.strip()]
    return result, items


def by_source(items, source):
    return {item["title"]: item for item in items if item["source"] == source}


def problem_lines(stderr, source):
    return [line for line in stderr.splitlines() if line.startswith(f"{source}:")]


def check_events(items):
    """The four science-park events that take place, with their times and places. The cancelled one may be listed
    (collect's JSON has no status key; the digest leaves it out, see test_a_cancelled_event_is_not_announced)."""
    events = by_source(items, "science-park")
    for title, (slug, start, end, all_day, municipality) in EVENTS.items():
        assert title in events, f"{title!r} missing from {sorted(events)}"
        event = events[title]
        assert event["kind"] == "event"
        assert event["url"] == SCIENCE_PARK_EVENTS + slug
        assert (event["start"], event["allDay"]) == (start, all_day), event
        if end is not None:
            assert event["end"] == end, event
        else:
            assert event["end"] in (None, "2026-12-11"), event  # exclusive end of a one-day event, if any
        if municipality:
            assert event["location"] and municipality in event["location"], event
            assert event["regions"] == [municipality], event
        else:  # online: a VirtualLocation's URL is no place
            assert "webbinarium/horizon-europe" not in (event["location"] or ""), event
        assert event["organizer"] == "Dalarna Science Park", event
    assert set(events) <= set(EVENTS) | {CANCELLED}, sorted(events)
    if CANCELLED in events:
        assert events[CANCELLED]["start"] == "2026-12-15T13:00:00+01:00", events[CANCELLED]


def check_items(items, base):
    """Every expected item of the five sources, with its url and exact deadline; nothing else."""
    vinnova = by_source(items, "vinnova")
    assert set(vinnova) == set(VINNOVA), sorted(vinnova)
    for title, (number, deadline) in VINNOVA.items():
        item = vinnova[title]
        assert (item["kind"], item["url"], item["deadline"]) == ("funding", f"https://www.vinnova.se/e/{number}",
                                                                  deadline), item
        assert item["uid"] == number and item["organizer"] == "Vinnova", item
    for title in VINNOVA_LEFT_OUT:
        assert not any(item["title"] == title for item in items), title
    summary = vinnova["Innovationsprojekt i företag – våren 2027"]["summary"]
    assert "upp till 2 miljoner kronor" in summary and "<p>" not in summary, summary

    eu = by_source(items, "eu-portal")
    assert set(eu) == set(EU), sorted(eu)
    for title, (url, deadline) in EU.items():
        assert (eu[title]["url"], eu[title]["deadline"]) == (url, deadline), eu[title]
    assert eu["Uptake of trustworthy AI by European SMEs"]["uid"] == "44118807COMPETITIVE_CALLen"

    verksamt = by_source(items, "verksamt")
    assert set(verksamt) == set(VERKSAMT), sorted(set(verksamt) ^ set(VERKSAMT))
    for title, deadline in VERKSAMT.items():
        assert verksamt[title]["deadline"] == deadline, verksamt[title]
    for title in VERKSAMT_LEFT_OUT:
        assert not any(item["title"] == title for item in items), title
    for title, regions in VERKSAMT_REGIONS.items():
        assert verksamt[title]["regions"] == regions, verksamt[title]
    loan = verksamt["Almi Företagslån"]
    assert loan["url"] == "https://www.almi.example.se/finansiering/foretagslan/" and loan["organizer"] == "Almi Mitt"
    assert "Almi lånar ut tillsammans med banken" in loan["summary"] and "<p>" not in loan["summary"], loan

    tillvaxtverket = by_source(items, "tillvaxtverket")
    assert set(tillvaxtverket) == set(TILLVAXTVERKET), sorted(tillvaxtverket)
    for title, (page, deadline) in TILLVAXTVERKET.items():
        item = tillvaxtverket[title]
        assert item["url"] == f"{base}{page}", item
        assert item["deadline"] == deadline, item
        assert item["organizer"] == "Tillväxtverket", item
    missing = tillvaxtverket["Stöd till innovation i besöksnäringen på landsbygden"]
    assert " ".join((missing["summary"] or "").split()) == MISSING_LEAD, missing

    check_events(items)


def test_check_accepts_the_config_when_the_key_is_set(digest_bin, tmp_path):
    config = real_config(tmp_path)
    result = run_digest(digest_bin, "check", "--config", str(config), env_extra={"EU_API_KEY": API_KEY}, cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert API_KEY not in result.stdout + result.stderr


def test_check_names_a_variable_that_is_not_set_at_its_line(digest_bin, tmp_path, monkeypatch):
    monkeypatch.delenv("EU_API_KEY", raising=False)
    config = real_config(tmp_path)
    line = next(number for number, text in enumerate(config.read_text().splitlines(), 1) if "${EU_API_KEY}" in text)
    result = run_digest(digest_bin, "check", "--config", str(config), cwd=tmp_path)
    assert result.returncode == 2, result.stdout + result.stderr
    output = result.stdout + result.stderr
    places = re.findall(rf"{re.escape(CONFIG_NAME)}:(\d+):(\d+): [^\n]*EU_API_KEY", output)
    assert places, output
    assert any(int(found) == line for found, _ in places), (line, places)


def test_collect_reads_every_source(digest_bin, source_server, tmp_path):
    config = real_config(tmp_path, source_server.port)
    result, items = collect(digest_bin, config)
    assert result.returncode == 0, result.stderr
    for source in FIVE:
        assert not any(line.startswith(f"{source}: failed") for line in result.stderr.splitlines()), result.stderr
    check_items(items, f"{source_server.base}{DETAIL_PREFIX}")
    missing_url = f"{source_server.base}{DETAIL_PREFIX}{MISSING_PAGE}"
    lines = problem_lines(result.stderr, "tillvaxtverket")
    assert any(missing_url in line and "HTTP 404" in line for line in lines), result.stderr


def test_requests_are_what_the_services_expect_and_the_key_stays_secret(digest_bin, source_server, tmp_path):
    config = real_config(tmp_path, source_server.port)
    result, items = collect(digest_bin, config)
    assert result.returncode == 0, result.stderr
    log = source_server.log()

    vinnova = [entry for entry in log if entry["path"].startswith("/vinnova/")]
    assert [(entry["path"], entry["status"]) for entry in vinnova] == [
        ("/vinnova/api/ansokningsomgangar/2026-09-02", 200)]  # {today-90d} in Stockholm

    eu = [entry for entry in log if entry["path"].startswith("/eu/")]
    assert [entry["query"].get("pageNumber") for entry in eu] == ["1", "2", "3"], eu  # page 3 was empty: stop
    for entry in eu:
        assert (entry["method"], entry["path"], entry["status"]) == ("POST", EU_PATH, 200), entry
        assert entry["apiKeyMatched"] is True, entry
        assert {k: entry["query"].get(k) for k in ("apiKey", "text", "pageSize")} == {
            "apiKey": "SEDIA", "text": "***", "pageSize": "50"}, entry
        assert entry["headers"]["content-type"].startswith("multipart/form-data"), entry
        assert "application/json" in entry["headers"]["accept"], entry
        assert [part["name"] for part in entry["parts"]] == ["query", "languages"], entry

    verksamt = [entry for entry in log if entry["path"].startswith("/verksamt/")]
    assert [entry["query"].get("offset") for entry in verksamt] == ["0", "10", "20", "30"], verksamt
    for entry in verksamt:
        assert (entry["method"], entry["path"], entry["status"]) == ("GET", VERKSAMT_PATH, 200), entry
        assert (entry["query"].get("limit"), entry["query"].get("type")) == ("10", "FINANCING"), entry

    pages = sorted((entry["path"][len(DETAIL_PREFIX):], entry["status"]) for entry in log
                   if entry["path"].startswith(DETAIL_PREFIX))
    assert pages == sorted([(page, 200) for page in EXISTING_PAGES] + [(MISSING_PAGE, 404)]), pages
    assert [entry["status"] for entry in log if entry["path"] == "/tillvaxtverket/utlysningar.html"] == [200]
    assert [entry["status"] for entry in log if entry["path"].startswith("/sciencepark/")][-1] == 200

    # No request was refused by a service's checks, and the key went only into the X-Api-Key header.
    assert not [entry for entry in log if entry["status"] in (400, 401, 405, 406)], log
    for entry in log:
        assert API_KEY not in entry["target"] and not entry["keyInURL"] and not entry["keyElsewhere"], entry
    assert API_KEY not in result.stdout and API_KEY not in result.stderr
    for path in tmp_path.glob("state.sqlite*"):
        assert API_KEY.encode() not in path.read_bytes(), path


def test_the_key_is_never_logged_or_stored(digest_bin, source_server, tmp_path):
    config = real_config(tmp_path, source_server.port)
    env = {"EU_API_KEY": API_KEY}
    runs = [
        run_digest(digest_bin, "collect", "--json", "--verbose", "--config", str(config), "--now", NOW,
                   env_extra=env, cwd=tmp_path),
        run_digest(digest_bin, "collect", "--verbose", "--log-format", "json", "--config", str(config),
                   "--now", NOW, env_extra=env, cwd=tmp_path),
        run_digest(digest_bin, "send", "--dry-run", "--verbose", "--config", str(config), "--now", NOW,
                   env_extra=env, cwd=tmp_path),
        run_digest(digest_bin, "status", "--config", str(config), env_extra=env, cwd=tmp_path),
    ]
    for run in runs:
        assert run.returncode == 0, run.args[1:3] + [run.stderr]
        assert API_KEY not in run.stdout and API_KEY not in run.stderr, run.args[1:3]
    assert any(entry["apiKeyMatched"] for entry in source_server.requests("/eu/"))
    state_files = list(tmp_path.glob("state.sqlite*"))
    assert state_files
    for path in state_files:
        assert API_KEY.encode() not in path.read_bytes(), path


def test_a_key_that_is_not_set_fails_only_its_source(digest_bin, source_server, tmp_path, monkeypatch):
    monkeypatch.delenv("EU_API_KEY", raising=False)
    config = real_config(tmp_path, source_server.port)
    result, items = collect(digest_bin, config, key=None)
    assert result.returncode == 0, result.stderr
    lines = problem_lines(result.stderr, "eu-portal")
    assert any("EU_API_KEY" in line and "not set" in line for line in lines), result.stderr
    assert not by_source(items, "eu-portal")
    assert source_server.requests("/eu/") == []  # nothing was sent without the key
    assert set(by_source(items, "vinnova")) == set(VINNOVA)
    assert set(by_source(items, "verksamt")) == set(VERKSAMT)
    assert set(by_source(items, "tillvaxtverket")) == set(TILLVAXTVERKET)
    check_events(items)


def test_a_cancelled_event_is_not_announced(digest_bin, source_server, tmp_path):
    """A reader who follows Dalarna Science Park's events gets the four that take place in a first issue, and not
    the one whose JSON-LD says EventCancelled (nobody was sent it before, so there is nothing to call off)."""
    subscribers = tmp_path / "subscribers"
    subscribers.mkdir()
    (subscribers / "eva.yaml").write_text(
        "email: eva.exempel@example.se\nname: Eva Exempel\nlanguage: sv\n"
        "interests:\n  organizers: [Dalarna Science Park]\n  kinds: [event]\n", encoding="utf-8")
    config = real_config(tmp_path, source_server.port, subscribers=subscribers)
    result = run_digest(digest_bin, "preview", "--config", str(config), "--now", NOW, "--out",
                        str(tmp_path / "preview"), env_extra={"EU_API_KEY": API_KEY}, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    [text] = [path.read_text(encoding="utf-8") for path in (tmp_path / "preview").glob("*.txt")]
    for title in EVENTS:
        assert title in text, (title, text)
    assert CANCELLED not in text, text


def test_detail_pages_are_reused_then_asked_again_conditionally(digest_bin, source_server, tmp_path):
    config = real_config(tmp_path, source_server.port)
    deadlines = {title: deadline for title, (_, deadline) in TILLVAXTVERKET.items()}

    def detail_requests():
        return [entry for entry in source_server.requests(DETAIL_PREFIX)
                if entry["path"][len(DETAIL_PREFIX):] in EXISTING_PAGES]

    result, items = collect(digest_bin, config)
    assert result.returncode == 0, result.stderr
    first = detail_requests()
    assert sorted(entry["path"][len(DETAIL_PREFIX):] for entry in first) == EXISTING_PAGES, first
    assert all(entry["status"] == 200 and not entry["conditional"] for entry in first), first
    # The source's request headers go with the list and with its item pages on the same site.
    listing = source_server.requests("/tillvaxtverket/utlysningar.html")
    assert all(entry["headers"].get("accept-language") == "sv-SE, sv;q=0.9" for entry in listing + first), first

    # The same --now: every page was fetched moments ago and its list entry is the same, so none is asked again.
    source_server.reset()
    result, items = collect(digest_bin, config)
    assert result.returncode == 0, result.stderr
    assert detail_requests() == []
    assert {title: item["deadline"] for title, item in by_source(items, "tillvaxtverket").items()} == deadlines
    listing = source_server.requests("/tillvaxtverket/utlysningar.html")
    assert [(entry["conditional"], entry["status"]) for entry in listing] == [(True, 304)], listing

    # A week later the pages are older than maxAge (6d): each is asked again conditionally, and none changed.
    source_server.reset()
    result, items = collect(digest_bin, config, now=WEEK_LATER)
    assert result.returncode == 0, result.stderr
    later = detail_requests()
    assert sorted({entry["path"][len(DETAIL_PREFIX):] for entry in later}) == EXISTING_PAGES, later
    assert all(entry["conditional"] and entry["status"] == 304 for entry in later), later
    assert {title: item["deadline"] for title, item in by_source(items, "tillvaxtverket").items()} == deadlines


def test_a_broken_state_store_is_reported_and_every_source_still_read(digest_bin, source_server, tmp_path):
    """The conditional-GET and item-page caches failing (here their tables dropped behind digest's back) cost a full
    fetch, said once per source, never the items."""
    config = real_config(tmp_path, source_server.port)
    result, _ = collect(digest_bin, config)
    assert result.returncode == 0, result.stderr
    with sqlite3.connect(tmp_path / "state.sqlite") as db:
        db.execute("DROP TABLE sourceCache")
        db.execute("DROP TABLE followPage")
    result, items = collect(digest_bin, config)
    assert result.returncode == 0, result.stderr
    check_items(items, f"{source_server.base}{DETAIL_PREFIX}")
    listing = problem_lines(result.stderr, "tillvaxtverket")
    assert any("the state store could not be read (" in line and "no such table: sourceCache" in line
               and line.endswith("fetched without a conditional request") for line in listing), result.stderr
    assert any(line.startswith("tillvaxtverket: follow: the state store failed for ") and "no such table: followPage"
               in line and line.endswith("they are fetched in full") for line in listing), result.stderr
    assert sum("state store failed" in line for line in listing) == 1, listing


def test_file_urls_give_the_same_items_as_http(digest_bin, source_server, tmp_path):
    over_http, http_items = collect(digest_bin, real_config(tmp_path, source_server.port))
    source_server.reset()
    from_files, file_items = collect(digest_bin, file_config(tmp_path))
    assert source_server.log() == []  # the file run asked nothing over HTTP
    assert over_http.returncode == 0 and from_files.returncode == 0, from_files.stderr
    for source in FIVE:
        assert not any(line.startswith(f"{source}: failed") for line in from_files.stderr.splitlines()), \
            from_files.stderr

    def summary(items):
        return sorted((item["source"], item["title"], item["deadline"], item["start"], item["end"], item["allDay"])
                      for item in items)

    assert summary(file_items) == summary(http_items)
    # The list page's relative links resolve against its file: URL, to the detail pages beside it.
    check_items(file_items, f"file://{SOURCES}/tillvaxtverket/utlysningar/")


def test_bad_input_is_bounded_and_reported(digest_bin, source_server, tmp_path):
    base = source_server.base
    config = write_config(tmp_path, "  transport: maildir:outbox", sources=f"""
  - name: bad-huge
    kind: funding
    url: {base}/bad/huge.html
    format: html
    items: "//li[contains(@class, 'utlysning')]"
    fields: {{title: ".//h3", url: ".//a/@href"}}
  - name: bad-deep
    kind: funding
    url: {base}/bad/deep.json
    format: json
    fields: {{title: title}}
  - name: bad-many
    kind: funding
    url: {base}/bad/many.html
    format: html
    items: "//li[contains(@class, 'utlysning')]"
    fields: {{title: ".//h3"}}
  - name: bad-string
    kind: funding
    url: {base}/bad/string.json
    format: json
    items: results
    fields: {{title: title}}
  - name: science-park
    kind: event
    url: {base}/sciencepark/events/
    format: html""")
    started = time.monotonic()
    result = run_digest(digest_bin, "collect", "--json", "--config", str(config), "--now", NOW, cwd=tmp_path)
    elapsed = time.monotonic() - started
    assert result.returncode == 0, (result.returncode, result.stderr[-2000:])
    assert elapsed < 60, f"collect took {elapsed:.1f} s"
    items = [json.loads(line) for line in result.stdout.splitlines() if line.strip()]
    check_events(items)
    # Problems are one short line each, not a dump of the body or one line per dropped item.
    assert len(result.stderr) < 50_000, result.stderr[:2000]
    assert all(len(line) < 1000 for line in result.stderr.splitlines()), result.stderr[:2000]

    def outcome(source):
        lines = problem_lines(result.stderr, source)
        count = sum(1 for item in items if item["source"] == source)
        failed = any(line.startswith(f"{source}: failed: ") and len(line) > len(f"{source}: failed: ") + 3
                     for line in lines)
        return lines, count, failed

    lines, count, failed = outcome("bad-huge")
    assert failed or count <= 10_000, (count, lines)
    if count == 10_000:
        assert lines, "the items over the cap were dropped without a word"

    lines, count, failed = outcome("bad-many")
    assert failed or (count <= 10_000 and any(re.search(r"10[ ,.\u00a0\u202f]?000", line) for line in lines)), \
        (count, lines)

    lines, count, failed = outcome("bad-deep")
    assert count == 0, count  # arrays of arrays hold no item with a title
    assert all(len(line) < 400 for line in lines), lines

    lines, count, failed = outcome("bad-string")
    assert count == 0 and lines, (count, result.stderr)  # `items: results` is a string: say so


def test_source_server_answers_like_the_services(source_server):
    """The loopback server itself (no digest needed): its checks refuse what the real services refuse."""
    base = source_server.base

    def call(path, method="GET", body=None, headers=None):
        request = urllib.request.Request(base + path, data=body, method=method, headers=headers or {})
        try:
            with urllib.request.urlopen(request) as response:
                return response.status, dict(response.headers), response.read()
        except urllib.error.HTTPError as error:
            return error.code, dict(error.headers), error.read()

    status, headers, body = call("/vinnova/api/ansokningsomgangar/2026-09-02")
    assert status == 200 and len(json.loads(body)) == 6
    assert call("/vinnova/api/ansokningsomgangar/2026-02-30")[0] == 400

    boundary = uuid.uuid4().hex
    multipart = b"".join(
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\nContent-Type: application/json\r\n\r\n'
        f"{content}\r\n".encode()
        for name, content in [("query", '{"bool":{"must":[]}}'), ("languages", '["en"]')]
    ) + f"--{boundary}--\r\n".encode()
    good = {"Content-Type": f"multipart/form-data; boundary={boundary}", "Accept": "application/json",
            "X-Api-Key": API_KEY}
    search = EU_PATH + "?apiKey=SEDIA&text=***&pageSize=50&pageNumber="
    assert call(search + "1")[0] == 405
    assert call(search + "1", "POST", multipart, {**good, "X-Api-Key": "wrong"})[0] == 401
    assert call(search + "0", "POST", multipart, good)[0] == 400
    assert call(search + "1", "POST", b"{}", {**good, "Content-Type": "application/json"})[0] == 400
    pages = [json.loads(call(search + str(n), "POST", multipart, good)[2])["results"] for n in (1, 2, 3, 4)]
    assert [len(page) for page in pages] == [3, 2, 0, 0]
    assert all(isinstance(value, list) for value in pages[0][0]["metadata"].values())
    assert json.loads(pages[0][0]["metadata"]["budgetOverview"][0])["budgetTopicActionMap"]

    records = VERKSAMT_PATH + "?limit=10&type=FINANCING&offset="
    counts = [len(json.loads(call(records + str(offset))[2])["records"]) for offset in (0, 10, 20, 30)]
    assert counts == [10, 10, 3, 0]
    assert call(records + "5")[0] == 400 and call(VERKSAMT_PATH + "?limit=10&offset=0")[0] == 400

    page = DETAIL_PREFIX + EXISTING_PAGES[0]
    status, headers, body = call(page)
    assert status == 200 and headers["Content-Type"] == "text/html; charset=utf-8"
    assert call(page, headers={"If-None-Match": headers["ETag"]})[0] == 304
    assert call(page, headers={"If-Modified-Since": headers["Last-Modified"]})[0] == 304
    assert call(DETAIL_PREFIX + MISSING_PAGE)[0] == 404
    assert call("/sciencepark/events/")[1]["Content-Type"] == "text/html; charset=utf-8"

    log = source_server.log()
    assert [entry["status"] for entry in log if entry["path"] == page] == [200, 304, 304]
    assert [entry["apiKeyMatched"] for entry in log if entry["method"] == "POST"] == [False, True, True] + [True] * 4
    assert not any(API_KEY in json.dumps(entry) for entry in log)
    source_server.reset()
    assert source_server.log() == []


def test_html_in_a_json_source_is_read_on_every_core_without_hanging(digest_bin, tmp_path):
    # The first HTML fragments of a JSON source are read by two workers at once. libxml2's lazy set-up is not
    # thread-safe: before it was done once up front, both workers waited for ever on its dictionary lock, about one
    # run in ten. So the same collect runs many times, each with a deadline.
    calls = [{"id": f"call-{n}", "title": f"Utlysning {n} &amp; mer", "url": f"https://example.se/call/{n}",
              "summary": f"<p>Stöd för <b>företag</b> {n}.</p><ul><li>Sista ansökningsdag 2027-03-15</li></ul>"}
             for n in range(300)]
    (tmp_path / "calls.json").write_text(json.dumps({"data": {"results": calls}}), encoding="utf-8")
    config = write_config(tmp_path, "  transport: maildir:outbox", sources=f"""
  - name: api
    kind: funding
    url: {tmp_path}/calls.json
    format: json
    items: data.results
    fields: {{id: id, title: title, summary: summary, url: url}}""")
    for run in range(50):
        try:
            result = subprocess.run([str(digest_bin), "collect", "--json", "--config", str(config), "--now", NOW],
                                    capture_output=True, text=True, timeout=30)
        except subprocess.TimeoutExpired:
            pytest.fail(f"run {run + 1}: digest collect hung")
        assert result.returncode == 0, result.stderr
        items = {item["uid"]: item for item in map(json.loads, result.stdout.splitlines())}
        assert len(items) == 300
        assert items["call-7"]["title"] == "Utlysning 7 & mer"
        assert items["call-7"]["summary"] == "Stöd för företag 7.\n\n• Sista ansökningsdag 2027-03-15"
        assert items["call-7"]["deadline"] == "2027-03-15T23:59:59+01:00"
