"""`digest send` when things go wrong around it (issue 16): a refused login or TLS failure stops the run and leaves the
deliveries unsent (item 6), SIGTERM/SIGINT stops it cleanly (item 9), and a reader who unsubscribes mid-run is not
mailed by it (item 16). Each against the built binary and the aiosmtpd server on 127.0.0.1."""

import os
import signal
import sqlite3
import subprocess
import time

import pytest

from conftest import ROOT, run_digest, write_config
from test_send_smtp import NOW, SUBSCRIBERS, smtp_config

GOOD = {"TEST_SMTP_PASSWORD": "s3cret"}


def ledger(config):
    """Every ledger row as (subscriber, status), from the state file beside the config."""
    path = config.parent / "state.sqlite"
    if not path.exists():
        return []
    with sqlite3.connect(path) as connection:
        return sorted(connection.execute("SELECT subscriber, status FROM delivery").fetchall())


def test_wrong_password_stops_the_run_and_leaves_every_delivery_unsent(
        digest_bin, smtp_server, certificate, tmp_path):
    server = smtp_server()
    config = smtp_config(tmp_path, server, certificate)  # four connections
    result = run_digest(digest_bin, "send", "--config", str(config), "--now", NOW,
                        env_extra={"TEST_SMTP_PASSWORD": "wrong-Pa55"})
    assert result.returncode == 75, (result.stdout, result.stderr)
    assert (f"digest send stopped: cannot send through smtp://127.0.0.1:{server.port}: authentication failed: "
            "535 5.7.8 Authentication credentials invalid; 3 deliveries were left unsent, and the next run sends "
            "them once this is fixed.") in result.stderr, result.stderr
    assert "0 misslyckade" in result.stdout and "avbruten: 3 ej skickade än" in result.stdout, result.stdout
    assert "wrong-Pa55" not in result.stderr + result.stdout
    assert server.messages() == []
    # Stopped at the first refusal: one connection, one AUTH, not one per reader or connection (servers lock such
    # accounts).
    assert server.connections() == 1
    assert ledger(config) == [], "nothing may be recorded as failed or left sending"

    fixed = run_digest(digest_bin, "send", "--config", str(config), "--now", NOW, env_extra=GOOD)
    assert fixed.returncode == 0, fixed.stderr
    assert "3 skickade" in fixed.stdout, fixed.stdout
    assert sorted(entry["rcpt_tos"][0] for entry, _ in server.messages()) == sorted(SUBSCRIBERS)


def test_untrusted_certificate_stops_the_run_with_exit_75(digest_bin, smtp_server, certificate, tmp_path):
    server = smtp_server()
    config = write_config(
        tmp_path,
        f"  transport: smtp://127.0.0.1:{server.port}\n  username: digest\n  passwordEnv: TEST_SMTP_PASSWORD\n",
    )
    result = run_digest(digest_bin, "send", "--config", str(config), "--now", NOW, env_extra=GOOD)
    assert result.returncode == 75, (result.stdout, result.stderr)
    assert f"cannot send through smtp://127.0.0.1:{server.port}: TLS failed: SSL certificate problem" in result.stderr
    assert server.messages() == []
    assert ledger(config) == []
    trusted = smtp_config(tmp_path, server, certificate)
    fixed = run_digest(digest_bin, "send", "--config", str(trusted), "--now", NOW, env_extra=GOOD)
    assert fixed.returncode == 0, fixed.stderr
    assert len(server.messages()) == 3


def make_subscribers(folder, count):
    folder.mkdir()
    for index in range(count):
        (folder / f"person-{index:03d}.yaml").write_text(
            f"email: person{index:03d}@example.com\nname: Person {index}\ninterests:\n  topics: [finansiering]\n",
            encoding="utf-8",
        )


@pytest.mark.parametrize("signal_number", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_a_signal_finishes_the_delivery_in_flight_records_it_and_exits_75(
        digest_bin, smtp_server, certificate, tmp_path, signal_number):
    count = 25
    server = smtp_server("--data-delay", "0.2")
    subscribers = tmp_path / "subscribers"
    make_subscribers(subscribers, count)
    config = smtp_config(tmp_path, server, certificate, extra="  connections: 1\n")
    config.write_text(config.read_text().replace(f"subscribers: {ROOT}/subscribers", f"subscribers: {subscribers}"))
    process = subprocess.Popen(
        [str(digest_bin), "send", "--config", str(config), "--now", NOW],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env={**os.environ, "DIGEST_UNSUBSCRIBE_SECRET": "s", **GOOD},
    )
    deadline = time.monotonic() + 120
    while not server.messages() and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert process.poll() is None, "the run ended before the signal: make it longer"
    process.send_signal(signal_number)
    stdout, stderr = process.communicate(timeout=120)
    assert process.returncode == 75, (process.returncode, stdout, stderr)
    name = "SIGTERM" if signal_number == signal.SIGTERM else "SIGINT"
    assert f"digest send stopped by {name}: the deliveries in flight were finished and recorded" in stderr, stderr
    assert "avbruten:" in stdout and "ej skickade än" in stdout, stdout
    rows = ledger(config)
    assert all(status == "delivered" for _, status in rows), rows  # nothing left sending
    received = [entry["rcpt_tos"][0] for entry, _ in server.messages()]
    assert sorted(received) == sorted(subscriber for subscriber, _ in rows)
    assert 0 < len(received) < count

    rest = run_digest(digest_bin, "send", "--config", str(config), "--now", NOW, env_extra=GOOD)
    assert rest.returncode == 0, rest.stderr
    received = [entry["rcpt_tos"][0] for entry, _ in server.messages()]
    assert sorted(received) == sorted(f"person{index:03d}@example.com" for index in range(count))


def test_a_reader_who_unsubscribes_during_the_run_is_not_mailed_by_it(
        digest_bin, smtp_server, certificate, tmp_path):
    state = tmp_path / "state.sqlite"
    rows = ", ".join(f"('{address}', 'unsubscribed', 0)" for address in SUBSCRIBERS)
    # While the first message waits for its reply, every reader unsubscribes (as the serve endpoint records it).
    server = smtp_server("--sql-on-first-data", str(state), f"INSERT OR IGNORE INTO suppression VALUES {rows};")
    config = smtp_config(tmp_path, server, certificate, extra="  connections: 1\n")
    result = run_digest(digest_bin, "send", "--config", str(config), "--now", NOW, env_extra=GOOD)
    assert result.returncode == 0, result.stderr
    assert "1 skickade" in result.stdout and "2 spärrade" in result.stdout, result.stdout
    assert len(server.messages()) == 1
    assert [status for _, status in ledger(config)] == ["delivered"]


def test_a_second_signal_ends_the_run_at_once_and_the_next_run_resends_what_was_in_flight(
        digest_bin, smtp_server, certificate, tmp_path):
    server = smtp_server("--data-delay", "3")
    config = smtp_config(tmp_path, server, certificate, extra="  connections: 1\n")
    process = subprocess.Popen(
        [str(digest_bin), "send", "--config", str(config), "--now", NOW],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env={**os.environ, "DIGEST_UNSUBSCRIBE_SECRET": "s", **GOOD},
    )
    deadline = time.monotonic() + 120
    while not ledger(config) and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)  # the first delivery is recorded as sending and waits for the slow server
    process.send_signal(signal.SIGTERM)
    for line in process.stderr:  # the first signal was taken: the run is finishing the delivery in flight
        if "SIGTERM received" in line:
            break
    process.send_signal(signal.SIGTERM)
    process.communicate(timeout=60)
    assert process.returncode == -signal.SIGTERM
    assert [status for _, status in ledger(config)] == ["sending"]

    rest = run_digest(digest_bin, "send", "--config", str(config), "--now", NOW, env_extra=GOOD)
    assert rest.returncode == 0, rest.stderr
    assert "1 osäkra" in rest.stdout, rest.stdout  # resent with the same Message-ID
    assert [status for _, status in ledger(config)] == ["delivered"] * 3
