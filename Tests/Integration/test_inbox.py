"""Unsubscribe mails and bounces flow back: `digest inbox` reads a Maildir of real-shaped messages (an unsubscribe
request answering a delivered digest's List-Unsubscribe mailto, Postfix and Exim DSNs), suppresses who must not be
mailed, files the messages in cur/, and the next `digest send` leaves those addresses out."""

import email
import email.policy
import re
import shutil
import urllib.parse

from conftest import HERE, ROOT, run_digest, write_config

NOW = "2026-12-01T08:00:00+01:00"
NEXT_WEEK = "2026-12-08T08:00:00+01:00"
FIXTURES = ROOT / "Tests" / "MailMessageTests" / "Fixtures"


def delivered(folder):
    found = {}
    for path in (folder / "outbox" / "new").iterdir():
        message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
        found[message["To"].addresses[0].addr_spec] = message
    return found


def test_unsubscribe_by_mail_and_hard_bounces_stop_later_digests(digest_bin, tmp_path):
    subscribers = tmp_path / "subscribers"
    shutil.copytree(ROOT / "subscribers", subscribers)
    config = write_config(tmp_path, "  transport: maildir:outbox")
    config.write_text(config.read_text().replace(f"subscribers: {ROOT}/subscribers", f"subscribers: {subscribers}"))
    first = run_digest(digest_bin, "send", "--config", str(config), "--now", NOW, cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    anna = delivered(tmp_path)["anna.andersson@example.com"]
    mailto = re.search(r"<mailto:([^>]+)>", anna["List-Unsubscribe"]).group(1)
    address, _, query = mailto.partition("?")
    subject = urllib.parse.parse_qs(query)["subject"][0]
    assert subject.startswith("unsubscribe ")

    inbox = tmp_path / "inbox"
    for sub in ("new", "cur", "tmp"):
        (inbox / sub).mkdir(parents=True)
    request = (f"From: Anna Andersson <anna.andersson@example.com>\r\nTo: {address}\r\nSubject: {subject}\r\n"
               f"Message-ID: <u1@example.com>\r\n\r\n\r\n")
    (inbox / "new" / "1.unsubscribe").write_text(request)
    forged = request.replace(subject, "unsubscribe AAAAthis-is-not-a-token")
    (inbox / "new" / "2.forged").write_text(forged)
    dsn = (FIXTURES / "dsn-postfix-hard-5.1.1.eml").read_bytes().replace(
        b"gammal.adress@example.com", b"erik.lindqvist@example.org")
    (inbox / "new" / "3.bounce").write_bytes(dsn)
    (inbox / "new" / "4.bounce").write_bytes(dsn)
    (inbox / "new" / "5.soft").write_bytes((FIXTURES / "dsn-exim-delayed-4.2.2.eml").read_bytes())

    result = run_digest(digest_bin, "inbox", "--maildir", str(inbox), "--config", str(config), "--now", NOW,
                        cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "unsubscribed: anna.andersson@example.com" in result.stdout
    assert "suppressed after bouncing: erik.lindqvist@example.org" in result.stdout
    assert "soft bounce: full.brevlada@example.net (4.2.2)" in result.stdout
    assert "1 left for a person" in result.stdout
    assert sorted(p.name for p in (inbox / "new").iterdir()) == ["2.forged"]
    assert sorted(p.name for p in (inbox / "cur").iterdir()) == [
        "1.unsubscribe:2,S", "3.bounce:2,S", "4.bounce:2,S", "5.soft:2,S"]

    anna_file = (subscribers / "anna-andersson.yaml").read_text()
    original = (ROOT / "subscribers" / "anna-andersson.yaml").read_text()
    assert "paused: true" in anna_file
    assert anna_file.startswith(original.split("\n")[0]), "the comment at the top is kept"
    assert anna_file.replace("paused: true\n", "") == original

    status = run_digest(digest_bin, "status", "--config", str(config), cwd=tmp_path)
    assert "unsubscribed  anna.andersson@example.com" in status.stdout, status.stdout
    assert "Spärrade adresser: 1 studsade, 1 avregistrerade" in status.stdout

    preview = run_digest(digest_bin, "preview", "--config", str(config), "--now", NEXT_WEEK,
                         "--out", str(tmp_path / "preview"), cwd=tmp_path)
    assert preview.returncode == 0, preview.stderr
    index = (tmp_path / "preview" / "index.html").read_text()
    assert "unsubscribed: anna.andersson@example.com by mail" in index
    assert "hard-bounce: erik.lindqvist@example.org 5.1.1" in index

    (tmp_path / "outbox").rename(tmp_path / "outbox-week49")
    second = run_digest(digest_bin, "send", "--config", str(config), "--now", NEXT_WEEK, cwd=tmp_path)
    assert second.returncode == 0, second.stderr
    assert "1 spärrade" in second.stdout, second.stdout  # Anna is paused in her file, Erik suppressed
    assert set(delivered(tmp_path)) == {"sara.okafor@example.net"}


def test_resume_lifts_the_suppression(digest_bin, tmp_path):
    subscribers = tmp_path / "subscribers"
    shutil.copytree(ROOT / "subscribers", subscribers)
    config = write_config(tmp_path, "  transport: maildir:outbox")
    config.write_text(config.read_text().replace(f"subscribers: {ROOT}/subscribers", f"subscribers: {subscribers}"))
    run_digest(digest_bin, "send", "--config", str(config), "--now", NOW, cwd=tmp_path)
    import sqlite3
    with sqlite3.connect(tmp_path / "state.sqlite") as db:
        db.execute("INSERT INTO suppression VALUES ('erik.lindqvist@example.org', 'unsubscribed', 0)")
    paused = run_digest(digest_bin, "subscribers", "pause", "erik.lindqvist@example.org", "--config", str(config),
                        cwd=tmp_path)
    assert paused.returncode == 0, paused.stderr
    resumed = run_digest(digest_bin, "subscribers", "resume", "erik.lindqvist@example.org", "--config", str(config),
                         cwd=tmp_path)
    assert resumed.returncode == 0, resumed.stderr
    with sqlite3.connect(tmp_path / "state.sqlite") as db:
        assert db.execute("SELECT count(*) FROM suppression").fetchone()[0] == 0
    again = run_digest(digest_bin, "send", "--config", str(config), "--now", NEXT_WEEK, cwd=tmp_path)
    assert "spärrade" not in again.stdout, again.stdout
