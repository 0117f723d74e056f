"""The HTML digests render in a real browser engine: headless Chromium takes a screenshot of each without console
errors (mail clients are stricter than browsers, but a page a browser chokes on is broken everywhere). So do the
preview's pages around them, opened from file:// as an editor would."""

import shutil
import subprocess

import pytest

from conftest import run_digest, write_config

NOW = "2026-12-01T08:00:00+01:00"


def chromium():
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    pytest.fail("chromium is not installed: `make test` installs it (apt-get install chromium)")


def test_every_digest_renders_without_console_errors(digest_bin, tmp_path):
    config = write_config(tmp_path, "  transport: maildir:outbox")
    result = run_digest(digest_bin, "preview", "--config", str(config), "--now", NOW,
                        "--out", str(tmp_path / "preview"), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    digests = sorted((tmp_path / "preview").glob("*.digest.html"))
    assert len(digests) == 3
    wrappers = [page.with_name(page.name.replace(".digest.html", ".html")) for page in digests]
    for page in digests + wrappers + [tmp_path / "preview" / "index.html"]:
        shot = tmp_path / (page.name + ".png")
        run = subprocess.run(
            [chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
             "--enable-logging=stderr", "--v=0", f"--screenshot={shot}", "--window-size=640,2000",
             page.as_uri()],
            capture_output=True, text=True, timeout=120,
        )
        assert shot.exists() and shot.stat().st_size > 10_000, run.stderr[-2000:]
        assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        console = [line for line in run.stderr.splitlines() if "CONSOLE" in line]
        assert console == [], console
