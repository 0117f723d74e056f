"""Sources over HTTP: conditional GETs with the validators kept in the state, and one failing source never stopping
the others. Uses the loopback test server Tests/Integration/http_server.py."""

import sqlite3
import subprocess
import sys
import urllib.request

import pytest

from conftest import HERE, ROOT, run_digest, write_config

NOW = "2026-12-01T08:00:00+01:00"


@pytest.fixture
def http_server():
    process = subprocess.Popen([sys.executable, str(HERE / "http_server.py"), "--port", "0"],
                               stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    line = process.stdout.readline().strip()
    assert line.startswith("PORT "), line
    yield f"http://127.0.0.1:{line.split()[1]}"
    process.kill()
    process.wait(timeout=10)


def hits(base, path):
    with urllib.request.urlopen(f"{base}/hits?path={path}") as response:
        return int(response.read().decode().strip())


def test_second_run_asks_conditionally_and_reuses_the_cached_body(digest_bin, http_server, tmp_path):
    config = write_config(tmp_path, "  transport: maildir:outbox", sources=f"""
  - name: webbflode
    kind: funding
    url: {http_server}/feed.xml
    topics: [finansiering]
  - name: trasig
    kind: funding
    url: {http_server}/error500
    format: rss""")
    for issue in ("2026-W49", "2026-W50"):
        result = run_digest(digest_bin, "send", "--issue", issue, "--config", str(config), "--now", NOW, cwd=tmp_path)
        assert result.returncode == 0, result.stderr
        assert "trasig" in result.stderr and "HTTP 500" in result.stderr
    assert hits(http_server, "/feed.xml") == 2
    with sqlite3.connect(tmp_path / "state.sqlite") as db:
        etag, body = db.execute("SELECT etag, body FROM sourceCache WHERE source = 'webbflode'").fetchone()
        assert etag == '"feed-v1"' and "Smörgåsbord".encode() in body
        health = dict(db.execute("SELECT source, consecutiveFailures FROM sourceHealth").fetchall())
        count = db.execute("SELECT lastItemCount FROM sourceHealth WHERE source = 'webbflode'").fetchone()[0]
    # The 304 of the second run gave an empty body; the item still came from the cached copy.
    assert count == 1
    assert health == {"webbflode": 0, "trasig": 2}
    status = run_digest(digest_bin, "status", "--config", str(config), cwd=tmp_path)
    assert "trasig: misslyckades 2 körning(ar) i rad" in status.stdout, status.stdout
