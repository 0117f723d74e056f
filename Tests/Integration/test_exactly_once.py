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

from conftest import ROOT, run_digest, write_config

NOW = "2026-12-01T08:00:00+01:00"
SUBSCRIBERS = 120


def make_subscribers(folder):
    folder.mkdir()
    for index in range(SUBSCRIBERS):
        topics = ["finansiering", "hallbarhet", "export", "digitalisering"][index % 4]
        (folder / f"person-{index:03d}.yaml").write_text(
            f"# generated subscriber {index}\nemail: person{index:03d}@example.com\nname: Person {index}\n"
            f"interests:\n  topics: [{topics}]\n",
            encoding="utf-8",
        )


def test_kill_at_random_points_then_finish(digest_bin, smtp_server, certificate, tmp_path):
    server = smtp_server()
    cert, _ = certificate
    subscribers = tmp_path / "subscribers"
    make_subscribers(subscribers)
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
        time.sleep(randomizer.uniform(0.02, 0.35))
        if process.poll() is None:
            process.send_signal(signal.SIGKILL)
            kills += 1
        process.wait(timeout=60)
        if len(server.messages()) >= SUBSCRIBERS:
            break
    assert kills >= 1, "the run finished before any kill: raise SUBSCRIBERS so the test exercises crashes"
    print(f"{kills} kills, {len(server.messages())} messages received before the final run")
    final = run_digest(digest_bin, "send", "--config", str(config), "--now", NOW, env_extra=env)
    assert final.returncode == 0, final.stderr
    again = run_digest(digest_bin, "send", "--config", str(config), "--now", NOW, env_extra=env)
    assert "0 skickade" in again.stdout and f"{SUBSCRIBERS} redan skickade" in again.stdout, again.stdout

    ids = defaultdict(set)
    for entry, raw in server.messages():
        message = email.message_from_bytes(raw, policy=email.policy.default)
        ids[entry["rcpt_tos"][0]].add(message["Message-ID"])
    missing = {f"person{index:03d}@example.com" for index in range(SUBSCRIBERS)} - set(ids)
    assert not missing, f"never delivered: {sorted(missing)} (after {kills} kills)"
    different = {address: found for address, found in ids.items() if len(found) != 1}
    assert not different, f"received different messages: {different}"
