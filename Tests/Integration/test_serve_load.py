"""The bounded load test of issue 16 against `digest serve` on 127.0.0.1, part of `make test` (about 40 s with a
debug build): with 2,000 subscriber files a bad token is answered in under 20 ms (median, sequential on one
keep-alive connection); a flood of distinct X-Forwarded-For values from one untrusted peer is limited; the server's
memory (RSS) after 50,000 distinct clients (X-Forwarded-For behind the trusted proxy 127.0.0.1, pipelined) stays
within 5 MB of where it was after a warm-up; and one-click unsubscribes of 500 readers from one address, which has
used up its limits, all succeed."""

import concurrent.futures
import http.client
import os
import socket
import statistics
import time

import pytest

from conftest import write_config
from test_serve import ENV, Serve, token_for, with_serve_section

READERS = 2_000


def workspace(folder, readers):
    """A config with `readers` subscriber files, behind a trusted proxy at 127.0.0.1 (127.0.0.2 is not one)."""
    subscribers = folder / "subscribers"
    subscribers.mkdir()
    for n in range(readers):
        (subscribers / f"reader-{n:04}.yaml").write_text(
            f"# Reader {n}\nemail: reader{n}@example.se\nname: Läsare {n}\ninterests:\n  topics: [export]\n")
    config = write_config(folder, "  transport: maildir:outbox")
    text = config.read_text()
    config.write_text("\n".join(
        f"subscribers: {subscribers}" if line.startswith("subscribers:") else line for line in text.splitlines())
        + "\n")
    return with_serve_section(config, "  trustedProxies: [127.0.0.1/32]\n"), subscribers


@pytest.fixture(scope="module")
def loaded(digest_bin, tmp_path_factory):
    """`digest serve` over 2,000 readers."""
    folder = tmp_path_factory.mktemp("load")
    config, subscribers = workspace(folder, READERS)
    server = Serve(digest_bin, config, folder, {**os.environ, **ENV}, "--rate-limit", "30", "--request-limit", "300")
    yield server, subscribers
    server.stop()


def connection(server, source="127.0.0.1"):
    link = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30, source_address=(source, 0))
    link.connect()
    return link


def ask(link, path, method="GET", body=None, headers=None):
    link.request(method, path, body=body, headers=headers or {})
    response = link.getresponse()
    response.read()
    return response.status


def pipelined(server, requests):
    """Sends raw HTTP/1.1 requests on one connection without waiting, and returns the status codes in order."""
    statuses = []
    with socket.create_connection(("127.0.0.1", server.port), timeout=30) as link:
        for start in range(0, len(requests), 200):
            batch = requests[start:start + 200]
            link.sendall(b"".join(batch))
            data = b""
            answered = 0
            while answered < len(batch):
                head_end = data.find(b"\r\n\r\n")
                if head_end < 0:
                    chunk = link.recv(1 << 16)
                    assert chunk, "the server closed the connection"
                    data += chunk
                    continue
                head = data[:head_end].decode("latin-1").split("\r\n")
                length = next(int(line.split(":", 1)[1]) for line in head if line.lower().startswith("content-length:"))
                while len(data) < head_end + 4 + length:
                    chunk = link.recv(1 << 16)
                    assert chunk, "the server closed the connection"
                    data += chunk
                statuses.append(int(head[0].split()[1]))
                data = data[head_end + 4 + length:]
                answered += 1
    return statuses


def test_a_bad_token_is_answered_fast_with_2000_readers(loaded):
    server, _ = loaded
    link = connection(server)
    timings = []
    for n in range(1_000):
        started = time.perf_counter()
        status = ask(link, f"/unsubscribe/forged-{n}", headers={"X-Forwarded-For": f"198.18.{n // 250}.{n % 250}"})
        timings.append(time.perf_counter() - started)
        assert status == 404
    median = statistics.median(timings) * 1000
    print(f"bad token with {READERS} readers: median {median:.2f} ms, "
          f"90th percentile {sorted(timings)[900] * 1000:.2f} ms over 1000 requests")
    assert median < 20, f"median {median:.1f} ms"
    log = server.log.read_text()
    assert log.count("Subscribers read") == 1 and f"subscribers.count={READERS}" in log, log


def test_a_flood_of_forwarded_for_values_from_one_untrusted_peer_is_limited(loaded):
    server, _ = loaded
    link = connection(server, source="127.0.0.2")
    statuses = [ask(link, "/unsubscribe/nonsense", headers={"X-Forwarded-For": f"203.0.113.{n % 250}, 10.{n}.0.1"})
                for n in range(600)]
    assert statuses.count(404) == 30 and statuses.count(429) == 570, statuses[:40]


def test_memory_after_50000_distinct_clients_stays_within_5_mb(loaded):
    server, _ = loaded
    def requests(prefix, count):
        return [f"GET /unsubscribe/nonsense HTTP/1.1\r\nHost: x\r\nX-Forwarded-For: {prefix}.{n // 65536}."
                f"{n // 256 % 256}.{n % 256}\r\n\r\n".encode() for n in range(count)]
    warm = pipelined(server, requests("100", 2_000))  # what any start allocates: buffers, the first clients
    assert set(warm) == {404}
    before = server.rss_kib()
    started = time.monotonic()
    with concurrent.futures.ThreadPoolExecutor(2) as pool:  # two connections, as the server has two event loops
        statuses = sum(pool.map(lambda part: pipelined(server, requests(f"10{part}", 25_000)), [1, 2]), [])
    took = time.monotonic() - started
    after = server.rss_kib()
    print(f"50,000 distinct clients in {took:.1f} s: RSS {before} KiB → {after} KiB ({(after - before) / 1024:+.2f} MB)")
    assert statuses.count(404) == 50_000, "every client is new, so none is limited"
    assert after - before < 5 * 1024


def test_one_click_unsubscribes_of_500_readers_from_one_address_all_succeed(digest_bin, tmp_path):
    # A workspace of its own, of 500 readers: each unsubscribe looks for the reader's file among all of them.
    config, subscribers = workspace(tmp_path, 500)
    server = Serve(digest_bin, config, tmp_path, {**os.environ, **ENV}, "--rate-limit", "30", "--request-limit", "300")
    try:
        link = connection(server, source="127.0.0.2")
        for n in range(40):  # the address has used up its failures and its requests for the minute first
            ask(link, f"/unsubscribe/forged-{n}")
        assert ask(link, "/unsubscribe/forged") == 429
        def unsubscribe(readers):
            link = connection(server, source="127.0.0.2")
            return [ask(link, f"/unsubscribe/{token_for(f'reader{n}@example.se')}", method="POST",
                        body="List-Unsubscribe=One-Click",
                        headers={"Content-Type": "application/x-www-form-urlencoded"}) for n in readers]

        started = time.monotonic()
        with concurrent.futures.ThreadPoolExecutor(4) as pool:  # as a mailbox provider would: several at once
            statuses = sum(pool.map(unsubscribe, [range(start, 500, 4) for start in range(4)]), [])
        print(f"500 one-click unsubscribes in {time.monotonic() - started:.1f} s")
        assert statuses == [200] * 500, {status: statuses.count(status) for status in set(statuses)}
        assert "paused: true" in (subscribers / "reader-0499.yaml").read_text()
        assert server.log.read_text().count("Subscribers read") == 1, "the service's own edits need no reload"
    finally:
        server.stop()
