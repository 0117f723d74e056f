"""The HTML digests render in a real browser engine: headless Chromium takes a screenshot of each without console
errors (mail clients are stricter than browsers, but a page a browser chokes on is broken everywhere). So do the
preview's pages around them, opened from file:// as an editor would."""

import shutil
import struct
import subprocess
import zlib

import pytest

from conftest import run_digest, write_config

NOW = "2026-12-01T08:00:00+01:00"


def chromium():
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    pytest.fail("chromium is not installed: `make test` installs it (apt-get install chromium)")


# Chromium renders a sandboxed iframe in a process of its own, and the headless --screenshot shortcut does not wait
# for it: the frame comes out blank at random. Keeping such frames in the page's process makes the screenshot show
# what a browser window shows.
HEADLESS = ["--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--enable-logging=stderr", "--v=0",
            "--disable-features=IsolateSandboxedIframes"]


def count_pixels(png, colour):
    """How many pixels of an 8-bit RGB or RGBA PNG (as Chromium writes them) have exactly `colour` (r, g, b)."""
    data = png.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    position, chunks, header = 8, [], None
    while position < len(data):
        length, kind = struct.unpack(">I4s", data[position:position + 8])
        body = data[position + 8:position + 8 + length]
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            chunks.append(body)
        position += 12 + length
    width, height, depth, colour_type = header[:4]
    assert depth == 8 and colour_type in (2, 6), header
    step = 3 if colour_type == 2 else 4
    raw, stride = zlib.decompress(b"".join(chunks)), width * step
    previous, count, wanted = bytearray(stride), 0, bytes(colour)
    for row in range(height):
        start = row * (stride + 1)
        kind, line = raw[start], bytearray(raw[start + 1:start + 1 + stride])
        for i in range(stride):
            left = line[i - step] if i >= step else 0
            up, corner = previous[i], previous[i - step] if i >= step else 0
            if kind == 1:
                line[i] = (line[i] + left) & 0xFF
            elif kind == 2:
                line[i] = (line[i] + up) & 0xFF
            elif kind == 3:
                line[i] = (line[i] + (left + up) // 2) & 0xFF
            elif kind == 4:
                estimate = left + up - corner
                pa, pb, pc = abs(estimate - left), abs(estimate - up), abs(estimate - corner)
                line[i] = (line[i] + (left if pa <= pb and pa <= pc else up if pb <= pc else corner)) & 0xFF
        count += sum(1 for x in range(0, stride, step) if line[x:x + 3] == wanted)
        previous = line
    return count


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
            [chromium(), *HEADLESS, f"--screenshot={shot}", "--window-size=640,2000", page.as_uri()],
            capture_output=True, text=True, timeout=120,
        )
        assert shot.exists() and shot.stat().st_size > 10_000, run.stderr[-2000:]
        assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        console = [line for line in run.stderr.splitlines() if "CONSOLE" in line]
        assert console == [], console
        if page in wrappers:
            # The digest's page background (#f2f4f6) shows only if the sandboxed frame really rendered the digest.
            assert count_pixels(shot, (0xF2, 0xF4, 0xF6)) > 10_000, f"{page.name}: the framed digest is not shown"
