"""The person's data and the public archive through the built binary: `digest subscribers export` shows what is
kept, `forget` leaves no row with the address in any table of the state file (read with sqlite3) and a salted hash
that keeps a later import from mailing it, `import` reads a CSV with bad rows and reports them word for word, and
`digest archive` (and `digest send` with archive.out) writes pages that Chromium renders, an Atom feed feedparser
accepts and a calendar Python's icalendar reads, with no subscriber's address, name or token anywhere in them."""

import email
import email.policy
import json
import shutil
import sqlite3
import subprocess

import feedparser
import icalendar

from conftest import ROOT, run_digest, write_config
from test_render_chromium import HEADLESS, chromium

NOW = "2026-12-01T08:00:00+01:00"
ANNA = "anna.andersson@example.com"


def workspace(tmp_path, archive=""):
    subscribers = tmp_path / "subscribers"
    shutil.copytree(ROOT / "subscribers", subscribers)
    config = write_config(tmp_path, "  transport: maildir:outbox")
    text = config.read_text(encoding="utf-8").replace(f"subscribers: {ROOT}/subscribers", f"subscribers: {subscribers}")
    config.write_text(text + archive, encoding="utf-8")
    return config, subscribers


def digest(binary, config, *args):
    return run_digest(binary, *args, "--config", str(config), cwd=config.parent)


def rows_naming(database, needle):
    """Every (table, row) of the SQLite file in which any text column holds `needle` (any case)."""
    found = []
    with sqlite3.connect(database) as db:
        tables = [name for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        assert {"delivery", "sentItem", "feedback", "suppression"} <= set(tables)
        for table in tables:
            for row in db.execute(f'SELECT * FROM "{table}"'):
                if any(isinstance(value, str) and needle.lower() in value.lower() for value in row):
                    found.append((table, row))
    return found


def test_export_then_forget_leaves_only_a_salted_hash(digest_bin, tmp_path):
    config, subscribers = workspace(tmp_path)
    sent = digest(digest_bin, config, "send", "--now", NOW)
    assert sent.returncode == 0, sent.stderr
    state = tmp_path / "state.sqlite"
    with sqlite3.connect(state) as db:
        db.execute("INSERT INTO feedback (address, kind, detail, at) VALUES (?, 'soft-bounce', '4.2.2 full', 1)",
                   (ANNA.upper(),))

    exported = digest(digest_bin, config, "subscribers", "export", ANNA, "--json")
    assert exported.returncode == 0, exported.stderr
    data = json.loads(exported.stdout)
    assert data["email"] == ANNA
    assert [f["path"] for f in data["files"]] == ["subscribers/anna-andersson.yaml"]
    assert data["files"][0]["text"] == (subscribers / "anna-andersson.yaml").read_text(encoding="utf-8")
    assert data["subscriber"]["name"] == "Anna Andersson"
    assert [(d["issue"], d["status"]) for d in data["state"]["deliveries"]] == [("2026-W49", "delivered")]
    assert data["state"]["sentItems"] and all(item["issue"] == "2026-W49" for item in data["state"]["sentItems"])
    assert [(f["kind"], f["detail"]) for f in data["state"]["feedback"]] == [("soft-bounce", "4.2.2 full")]
    assert data["state"]["suppression"] is None and data["consent"] is None
    text = digest(digest_bin, config, "subscribers", "export", ANNA)
    assert text.returncode == 0 and "Utskick / Deliveries: 1" in text.stdout and "subscribers/anna-andersson.yaml:1" in text.stdout
    assert rows_naming(state, ANNA)  # the rows are there before

    forgot = digest(digest_bin, config, "subscribers", "forget", ANNA)
    assert forgot.returncode == 0, forgot.stderr
    assert forgot.stdout.startswith(f"Forgot {ANNA}: deleted subscribers/anna-andersson.yaml.\n")
    assert not (subscribers / "anna-andersson.yaml").exists()
    assert rows_naming(state, ANNA) == []
    assert rows_naming(state, "anna") == []
    with sqlite3.connect(state) as db:
        hashes = [row for row in db.execute("SELECT address, reason FROM suppression")]
    assert len(hashes) == 1 and hashes[0][0].startswith("erased:") and hashes[0][1] == "erased"

    # The hash keeps her from being imported (or mailed) again.
    csv = tmp_path / "lista.csv"
    csv.write_text(f"email,name\n{ANNA.upper()},Anna\n", encoding="utf-8")
    imported = digest(digest_bin, config, "subscribers", "import", str(csv))
    assert imported.stdout == "imported 0, skipped 1 (suppressed 1, exists 0), rejected 0\n", imported.stderr
    exported = json.loads(digest(digest_bin, config, "subscribers", "export", ANNA, "--json").stdout)
    assert exported["state"]["suppression"]["reason"] == "erased" and exported["files"] == []

    # Without the hash, nothing at all is left.
    again = digest(digest_bin, config, "subscribers", "forget", ANNA, "--keep-suppression=false")
    assert again.returncode == 0, again.stderr
    with sqlite3.connect(state) as db:
        assert list(db.execute("SELECT count(*) FROM suppression")) == [(0,)]


def test_forget_cuts_one_entry_of_a_list_file(digest_bin, tmp_path):
    config, subscribers = workspace(tmp_path)
    listing = subscribers / "kontor.yaml"
    listing.write_text(
        "# Kontorets läsare\n"
        "- email: forsta@example.se  # den första\n"
        "  name: Första\n"
        "\n"
        "# den andra, som vill bli raderad\n"
        "- email: andra@example.se\n"
        "  name: Andra\n"
        "\n"
        "- email: tredje@example.se\n",
        encoding="utf-8")
    forgot = digest(digest_bin, config, "subscribers", "forget", "ANDRA@example.se")
    assert forgot.returncode == 0, forgot.stderr
    assert listing.read_text(encoding="utf-8") == (
        "# Kontorets läsare\n"
        "- email: forsta@example.se  # den första\n"
        "  name: Första\n"
        "\n"
        "- email: tredje@example.se\n")
    assert digest(digest_bin, config, "check").returncode == 0


def test_import_reports_bad_rows_word_for_word(digest_bin, tmp_path):
    config, subscribers = workspace(tmp_path)
    assert digest(digest_bin, config, "subscribers", "forget", "erik.lindqvist@example.org").returncode == 0
    csv = tmp_path / "massa.csv"
    csv.write_text(
        "\ufeffemail,name,language,topics,regions,organizers,kinds\n"
        'ny.en@example.se,"Ny, En",sv,finansiering;export,Falun;Borlänge,Almi,event;funding\n'
        "ny.tva@example.se,,en,,,,\n"
        f"{ANNA},Anna,sv,,,,\n"
        "erik.lindqvist@example.org,Erik,,,,,\n"
        "anna@,Anna,,,,,\n"
        "ny.tre@example.se,Tre,de,,,,\n"
        "ny.fyra@example.se,Fyra,,exprot,,,\n"
        "NY.EN@example.se,Dubblett,,,,,\n",
        encoding="utf-8")
    dry = digest(digest_bin, config, "subscribers", "import", str(csv), "--consent-source", "mässa 2026-11",
                 "--dry-run")
    report = ("imported 2, skipped 3 (suppressed 1, exists 2), rejected 3: row 6: 'anna@': not an email address; "
              "row 7: 'de': not a language (sv or en); row 8: unknown topic 'exprot'. Did you mean 'export'?\n")
    assert dry.stdout == report + "dry run: nothing was written.\n", dry.stderr
    assert dry.returncode == 2
    assert not (subscribers / "ny-en-example-se.yaml").exists()

    real = digest(digest_bin, config, "subscribers", "import", str(csv), "--consent-source", "mässa 2026-11",
                  "--now", NOW)
    assert real.stdout == report and real.returncode == 2, real.stderr
    assert (subscribers / "ny-en-example-se.yaml").read_text(encoding="utf-8") == (
        "email: ny.en@example.se\n"
        'name: "Ny, En"\n'
        "language: sv\n"
        "interests:\n"
        "  topics: [finansiering, export]\n"
        "  regions: [Falun, Borlänge]\n"
        "  organizers: [Almi]\n"
        "  kinds: [event, funding]\n"
        "consent:\n"
        '  at: "2026-12-01T07:00:00Z"\n'
        "  how: import\n"
        "  source: mässa 2026-11\n")
    check = digest(digest_bin, config, "check")
    assert check.returncode == 0, check.stderr
    exported = json.loads(digest(digest_bin, config, "subscribers", "export", "ny.tva@example.se", "--json").stdout)
    assert exported["consent"] == {"at": "2026-12-01T07:00:00Z", "how": "import", "source": "mässa 2026-11"}

    broken = tmp_path / "fel.csv"
    broken.write_text("emial,namn\nx@example.se,X\n", encoding="utf-8")
    refused = digest(digest_bin, config, "subscribers", "import", str(broken))
    assert refused.returncode == 2
    assert refused.stderr == (f"{broken}: column 1 of the header row, 'emial', is not one of email, name, language, "
                              "topics, regions, organizers, kinds. Did you mean 'email'? Nothing was imported.\n")


def test_check_reads_consent_blocks_strictly(digest_bin, tmp_path):
    config, subscribers = workspace(tmp_path)
    (subscribers / "web.yaml").write_text(
        "email: web@example.se\nconsent:\n  at: 2026-11-20T09:30:00Z\n  how: web-form\n  textVersion: abc123\n"
        "  client: h-77aa\n", encoding="utf-8")
    assert digest(digest_bin, config, "check").returncode == 0
    (subscribers / "web.yaml").write_text(
        "email: web@example.se\nconsent:\n  at: 2026-11-20 09:30\n  how: webform\n  when: x\n", encoding="utf-8")
    check = digest(digest_bin, config, "check")
    assert check.returncode == 2
    assert "subscribers/web.yaml:5:3: unknown key 'when'." in check.stderr


def personal_values(tmp_path, subscribers):
    """Every subscriber's address and name, and every token the sent messages carry."""
    values = set()
    for file in subscribers.glob("*.yaml"):
        for line in file.read_text(encoding="utf-8").splitlines():
            key, _, value = line.partition(":")
            if key.strip() in ("email", "name") and value.strip():
                values.add(value.split("#")[0].strip())
    for message in (tmp_path / "outbox" / "new").iterdir():
        parsed = email.message_from_bytes(message.read_bytes(), policy=email.policy.default)
        for part in str(parsed["List-Unsubscribe"]).replace(",", " ").split():
            url = part.strip("<>")
            if "/unsubscribe/" in url:
                values.add(url.rsplit("/", 1)[1])
    return values


def test_archive_after_send_is_public_and_valid(digest_bin, tmp_path):
    archive = tmp_path / "arkiv"
    config, subscribers = workspace(
        tmp_path, f"archive:\n  out: {archive}\n  baseURL: https://digest.example.se/archive/\n")
    sent = digest(digest_bin, config, "send", "--now", NOW)
    assert sent.returncode == 0, sent.stderr
    names = sorted(path.name for path in archive.iterdir())
    assert names == ["2026-W49.html", "feed.xml", "index.html", "issues.json", "kalender.ics"]

    # The messages point at the page and the archive.
    messages = sorted((tmp_path / "outbox" / "new").iterdir())
    assert len(messages) == 3
    for message in messages:
        parsed = email.message_from_bytes(message.read_bytes(), policy=email.policy.default)
        assert parsed["List-Archive"] == "<https://digest.example.se/archive/>"
        html = parsed.get_body(("html",)).get_content()
        link = '<a href="https://digest.example.se/archive/2026-W49.html" style="color:#005a8c;">'
        assert link + "Visa i webbläsaren</a>" in html or link + "View in browser</a>" in html

    # No address, name or token anywhere in the folder.
    values = personal_values(tmp_path, subscribers)
    assert "Anna Andersson" in values and len([v for v in values if len(v) > 30]) == 3
    for file in archive.iterdir():
        text = file.read_text(encoding="utf-8")
        for value in values:
            assert value not in text, f"{file.name} holds {value!r}"
        assert "/unsubscribe/" not in text and "/preferences/" not in text

    # The Atom feed, per feedparser.
    feed = feedparser.parse(str(archive / "feed.xml"))
    assert feed.bozo == 0, feed.bozo_exception
    assert feed.version == "atom10"
    assert feed.feed.title == "Företagsfrämjarna i Dalarna"
    assert [entry.link for entry in feed.entries] == ["https://digest.example.se/archive/2026-W49.html"]
    assert feed.entries[0].id.startswith("urn:uuid:") and feed.entries[0].updated == "2026-12-01T07:00:00Z"

    # The calendar, per icalendar: every event is still to come.
    calendar = icalendar.Calendar.from_ical((archive / "kalender.ics").read_bytes())
    events = list(calendar.walk("VEVENT"))
    assert len(events) >= 3
    import datetime
    now = datetime.datetime(2026, 12, 1, 7, 0, tzinfo=datetime.timezone.utc)
    for event in events:
        end = event.decoded("DTEND") if "DTEND" in event else event.decoded("DTSTART")
        if isinstance(end, datetime.datetime):
            assert end >= now, event["SUMMARY"]

    # Another issue a week later: the index and the feed list both, newest first.
    later = digest(digest_bin, config, "archive", "--now", "2026-12-08T08:00:00+01:00")
    assert later.returncode == 0, later.stderr
    feed = feedparser.parse(str(archive / "feed.xml"))
    assert [entry.link.rsplit("/", 1)[1] for entry in feed.entries] == ["2026-W50.html", "2026-W49.html"]
    index = (archive / "index.html").read_text(encoding="utf-8")
    assert index.index("2026-W50.html") < index.index("2026-W49.html")
    assert 'href="webcal://digest.example.se/archive/kalender.ics"' in index

    # Every page renders in Chromium without console errors.
    for page in ("2026-W49.html", "2026-W50.html", "index.html"):
        shot = tmp_path / (page + ".png")
        run = subprocess.run([chromium(), *HEADLESS, f"--screenshot={shot}", "--window-size=640,2000",
                              (archive / page).as_uri()], capture_output=True, text=True, timeout=120)
        assert shot.exists() and shot.stat().st_size > 10_000, run.stderr[-2000:]
        assert [line for line in run.stderr.splitlines() if "CONSOLE" in line] == []
