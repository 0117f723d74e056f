"""Exactly once under crashes: `digest send` is killed with SIGKILL at random moments while it delivers to a real SMTP
server; later runs finish the issue. No subscriber may be missed, and nobody may receive two *different* messages
(a resend after an unknown outcome carries the same Message-ID, so receivers can drop it)."""

import email
import email.policy
import random
import signal
import subprocess
import time
from collections import defaultdict

import pytest

from conftest import ROOT, run_digest, write_config

NOW = "2026-12-01T08:00:00+01:00"


def make_subscribers(folder, count):
    folder.mkdir()
    for index in range(count):
        topics = ["finansiering", "hallbarhet", "export", "digitalisering"][index % 4]
        (folder / f"person-{index:03d}.yaml").write_text(
            f"# generated subscriber {index}\nemail: person{index:03d}@example.com\nname: Person {index}\n"
            f"interests:\n  topics: [{topics}]\n",
            encoding="utf-8",
        )


# 120 readers: kills land anywhere in a short run. 2,000 readers: the run reads, builds and begins its deliveries in
# batches and records their outcomes in batches, so kills also land between a batch's writes and its deliveries.
@pytest.mark.parametrize("subscriber_count, kill_window", [(120, (0.02, 0.35)), (2000, (0.3, 2.5))])
def test_kill_at_random_points_then_finish(
        digest_bin, smtp_server, certificate, tmp_path, subscriber_count, kill_window):
    server = smtp_server()
    cert, _ = certificate
    subscribers = tmp_path / "subscribers"
    make_subscribers(subscribers, subscriber_count)
    config = write_config(
        tmp_path,
        f"  transport: smtp://127.0.0.1:{server.port}\n  username: digest\n  passwordEnv: TEST_SMTP_PASSWORD\n"
        f"  caFile: {cert}\n  connections: 2\n",
    )
    config.write_text(config.read_text().replace(f"subscribers: {ROOT}/subscribers", f"subscribers: {subscribers}"))
    env = {"TEST_SMTP_PASSWORD": "s3cret"}
    randomizer = random.Random(4711)
    kills = 0
    for _ in range(12):
        process = subprocess.Popen(
            [str(digest_bin), "send", "--config", str(config), "--now", NOW],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            env={**__import__("os").environ, "DIGEST_UNSUBSCRIBE_SECRET": "s", **env},
        )
        time.sleep(randomizer.uniform(*kill_window))
        if process.poll() is None:
            process.send_signal(signal.SIGKILL)
            kills += 1
        process.wait(timeout=60)
        if len(server.messages()) >= subscriber_count:
            break
    assert kills >= 1, "the run finished before any kill: raise the subscriber count so the test exercises crashes"
    print(f"{kills} kills, {len(server.messages())} messages received before the final run")
    final = run_digest(digest_bin, "send", "--config", str(config), "--now", NOW, env_extra=env)
    assert final.returncode == 0, final.stderr
    again = run_digest(digest_bin, "send", "--config", str(config), "--now", NOW, env_extra=env)
    assert "0 skickade" in again.stdout and f"{subscriber_count} redan skickade" in again.stdout, again.stdout

    ids = defaultdict(set)
    for entry, raw in server.messages():
        message = email.message_from_bytes(raw, policy=email.policy.default)
        ids[entry["rcpt_tos"][0]].add(message["Message-ID"])
    missing = {f"person{index:03d}@example.com" for index in range(subscriber_count)} - set(ids)
    assert not missing, f"never delivered: {sorted(missing)} (after {kills} kills)"
    different = {address: found for address, found in ids.items() if len(found) != 1}
    assert not different, f"received different messages: {different}"
