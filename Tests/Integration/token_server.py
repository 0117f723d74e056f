#!/usr/bin/env python3
"""A loopback OAuth 2.0 token endpoint (client-credentials grant, RFC 6749 §4.4) for digest's SMTP XOAUTH2 tests.

Prints "PORT <n>" as its first stdout line once it listens. See README.md for the flags and routes.
"""

import argparse
import json
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from server_lifetime import exit_with_parent


def make_handler(args):
    lock = threading.Lock()
    state = {"requests": 0, "issued": 0, "forms": []}

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *_):
            pass

        def answer(self, status, body):
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self):
            if self.path == "/count":
                with lock:
                    self.answer(200, {"requests": state["requests"], "issued": state["issued"],
                                      "forms": state["forms"]})
            else:
                self.answer(404, {"error": "not_found"})

        def do_POST(self):
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length).decode("utf-8", "replace")
            if self.path != "/token":
                self.answer(404, {"error": "not_found"})
                return
            form = {key: values[0] for key, values in urllib.parse.parse_qs(body, keep_blank_values=True).items()}
            with lock:
                state["requests"] += 1
                # The secret is never kept: a test may look at everything else.
                state["forms"].append({key: value for key, value in form.items() if key != "client_secret"})
            if self.headers.get("Content-Type", "").split(";")[0] != "application/x-www-form-urlencoded":
                self.answer(400, {"error": "invalid_request", "error_description": "expected a form body"})
            elif form.get("grant_type") != "client_credentials":
                self.answer(400, {"error": "unsupported_grant_type"})
            elif form.get("client_id") != args.client_id or form.get("client_secret") != args.client_secret:
                self.answer(401, {"error": "invalid_client", "error_description": args.error_description})
            elif args.scope is not None and form.get("scope") != args.scope:
                self.answer(400, {"error": "invalid_scope", "error_description": "scope not allowed"})
            else:
                with lock:
                    state["issued"] += 1
                    token = f"{args.token_prefix}{state['issued']}"
                self.answer(200, {"access_token": token, "token_type": "Bearer", "expires_in": args.expires_in})

    return Handler


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--client-id", default="digest-app")
    parser.add_argument("--client-secret", default="app-s3cret")
    parser.add_argument("--scope", help="the scope the client must ask for (any when not given)")
    parser.add_argument("--expires-in", type=int, default=3600)
    parser.add_argument("--token-prefix", default="tok-")
    parser.add_argument("--error-description", default="AADSTS7000215: Invalid client secret provided.")
    args = parser.parse_args()
    exit_with_parent()
    server = ThreadingHTTPServer(("127.0.0.1", args.port), make_handler(args))
    print(f"PORT {server.server_address[1]}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:
        pass
