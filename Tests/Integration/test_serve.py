"""`digest serve`, the readers' endpoint, on a free loopback port: RFC 8058 one-click unsubscribe, the confirmation
page that link scanners may GET, forged tokens, the preferences form writing the subscriber's file with its comments
kept, rate limiting, and no digest afterwards for who unsubscribed."""

import base64
import email
import email.policy
import hashlib
import hmac
import pathlib
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
    server = Serve(digest_bin, config, tmp_path, env)
    yield {"base": server.base, "tokens": tokens, "config": config, "subscribers": subscribers, "env": env,
           "tmp": tmp_path, "server": server}
    server.stop()


class Serve:
    """`digest serve` on a free loopback port, logging at info level (--verbose) into a file the test can read."""

    def __init__(self, digest_bin, config, cwd, env, *extra):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log = pathlib.Path(cwd) / f"serve-{self.port}.log"
        self.log_file = self.log.open("w")
        self.process = subprocess.Popen(
            [str(digest_bin), "serve", "--config", str(config), "--port", str(self.port), "--rate-limit", "12",
             "--verbose", *extra],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self.log_file, text=True, env=env, cwd=cwd)
        for _ in range(300):
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                return
            except OSError:
                assert self.process.poll() is None, self.log.read_text()
                time.sleep(0.1)
        raise AssertionError(f"digest serve did not listen: {self.log.read_text()}")

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log_file.close()

    def rss_kib(self):
        for line in pathlib.Path(f"/proc/{self.process.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
        raise AssertionError("no VmRSS")


def token_for(address, secret=ENV["DIGEST_UNSUBSCRIBE_SECRET"], list_id="veckodigest.example.se"):
    """The token digest puts in List-Unsubscribe (UnsubscribeToken: HMAC-SHA256, URL-safe base64, no padding)."""
    message = f"digest-unsubscribe-v1\0{address.lower()}\0{list_id.lower()}".encode()
    mac = hmac.new(secret.encode(), message, hashlib.sha256).digest()
    return base64.urlsafe_b64encode(mac).decode().rstrip("=")


def with_serve_section(config, section):
    """Appends a `serve:` section to the config."""
    config.write_text(config.read_text() + "serve:\n" + section)
    return config


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


def test_an_emptied_name_is_removed_and_a_form_without_the_field_keeps_it(workspace):
    base, token = workspace["base"], workspace["tokens"]["sara.okafor@example.net"]
    path = workspace["subscribers"] / "sara-okafor.yaml"
    before = path.read_text()
    assert "name: Sara Okafor-Nilsson\n" in before
    keep = "topic=digitalisering&topic=starta-foretag&organizer=Vinnova&region=Mora&region=Dalarna&keywords=startup"
    status, _, page = request(f"{base}/preferences/{token}", data=keep + "&language=en")
    assert status == 200 and "Saved." in page, page[:2000]
    assert path.read_text() == before  # no name field sent: the name stays, and nothing else changed
    status, _, page = request(f"{base}/preferences/{token}", data=keep + "&language=en&name=")
    assert status == 200 and "Saved." in page, page[:2000]
    assert path.read_text() == before.replace("name: Sara Okafor-Nilsson\n", "")
    status, _, page = request(f"{base}/preferences/{token}")
    assert 'name="name" value=""' in page


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


def test_tokens_are_what_the_test_computes(workspace):
    assert workspace["tokens"] == {address: token_for(address) for address in workspace["tokens"]}


def test_rate_limit_keys_on_the_peer_not_on_x_forwarded_for(workspace):
    base = workspace["base"]
    statuses = [request(f"{base}/unsubscribe/nonsense", headers={"X-Forwarded-For": f"192.0.2.{n}"})[0]
                for n in range(14)]
    assert statuses[:12] == [404] * 12 and statuses[12:] == [429, 429], statuses
    assert request(f"{base}/unsubscribe/nonsense")[0] == 429, "without the header it is the same client"
    assert request(f"{base}/no/such/page", headers={"X-Forwarded-For": "198.51.100.1"})[0] == 429


def test_a_valid_one_click_is_never_refused_for_its_client(workspace):
    base, token = workspace["base"], workspace["tokens"]["erik.lindqvist@example.org"]
    statuses = [request(f"{base}/unsubscribe/nonsense")[0] for _ in range(13)]
    assert statuses[-1] == 429, statuses
    assert request(f"{base}/unsubscribe/{token}")[0] == 429, "a page costs a request like any other"
    status, _, body = request(f"{base}/unsubscribe/{token}", data="List-Unsubscribe=One-Click")
    assert status == 200 and "får inga fler utskick" in body, (status, body)
    assert request(f"{base}/unsubscribe/{token[:-2]}xx", data="List-Unsubscribe=One-Click")[0] == 429


def test_behind_a_trusted_proxy_the_right_most_untrusted_hop_counts(workspace, digest_bin):
    workspace["server"].stop()
    with_serve_section(workspace["config"], "  trustedProxies: [127.0.0.1/32, 10.0.0.0/8, '2001:db8::/32']\n")
    server = Serve(digest_bin, workspace["config"], workspace["tmp"], workspace["env"])
    try:
        base = server.base
        # The client puts a victim's address first; the proxies (10.x) append what they saw.
        forged = {"X-Forwarded-For": "192.0.2.50, 198.51.100.7, 10.0.0.2"}
        statuses = [request(f"{base}/unsubscribe/nonsense", headers=forged)[0] for _ in range(13)]
        assert statuses[:12] == [404] * 12 and statuses[12] == 429, statuses
        assert request(f"{base}/unsubscribe/nonsense", headers={"X-Forwarded-For": "198.51.100.7"})[0] == 429
        assert request(f"{base}/unsubscribe/nonsense", headers={"X-Forwarded-For": "192.0.2.50"})[0] == 404, \
            "the victim named first is not blocked"
        assert request(f"{base}/unsubscribe/nonsense")[0] == 404, "the proxy itself is a client of its own"
    finally:
        server.stop()


def test_a_bad_trusted_proxy_is_a_located_config_error(workspace, digest_bin):
    workspace["server"].stop()
    with_serve_section(workspace["config"], "  trustedProxies: [10.0.0.1/8]\n")
    result = subprocess.run([str(digest_bin), "serve", "--config", str(workspace["config"]), "--port", "1"],
                            capture_output=True, text=True, env=workspace["env"], cwd=workspace["tmp"], timeout=60)
    assert result.returncode == 2
    assert "digest.yaml:" in result.stderr
    assert "'10.0.0.1/8' has bits set after its prefix; did you mean 10.0.0.0/8?" in result.stderr, result.stderr


def test_files_are_read_once_and_again_only_after_a_change(workspace):
    base, server = workspace["base"], workspace["server"]
    token = workspace["tokens"]["anna.andersson@example.com"]
    for _ in range(5):
        assert request(f"{base}/unsubscribe/nonsense")[0] == 404
        assert request(f"{base}/preferences/{token}")[0] == 200
    assert server.log.read_text().count("Subscribers read") == 1, server.log.read_text()
    # A new reader's file, written by an editor: served after the next check, with no restart.
    (workspace["subscribers"] / "nils.yaml").write_text("email: nils.nilsson@example.se\n")
    time.sleep(1.2)
    assert request(f"{base}/unsubscribe/{token_for('nils.nilsson@example.se')}")[0] == 200
    assert server.log.read_text().count("Subscribers read") == 2
    # The service's own edit is seen by the very next request, without reading everything again.
    sara = workspace["tokens"]["sara.okafor@example.net"]
    assert request(f"{base}/preferences/{sara}", data="topic=export&region=Falun")[0] == 200
    status, _, page = request(f"{base}/preferences/{sara}")
    assert status == 200 and 'value="export" checked' in page and 'value="digitalisering" checked' not in page
    time.sleep(1.2)
    assert request(f"{base}/unsubscribe/nonsense")[0] == 404
    assert server.log.read_text().count("Subscribers read") == 2, server.log.read_text()


def test_a_broken_subscriber_file_stops_nobody_else(workspace):
    base, server = workspace["base"], workspace["server"]
    broken = workspace["subscribers"] / "trasig.yaml"
    # Two mistakes, and text that must not reach the log: a reader's address, a CR/LF.
    broken.write_text("email: eve@example.se\nlanguage: klingon\nname: \"Eve\\r\\nInjected: yes\"\nintrests: {}\n")
    time.sleep(1.2)
    for address in ("anna.andersson@example.com", "erik.lindqvist@example.org"):
        token = workspace["tokens"][address]
        status, _, page = request(f"{base}/unsubscribe/{token}")
        assert status == 200 and "<form" in page, (status, page)
    status, _, body = request(f"{base}/unsubscribe/{workspace['tokens']['erik.lindqvist@example.org']}",
                              data="List-Unsubscribe=One-Click")
    assert status == 200 and "får inga fler utskick" in body
    assert request(f"{base}/unsubscribe/{token_for('eve@example.se')}")[0] == 404
    time.sleep(1.2)
    for _ in range(3):
        assert request(f"{base}/unsubscribe/nonsense")[0] == 404
    broken.write_text("email: [unclosed\n")  # edited, still broken: logged again, once
    time.sleep(1.2)
    for _ in range(3):
        assert request(f"{base}/unsubscribe/nonsense")[0] == 404
    broken.write_text("email: eve@example.se\n")  # fixed: Eve is served
    time.sleep(1.2)
    assert request(f"{base}/unsubscribe/{token_for('eve@example.se')}")[0] == 200
    server.stop()
    log = server.log.read_text()
    lines = [line for line in log.splitlines() if "A subscriber file has mistakes" in line]
    assert len(lines) == 2, log
    assert all("subscriber.file=subscribers/trasig.yaml" in line for line in lines), lines
    assert "Injected" not in log and "Eve" not in log and "eve@example.se" not in log, log


def test_errors_are_pages_never_empty(workspace):
    base, token = workspace["base"], workspace["tokens"]["sara.okafor@example.net"]
    status, headers, page = request(f"{base}/preferences/{token}", data="keywords=" + "x" * 70_000)
    assert status == 413, status
    assert headers["Content-Type"].startswith("text/html") and "<p>" in page and "</html>" in page, page
    assert headers.get("Cache-Control") == "no-store"
    status, headers, page = request(f"{base}/no/such/page")
    assert status == 404 and "Länken gäller inte längre" in page


def raw_connection(port):
    connection = socket.create_connection(("127.0.0.1", port), timeout=10)
    connection.settimeout(10)
    return connection


def closed_by_server(connection, within):
    """Whether the server closes the connection (EOF or reset) within `within` seconds."""
    connection.settimeout(within)
    try:
        while True:
            data = connection.recv(4096)
            if not data:
                return True
    except (ConnectionResetError, BrokenPipeError):
        return True
    except socket.timeout:
        return False


def test_slow_headers_and_bodies_are_cut_off(workspace, digest_bin):
    workspace["server"].stop()
    # The idle timeout is long here: only the header and body timeouts can close these connections in time.
    with_serve_section(workspace["config"], "  headerTimeoutSeconds: 1\n  bodyTimeoutSeconds: 2\n"
                                            "  idleTimeoutSeconds: 120\n")
    server = Serve(digest_bin, workspace["config"], workspace["tmp"], workspace["env"])
    try:
        # Half-sent headers, one of them dripping a byte every half second: all closed although bytes keep coming.
        slow = [raw_connection(server.port) for _ in range(10)]
        for connection in slow:
            connection.sendall(b"GET /unsubscribe/nonsense HTTP/1.1\r\nHost: x\r\n")
        for _ in range(6):
            try:
                slow[0].sendall(b"X")
            except OSError:
                break
            time.sleep(0.5)
        assert all(closed_by_server(connection, 10) for connection in slow)
        # A body that trickles in is cut off although a byte arrives every half second.
        body = raw_connection(server.port)
        body.sendall(b"POST /unsubscribe/nonsense HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n")
        cut = False
        for _ in range(30):
            try:
                body.sendall(b"a")
            except OSError:
                cut = True
                break
            time.sleep(0.5)
        assert cut or closed_by_server(body, 1), "a body dripping for 15 s was still being read"
        # A request sent in time is answered as ever.
        prompt = raw_connection(server.port)
        prompt.sendall(b"GET /unsubscribe/nonsense HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        assert prompt.recv(4096).startswith(b"HTTP/1.1 404")
    finally:
        server.stop()


def test_an_idle_connection_is_closed(workspace, digest_bin):
    workspace["server"].stop()
    with_serve_section(workspace["config"], "  idleTimeoutSeconds: 2\n  headerTimeoutSeconds: 120\n")
    server = Serve(digest_bin, workspace["config"], workspace["tmp"], workspace["env"])
    try:
        never = raw_connection(server.port)  # connects and sends nothing
        idle = raw_connection(server.port)
        idle.sendall(b"GET /unsubscribe/nonsense HTTP/1.1\r\nHost: x\r\n\r\n")
        assert idle.recv(4096).startswith(b"HTTP/1.1 404")
        assert closed_by_server(idle, 10) and closed_by_server(never, 10)
    finally:
        server.stop()


def test_connections_are_capped(workspace, digest_bin):
    workspace["server"].stop()
    with_serve_section(workspace["config"], "  maxConnections: 5\n")
    server = Serve(digest_bin, workspace["config"], workspace["tmp"], workspace["env"])
    try:
        held = [raw_connection(server.port) for _ in range(5)]
        for connection in held:
            connection.sendall(b"GET /unsub")
        time.sleep(0.3)
        waiting = raw_connection(server.port)
        waiting.sendall(b"GET /no/such/page HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        waiting.settimeout(1)
        with pytest.raises(socket.timeout):
            waiting.recv(4096)
        for connection in held:
            connection.close()
        waiting.settimeout(10)
        assert waiting.recv(4096).startswith(b"HTTP/1.1 404")
    finally:
        server.stop()


def test_a_failed_save_is_logged_without_the_readers_address(workspace):
    base, server = workspace["base"], workspace["server"]
    (workspace["subscribers"] / ".digest-edit.lock").mkdir()  # the editor's lock cannot be taken
    token = workspace["tokens"]["sara.okafor@example.net"]
    status, _, body = request(f"{base}/preferences/{token}", data="topic=export")
    assert status == 500 and body == "The preferences could not be saved; please try again later."
    server.stop()
    lines = [line for line in server.log.read_text().splitlines() if "could not be saved" in line]
    assert len(lines) == 1 and "subscriber.ref=s-" in lines[0] and "serve.error=" in lines[0], lines
    assert "sara.okafor@example.net" not in server.log.read_text()


def test_the_preferences_page_downloads_the_readers_data_and_erases_them(workspace):
    import json
    import sqlite3
    base, token = workspace["base"], workspace["tokens"]["sara.okafor@example.net"]
    status, _, page = request(f"{base}/preferences/{token}")
    assert status == 200
    assert f'<a href="{token}/data" download>Download my data</a>' in page
    assert f'<a href="{token}/forget">Erase me</a>' in page

    status, headers, body = request(f"{base}/preferences/{token}/data")
    assert status == 200 and headers["Content-Type"].startswith("application/json"), headers
    data = json.loads(body)
    assert data["email"] == "sara.okafor@example.net"
    assert "email: sara.okafor@example.net" in data["files"][0]["text"]  # the file as written
    assert [row["issue"] for row in data["state"]["deliveries"]] == ["2026-W49"]  # the issue just sent

    status, _, page = request(f"{base}/preferences/{token}/forget")
    assert status == 200 and '<form method="post" action="forget">' in page and "Yes, erase me" in page
    assert (workspace["subscribers"] / "sara-okafor.yaml").exists()  # a GET erases nobody

    status, _, page = request(f"{base}/preferences/{token}/forget", data="confirm=yes")
    assert status == 200 and "Everything kept about you is erased" in page, page[:2000]
    assert not (workspace["subscribers"] / "sara-okafor.yaml").exists()
    assert request(f"{base}/preferences/{token}")[0] == 404  # at once, not at the next reading of the files
    with sqlite3.connect(workspace["tmp"] / "state.sqlite") as db:
        tables = [row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        for table in tables:
            for row in db.execute(f"SELECT * FROM {table}"):
                text = " ".join(str(value) if not isinstance(value, bytes) else value.decode("utf-8", "replace")
                                for value in row)
                assert "sara.okafor" not in text.lower(), (table, row)
        kept = db.execute("SELECT reason FROM suppression").fetchall()
        assert kept == [("erased",)], kept
