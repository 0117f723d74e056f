#!/usr/bin/env python3
"""A loopback HTTP test server for digest's Curl tests.

Prints "PORT <n>" as its first stdout line once it listens. See README.md for the routes.
"""

import argparse
import email.parser
import email.policy
import gzip
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, parse_qsl, urlsplit

from request_body import read_body
from server_lifetime import exit_with_parent

FEED = b"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Test feed</title>
<item><title>Sm\xc3\xb6rg\xc3\xa5sbord</title><link>https://example.org/1</link></item>
</channel></rss>
"""
ETAG = '"feed-v1"'
LAST_MODIFIED = "Mon, 02 Mar 2026 08:00:00 GMT"

hits = {}
hits_lock = threading.Lock()
slow_in_flight = 0
slow_peak = 0


def count(key):
    with hits_lock:
        hits[key] = hits.get(key, 0) + 1
        return hits[key]


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    slow_seconds = 5.0

    def log_message(self, format, *args):
        pass

    def send_body(self, status, body, content_type="text/plain; charset=utf-8", headers=()):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in headers:
            self.send_header(name, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def redirect(self, status, location):
        self.send_response(status)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def redirect_to(self, query):
        """/redirect-to?url=U[&status=S][&body=N]: S (default 302) to U, with an N-byte chunked body (default none)."""
        status = int(query.get("status", ["302"])[0])
        size = int(query.get("body", ["0"])[0])
        self.send_response(status)
        self.send_header("Location", query.get("url", ["/"])[0])
        if size <= 0:
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        self.send_header("Content-Type", "text/plain")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        self.wfile.write(b"%x\r\n%s\r\n0\r\n\r\n" % (size, b"r" * size))

    def do_GET(self):
        parts = urlsplit(self.path)
        path = parts.path
        query = parse_qs(parts.query)
        hit = count(self.path)
        if path == "/feed.xml":
            if self.headers.get("If-None-Match") == ETAG or self.headers.get("If-Modified-Since") == LAST_MODIFIED:
                self.send_response(304)
                self.send_header("ETag", ETAG)
                self.end_headers()
                return
            self.send_body(200, FEED, "application/rss+xml; charset=utf-8",
                           [("ETag", ETAG), ("Last-Modified", LAST_MODIFIED)])
        elif path == "/redirect":
            self.redirect(301, "/redirect2")
        elif path == "/redirect2":
            self.redirect(302, "/feed.xml")
        elif path == "/loop":
            self.redirect(302, "/loop")
        elif path == "/to-file":
            self.redirect(302, "file:///etc/hostname")
        elif path == "/redirect-to":
            self.redirect_to(query)
        elif path == "/gzip":
            body = gzip.compress(FEED)
            self.send_body(200, body, "application/rss+xml; charset=utf-8", [("Content-Encoding", "gzip")])
        elif path == "/slow":
            global slow_in_flight, slow_peak
            with hits_lock:
                slow_in_flight += 1
                slow_peak = max(slow_peak, slow_in_flight)
            try:
                time.sleep(float(query.get("seconds", [self.slow_seconds])[0]))
            finally:
                with hits_lock:
                    slow_in_flight -= 1
            self.send_body(200, b"finally")
        elif path == "/slow-peak":
            with hits_lock:
                value = slow_peak
            self.send_body(200, str(value).encode())
        elif path == "/big":
            total = int(query.get("bytes", ["2000000"])[0])
            self.send_response(200)
            self.send_header("Content-Type", "application/octet-stream")
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            chunk = b"x" * 65536
            sent = 0
            try:
                while sent < total:
                    piece = chunk[: min(len(chunk), total - sent)]
                    self.wfile.write(b"%x\r\n%s\r\n" % (len(piece), piece))
                    sent += len(piece)
                self.wfile.write(b"0\r\n\r\n")
            except (BrokenPipeError, ConnectionResetError):
                pass
        elif path == "/error500":
            self.send_body(500, b"internal error\n")
        elif path == "/flaky":
            if hit <= 2:
                self.send_body(500, b"not yet\n")
            else:
                self.send_body(200, b"third time lucky\n")
        elif path == "/koi8r-feed":
            # No XML declaration: only the HTTP header says what the bytes are.
            body = ("<rss version=\"2.0\"><channel><title>Гранты</title><item><title>Гранты для бизнеса</title>"
                    "<link>https://example.org/koi8r</link></item></channel></rss>\n").encode("koi8-r")
            self.send_body(200, body, "application/rss+xml; charset=KOI8-R")
        elif path == "/latin1":
            self.send_body(200, "Sm\u00f6rg\u00e5sbord\n".encode("latin-1"), "text/plain; charset=utf-8")
        elif path == "/hits":
            key = query.get("path", [""])[0]
            with hits_lock:
                value = hits.get(key, 0)
            self.send_body(200, str(value).encode())
        elif path == "/user-agent":
            self.send_body(200, (self.headers.get("User-Agent") or "").encode())
        elif path == "/echo":
            self.echo(b"")
        else:
            self.send_body(404, b"not found\n")

    def read_body(self):
        return read_body(self)

    def echo(self, body):
        """Answers with a JSON description of the request (see README.md)."""
        parts = urlsplit(self.path)
        content_type = self.headers.get("Content-Type")
        description = {
            "method": self.command,
            "path": parts.path,
            "query": parse_qs(parts.query, keep_blank_values=True),
            "headers": [[name.lower(), value] for name, value in self.headers.items()],
            "content_type": content_type,
            "body": body.decode("utf-8", "replace"),
        }
        media = (content_type or "").split(";")[0].strip().lower()
        if media == "application/x-www-form-urlencoded":
            fields = parse_qsl(body.decode("ascii", "replace"), keep_blank_values=True, encoding="utf-8")
            description["form"] = [[name, value] for name, value in fields]
        elif media == "multipart/form-data":
            head = b"Content-Type: " + content_type.encode("latin-1") + b"\r\nMIME-Version: 1.0\r\n\r\n"
            message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(head + body)
            description["parts"] = [
                {
                    "name": part.get_param("name", header="content-disposition"),
                    "filename": part.get_filename(),
                    "content_type": part.get("Content-Type"),
                    "content": part.get_payload(decode=True).decode("utf-8", "replace"),
                }
                for part in message.iter_parts()
            ]
        self.send_body(200, json.dumps(description).encode(), "application/json")

    def do_POST(self):
        parts = urlsplit(self.path)
        path = parts.path
        hit = count(self.path)
        body = self.read_body()
        if path == "/echo":
            self.echo(body)
        elif path == "/flaky-post":
            if hit <= 2:
                self.send_body(500, b"not yet\n")
            else:
                self.echo(body)
        elif path == "/see-other":
            self.redirect(303, "/echo?from=see-other")
        elif path == "/redirect-to":
            self.redirect_to(parse_qs(parts.query))
        else:
            self.send_body(404, b"not found\n")



class Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        # Clients that give up (timeouts, size caps) reset their connection: that is expected here.
        pass


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--slow-seconds", type=float, default=5.0)
    args = parser.parse_args()
    exit_with_parent()
    Handler.slow_seconds = args.slow_seconds
    server = Server(("127.0.0.1", args.port), Handler)
    print(f"PORT {server.server_address[1]}", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
