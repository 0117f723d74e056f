"""The peers' source distributions: pinned, downloaded with `pip download`, checked, cached outside the repository.

The sdists are never committed. They are kept in a cache folder in the system's temporary directory
(`$TMPDIR/digest-conformance-sdists`, or `--cache`) so that a second run does not download them again; a file whose
SHA-256 is not the pinned one is downloaded again.
"""
import hashlib
import os
import pathlib
import subprocess
import sys
import tarfile
import tempfile
import urllib.error
import urllib.request

# name==version, the file pip writes, and its SHA-256 (as PyPI lists it).
PINNED = [
    ("feedparser==6.0.14", "feedparser-6.0.14.tar.gz",
     "088679b0c4b543ee211a820dd544698c76a402122eae7473c04a43425f283d06"),
    ("icalendar==7.3.2", "icalendar-7.3.2.tar.gz",
     "f15380927aed4318860e001c03b543c48578c73aec46e2d384c5d0802082b808"),
    ("recurring-ical-events==3.8.2", "recurring_ical_events-3.8.2.tar.gz",
     "e731af31d0b7dec5cd47a1defacd8549e2f36fab1c1995e8b9f042822a0acf8e"),
]


class Offline(Exception):
    """The package index cannot be reached: the conformance run is skipped, not failed."""


def default_cache():
    return pathlib.Path(tempfile.gettempdir()) / "digest-conformance-sdists"


def sha256(path):
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def index_url():
    """The index pip is configured to use (PIP_INDEX_URL, pip.conf), or PyPI's."""
    if os.environ.get("PIP_INDEX_URL"):
        return os.environ["PIP_INDEX_URL"]
    result = subprocess.run([sys.executable, "-m", "pip", "config", "get", "global.index-url"],
                            capture_output=True, text=True)
    url = result.stdout.strip() if result.returncode == 0 else ""
    return url or "https://pypi.org/simple/"


def reachable(url, timeout=10):
    """Raises Offline when the index does not answer at all (DNS, refused, timeout); an HTTP error is an answer."""
    try:
        urllib.request.urlopen(urllib.request.Request(url.rstrip("/") + "/feedparser/", method="HEAD"),
                               timeout=timeout).close()
    except urllib.error.HTTPError:
        return
    except (urllib.error.URLError, OSError) as error:
        raise Offline(f"{url} cannot be reached ({getattr(error, 'reason', error)})") from None


def fetch(cache):
    """The three sdists in `cache`, downloaded if missing or wrong. Raises Offline, or RuntimeError if pip fails."""
    cache.mkdir(parents=True, exist_ok=True)
    missing = [spec for spec, name, digest in PINNED
               if not (cache / name).exists() or sha256(cache / name) != digest]
    if missing:
        reachable(index_url())
        result = subprocess.run(
            [sys.executable, "-m", "pip", "download", "--no-binary", ":all:", "--no-deps", "--quiet",
             "--disable-pip-version-check", "--dest", str(cache), *missing],
            capture_output=True, text=True, timeout=600)
        if result.returncode != 0:
            last = (result.stderr.strip().splitlines() or ["no output"])[-1]
            raise RuntimeError(f"pip download {' '.join(missing)} failed: {last}")
    paths = []
    for spec, name, digest in PINNED:
        path = cache / name
        if not path.exists():
            raise RuntimeError(f"pip download {spec} wrote no {name} in {cache}")
        if sha256(path) != digest:
            raise RuntimeError(f"{path} has SHA-256 {sha256(path)}, not the pinned {digest}")
        paths.append(path)
    return paths


def extract(archives, folder):
    """Unpacks each sdist into `folder`; returns {archive name: unpacked top folder}."""
    tops = {}
    for archive in archives:
        with tarfile.open(archive) as tar:
            tar.extractall(folder, filter="data")
        tops[archive.name] = folder / archive.name[: -len(".tar.gz")]
    return tops
