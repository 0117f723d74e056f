"""The sendmail transport pipes each message to the local MTA program with `-i -f <envelope> -- <recipient>` and
checks its exit status. The MTA here is a small program that stores what it is given, like a local queue would."""

import email
import email.policy
import stat

from conftest import run_digest, write_config

NOW = "2026-12-01T08:00:00+01:00"


def fake_mta(folder, exit_code=0):
    queue = folder / "queue"
    queue.mkdir()
    script = folder / "sendmail"
    script.write_text(
        "#!/usr/bin/env python3\n"
        "import sys, pathlib, uuid\n"
        f"queue = pathlib.Path({str(queue)!r})\n"
        "name = uuid.uuid4().hex\n"
        "(queue / (name + '.args')).write_text(' '.join(sys.argv[1:]))\n"
        "(queue / (name + '.eml')).write_bytes(sys.stdin.buffer.read())\n"
        f"sys.exit({exit_code})\n"
    )
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    return script, queue


def test_messages_reach_the_local_mta(digest_bin, tmp_path):
    script, queue = fake_mta(tmp_path)
    config = write_config(tmp_path, f"  transport: sendmail:{script}")
    result = run_digest(digest_bin, "send", "--config", str(config), "--now", NOW, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    args = sorted(path.read_text() for path in queue.glob("*.args"))
    assert args == [f"-i -f bounces@example.se -- {address}" for address in
                    ["anna.andersson@example.com", "erik.lindqvist@example.org", "sara.okafor@example.net"]]
    for path in queue.glob("*.eml"):
        raw = path.read_bytes()
        assert b"\r" not in raw, "sendmail takes LF line endings"
        message = email.message_from_bytes(raw, policy=email.policy.default)
        assert message.get_body(preferencelist=("html",)) is not None


def test_a_failing_mta_is_recorded_and_retried_next_run(digest_bin, tmp_path):
    script, queue = fake_mta(tmp_path, exit_code=75)
    config = write_config(tmp_path, f"  transport: sendmail:{script}")
    result = run_digest(digest_bin, "send", "--config", str(config), "--now", NOW, cwd=tmp_path)
    assert result.returncode == 1
    assert "3 misslyckade" in result.stdout
    assert "sendmail exited with 75" in result.stderr
    script.write_text(script.read_text().replace("sys.exit(75)", "sys.exit(0)"))
    again = run_digest(digest_bin, "send", "--config", str(config), "--now", NOW, cwd=tmp_path)
    assert again.returncode == 0 and "3 skickade" in again.stdout, again.stdout + again.stderr
