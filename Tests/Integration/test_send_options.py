"""The operator's options on `digest send`: --dry-run, --only/--to, --retry-failed, --shard, and the exit codes."""

import email
import email.policy
import sqlite3

from conftest import run_digest, write_config

NOW = "2026-12-01T08:00:00+01:00"
EVERYONE = {"anna.andersson@example.com", "erik.lindqvist@example.org", "sara.okafor@example.net"}


def recipients(folder):
    found = set()
    for path in (folder / "outbox" / "new").iterdir():
        message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
        found.add(message["To"].addresses[0].addr_spec)
    return found


def ledger(folder):
    with sqlite3.connect(folder / "state.sqlite") as db:
        return dict(db.execute("SELECT subscriber, status FROM delivery").fetchall())


def test_dry_run_sends_and_records_nothing(digest_bin, tmp_path):
    config = write_config(tmp_path, "  transport: maildir:outbox")
    result = run_digest(digest_bin, "send", "--dry-run", "--config", str(config), "--now", NOW, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "anna.andersson@example.com: 5 nya utlysningar, 0 sista dag snart, 2 evenemang" in result.stdout
    assert "(torrkörning)" in result.stdout
    assert not (tmp_path / "outbox").exists()
    assert not (tmp_path / "state.sqlite").exists()


def test_only_to_an_editor_leaves_the_ledger_alone(digest_bin, tmp_path):
    config = write_config(tmp_path, "  transport: maildir:outbox")
    result = run_digest(digest_bin, "send", "--only", "sara.okafor@example.net", "--to", "redaktor@example.se",
                        "--config", str(config), "--now", NOW, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert recipients(tmp_path) == {"redaktor@example.se"}
    assert ledger(tmp_path) == {}
    full = run_digest(digest_bin, "send", "--config", str(config), "--now", NOW, cwd=tmp_path)
    assert "3 skickade" in full.stdout, full.stdout
    unknown = run_digest(digest_bin, "send", "--only", "nobody@example.com", "--config", str(config),
                         "--now", NOW, cwd=tmp_path)
    assert unknown.returncode == 2 and "no subscriber has the address nobody@example.com" in unknown.stderr


def test_shards_split_the_list_without_overlap(digest_bin, tmp_path):
    seen = []
    for shard in ("1/2", "2/2"):
        folder = tmp_path / shard.replace("/", "-")
        folder.mkdir()
        config = write_config(folder, "  transport: maildir:outbox")
        result = run_digest(digest_bin, "send", "--shard", shard, "--config", str(config), "--now", NOW, cwd=folder)
        assert result.returncode == 0, result.stderr
        seen.append(recipients(folder) if (folder / "outbox" / "new").exists() else set())
    assert seen[0] | seen[1] == EVERYONE and not seen[0] & seen[1]
    bad = run_digest(digest_bin, "send", "--shard", "3/2", "--config", str(config), "--now", NOW, cwd=tmp_path)
    assert bad.returncode != 0 and "--shard" in bad.stderr


def test_permanent_failure_is_recorded_and_retried_only_when_asked(digest_bin, smtp_server, certificate, tmp_path):
    cert, _ = certificate
    refusing = smtp_server("--fail-rcpt", "erik.lindqvist=550")
    transport = (f"  transport: smtp://127.0.0.1:{{port}}\n  username: digest\n  passwordEnv: TEST_SMTP_PASSWORD\n"
                 f"  caFile: {cert}\n")
    config = write_config(tmp_path, transport.format(port=refusing.port))
    env = {"TEST_SMTP_PASSWORD": "s3cret"}
    first = run_digest(digest_bin, "send", "--config", str(config), "--now", NOW, env_extra=env)
    assert first.returncode == 1
    assert "2 skickade" in first.stdout and "1 misslyckade" in first.stdout, first.stdout
    assert "550" in first.stderr
    assert ledger(tmp_path)["erik.lindqvist@example.org"] == "failed"

    again = run_digest(digest_bin, "send", "--config", str(config), "--now", NOW, env_extra=env)
    assert again.returncode == 1 and "0 skickade" in again.stdout and "1 misslyckade" in again.stdout

    accepting = smtp_server()
    config = write_config(tmp_path, transport.format(port=accepting.port))
    retried = run_digest(digest_bin, "send", "--retry-failed", "--config", str(config), "--now", NOW, env_extra=env)
    assert retried.returncode == 0, retried.stderr
    assert "1 skickade" in retried.stdout and "2 redan skickade" in retried.stdout, retried.stdout
    assert [entry["rcpt_tos"] for entry, _ in accepting.messages()] == [["erik.lindqvist@example.org"]]
    assert set(ledger(tmp_path).values()) == {"delivered"}


def test_status_reports_runs_and_deliveries(digest_bin, tmp_path):
    config = write_config(tmp_path, "  transport: maildir:outbox")
    run_digest(digest_bin, "send", "--config", str(config), "--now", NOW, cwd=tmp_path)
    status = run_digest(digest_bin, "status", "--config", str(config), cwd=tmp_path)
    assert status.returncode == 0, status.stderr
    assert "Leveranser:\n  2026-W49: 0 osäkra, 3 levererade, 0 misslyckade, 0 uppskjutna" in status.stdout, status.stdout
    # The operator's texts follow the newsletter's language, as the digests do.
    config.write_text(config.read_text().replace("newsletter:\n", "newsletter:\n  language: en\n", 1))
    english = run_digest(digest_bin, "status", "--config", str(config), cwd=tmp_path)
    assert "Deliveries:\n  2026-W49: 0 uncertain, 3 delivered, 0 failed, 0 deferred" in english.stdout, english.stdout
    assert "vecka 49: 3 skickade" in status.stdout
