"""`digest serve`, the readers' endpoint, on a free loopback port: RFC 8058 one-click unsubscribe, the confirmation
page that link scanners may GET, forged tokens, the preferences form writing the subscriber's file with its comments
kept, rate limiting, and no digest afterwards for who unsubscribed."""

import email
import email.policy
import re
import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.request

import pytest

from conftest import ROOT, write_config

NOW = "2026-12-01T08:00:00+01:00"
NEXT_WEEK = "2026-12-08T08:00:00+01:00"
ENV = {"DIGEST_UNSUBSCRIBE_SECRET": "serve-test-secret"}


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def request(url, data=None, headers=None):
    req = urllib.request.Request(url, data=data.encode() if data is not None else None, headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=10) as response:
            return response.status, dict(response.headers), response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read().decode()


@pytest.fixture
def workspace(digest_bin, tmp_path):
    import os
    subscribers = tmp_path / "subscribers"
    shutil.copytree(ROOT / "subscribers", subscribers)
    config = write_config(tmp_path, "  transport: maildir:outbox")
    config.write_text(config.read_text().replace(f"subscribers: {ROOT}/subscribers", f"subscribers: {subscribers}"))
    env = {**os.environ, **ENV}
    sent = subprocess.run([str(digest_bin), "send", "--config", str(config), "--now", NOW],
                          capture_output=True, text=True, env=env, cwd=tmp_path)
    assert sent.returncode == 0, sent.stderr
    tokens = {}
    for path in (tmp_path / "outbox" / "new").iterdir():
        message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
        url = re.search(r"<(https://[^>]+)>", message["List-Unsubscribe"]).group(1)
        tokens[message["To"].addresses[0].addr_spec] = url.rsplit("/", 1)[1]
    port = free_port()
    server = subprocess.Popen(
        [str(digest_bin), "serve", "--config", str(config), "--port", str(port), "--rate-limit", "12"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, cwd=tmp_path)
    base = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            time.sleep(0.1)
    yield {"base": base, "tokens": tokens, "config": config, "subscribers": subscribers, "env": env,
           "tmp": tmp_path}
    server.terminate()
    server.wait(timeout=10)


def test_one_click_unsubscribe(workspace, digest_bin):
    base, token = workspace["base"], workspace["tokens"]["erik.lindqvist@example.org"]
    status, _, page = request(f"{base}/unsubscribe/{token}")
    assert status == 200 and "Ja, avsluta prenumerationen" in page
    assert "paused" not in (workspace["subscribers"] / "erik-lindqvist.yaml").read_text(), "a GET changes nothing"

    status, headers, body = request(f"{base}/unsubscribe/{token}", data="List-Unsubscribe=One-Click",
                                    headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert status == 200 and "Location" not in headers
    assert "erik.lindqvist@example.org får inga fler utskick" in body
    text = (workspace["subscribers"] / "erik-lindqvist.yaml").read_text()
    original = (ROOT / "subscribers" / "erik-lindqvist.yaml").read_text()
    assert "paused: true" in text and text.replace("paused: true\n", "") == original

    later = subprocess.run([str(digest_bin), "send", "--config", str(workspace["config"]), "--now", NEXT_WEEK],
                           capture_output=True, text=True, env=workspace["env"], cwd=workspace["tmp"])
    assert later.returncode == 0, later.stderr
    recipients = set()
    for path in (workspace["tmp"] / "outbox" / "new").iterdir():
        message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
        if "Vecka 50" in str(message["Subject"]):
            recipients.add(message["To"].addresses[0].addr_spec)
    assert "erik.lindqvist@example.org" not in recipients and recipients


SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; "
                               "frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}


def test_every_answer_carries_the_security_headers_and_a_trailing_slash_works(workspace):
    base, token = workspace["base"], workspace["tokens"]["anna.andersson@example.com"]
    answers = {
        "page": request(f"{base}/unsubscribe/{token}"),
        "slash": request(f"{base}/unsubscribe/{token}/"),
        "preferences": request(f"{base}/preferences/{token}"),
        "forged": request(f"{base}/unsubscribe/{token[:-2]}xx"),
        "unknown path": request(f"{base}/no/such/page"),
    }
    assert answers["page"][0] == 200 and answers["slash"][0] == 200, answers["slash"]
    assert answers["slash"][2] == answers["page"][2]
    assert answers["forged"][0] == 404 and answers["unknown path"][0] == 404
    for what, (status, headers, _) in answers.items():
        for name, value in SECURITY_HEADERS.items():
            assert headers.get(name) == value, (what, status, name, headers)


def test_forged_tokens_get_the_same_404(workspace):
    base, token = workspace["base"], workspace["tokens"]["anna.andersson@example.com"]
    forged = token[:-1] + ("A" if token[-1] != "A" else "B")
    answers = [request(f"{base}/unsubscribe/{t}") for t in (forged, "nonsense", "x" * 43)]
    assert {status for status, _, _ in answers} == {404}
    assert len({body for _, _, body in answers}) == 1
    status, _, _ = request(f"{base}/unsubscribe/{forged}", data="List-Unsubscribe=One-Click")
    assert status == 404
    assert "paused" not in (workspace["subscribers"] / "anna-andersson.yaml").read_text()


def test_preferences_are_saved_with_comments_kept(workspace):
    base, token = workspace["base"], workspace["tokens"]["sara.okafor@example.net"]
    status, _, page = request(f"{base}/preferences/{token}")
    assert status == 200 and '<html lang="en"' in page and 'value="digitalisering" checked' in page
    form = "topic=export&topic=energi&region=Falun&kind=event&keywords=AI%2C+export"
    status, _, page = request(f"{base}/preferences/{token}", data=form)
    assert status == 200 and "Saved." in page and 'value="export" checked' in page
    text = (workspace["subscribers"] / "sara-okafor.yaml").read_text()
    assert text.startswith("# Sara started a digital agency in Mora and reads in English.\n")
    assert "export" in text and "energi" in text and "Falun" in text and "digitalisering" not in text
    assert "email: sara.okafor@example.net" in text


def test_a_control_character_typed_into_the_form_is_refused_and_nothing_written(workspace):
    base, token = workspace["base"], workspace["tokens"]["sara.okafor@example.net"]
    path = workspace["subscribers"] / "sara-okafor.yaml"
    before = path.read_text()
    form = "topic=export&keywords=AI%2C+export%0D%0ABcc%3A+x%40example.com"
    status, _, page = request(f"{base}/preferences/{token}", data=form)
    assert status != 200 or "Saved." not in page, page[:2000]
    assert "control character (U+000D)" in page, page[:2000]
    assert "\r" not in page and "Bcc: x@example.com\n" not in page
    assert path.read_text() == before


def test_rate_limit(workspace):
    base = workspace["base"]
    statuses = [request(f"{base}/unsubscribe/nonsense", headers={"X-Forwarded-For": "192.0.2.7"})[0]
                for _ in range(14)]
    assert statuses[:12] == [404] * 12 and statuses[12:] == [429, 429]
    other = request(f"{base}/unsubscribe/nonsense", headers={"X-Forwarded-For": "192.0.2.8"})[0]
    assert other == 404
