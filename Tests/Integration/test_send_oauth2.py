"""`digest send` with `delivery.oauth2`: SMTP AUTH XOAUTH2 with a token from the client-credentials grant, against the
aiosmtpd server (with an XOAUTH2 check) and the loopback token endpoint (token_server.py)."""

import sqlite3

from conftest import run_digest, write_config
from test_send_smtp import NOW, SUBSCRIBERS

SECRET = {"TEST_OAUTH2_SECRET": "app-s3cret"}
SCOPE = "https://outlook.office365.com/.default"


def oauth2_config(tmp_path, server, certificate, token_url, username="sender@example.se", extra=""):
    cert, _ = certificate
    return write_config(
        tmp_path,
        f"  transport: smtp://127.0.0.1:{server.port}\n  username: {username}\n  caFile: {cert}\n"
        f"  oauth2:\n    tokenURL: {token_url}\n    clientID: digest-app\n    clientSecretEnv: TEST_OAUTH2_SECRET\n"
        f"    scope: {SCOPE}\n{extra}",
    )


def xoauth2_logins(server):
    import json
    path = server.maildir / "xoauth2.jsonl"
    return [json.loads(line) for line in path.read_text().splitlines()] if path.exists() else []


def ledger_rows(config):
    path = config.parent / "state.sqlite"
    if not path.exists():
        return []
    with sqlite3.connect(path) as connection:
        return connection.execute("SELECT subscriber, status FROM delivery").fetchall()


def test_token_is_fetched_sent_with_xoauth2_and_renewed_before_it_expires(
        digest_bin, smtp_server, token_server, certificate, tmp_path):
    tokens = token_server("--expires-in", "1", "--scope", SCOPE)
    server = smtp_server("--xoauth2", "sender@example.se:tok-")
    # Two messages a second over one connection: the third starts after the first token's 0.9 s are up.
    config = oauth2_config(tmp_path, server, certificate, tokens.url, extra="  connections: 1\n  maxPerSecond: 2\n")
    result = run_digest(digest_bin, "send", "--config", str(config), "--now", NOW, env_extra=SECRET)
    assert result.returncode == 0, (result.stdout, result.stderr)
    assert "3 skickade" in result.stdout
    assert sorted(entry["rcpt_tos"][0] for entry, _ in server.messages()) == sorted(SUBSCRIBERS)
    seen = tokens.count()
    assert seen["requests"] >= 2, seen
    assert all(form == {"grant_type": "client_credentials", "client_id": "digest-app", "scope": SCOPE}
               for form in seen["forms"]), seen["forms"]
    logins = xoauth2_logins(server)
    assert all(login["ok"] and login["user"] == "sender@example.se" for login in logins), logins
    assert len({login["token"] for login in logins}) >= 2, logins  # the renewed token was used
    assert "app-s3cret" not in result.stdout + result.stderr


def test_a_wrong_client_secret_stops_the_run_with_the_endpoints_error(
        digest_bin, smtp_server, token_server, certificate, tmp_path):
    tokens = token_server("--error-description", "AADSTS7000215: Invalid client secret provided.\x1b[2J")
    server = smtp_server("--xoauth2", "sender@example.se:tok-")
    config = oauth2_config(tmp_path, server, certificate, tokens.url)
    result = run_digest(digest_bin, "send", "--config", str(config), "--now", NOW,
                        env_extra={"TEST_OAUTH2_SECRET": "wrong-s3cret"})
    assert result.returncode == 75, (result.stdout, result.stderr)
    assert (f"digest send stopped: cannot send through smtp://127.0.0.1:{server.port}: the OAuth2 token endpoint "
            f"{tokens.url} refused the request: HTTP 401, invalid_client: "
            '"AADSTS7000215: Invalid client secret provided.\\u{1B}[2J"; 3 deliveries were left unsent') in result.stderr
    assert "\x1b" not in result.stderr and "wrong-s3cret" not in result.stderr + result.stdout
    assert tokens.count()["requests"] == 1, "stopped at the first refusal"
    assert server.connections() == 0 and server.messages() == []
    assert ledger_rows(config) == []


def test_a_token_endpoint_that_is_down_stops_the_run(digest_bin, smtp_server, token_server, certificate, tmp_path):
    tokens = token_server()
    url = tokens.url
    tokens.process.terminate()
    tokens.process.wait(timeout=10)
    server = smtp_server("--xoauth2", "sender@example.se:tok-")
    config = oauth2_config(tmp_path, server, certificate, url)
    result = run_digest(digest_bin, "send", "--config", str(config), "--now", NOW, env_extra=SECRET)
    assert result.returncode == 75, (result.stdout, result.stderr)
    assert f"the OAuth2 token endpoint {url} could not be reached: connection failed" in result.stderr, result.stderr
    assert server.messages() == [] and ledger_rows(config) == []


def test_a_login_refused_with_a_valid_token_stops_the_run(
        digest_bin, smtp_server, token_server, certificate, tmp_path):
    tokens = token_server()
    server = smtp_server("--xoauth2", "sender@example.se:tok-")
    config = oauth2_config(tmp_path, server, certificate, tokens.url, username="someone-else@example.se")
    result = run_digest(digest_bin, "send", "--config", str(config), "--now", NOW, env_extra=SECRET)
    assert result.returncode == 75, (result.stdout, result.stderr)
    assert (f"cannot send through smtp://127.0.0.1:{server.port}: authentication failed: "
            "535 5.7.8 Authentication credentials invalid") in result.stderr, result.stderr
    assert "tok-1" not in result.stderr, "the token never reaches a message"
    assert server.messages() == [] and ledger_rows(config) == []
    assert len(xoauth2_logins(server)) == 1, "one refused login, not one per reader or connection"


def test_check_validates_the_oauth2_block(digest_bin, tmp_path):
    def check(block, env=None):
        config = write_config(tmp_path, "  transport: smtps://smtp.office365.example:465\n"
                                        "  username: sender@example.se\n" + block)
        return run_digest(digest_bin, "check", "--config", str(config), env_extra=env or {})

    good = ("  oauth2:\n    tokenURL: https://login.example.com/tenant/oauth2/v2.0/token\n    clientID: digest-app\n"
            "    clientSecretEnv: TEST_OAUTH2_SECRET\n    scope: https://outlook.office365.com/.default\n")
    assert check(good, SECRET).returncode == 0
    missing = check(good, {"TEST_OAUTH2_SECRET": ""})
    assert missing.returncode == 2
    assert ("the environment variable TEST_OAUTH2_SECRET (clientSecretEnv) is not set; set it to the OAuth2 client "
            "secret before digest send.") in missing.stderr, missing.stderr
    typo = check(good.replace("clientID:", "clientId:"), SECRET)
    assert typo.returncode == 2 and "unknown key 'clientId'. Did you mean 'clientID'?" in typo.stderr, typo.stderr
    plain = check(good.replace("https://login.example.com", "http://login.example.com"), SECRET)
    assert plain.returncode == 2
    assert ("would send the client secret in plain text to login.example.com; use https:// (http:// is allowed only "
            "for 127.0.0.1, ::1 or localhost)") in plain.stderr, plain.stderr
