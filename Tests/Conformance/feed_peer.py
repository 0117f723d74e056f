"""The feed peer: feedparser from the downloaded sdist, the `Expect:` lines of its test files, and how fields compare.

feedparser's test files carry their expectation in a header comment (`Description: …  Expect: …  -->`). A file is
compared on a field when that expectation reads the first entry's field: `title` (or `title_detail['value']`),
`link` (or `links[0]['href']`) or `id` (or `guid`). digest's side is its item for feedparser's first entry: the item
with the same id, else the same link, else the same title, else its first item (digest lists items by deadline, then
id, not in document order). digest's `url` is the entry's link and its `uid` the entry's id. A link feedparser leaves
relative is resolved against the file's own `file://` URL, as digest resolves it; an empty value counts as none.
"""
import html
import json
import re
import urllib.parse

EXPECT = re.compile(rb"Description:\s*(.*?)\s*Expect:\s*(.*)\s*-->", re.DOTALL)
FIELDS = {
    "title": re.compile(r"entries\[0\]\[['\"]title(?:_detail['\"]\]\[['\"]value)?['\"]\]"),
    "link": re.compile(r"entries\[0\]\[['\"](?:link|links['\"]\]\[0\]\[['\"]href)['\"]\]"),
    "id": re.compile(r"entries\[0\]\[['\"](?:id|guid)['\"]\]"),
}
DIGEST_KEY = {"title": "title", "link": "url", "id": "uid"}
TAG = re.compile(r"<[^>]*>")


def expectation(data):
    """The `Expect:` text of a feedparser test file, or None."""
    found = EXPECT.search(data)
    return found.group(2).decode("utf-8", "replace").strip() if found else None


def checked_fields(expect):
    """The first-entry fields among title, link and id that an expectation checks."""
    return [name for name, pattern in FIELDS.items() if expect and pattern.search(expect)]


def plain(text):
    """Text as digest shows it: tags removed, entities decoded, whitespace collapsed."""
    return " ".join(html.unescape(TAG.sub(" ", text)).split())


def peer_first_entry(path):
    """feedparser's first entry of `path` as {title, link, id} (plain text), or None when it finds no entry."""
    import feedparser

    result = feedparser.parse(path.read_bytes())
    if not result.entries:
        return None
    entry = result.entries[0]
    title = entry.get("title")
    if title is not None and entry.get("title_detail", {}).get("type") in ("text/html", "application/xhtml+xml"):
        title = plain(title)
    elif title is not None:
        title = " ".join(title.split())
    link = entry.get("link")
    if link and not urllib.parse.urlsplit(link).scheme:
        # A link left relative: digest resolves it against the file's own URL (feedparser mangles file: bases).
        link = urllib.parse.urljoin(path.as_uri(), link)
    return {"title": title, "link": link, "id": entry.get("id")}


def digest_items(stdout):
    return [json.loads(line) for line in stdout.splitlines() if line.strip()]


def digest_entry(items, peer):
    """digest's item for feedparser's first entry (see the module's comment), or None when digest has none."""
    if not items:
        return None
    if peer:
        for name in ("id", "link", "title"):
            key = DIGEST_KEY[name]
            value = peer.get(name)
            if value:
                for item in items:
                    if item.get(key) and normalised(name, item.get(key)) == normalised(name, value):
                        return item
    return items[0]


def normalised(name, value):
    """Whitespace collapsed (titles) or trimmed; an empty value is no value (digest leaves out, and reports, an
    item without a title)."""
    if value is None:
        return None
    value = " ".join(value.split()) if name == "title" else value.strip()
    return value or None


def field_of(item, name):
    return None if item is None else normalised(name, item.get(DIGEST_KEY[name]))
