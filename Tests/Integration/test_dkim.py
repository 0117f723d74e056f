"""Every digest `digest send` delivers carries DKIM signatures (RSA and Ed25519) that dkimpy verifies."""

import base64
import subprocess
import sys

import pytest

from conftest import HERE, run_digest, write_config

NOW = "2026-12-01T08:00:00+01:00"


def openssl(*args, data=None):
    return subprocess.run(["openssl", *args], input=data, capture_output=True, check=True).stdout


@pytest.fixture(scope="module")
def keys(tmp_path_factory):
    folder = tmp_path_factory.mktemp("dkim")
    rsa, ed = folder / "rsa.pem", folder / "ed25519.pem"
    openssl("genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", str(rsa))
    openssl("genpkey", "-algorithm", "ed25519", "-out", str(ed))
    rsa_public = base64.b64encode(openssl("pkey", "-in", str(rsa), "-pubout", "-outform", "DER")).decode()
    ed_public = base64.b64encode(openssl("pkey", "-in", str(ed), "-pubout", "-outform", "DER")[-32:]).decode()
    return {
        "rsa": (rsa, f"v=DKIM1; k=rsa; p={rsa_public}"),
        "ed25519": (ed, f"v=DKIM1; k=ed25519; p={ed_public}"),
    }


def test_rsa_and_ed25519_signatures_verify(digest_bin, smtp_server, certificate, keys, tmp_path):
    server = smtp_server()
    cert, _ = certificate
    config = write_config(
        tmp_path,
        f"  transport: smtp://127.0.0.1:{server.port}\n  username: digest\n  passwordEnv: TEST_SMTP_PASSWORD\n"
        f"  caFile: {cert}\n"
        f"  dkim:\n"
        f"    - {{domain: example.se, selector: rsa2026, privateKey: {keys['rsa'][0]}}}\n"
        f"    - {{domain: example.se, selector: ed2026, privateKey: {keys['ed25519'][0]}}}\n",
    )
    result = run_digest(digest_bin, "send", "--config", str(config), "--now", NOW,
                        env_extra={"TEST_SMTP_PASSWORD": "s3cret"})
    assert result.returncode == 0, result.stderr
    received = server.messages()
    assert len(received) == 3
    for index, (_, raw) in enumerate(received):
        path = tmp_path / f"received-{index}.eml"
        path.write_bytes(raw)
        assert raw.count(b"DKIM-Signature:") == 2
        header_end = raw.index(b"\r\n\r\n")
        assert b"h=" in raw[:header_end] and b"list-unsubscribe-post" in raw[:header_end].lower()
        check = subprocess.run(
            [sys.executable, str(HERE / "dkim_verify.py"), str(path),
             "rsa2026", "example.se", keys["rsa"][1], "ed2026", "example.se", keys["ed25519"][1]],
            capture_output=True, text=True,
        )
        assert check.returncode == 0, check.stdout + check.stderr


def test_a_missing_key_is_reported_by_check(digest_bin, tmp_path):
    config = write_config(
        tmp_path,
        "  transport: maildir:outbox\n  dkim: {domain: example.se, selector: s1, privateKey: keys/missing.pem}\n",
    )
    result = run_digest(digest_bin, "check", "--config", str(config), cwd=tmp_path)
    assert result.returncode == 2
    assert "keys/missing.pem: cannot use this DKIM key" in result.stderr
