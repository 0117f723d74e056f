#!/usr/bin/env python3
"""A loopback SMTP test server for digest's Curl tests, built on aiosmtpd.

Prints "PORT <n>" as its first stdout line once it listens. See README.md for the flags.
"""

import argparse
import asyncio
import base64
import itertools
import json
import os
import sqlite3
import ssl
import sys
import time

from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword

from server_lifetime import exit_with_parent


class State:
    """Counters shared by every connection of one server process."""

    def __init__(self, maildir):
        self.maildir = maildir
        self.connections = 0
        self.sessions = itertools.count(1)
        self.messages = itertools.count(1)
        self.data_commands = 0

    def count_connection(self):
        self.connections += 1
        path = os.path.join(self.maildir, "connections.txt")
        with open(path + ".tmp", "w") as f:
            f.write(f"{self.connections}\n")
        os.replace(path + ".tmp", path)


class Handler:
    def __init__(self, state, fail_rcpt, fail_data_every, drop_after, data_delay=0.0, sql_on_first_data=None):
        self.state = state
        self.fail_rcpt = fail_rcpt
        self.fail_data_every = fail_data_every
        self.drop_after = drop_after
        self.data_delay = data_delay
        self.sql_on_first_data = sql_on_first_data

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        for pattern, code in self.fail_rcpt:
            if pattern in address:
                text = "Recipient address rejected" if code >= 500 else "Mailbox busy, try again later"
                status = "5.1.1" if code >= 500 else "4.2.1"
                return f"{code} {status} <{address}>: {text}"
        envelope.rcpt_tos.append(address)
        return "250 2.1.5 OK"

    async def handle_DATA(self, server, session, envelope):
        state = self.state
        if self.sql_on_first_data is not None:
            # Runs once, while the first message waits for its reply (an unsubscribe landing mid-run).
            database, statement = self.sql_on_first_data
            self.sql_on_first_data = None
            with sqlite3.connect(database, timeout=10) as connection:
                connection.executescript(statement)
        if self.data_delay:
            await asyncio.sleep(self.data_delay)
        delivered = getattr(session, "delivered", 0)
        if self.drop_after is not None and delivered >= self.drop_after:
            # Drop the connection with the whole message received but before any reply: nothing is stored.
            server.transport.abort()
            return "421 4.3.0 connection dropped by test server"
        state.data_commands += 1
        if self.fail_data_every is not None:
            every, code = self.fail_data_every
            if state.data_commands % every == 0:
                return f"{code} 4.3.0 Temporary failure, try again later"
        number = next(state.messages)
        name = f"{number:06d}.eml"
        with open(os.path.join(state.maildir, name), "wb") as f:
            f.write(envelope.original_content or envelope.content)
        record = {
            "file": name,
            "mail_from": envelope.mail_from,
            "rcpt_tos": envelope.rcpt_tos,
            "peer": list(session.peer) if session.peer else None,
            "session": getattr(session, "digest_id", None),
        }
        with open(os.path.join(state.maildir, "log.jsonl"), "a") as f:
            f.write(json.dumps(record) + "\n")
        session.delivered = delivered + 1
        return f"250 2.0.0 Ok: queued as {number:06d}"


class XOAuth2Handler(Handler):
    """Adds SASL XOAUTH2: the initial response is base64 of "user=USER\\x01auth=Bearer TOKEN\\x01\\x01"; it passes when
    USER is the expected user and TOKEN starts with the expected prefix. Every attempt is logged to xoauth2.jsonl."""

    def __init__(self, *args, xoauth2_user, xoauth2_prefix, **kwargs):
        super().__init__(*args, **kwargs)
        self.xoauth2_user = xoauth2_user
        self.xoauth2_prefix = xoauth2_prefix

    async def auth_XOAUTH2(self, server, args):
        if len(args) > 1:
            blob = base64.b64decode(args[1])
        else:
            blob = await server.challenge_auth("")
            if not isinstance(blob, bytes):
                return AuthResult(success=False, handled=False)
        fields = dict(
            part.split("=", 1) for part in blob.decode("utf-8", "replace").split("\x01") if "=" in part
        )
        user = fields.get("user", "")
        auth = fields.get("auth", "")
        token = auth[len("Bearer "):] if auth.startswith("Bearer ") else ""
        ok = user == self.xoauth2_user and token.startswith(self.xoauth2_prefix)
        with open(os.path.join(self.state.maildir, "xoauth2.jsonl"), "a") as f:
            f.write(json.dumps({"user": user, "token": token, "ok": ok}) + "\n")
        return AuthResult(success=ok, handled=False, auth_data=user if ok else None)


class CountingSMTP(SMTP):
    """Counts connections once each: aiosmtpd calls connection_made again after STARTTLS."""

    def __init__(self, state, *args, **kwargs):
        self.digest_state = state
        super().__init__(*args, **kwargs)

    def connection_made(self, transport):
        fresh = self._original_transport is None
        super().connection_made(transport)
        if fresh:
            self.digest_state.count_connection()
            self.session.digest_id = next(self.digest_state.sessions)
        else:
            # Keep the id and message count across the TLS upgrade's new session object.
            self.session.digest_id = self.digest_id
        self.digest_id = self.session.digest_id
        self.digest_event("open" if fresh else "starttls")

    def _timeout_cb(self):
        self.digest_event("idle timeout")
        super()._timeout_cb()

    def connection_lost(self, error):
        self.digest_event(f"lost: {error!r}")
        super().connection_lost(error)

    def digest_event(self, what):
        """Notes what happened to this connection in connection-events.txt, to explain a count a test did not expect."""
        with open(os.path.join(self.digest_state.maildir, "connection-events.txt"), "a") as f:
            f.write(f"{time.monotonic():.3f} connection {getattr(self, 'digest_id', '?')}: {what}\n")


def parse_pairs(values, option):
    pairs = []
    for value in values or []:
        key, sep, code = value.rpartition("=")
        if not sep or not code.isdigit():
            sys.exit(f"{option} expects PATTERN=CODE, got {value!r}")
        pairs.append((key, int(code)))
    return pairs



async def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--maildir", required=True)
    parser.add_argument("--tls-cert")
    parser.add_argument("--tls-key")
    parser.add_argument("--auth", help="USER:PASSWORD; AUTH PLAIN/LOGIN then becomes required")
    parser.add_argument("--fail-rcpt", action="append", help="PATTERN=CODE, repeatable")
    parser.add_argument("--fail-data-every", help="N=CODE: reply CODE to every Nth DATA")
    parser.add_argument("--drop-after", type=int, help="drop a connection at its (N+1)th message")
    parser.add_argument("--data-delay", type=float, default=0.0, help="wait S seconds before answering each DATA")
    parser.add_argument("--sql-on-first-data", nargs=2, metavar=("DATABASE", "SQL"),
                        help="run SQL against the SQLite DATABASE when the first message's data has arrived")
    parser.add_argument("--xoauth2", help="USER:PREFIX; offers AUTH XOAUTH2, passing tokens starting with PREFIX")
    args = parser.parse_args()
    exit_with_parent()

    os.makedirs(args.maildir, exist_ok=True)
    state = State(args.maildir)
    fail_data = None
    if args.fail_data_every:
        (every, code), = parse_pairs([args.fail_data_every], "--fail-data-every")
        fail_data = (int(every), code)
    handler_args = (state, parse_pairs(args.fail_rcpt, "--fail-rcpt"), fail_data, args.drop_after)
    handler_kwargs = {"data_delay": args.data_delay, "sql_on_first_data": args.sql_on_first_data}
    if args.xoauth2:
        user, _, prefix = args.xoauth2.rpartition(":")
        handler = XOAuth2Handler(*handler_args, xoauth2_user=user, xoauth2_prefix=prefix, **handler_kwargs)
    else:
        handler = Handler(*handler_args, **handler_kwargs)

    # aiosmtpd's own idle timeout (300 s): a test suite on two busy cores can leave a reused connection idle for
    # tens of seconds between two sends, and a connection the server dropped is a reconnection the test did not make.
    kwargs = {"hostname": "digest-test", "timeout": 300}
    if args.tls_cert:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(args.tls_cert, args.tls_key)
        # No TLS 1.3 session tickets: sent after the handshake, they can still be unread when a transfer ends, and
        # libcurl 7.88 then judges the connection dead and opens another (tests count connections).
        context.num_tickets = 0
        kwargs.update(tls_context=context, require_starttls=True)
    if args.auth:
        user, _, password = args.auth.partition(":")

        def authenticator(server, session, envelope, mechanism, auth_data):
            ok = (
                isinstance(auth_data, LoginPassword)
                and auth_data.login == user.encode()
                and auth_data.password == password.encode()
            )
            return AuthResult(success=ok, handled=False)

        kwargs.update(authenticator=authenticator, auth_required=True, auth_require_tls=bool(args.tls_cert))

    if args.xoauth2:
        kwargs.update(auth_required=True, auth_require_tls=bool(args.tls_cert))

    loop = asyncio.get_running_loop()
    server = await loop.create_server(lambda: CountingSMTP(state, handler, **kwargs), "127.0.0.1", args.port)
    port = server.sockets[0].getsockname()[1]
    print(f"PORT {port}", flush=True)
    async with server:
        await server.serve_forever()


if __name__ == "__main__":
    try:
        asyncio.run(main())
    except KeyboardInterrupt:
        pass
