#!/usr/bin/env python3
"""A loopback server that answers like the real services digest reads funding calls and events from: Vinnova's
older open API, the EU Funding & Tenders SEDIA search, verksamt.se's promotor service, Tillväxtverket's HTML pages
and Dalarna Science Park's WordPress events page, with the recorded responses in examples/sources/. It checks every
request the way those services do (method, parameters, API key, multipart body) and keeps a log of them.

Prints "PORT <n>" as its first stdout line once it listens. See README.md for the routes.
"""

import argparse
import email.parser
import email.policy
import email.utils
import hashlib
import json
import pathlib
import re
import threading
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, unquote, urlsplit

from request_body import read_body
from server_lifetime import exit_with_parent

DEFAULT_ROOT = pathlib.Path(__file__).resolve().parents[2] / "examples" / "sources"

VINNOVA = re.compile(r"^/vinnova/api/ansokningsomgangar/(?P<since>[^/]*)$")
EU_SEARCH = "/eu/search-api/prod/rest/search"
VERKSAMT = "/verksamt/api/tillvaxtverket/promotor-service/record/"
TILLVAXTVERKET = "/tillvaxtverket/"
SCIENCE_PARK = "/sciencepark/events/"

JSON_TYPE = "application/json; charset=utf-8"
HTML_TYPE = "text/html; charset=utf-8"


class Log:
    """Every request so far, in arrival order (the control routes /_log and /_reset are not logged)."""

    def __init__(self):
        self.entries = []
        self.lock = threading.Lock()

    def add(self, entry):
        with self.lock:
            self.entries.append(entry)

    def snapshot(self):
        with self.lock:
            return list(self.entries)

    def clear(self):
        with self.lock:
            self.entries.clear()


class Generated:
    """The bad-input bodies, each built once, on first use."""

    def __init__(self):
        self.bodies = {}
        self.lock = threading.Lock()

    def get(self, name):
        with self.lock:
            if name not in self.bodies:
                self.bodies[name] = getattr(self, "make_" + name)()
            return self.bodies[name]

    @staticmethod
    def make_huge():
        # About 20 MB (under digest's default maxBytes of 20 MiB): a list page with ~95,000 calls.
        head = (b"<!DOCTYPE html>\n<html lang=\"sv\"><head><meta charset=\"utf-8\"><title>Utlysningar</title></head>"
                b"<body><main><h1>Utlysningar</h1><ul class=\"utlysningslista\">\n")
        tail = b"</ul></main></body></html>\n"
        parts = [head]
        size = len(head) + len(tail)
        number = 0
        while size < 20_000_000:
            number += 1
            item = (f"<li class=\"utlysning\"><h3>Utlysning nummer {number}</h3>"
                    f"<a href=\"utlysningar/utlysning-{number}.html\">L\u00e4s mer</a>"
                    f"<p>Stöd till små och medelstora företag i Dalarna, omgång {number}. Sista ansökningsdag "
                    f"2027-02-15.</p></li>\n").encode()
            parts.append(item)
            size += len(item)
        parts.append(tail)
        return b"".join(parts)

    @staticmethod
    def make_deep():
        return b"[" * 10_000 + b"]" * 10_000

    @staticmethod
    def make_many():
        item = b"<li class=\"utlysning\"><h3>x</h3></li>"
        return (b"<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>M\xc3\xa5nga</title></head><body><ul>\n"
                + item * 100_000 + b"\n</ul></body></html>\n")

    @staticmethod
    def make_string():
        return b'{"results": "not a list"}\n'


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "source-server/1"
    root = DEFAULT_ROOT
    api_key = None
    log = Log()
    generated = Generated()

    def log_message(self, format, *args):
        pass

    # --- plumbing -----------------------------------------------------------------------------------------------

    def send_response(self, code, message=None):
        self.status = code
        super().send_response(code, message)

    def send_body(self, status, body, content_type=HTML_TYPE, headers=()):
        self.send_response(status)
        if body is not None:
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
        elif status != 304:
            self.send_header("Content-Length", "0")
        for name, value in headers:
            self.send_header(name, value)
        self.end_headers()
        if body and self.command != "HEAD":
            self.wfile.write(body)

    def send_json(self, status, value, headers=()):
        self.send_body(status, json.dumps(value, ensure_ascii=False).encode(), JSON_TYPE, headers)

    def error_json(self, status, message):
        self.send_json(status, {"status": status, "error": message})

    def read_body(self):
        return read_body(self)

    def handle_one(self, body):
        # One handler serves every request of a kept-alive connection: start each afresh.
        self.status = None
        self.parts = None
        target = urlsplit(self.path)
        self.url_path = unquote(target.path)
        self.query = {}
        for name, value in parse_qsl(target.query, keep_blank_values=True):
            self.query.setdefault(name, value)
        self.body = body
        if self.url_path == "/_log" and self.command == "GET":
            return self.send_json(200, self.log.snapshot())
        if self.url_path == "/_reset" and self.command == "POST":
            self.log.clear()
            return self.send_json(200, {"reset": True})
        try:
            self.route()
        finally:
            self.record()

    def record(self):
        headers = {}
        for name, value in self.headers.items():
            if name.lower() != "x-api-key":
                headers[name.lower()] = value
        sent_key = self.headers.get("X-Api-Key")
        key = self.api_key
        matched = None if sent_key is None else bool(sent_key) and (key is None or sent_key == key)
        entry = {
            "method": self.command,
            "path": self.url_path,
            "query": self.query,
            "target": self.path,
            "status": self.status,
            "conditional": "If-None-Match" in self.headers or "If-Modified-Since" in self.headers,
            "headers": headers,
            "apiKeyMatched": matched,
            "keyInURL": bool(key) and key in unquote(self.path),
            "keyElsewhere": bool(key) and (key.encode() in self.body
                                           or any(key in value for value in headers.values())),
            "bodyBytes": len(self.body),
        }
        if self.parts is not None:
            entry["parts"] = self.parts
        self.log.add(entry)

    def do_GET(self):
        self.handle_one(b"")

    def do_HEAD(self):
        self.handle_one(b"")

    def do_POST(self):
        self.handle_one(self.read_body())

    def do_PUT(self):
        self.handle_one(self.read_body())

    def do_DELETE(self):
        self.handle_one(self.read_body())

    # --- routes -------------------------------------------------------------------------------------------------

    def route(self):
        path = self.url_path
        if VINNOVA.match(path):
            return self.vinnova(VINNOVA.match(path)["since"])
        if path == EU_SEARCH:
            return self.eu_search()
        if path.startswith(VERKSAMT):
            return self.verksamt(path[len(VERKSAMT):])
        if path.startswith(TILLVAXTVERKET):
            return self.static(self.root / "tillvaxtverket", path[len(TILLVAXTVERKET):], validators=True)
        if path == SCIENCE_PARK.rstrip("/"):
            return self.send_body(301, None, headers=[("Location", SCIENCE_PARK)])
        if path == SCIENCE_PARK:
            if not self.allow("GET", "HEAD"):
                return
            return self.send_body(200, (self.root / "sciencepark-events.html").read_bytes(), HTML_TYPE)
        if path.startswith("/bad/"):
            return self.bad(path[len("/bad/"):])
        return self.send_body(404, b"<!DOCTYPE html><title>404</title><h1>Sidan finns inte</h1>\n")

    def allow(self, *methods):
        if self.command in methods:
            return True
        self.send_body(405, b"method not allowed\n", "text/plain; charset=utf-8", [("Allow", ", ".join(methods))])
        return False

    def vinnova(self, since):
        if not self.allow("GET", "HEAD"):
            return
        try:
            valid = re.fullmatch(r"\d{4}-\d{2}-\d{2}", since) is not None and date.fromisoformat(since) is not None
        except ValueError:
            valid = False
        if not valid:
            return self.error_json(400, f"'{since}' is not a date (YYYY-MM-DD)")
        self.send_body(200, (self.root / "vinnova-ansokningsomgangar.json").read_bytes(), JSON_TYPE)

    def eu_search(self):
        if not self.allow("POST"):
            return
        query = self.query
        if query.get("apiKey") != "SEDIA":
            return self.error_json(401, "apiKey must be SEDIA")
        sent_key = self.headers.get("X-Api-Key")
        if not sent_key or (self.api_key is not None and sent_key != self.api_key):
            return self.error_json(401, "missing or wrong X-Api-Key")
        if not re.fullmatch(r"[1-9]\d*", query.get("pageSize", "")):
            return self.error_json(400, "pageSize must be a positive integer")
        if not re.fullmatch(r"[1-9]\d*", query.get("pageNumber", "")):
            return self.error_json(400, "pageNumber must be an integer of 1 or more")
        accept = [part.split(";")[0].strip().lower() for part in (self.headers.get("Accept") or "").split(",")]
        if "application/json" not in accept:
            return self.error_json(406, "Accept must include application/json")
        problem = self.check_multipart({"query", "languages"})
        if problem:
            return self.error_json(400, problem)
        page = self.root / f"eu-search-page-{int(query['pageNumber'])}.json"
        if page.exists():
            return self.send_body(200, page.read_bytes(), JSON_TYPE)
        self.send_json(200, {"apiVersion": "2.131", "terms": query.get("text", ""), "text": query.get("text", ""),
                             "totalResults": 0, "pageNumber": int(query["pageNumber"]),
                             "pageSize": int(query["pageSize"]), "sort": "sortStatus:ASC", "results": []})

    def check_multipart(self, required):
        """None if the body is multipart/form-data with every `required` part as valid JSON, else the problem."""
        content_type = self.headers.get("Content-Type") or ""
        if content_type.split(";")[0].strip().lower() != "multipart/form-data":
            return f"Content-Type must be multipart/form-data, not '{content_type}'"
        if "boundary=" not in content_type:
            return "the multipart Content-Type has no boundary"
        head = b"Content-Type: " + content_type.encode("latin-1") + b"\r\nMIME-Version: 1.0\r\n\r\n"
        message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(head + self.body)
        if not message.is_multipart() or message.defects:
            return "the multipart body is malformed: " + ", ".join(type(d).__name__ for d in message.defects)
        self.parts = []
        found = {}
        for part in message.iter_parts():
            name = part.get_param("name", header="content-disposition")
            self.parts.append({"name": name, "contentType": part.get("Content-Type")})
            if part.get_content_disposition() != "form-data" or not name:
                return "every part needs Content-Disposition: form-data with a name"
            found[name] = part
        for name in sorted(required):
            part = found.get(name)
            if part is None:
                return f"the part '{name}' is missing"
            if part.get_content_type() != "application/json":
                return f"the part '{name}' must have Content-Type application/json"
            try:
                json.loads((part.get_payload(decode=True) or b"").decode("utf-8"))
            except (UnicodeDecodeError, ValueError) as error:
                return f"the part '{name}' is not valid JSON: {error}"
        return None

    def verksamt_records(self):
        pages = sorted(self.root.glob("verksamt-*.json"), key=lambda p: int(p.stem.split("-")[1]))
        records, total = [], None
        for page in pages:
            data = json.loads(page.read_text(encoding="utf-8"))
            records += data["records"]
            total = data.get("totalCount", total)
        return records, total if total is not None else len(records)

    def verksamt(self, operation):
        if not self.allow("GET", "HEAD"):
            return
        if operation not in ("findByTaggroupsAndTypes", "countByTaggroupsAndTypes"):
            return self.error_json(404, "no such operation")
        query = self.query
        if query.get("type") != "FINANCING":
            return self.error_json(400, "type must be FINANCING")
        records, total = self.verksamt_records()
        if operation == "countByTaggroupsAndTypes":
            return self.send_json(200, {"count": total})
        if not re.fullmatch(r"[1-9]\d*", query.get("limit", "")):
            return self.error_json(400, "limit must be a positive integer")
        if not re.fullmatch(r"\d+", query.get("offset", "")):
            return self.error_json(400, "offset must be an integer of 0 or more")
        limit, offset = int(query["limit"]), int(query["offset"])
        if offset % limit:
            return self.error_json(400, "offset must be a multiple of limit")
        self.send_json(200, {"totalCount": total, "records": records[offset:offset + limit]})

    def static(self, folder, relative, validators):
        if not self.allow("GET", "HEAD"):
            return
        folder = folder.resolve()
        file = (folder / relative).resolve()
        if folder not in file.parents or not file.is_file():
            return self.send_body(404, b"<!DOCTYPE html><title>404</title><h1>Sidan finns inte</h1>\n")
        data = file.read_bytes()
        headers = []
        if validators:
            etag = '"' + hashlib.sha256(data).hexdigest()[:32] + '"'
            modified = int(file.stat().st_mtime)
            headers = [("ETag", etag), ("Last-Modified", email.utils.formatdate(modified, usegmt=True)),
                       ("Cache-Control", "no-cache")]
            if_none_match = self.headers.get("If-None-Match")
            if_modified_since = self.headers.get("If-Modified-Since")
            if if_none_match is not None:
                tags = [tag.strip().removeprefix("W/") for tag in if_none_match.split(",")]
                if "*" in tags or etag in tags:
                    return self.send_body(304, None, headers=headers)
            elif if_modified_since is not None:
                try:
                    since = email.utils.parsedate_to_datetime(if_modified_since).timestamp()
                except (TypeError, ValueError):
                    since = None
                if since is not None and modified <= since:
                    return self.send_body(304, None, headers=headers)
        content_type = HTML_TYPE if file.suffix in (".html", ".htm") else "application/octet-stream"
        self.send_body(200, data, content_type, headers)

    def bad(self, name):
        if not self.allow("GET", "HEAD"):
            return
        routes = {"huge.html": ("huge", HTML_TYPE), "deep.json": ("deep", JSON_TYPE),
                  "many.html": ("many", HTML_TYPE), "string.json": ("string", JSON_TYPE)}
        if name not in routes:
            return self.send_body(404, b"not found\n", "text/plain; charset=utf-8")
        body_name, content_type = routes[name]
        self.send_body(200, self.generated.get(body_name), content_type)


class Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        # Clients that give up (timeouts, size caps) reset their connection: that is expected here.
        pass


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--root", type=pathlib.Path, default=DEFAULT_ROOT,
                        help="folder of the recorded responses (default: the repository's examples/sources)")
    parser.add_argument("--api-key", help="the X-Api-Key the EU search requires (without it, any non-empty key)")
    args = parser.parse_args()
    exit_with_parent()
    Handler.root = args.root.resolve()
    Handler.api_key = args.api_key
    server = Server(("127.0.0.1", args.port), Handler)
    print(f"PORT {server.server_address[1]}", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
