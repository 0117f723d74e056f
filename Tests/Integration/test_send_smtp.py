"""`digest send` against a real SMTP server on 127.0.0.1 with STARTTLS and AUTH: one correct message per subscriber."""

import email
import email.policy

from conftest import ROOT, run_digest, write_config

NOW = "2026-12-01T08:00:00+01:00"
SUBSCRIBERS = {
    "anna.andersson@example.com": ("Anna Andersson", "sv"),
    "erik.lindqvist@example.org": ("Erik Lindqvist", "sv"),
    "sara.okafor@example.net": ("Sara Okafor-Nilsson", "en"),
}


def smtp_config(tmp_path, server, certificate, extra=""):
    cert, _ = certificate
    return write_config(
        tmp_path,
        f"  transport: smtp://127.0.0.1:{server.port}\n  starttls: required\n  username: digest\n"
        f"  passwordEnv: TEST_SMTP_PASSWORD\n  caFile: {cert}\n{extra}",
    )


def parts(message):
    return [part.get_content_type() for part in message.walk()]


def test_one_correct_message_per_subscriber(digest_bin, smtp_server, certificate, tmp_path):
    server = smtp_server()
    config = smtp_config(tmp_path, server, certificate)
    result = run_digest(digest_bin, "send", "--config", str(config), "--now", NOW,
                        env_extra={"TEST_SMTP_PASSWORD": "s3cret"})
    assert result.returncode == 0, result.stderr
    assert "3 skickade" in result.stdout, result.stdout

    received = server.messages()
    assert sorted(entry["rcpt_tos"][0] for entry, _ in received) == sorted(SUBSCRIBERS)
    for entry, raw in received:
        assert entry["mail_from"] == "bounces@example.se"
        message = email.message_from_bytes(raw, policy=email.policy.default)
        recipient = entry["rcpt_tos"][0]
        name, language = SUBSCRIBERS[recipient]
        assert message["To"].addresses[0].addr_spec == recipient
        assert message["To"].addresses[0].display_name == name
        assert message["From"].addresses[0].display_name == "Företagsfrämjarna Dalarna"
        assert message["From"].addresses[0].addr_spec == "nyhetsbrev@example.se"
        subject = str(message["Subject"])
        assert subject.startswith("Vecka 49: " if language == "sv" else "Week 49: "), subject
        assert message["Message-ID"].endswith("@example.se>")
        assert message["List-Id"].endswith("<veckodigest.example.se>")
        assert "https://digest.example.se/unsubscribe/" in message["List-Unsubscribe"]
        assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        types = parts(message)
        assert types.index("text/plain") < types.index("text/html"), types
        text = message.get_body(preferencelist=("plain",)).get_content()
        html = message.get_body(preferencelist=("html",)).get_content()
        assert name.split()[0] in text and name.split()[0] in html
        if language == "sv":
            assert "Företagsfrämjarna i Dalarna" in text and "Du får detta för att du följer:" in text
            assert 'lang="sv"' in html
        else:
            assert 'lang="en"' in html
        for line in raw.split(b"\r\n"):
            assert len(line) <= 998
        assert b"\n" not in raw.replace(b"\r\n", b"")


def test_rerun_sends_nothing_twice(digest_bin, smtp_server, certificate, tmp_path):
    server = smtp_server()
    config = smtp_config(tmp_path, server, certificate)
    env = {"TEST_SMTP_PASSWORD": "s3cret"}
    first = run_digest(digest_bin, "send", "--config", str(config), "--now", NOW, env_extra=env)
    assert first.returncode == 0, first.stderr
    second = run_digest(digest_bin, "send", "--config", str(config), "--now", NOW, env_extra=env)
    assert second.returncode == 0, second.stderr
    assert "0 skickade" in second.stdout and "3 redan skickade" in second.stdout, second.stdout
    assert len(server.messages()) == 3


def test_one_connection_for_the_whole_run(digest_bin, smtp_server, certificate, tmp_path):
    server = smtp_server()
    config = smtp_config(tmp_path, server, certificate, extra="  connections: 1\n")
    result = run_digest(digest_bin, "send", "--config", str(config), "--now", NOW,
                        env_extra={"TEST_SMTP_PASSWORD": "s3cret"})
    assert result.returncode == 0, result.stderr
    assert len(server.messages()) == 3
    assert server.connections() == 1


# A wrong password and an untrusted certificate stop the run with exit 75: see test_send_faults.py.


def test_rate_limit_spaces_the_messages(digest_bin, smtp_server, certificate, tmp_path):
    import time
    server = smtp_server()
    config = smtp_config(tmp_path, server, certificate, extra="  connections: 1\n  maxPerSecond: 2\n")
    started = time.monotonic()
    result = run_digest(digest_bin, "send", "--config", str(config), "--now", NOW,
                        env_extra={"TEST_SMTP_PASSWORD": "s3cret"})
    elapsed = time.monotonic() - started
    assert result.returncode == 0, result.stderr
    assert len(server.messages()) == 3
    assert elapsed >= 0.9, f"3 messages at 2 a second took only {elapsed:.2f} s"
