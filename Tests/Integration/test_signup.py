"""Signing up through `digest serve` over HTTP on 127.0.0.1: the form, the double opt-in with the confirmation mail
caught by the loopback SMTP server (or read from the Maildir), the file written with its consent block, expired and
reused links, the same page whatever the address, the rate limits, the welcome message and the next issue, and the
preferences page covering every field of the file."""

import email
import email.policy
import os
import pathlib
import re
import shutil
import sqlite3
import subprocess
import time
import urllib.parse

import pytest
import yaml

from conftest import ROOT, write_config
from test_serve import Serve, request, token_for

NOW = "2026-12-01T08:00:00+01:00"
SECRET = "signup-test-secret"
FORM = {"Content-Type": "application/x-www-form-urlencoded"}


def form(**fields):
    pairs = []
    for name, value in fields.items():
        for item in value if isinstance(value, list) else [value]:
            pairs.append((name, item))
    return urllib.parse.urlencode(pairs)


def setup_workspace(tmp_path, transport="  transport: maildir:outbox", extra=""):
    subscribers = tmp_path / "subscribers"
    shutil.copytree(ROOT / "subscribers", subscribers)
    config = write_config(tmp_path, transport)
    text = config.read_text().replace(f"subscribers: {ROOT}/subscribers", f"subscribers: {subscribers}")
    config.write_text(text + extra)
    env = {**os.environ, "DIGEST_UNSUBSCRIBE_SECRET": SECRET, "TEST_SMTP_PASSWORD": "s3cret"}
    return config, subscribers, env


def maildir_messages(folder):
    new = pathlib.Path(folder) / "outbox" / "new"
    if not new.exists():
        return []
    return [email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
            for path in sorted(new.iterdir(), key=lambda p: p.stat().st_mtime_ns)]


def wait_for(count, messages, timeout=30):
    """The messages once there are at least `count` (they are sent after the page is answered)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = messages()
        if len(found) >= count:
            return found
        time.sleep(0.1)
    raise AssertionError(f"expected {count} messages, got {len(messages())}")


def confirmation_token(message):
    text = message.get_body(preferencelist=("plain",)).get_content()
    return re.search(r"https://digest\.example\.se/confirm/([A-Za-z0-9_-]{43})", text).group(1)


def text_of(message):
    return message.get_body(preferencelist=("plain",)).get_content()


@pytest.fixture
def serve_maildir(digest_bin, tmp_path):
    """A workspace with the Maildir transport and `digest serve` trusting 127.0.0.1 as its proxy, so that each test
    can be many clients (X-Forwarded-For)."""
    config, subscribers, env = setup_workspace(tmp_path, extra="serve:\n  trustedProxies: [127.0.0.1]\n")
    server = Serve(digest_bin, config, tmp_path, env, "--now", NOW)
    yield {"base": server.base, "config": config, "subscribers": subscribers, "env": env, "tmp": tmp_path,
           "server": server, "mails": lambda: maildir_messages(tmp_path)}
    server.stop()


def client(number):
    return {**FORM, "X-Forwarded-For": f"198.51.100.{number}"}


def test_full_signup_over_smtp_consent_welcome_and_the_next_issue(digest_bin, smtp_server, certificate, tmp_path):
    smtp = smtp_server()
    cert, _ = certificate
    transport = (f"  transport: smtp://127.0.0.1:{smtp.port}\n  starttls: required\n  username: digest\n"
                 f"  passwordEnv: TEST_SMTP_PASSWORD\n  caFile: {cert}")
    config, subscribers, env = setup_workspace(tmp_path, transport)
    originals = {path.name: path.read_bytes() for path in subscribers.iterdir()}
    server = Serve(digest_bin, config, tmp_path, env, "--now", NOW)
    try:
        base = server.base
        status, _, page = request(f"{base}/subscribe")
        assert status == 200 and '<html lang="sv"' in page and "<script" not in page
        for field in ('name="email"', 'name="name"', 'name="language"', 'name="topic" value="finansiering"',
                      'name="region" value="Falun"', 'name="organizer" value="Almi"', 'name="kind" value="event"',
                      'name="keywords"'):
            assert field in page, field
        assert request(f"{base}/subscribe?lang=en")[2].count('<html lang="en"') == 1

        address = "nora.ny@example.se"
        status, _, page = request(f"{base}/subscribe", form(
            email=address, name="Nora Ny", language="sv", topic=["finansiering", "export"], region="Falun",
            kind=["event", "funding"]), FORM)
        assert status == 200 and f"Om {address} inte redan prenumererar" in page, page
        raw = wait_for(1, lambda: smtp.messages())
        entry, message_bytes = raw[0]
        assert entry["rcpt_tos"] == [address] and entry["mail_from"] == "bounces@example.se"
        confirmation = email.message_from_bytes(message_bytes, policy=email.policy.default)
        assert str(confirmation["Subject"]) == "Bekräfta din prenumeration på Företagsfrämjarna i Dalarna"
        assert confirmation["Auto-Submitted"] == "auto-generated"
        token = confirmation_token(confirmation)
        new_file = subscribers / "nora-ny-example-se.yaml"

        status, _, page = request(f"{base}/confirm/{token}")
        assert status == 200 and '<form method="post"><button type="submit">Ja, bekräfta</button>' in page, page
        assert not new_file.exists(), "a GET confirms nobody"
        status, _, page = request(f"{base}/confirm/{token}", "", FORM)
        assert status == 200 and f"Klart! {address} får Företagsfrämjarna i Dalarna" in page, page

        written = yaml.safe_load(new_file.read_text())
        assert written["email"] == address and written["name"] == "Nora Ny" and written["language"] == "sv"
        assert written["interests"] == {"topics": ["finansiering", "export"], "regions": ["Falun"],
                                        "kinds": ["event", "funding"]}
        consent = written["consent"]
        assert set(consent) == {"at", "how", "textVersion", "client"} and consent["how"] == "web-form"
        assert consent["at"] == "2026-12-01T07:00:00Z" or consent["at"].startswith("2026-12-01T07:00:0"), consent
        assert re.fullmatch(r"sha256:[0-9a-f]{16}", consent["textVersion"])
        assert re.fullmatch(r"hmac-sha256:[0-9a-f]{32}", consent["client"]) and "127.0.0.1" not in new_file.read_text()
        for name, text in originals.items():
            assert (subscribers / name).read_bytes() == text, f"{name} changed"

        raw = wait_for(2, lambda: smtp.messages())
        welcome = email.message_from_bytes(raw[1][1], policy=email.policy.default)
        assert raw[1][0]["rcpt_tos"] == [address]
        assert str(welcome["Subject"]).startswith("Välkommen – Vecka 49: "), welcome["Subject"]
        welcome_text = text_of(welcome)
        assert "Välkommen som prenumerant!" in welcome_text and "Hej Nora Ny!" in welcome_text
        assert "[Nytt]" in welcome_text, welcome_text
        welcomed = re.findall(r"\* \[Nytt\] (.+)", welcome_text)
        assert welcomed
    finally:
        server.stop()
    log = server.log.read_text()
    assert address not in log and token not in log and "Nora" not in log, log

    check = subprocess.run([str(digest_bin), "check", "--config", str(config)], capture_output=True, text=True,
                           env=env, cwd=tmp_path)
    assert check.returncode == 0, check.stdout + check.stderr
    sent = subprocess.run([str(digest_bin), "send", "--config", str(config), "--now", NOW], capture_output=True,
                          text=True, env=env, cwd=tmp_path)
    assert sent.returncode == 0, sent.stderr
    issue = {}
    for entry, message_bytes in smtp.messages()[2:]:
        issue[entry["rcpt_tos"][0]] = email.message_from_bytes(message_bytes, policy=email.policy.default)
    regular = text_of(issue[address])
    assert not str(issue[address]["Subject"]).startswith("Välkommen")
    for title in welcomed:
        assert f"* {title}" in regular and f"[Nytt] {title}" not in regular, (title, regular)
    assert "[Nytt]" in text_of(issue["anna.andersson@example.com"]), "a reader without a welcome sees them new"


def test_an_expired_and_a_reused_link_confirm_nobody(serve_maildir):
    base, mails = serve_maildir["base"], serve_maildir["mails"]
    for number, address in ((1, "tove@example.se"), (2, "ulf@example.se")):
        status, _, _ = request(f"{base}/subscribe", form(email=address, topic="export"), client(number))
        assert status == 200
    messages = wait_for(2, mails)
    tokens = {message["To"].addresses[0].addr_spec: confirmation_token(message) for message in messages}

    with sqlite3.connect(serve_maildir["tmp"] / "state.sqlite") as db:
        db.execute("UPDATE pendingSignup SET expiresAt = 0 WHERE address = ?", ("tove@example.se",))
    status, _, page = request(f"{base}/confirm/{tokens['tove@example.se']}", "", FORM)
    assert status == 410 and "Länken har gått ut" in page
    assert not (serve_maildir["subscribers"] / "tove-example-se.yaml").exists()

    ulf = tokens["ulf@example.se"]
    assert request(f"{base}/confirm/{ulf}", "", FORM)[0] == 200
    status, _, page = request(f"{base}/confirm/{ulf}", "", FORM)
    assert status == 410 and "Länken har redan använts" in page
    assert request(f"{base}/confirm/{ulf}")[0] == 410
    forged = ulf[:-1] + ("A" if ulf[-1] != "A" else "B")
    assert request(f"{base}/confirm/{forged}", "", FORM)[0] == 404
    with sqlite3.connect(serve_maildir["tmp"] / "state.sqlite") as db:
        rows = db.execute("SELECT address, form, usedAt FROM pendingSignup WHERE usedAt IS NOT NULL").fetchall()
        assert rows and all(address == "" and saved == "" for address, saved, _ in rows), rows
        assert not db.execute("SELECT 1 FROM pendingSignup WHERE id LIKE ?", (f"%{ulf}%",)).fetchall()


def test_the_same_page_for_a_new_a_pending_and_a_subscribed_address(serve_maildir):
    base, mails = serve_maildir["base"], serve_maildir["mails"]
    pages = {}
    for number, (what, address) in enumerate([("new", "vera@example.se"), ("pending", "vera@example.se"),
                                              ("subscribed", "anna.andersson@example.com")], start=10):
        status, _, page = request(f"{base}/subscribe", form(email=address, topic="export"), client(number))
        assert status == 200
        pages[what] = page.replace(address, "ADDRESS")
    assert pages["new"] == pages["pending"] == pages["subscribed"]
    messages = wait_for(2, mails)
    time.sleep(0.5)
    messages = mails()
    assert len(messages) == 2, "the pending address gets no second mail within the hour"
    by_address = {message["To"].addresses[0].addr_spec: message for message in messages}
    assert str(by_address["vera@example.se"]["Subject"]).startswith("Bekräfta din prenumeration")
    already = by_address["anna.andersson@example.com"]
    assert str(already["Subject"]) == "Du prenumererar redan på Företagsfrämjarna i Dalarna"
    preferences = f"https://digest.example.se/preferences/{token_for('anna.andersson@example.com', SECRET)}"
    assert preferences in text_of(already) and "/confirm/" not in text_of(already)


def test_rate_limits_per_address_and_per_client(digest_bin, tmp_path):
    config, _, env = setup_workspace(
        tmp_path, extra="serve:\n  trustedProxies: [127.0.0.1]\nsignup:\n  clientIntervalSeconds: 2\n")
    server = Serve(digest_bin, config, tmp_path, env, "--now", NOW)
    try:
        base = server.base
        mails = lambda: maildir_messages(tmp_path)
        # One client, two addresses at once: one mail.
        assert request(f"{base}/subscribe", form(email="a1@example.se"), client(1))[0] == 200
        assert request(f"{base}/subscribe", form(email="a2@example.se"), client(1))[0] == 200
        # One address from three clients: one mail an hour.
        for number in (2, 3, 4):
            assert request(f"{base}/subscribe", form(email="b@example.se"), client(number))[0] == 200
        wait_for(2, mails)
        time.sleep(0.5)
        assert sorted(m["To"].addresses[0].addr_spec for m in mails()) == ["a1@example.se", "b@example.se"]
        # signup.clientIntervalSeconds: 2 — the client may have another mail sent once that has passed.
        time.sleep(2.2)
        assert request(f"{base}/subscribe", form(email="a2@example.se"), client(1))[0] == 200
        assert request(f"{base}/subscribe", form(email="b@example.se"), client(5))[0] == 200
        wait_for(3, mails)
        time.sleep(0.5)
        assert sorted(m["To"].addresses[0].addr_spec for m in mails()) == [
            "a1@example.se", "a2@example.se", "b@example.se"]
    finally:
        server.stop()
    log = server.log.read_text()
    assert "held back by the rate limits" in log and "b@example.se" not in log


def test_a_form_with_mistakes_comes_back_with_its_values_escaped(serve_maildir):
    base = serve_maildir["base"]
    status, _, page = request(f"{base}/subscribe?lang=en", form(
        email="anna@", name='<b>Anna</b> "A"', language="en", topic=["export", "astrologi"], keywords="AI\r\nBcc: x"),
        client(30))
    assert status == 400, page
    assert "<li>“anna@” is not an email address.</li>" in page
    assert "<li>“astrologi” is not one of the choices; pick from the boxes.</li>" in page
    assert "<li>A keyword holds a control character (U+000D); write each keyword on one line.</li>" in page
    assert 'value="&lt;b&gt;Anna&lt;/b&gt; &quot;A&quot;"' in page and "<b>Anna" not in page
    assert 'value="export" checked' in page and 'value="anna@"' in page
    assert "\r" not in page and "Bcc: x\n" not in page
    time.sleep(0.3)
    assert serve_maildir["mails"]() == []


def test_the_preferences_page_covers_every_field_of_the_file(serve_maildir):
    base, subscribers = serve_maildir["base"], serve_maildir["subscribers"]
    token = token_for("anna.andersson@example.com", SECRET)
    status, _, page = request(f"{base}/preferences/{token}")
    assert status == 200
    for shown in ('name="name" value="Anna Andersson"', 'name="language" value="sv" checked',
                  'name="topic" value="finansiering" checked', 'name="region" value="Falun" checked',
                  'name="organizer" value="Almi"', 'name="excludeKeywords" value="kooperativ"',
                  'name="excludeTopic" value="energi"', 'name="sendEmpty" value="true"', 'name="paused" value="true"'):
        assert shown in page, shown
    status, _, page = request(f"{base}/preferences/{token}", form(
        name="Anna Andersson", language="en", topic="finansiering", region="Falun", organizer="Almi",
        excludeTopic="energi", excludeKeywords="kooperativ, franchise", sendEmpty="true"), FORM)
    assert status == 200 and "Saved." in page, page
    text = (subscribers / "anna-andersson.yaml").read_text()
    assert text.startswith("# Anna driver ett tillverkande företag i Falun")
    written = yaml.safe_load(text)
    assert written["language"] == "en" and written["sendEmpty"] is True and "paused" not in written
    assert written["interests"] == {"topics": ["finansiering"], "regions": ["Falun"], "organizers": ["Almi"]}
    assert written["exclude"] == {"topics": ["energi"], "keywords": ["kooperativ", "franchise"]}
    request(f"{base}/preferences/{token}", form(language="en", topic="finansiering", paused="true"), FORM)
    assert yaml.safe_load((subscribers / "anna-andersson.yaml").read_text())["paused"] is True


def test_digest_check_locates_a_broken_consent_block(digest_bin, tmp_path):
    config, subscribers, env = setup_workspace(tmp_path)
    (subscribers / "ny.yaml").write_text(
        "email: ny@example.se\nconsent:\n  at: 2026-12-01 08:00\n  how: web-form\n  clinet: x\n")
    result = subprocess.run([str(digest_bin), "check", "--config", str(config)], capture_output=True, text=True,
                            env=env, cwd=tmp_path)
    assert result.returncode == 2
    assert "subscribers/ny.yaml:5:3: unknown key 'clinet'. Did you mean 'client'?" in result.stdout + result.stderr, \
        result.stdout + result.stderr
