"""Shared fixtures for the integration tests: the built digest binary, throwaway TLS certificates, and a real
SMTP server (aiosmtpd, STARTTLS + AUTH) on 127.0.0.1 started and stopped around each test."""

import json
import os
import pathlib
import shutil
import subprocess
import sys
import tempfile

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
HERE = pathlib.Path(__file__).resolve().parent
BIN = ROOT / ".build" / "debug" / "digest"


@pytest.fixture(scope="session")
def digest_bin():
    if not BIN.exists():
        pytest.fail(f"{BIN} is missing: run `swift build` (make test does) before the integration tests")
    return BIN


@pytest.fixture(scope="session")
def certificate():
    """A self-signed certificate for 127.0.0.1, made fresh for the test session and never committed."""
    folder = pathlib.Path(tempfile.mkdtemp(prefix="digest-cert-"))
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=127.0.0.1",
         "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost", "-days", "2",
         "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True,
    )
    yield cert, key
    shutil.rmtree(folder, ignore_errors=True)


class SMTPServer:
    def __init__(self, process, port, maildir):
        self.process, self.port, self.maildir = process, port, maildir

    def messages(self):
        """Every received message as (envelope, raw bytes), in arrival order."""
        log = self.maildir / "log.jsonl"
        if not log.exists():
            return []
        entries = [json.loads(line) for line in log.read_text().splitlines() if line.strip()]
        return [(entry, (self.maildir / entry["file"]).read_bytes()) for entry in entries]

    def connections(self):
        path = self.maildir / "connections.txt"
        return int(path.read_text().strip() or 0) if path.exists() else 0


@pytest.fixture
def smtp_server(certificate, tmp_path):
    """Starts aiosmtpd with STARTTLS required and AUTH (digest / s3cret) on a free loopback port."""
    servers = []

    def start(*extra):
        cert, key = certificate
        maildir = tmp_path / f"received-{len(servers)}"
        maildir.mkdir()
        process = subprocess.Popen(
            [sys.executable, str(HERE / "smtp_server.py"), "--port", "0", "--maildir", str(maildir),
             "--tls-cert", str(cert), "--tls-key", str(key), "--auth", "digest:s3cret", *extra],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
        )
        line = process.stdout.readline().strip()
        assert line.startswith("PORT "), f"smtp_server.py said {line!r}"
        server = SMTPServer(process, int(line.split()[1]), maildir)
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.process.terminate()
        server.process.wait(timeout=10)


class TokenServer:
    def __init__(self, process, port):
        self.process, self.port = process, port

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}/token"

    def count(self):
        """What the endpoint saw: `requests`, `issued` tokens, and each request's `forms` (without the secret)."""
        import urllib.request
        with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/count", timeout=10) as response:
            return json.loads(response.read())


@pytest.fixture
def token_server():
    """Starts the loopback OAuth 2.0 token endpoint (token_server.py) with the given flags."""
    servers = []

    def start(*extra):
        process = subprocess.Popen(
            [sys.executable, str(HERE / "token_server.py"), "--port", "0", *extra],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
        )
        line = process.stdout.readline().strip()
        assert line.startswith("PORT "), f"token_server.py said {line!r}"
        server = TokenServer(process, int(line.split()[1]))
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.process.terminate()
        server.process.wait(timeout=10)


def write_config(folder, transport_lines, state="state.sqlite", sources=None):
    """A digest.yaml in `folder` that uses the repository's example sources, subscribers and templates."""
    sources = sources or f"""
  - name: kalendarium
    kind: event
    url: {ROOT}/examples/sources/kalendarium.ics
  - name: utlysningar
    kind: funding
    url: {ROOT}/examples/sources/utlysningar.xml
    topics: [finansiering]
  - name: redaktionen
    kind: funding
    url: {ROOT}/examples/sources/redaktionen.yaml
    format: yaml
    topics: [finansiering]"""
    text = f"""newsletter:
  title: "Företagsfrämjarna i Dalarna"
  from: "Företagsfrämjarna Dalarna <nyhetsbrev@example.se>"
  bounceAddress: bounces@example.se
  timeZone: Europe/Stockholm
  baseURL: https://digest.example.se
  listID: veckodigest.example.se
sources:{sources}
subscribers: {ROOT}/subscribers
templates: {ROOT}/templates
topics: {ROOT}/topics.yaml
state: {state}
delivery:
{transport_lines}
"""
    path = pathlib.Path(folder) / "digest.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def run_digest(binary, *args, env_extra=None, cwd=None):
    env = dict(os.environ)
    env["DIGEST_UNSUBSCRIBE_SECRET"] = "integration-test-secret"
    env.update(env_extra or {})
    return subprocess.run([str(binary), *args], capture_output=True, text=True, env=env, cwd=cwd, timeout=300)
