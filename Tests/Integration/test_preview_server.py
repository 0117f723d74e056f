"""`digest preview` as an editor uses it: the static site (a page per subscriber around a sandboxed frame, checks shown
in the index) and `digest preview --serve` over real HTTP on 127.0.0.1 (fresh templates on every reload, "send me a
test" into a Maildir outside the ledger, loopback only, clean in headless Chromium)."""

import email
import email.policy
import os
import re
import select
import shutil
import socket
import sqlite3
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request

import pytest

from conftest import ROOT, run_digest, write_config
from test_render_chromium import HEADLESS, chromium, count_pixels

NOW = "2026-12-01T08:00:00+01:00"
ADDRESSES = ["anna.andersson@example.com", "erik.lindqvist@example.org", "sara.okafor@example.net"]
ANNA = "anna-andersson-example-com"


def own_templates(folder):
    """A copy of the repository's templates in `folder`, so a test may edit them."""
    target = folder / "templates"
    shutil.copytree(ROOT / "templates", target)
    return target


def config_with_templates(folder, templates, transport="  transport: maildir:outbox"):
    config = write_config(folder, transport)
    text = config.read_text(encoding="utf-8").replace(f"templates: {ROOT}/templates", f"templates: {templates}")
    config.write_text(text, encoding="utf-8")
    return config


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class PreviewServer:
    def __init__(self, process, port):
        self.process, self.port = process, port
        self.base = f"http://127.0.0.1:{port}"

    def get(self, path, headers=None):
        request = urllib.request.Request(self.base + path, headers=headers or {})
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return response.status, dict(response.headers), response.read().decode("utf-8", "replace")
        except urllib.error.HTTPError as error:
            return error.code, dict(error.headers), error.read().decode("utf-8", "replace")

    def post(self, path, fields):
        data = urllib.parse.urlencode(fields).encode()
        request = urllib.request.Request(self.base + path, data=data, method="POST")
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                return response.status, response.geturl(), response.read().decode("utf-8", "replace")
        except urllib.error.HTTPError as error:
            return error.code, error.url, error.read().decode("utf-8", "replace")


@pytest.fixture
def preview_server(digest_bin):
    """Starts `digest preview --serve` on a free port and waits for the line that says it listens."""
    started = []

    def start(config, cwd, *extra):
        port = free_port()
        env = dict(os.environ, DIGEST_UNSUBSCRIBE_SECRET="integration-test-secret")
        process = subprocess.Popen(
            [str(digest_bin), "preview", "--serve", "--port", str(port), "--config", str(config), "--now", NOW,
             *extra],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=cwd, env=env,
        )
        started.append(process)
        ready, _, _ = select.select([process.stdout], [], [], 60)
        line = process.stdout.readline() if ready else ""
        assert line.startswith(f"Preview server: http://127.0.0.1:{port}/"), (line, process.poll())
        return PreviewServer(process, port)

    yield start
    for process in started:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def token_of(page):
    match = re.search(r'name="token" value="([0-9a-f]{64})"', page)
    assert match, "the page has no session token in its form"
    return match.group(1)


def test_index_and_pages_over_http(preview_server, tmp_path):
    config = config_with_templates(tmp_path, own_templates(tmp_path))
    server = preview_server(config, tmp_path)
    status, headers, index = server.get("/")
    assert status == 200 and headers["Content-Type"].startswith("text/html")
    for address in ADDRESSES:
        assert address in index
    assert 'action="/refetch"' in index
    assert "Källor som fallerat eller tystnat" in index
    status, _, page = server.get(f"/{ANNA}.html")
    assert status == 200
    assert '<iframe sandbox title=' in page and 'srcdoc="&lt;!DOCTYPE html&gt;' in page
    assert f'action="/send/{ANNA}"' in page and token_of(page) == token_of(index)
    status, headers, digest = server.get(f"/{ANNA}.digest.html")
    assert status == 200 and "<html" in digest and "Vecka 49" in digest
    assert "sandbox" in headers["Content-Security-Policy"]
    status, headers, text = server.get(f"/{ANNA}.txt")
    assert status == 200 and headers["Content-Type"].startswith("text/plain") and "== Nya utlysningar ==" in text
    status, headers, eml = server.get(f"/{ANNA}.eml")
    assert status == 200 and headers["Content-Type"] == "message/rfc822"
    assert email.message_from_string(eml, policy=email.policy.default)["List-Unsubscribe"]
    assert server.get("/nobody-example-com.html")[0] == 404
    assert server.get("/../digest.yaml")[0] == 404
    timings = []
    for _ in range(5):
        started = time.monotonic()
        assert server.get(f"/{ANNA}.html")[0] == 200
        timings.append(time.monotonic() - started)
    timings.sort()
    print(f"reload of one subscriber's page: median {timings[2] * 1000:.0f} ms")
    assert timings[2] < 0.5, f"a reload took {timings[2]:.3f} s (sources are fetched once, so it should be fast)"


def test_template_edit_shows_on_reload(preview_server, tmp_path):
    templates = own_templates(tmp_path)
    config = config_with_templates(tmp_path, templates)
    server = preview_server(config, tmp_path)
    marker = "Redaktionens-testmarkering-4711"
    assert marker not in server.get(f"/{ANNA}.digest.html")[2]
    html = templates / "digest.html.mustache"
    html.write_text(html.read_text(encoding="utf-8").replace("{{t.intro}}", "{{t.intro}} " + marker),
                    encoding="utf-8")
    assert marker in server.get(f"/{ANNA}.digest.html")[2]
    broken = templates / "subject.mustache"
    broken.write_text("{{#unclosed}}", encoding="utf-8")
    status, _, page = server.get("/")
    assert status == 500 and "subject.mustache" in page, page[:2000]
    shutil.copy(ROOT / "templates" / "subject.mustache", broken)
    assert server.get("/")[0] == 200


def ledger(state):
    with sqlite3.connect(state) as db:
        return {table: db.execute(f"SELECT * FROM {table} ORDER BY 1, 2").fetchall()
                for table in ("delivery", "sentItem", "run")}


def test_send_me_a_test_goes_outside_the_ledger(preview_server, tmp_path, digest_bin):
    config = config_with_templates(tmp_path, own_templates(tmp_path))
    sent = run_digest(digest_bin, "send", "--config", str(config), "--now", NOW, cwd=tmp_path)
    assert sent.returncode == 0, sent.stderr
    outbox = tmp_path / "outbox" / "new"
    earlier = {path: path.read_bytes() for path in outbox.iterdir()}
    assert len(earlier) == 3
    state = tmp_path / "state.sqlite"
    before = ledger(state)
    assert len(before["delivery"]) == 3
    server = preview_server(config, tmp_path)
    page = server.get(f"/{ANNA}.html")[2]
    token = token_of(page)

    status, _, _ = server.post(f"/send/{ANNA}", {"to": "redaktor@example.org", "token": "0" * 64})
    assert status == 403
    status, url, answer = server.post(f"/send/{ANNA}", {"to": "inte en adress", "token": token})
    assert status == 200 and url.endswith(f"/{ANNA}.html") and "Adressen går inte att använda" in answer
    assert len(list(outbox.iterdir())) == 3

    status, url, answer = server.post(f"/send/{ANNA}", {"to": "redaktor@example.org", "token": token})
    assert status == 200 and url.endswith(f"/{ANNA}.html"), (status, url)
    assert "Testet skickades till redaktor@example.org" in answer, answer[:3000]
    new = set(outbox.iterdir()) - set(earlier)
    assert len(new) == 1
    assert {path: path.read_bytes() for path in earlier} == earlier, "the delivered digests are left alone"
    message = email.message_from_bytes(new.pop().read_bytes(), policy=email.policy.SMTP)
    assert "redaktor@example.org" in message["To"]
    delivered = [email.message_from_bytes(raw, policy=email.policy.SMTP)["Message-ID"] for raw in earlier.values()]
    assert message["Message-ID"] not in delivered, "a test copy has its own Message-ID"
    assert message["Subject"].startswith("Vecka 49")
    assert ledger(state) == before, "a test send must not touch the issue's ledger"

    status, url, answer = server.post("/refetch", {"token": token})
    assert status == 200 and "Källorna hämtades igen" in answer
    assert server.post("/refetch", {})[0] == 403


def test_a_control_character_in_the_test_address_is_refused_and_never_logged(preview_server, tmp_path):
    config = config_with_templates(tmp_path, own_templates(tmp_path))
    server = preview_server(config, tmp_path, "--verbose")
    token = token_of(server.get(f"/{ANNA}.html")[2])
    outbox = tmp_path / "outbox" / "new"
    for typed, shown in [("Redaktör\r\nFAKE: injected <redaktor@example.org>", "U+000D"),
                         ("redaktor@example.org\n", "U+000A"),
                         ("Red\u2028aktör <redaktor@example.org>", "U+2028")]:
        status, url, answer = server.post(f"/send/{ANNA}", {"to": typed, "token": token})
        assert status == 200 and url.endswith(f"/{ANNA}.html")
        assert (f"Adressen går inte att använda: den innehåller ett styrtecken ({shown}). Skriv adressen på en rad."
                in answer), answer[:3000]
        assert not outbox.exists() or not list(outbox.iterdir()), "nothing is sent"
    status, _, answer = server.post(f"/send/{ANNA}", {"to": "Redaktör <redaktor@example.org>", "token": token})
    assert "Testet skickades till redaktor@example.org" in answer, answer[:3000]
    server.process.terminate()
    _, log = server.process.communicate(timeout=10)
    assert "test.to=redaktor@example.org" in log, log
    assert "injected" not in log and "\u2028" not in log, log


def test_listens_only_on_loopback(preview_server, tmp_path):
    config = config_with_templates(tmp_path, own_templates(tmp_path))
    server = preview_server(config, tmp_path)
    status, _, _ = server.get("/", headers={"Host": f"rebound.example:{server.port}"})
    assert status == 421, "a request naming another host (DNS rebinding) is refused"
    addresses = subprocess.run(["hostname", "-I"], capture_output=True, text=True).stdout.split()
    outside = [a for a in addresses if not a.startswith("127.") and a != "::1"]
    if not outside:
        pytest.skip("this machine has no non-loopback address to try (hostname -I printed none)")
    for address in outside:
        family = socket.AF_INET6 if ":" in address else socket.AF_INET
        with socket.socket(family, socket.SOCK_STREAM) as probe:
            probe.settimeout(5)
            with pytest.raises(ConnectionRefusedError):
                probe.connect((address, server.port))


def test_served_pages_render_in_chromium(preview_server, tmp_path):
    config = config_with_templates(tmp_path, own_templates(tmp_path))
    server = preview_server(config, tmp_path)
    for name, path in [("index", "/"), ("page", f"/{ANNA}.html")]:
        shot = tmp_path / f"{name}.png"
        run = subprocess.run(
            [chromium(), *HEADLESS, f"--screenshot={shot}", "--window-size=1280,2000", server.base + path],
            capture_output=True, text=True, timeout=120,
        )
        assert shot.exists() and shot.stat().st_size > 10_000, run.stderr[-2000:]
        assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        console = [line for line in run.stderr.splitlines() if "CONSOLE" in line]
        assert console == [], console
        if name == "page":
            assert count_pixels(shot, (0xF2, 0xF4, 0xF6)) > 10_000, "the framed digest is not shown"


def test_static_site_frames_digests_and_shows_warnings(digest_bin, tmp_path):
    templates = own_templates(tmp_path)
    html = templates / "digest.html.mustache"
    padding = "<!-- " + "x" * 100_000 + " -->"
    html.write_text(
        html.read_text(encoding="utf-8").replace(
            "{{t.intro}}",
            '{{t.intro}} <a href="javascript:alert(1)">klicka</a> <img src="https://example.se/x.png"> ' + padding),
        encoding="utf-8")
    config = config_with_templates(tmp_path, templates)
    out = tmp_path / "preview"
    result = run_digest(digest_bin, "preview", "--config", str(config), "--now", NOW, "--out", str(out), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert len(list(out.glob("*.digest.html"))) == 3
    assert len(list(out.glob("*.eml"))) == 3
    index = (out / "index.html").read_text(encoding="utf-8")
    for address in ADDRESSES:
        assert address in index
    assert "över 90 KB" in index, "the oversized messages are flagged"
    assert "HTML-delen är" in index and "javascript:alert(1)" in index and "saknar alt-text" in index
    assert "<form" not in index, "the static site has no server forms"
    page = (out / f"{ANNA}.html").read_text(encoding="utf-8")
    assert '<iframe sandbox title=' in page and 'srcdoc="&lt;!DOCTYPE html&gt;' in page
    assert 'type="radio" name="width" id="width-mobile"' in page
    assert "saknar alt-text" in page
    assert f'href="{ANNA}.eml"' in page and "List-Unsubscribe:" in page
    assert "<script" not in page


def test_width_toggle_narrows_the_frame(digest_bin, tmp_path):
    config = config_with_templates(tmp_path, own_templates(tmp_path))
    out = tmp_path / "preview"
    result = run_digest(digest_bin, "preview", "--config", str(config), "--now", NOW, "--out", str(out), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    desktop = out / f"{ANNA}.html"
    page = desktop.read_text(encoding="utf-8")
    mobile = out / "mobile.html"
    mobile.write_text(page.replace('id="width-desktop" checked', 'id="width-desktop"')
                      .replace('id="width-mobile"', 'id="width-mobile" checked'), encoding="utf-8")
    widths = {}
    for name, path in [("desktop", desktop), ("mobile", mobile)]:
        shot = tmp_path / f"{name}.png"
        subprocess.run([chromium(), *HEADLESS, f"--screenshot={shot}", "--window-size=1000,1400", path.as_uri()],
                       capture_output=True, text=True, timeout=120)
        widths[name] = count_pixels(shot, (0xF2, 0xF4, 0xF6))
    assert widths["desktop"] > 10_000, widths
    assert 0 < widths["mobile"] < widths["desktop"], f"choosing 'Mobil' narrows the framed digest: {widths}"


def test_static_summary_after_a_send(digest_bin, tmp_path):
    sources = f"""
  - name: kalendarium
    kind: event
    url: {ROOT}/examples/sources/kalendarium.ics
  - name: utlysningar
    kind: funding
    url: {ROOT}/examples/sources/utlysningar.xml
    topics: [finansiering]
  - name: borttappad
    kind: funding
    url: {tmp_path}/finns-inte.xml"""
    config = write_config(tmp_path, "  transport: maildir:outbox", sources=sources)
    sent = run_digest(digest_bin, "send", "--config", str(config), "--now", NOW, cwd=tmp_path)
    assert sent.returncode in (0, 1), sent.stderr
    assert len(list((tmp_path / "outbox" / "new").iterdir())) >= 1
    out = tmp_path / "preview"
    result = run_digest(digest_bin, "preview", "--config", str(config), "--now", "2026-12-08T08:00:00+01:00",
                        "--out", str(out), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    index = (out / "index.html").read_text(encoding="utf-8")
    assert "Jämfört med 2026-W49" in index, "the changes since the last issue sent are summed up"
    assert re.search(r"<strong>borttappad</strong>: fel: [^<]*\(2 gånger i rad\)", index), \
        "a source that failed at the send and again now is listed with its history"
    assert "Poster som ingen får" in index

