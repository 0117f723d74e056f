"""The command line as an operator and an editor use it: check, collect, preview, send to a Maildir, locking."""

import email
import email.policy
import fcntl
import json
import os
import pathlib
import re
import shutil
import sqlite3

from conftest import ROOT, run_digest, write_config

NOW = "2026-12-01T08:00:00+01:00"


def test_check_accepts_the_example(digest_bin):
    result = run_digest(digest_bin, "check", "--config", str(ROOT / "digest.yaml"))
    assert result.returncode == 0, result.stderr
    assert "3 subscribers" in result.stdout


def test_check_reports_a_broken_subscriber_with_path_and_line(digest_bin, tmp_path):
    subscribers = tmp_path / "subscribers"
    shutil.copytree(ROOT / "subscribers", subscribers)
    (subscribers / "trasig.yaml").write_text("email: ny@example.com\ninterests:\n  topics: [finansering]\n")
    config = write_config(tmp_path, "  transport: maildir:outbox")
    text = config.read_text().replace(f"subscribers: {ROOT}/subscribers", f"subscribers: {subscribers}")
    config.write_text(text)
    result = run_digest(digest_bin, "check", "--config", str(config), cwd=tmp_path)
    assert result.returncode == 2
    assert "subscribers/trasig.yaml:3:12: unknown topic 'finansering'. Did you mean 'finansiering'?" in result.stderr
    sent = run_digest(digest_bin, "send", "--config", str(config), "--now", NOW, cwd=tmp_path)
    assert sent.returncode == 2 and "trasig.yaml" in sent.stderr
    assert not (tmp_path / "outbox").exists()


def test_collect_and_sources_test_do_not_read_subscribers_or_templates(digest_bin, tmp_path):
    """An editor trying a source is not stopped by a broken subscriber file or template: collecting needs neither."""
    subscribers = tmp_path / "subscribers"
    shutil.copytree(ROOT / "subscribers", subscribers)
    (subscribers / "trasig.yaml").write_text("email: ny@example.com\ninterests:\n  topics: [finansering]\n")
    templates = tmp_path / "templates"
    shutil.copytree(ROOT / "templates", templates)
    (templates / "digest.txt.mustache").write_text("{{#items}}unclosed\n")
    config = write_config(tmp_path, "  transport: maildir:outbox")
    text = config.read_text().replace(f"subscribers: {ROOT}/subscribers", f"subscribers: {subscribers}")
    config.write_text(text.replace(f"templates: {ROOT}/templates", f"templates: {templates}"))
    assert run_digest(digest_bin, "check", "--config", str(config), cwd=tmp_path).returncode == 2
    collected = run_digest(digest_bin, "collect", "--json", "--config", str(config), "--now", NOW, cwd=tmp_path)
    assert collected.returncode == 0, collected.stderr
    assert "trasig.yaml" not in collected.stderr and "digest.txt.mustache" not in collected.stderr
    assert any(json.loads(line)["title"] == "Innovativa startups 2027" for line in collected.stdout.splitlines())
    source = json.loads(collected.stdout.splitlines()[0])["source"]
    tested = run_digest(digest_bin, "sources", "test", source, "--config", str(config), "--now", NOW, cwd=tmp_path)
    assert tested.returncode == 0, tested.stderr


def test_check_reports_what_the_template_engine_does_not_render_with_path_line_and_column(digest_bin, tmp_path):
    templates = tmp_path / "templates"
    shutil.copytree(ROOT / "templates", templates)
    html = templates / "digest.html.mustache"
    html.write_text("{{#uppercased(missing)}}\n{{/uppercased(missing)}}\n" + html.read_text(encoding="utf-8"),
                    encoding="utf-8")
    footer = templates / "partials" / "footer.txt.mustache"
    footer.write_text(footer.read_text(encoding="utf-8") + "x {{<base}}{{/base}}\n", encoding="utf-8")
    lines = footer.read_text(encoding="utf-8").count("\n")
    config = write_config(tmp_path, "  transport: maildir:outbox")
    config.write_text(config.read_text(encoding="utf-8").replace(f"templates: {ROOT}/templates",
                                                                 f"templates: {templates}"), encoding="utf-8")
    result = run_digest(digest_bin, "check", "--config", str(config), cwd=tmp_path)
    assert result.returncode == 2, result.stdout
    assert ("templates/digest.html.mustache:1:1: template error: transforms ('uppercased(missing)') are not "
            "supported.") in result.stderr.splitlines()
    assert (f"templates/partials/footer.txt.mustache:{lines}:3: template error: template inheritance ('{{{{<…}}}}', "
            "parents and blocks) is not supported.") in result.stderr.splitlines()
    sent = run_digest(digest_bin, "send", "--config", str(config), "--now", NOW, cwd=tmp_path)
    assert sent.returncode == 2 and "digest.html.mustache:1:1" in sent.stderr
    assert not (tmp_path / "outbox").exists()


def test_check_reports_partials_that_include_themselves_and_nothing_renders_them(digest_bin, tmp_path):
    # Before: check passed, and preview and send died with SIGSEGV (exit 139), naming no template.
    templates = tmp_path / "templates"
    shutil.copytree(ROOT / "templates", templates)
    footer = templates / "partials" / "footer.txt.mustache"
    footer.write_text("Hej\n\n{{> partials/footer.txt}}\n" + footer.read_text(encoding="utf-8"), encoding="utf-8")
    (templates / "partials" / "a.html.mustache").write_text("a\n{{> partials/b.html}}\n", encoding="utf-8")
    (templates / "partials" / "b.html.mustache").write_text("{{#x}}{{> partials/a.html}}{{/x}}\n", encoding="utf-8")
    config = write_config(tmp_path, "  transport: maildir:outbox")
    config.write_text(config.read_text(encoding="utf-8").replace(f"templates: {ROOT}/templates",
                                                                 f"templates: {templates}"), encoding="utf-8")
    result = run_digest(digest_bin, "check", "--config", str(config), cwd=tmp_path)
    assert result.returncode == 2, result.stdout + result.stderr
    lines = result.stderr.splitlines()
    assert ("templates/partials/footer.txt.mustache:3:1: partial 'partials/footer.txt' includes itself "
            "(footer.txt → footer.txt)") in lines, result.stderr
    assert ("templates/partials/a.html.mustache:2:1: partial 'partials/a.html' includes itself "
            "(a.html → b.html → a.html)") in lines, result.stderr
    for command in (["preview", "--out", str(tmp_path / "preview")], ["send"]):
        ran = run_digest(digest_bin, *command, "--config", str(config), "--now", NOW, cwd=tmp_path)
        assert ran.returncode == 2, (command, ran.returncode, ran.stderr)
        assert "templates/partials/footer.txt.mustache:3:1: partial 'partials/footer.txt' includes itself" in ran.stderr
    assert not (tmp_path / "outbox").exists()


def test_collect_json_lines(digest_bin):
    result = run_digest(digest_bin, "collect", "--json", "--config", str(ROOT / "digest.yaml"), "--now", NOW)
    assert result.returncode == 0, result.stderr
    items = [json.loads(line) for line in result.stdout.splitlines()]
    keys = ["id", "kind", "source", "uid", "title", "summary", "url", "start", "end", "allDay", "location",
            "organizer", "deadline", "topics", "regions", "status", "published", "updated"]
    assert all(list(item) == keys for item in items)
    seminar = next(item for item in items if item["title"].startswith("Seminarium"))
    assert seminar["start"] == "2026-12-08T09:00:00+01:00" and seminar["end"] == "2026-12-08T11:30:00+01:00"
    assert seminar["regions"] == ["Borlänge"] and "finansiering" in seminar["topics"]
    # The weekly advice session repeats on Thursdays, with the 24th excluded: one item per occurrence.
    advice = [item["start"] for item in items if item["uid"] == "starta-eget-radgivning@coompanion.example.se"]
    assert advice == ["2026-12-03T13:00:00+01:00", "2026-12-10T13:00:00+01:00", "2026-12-17T13:00:00+01:00"]
    allday = next(item for item in items if item["title"] == "Digitaliseringsdagen i Mora")
    assert (allday["allDay"], allday["start"], allday["end"]) == (True, "2026-12-17", "2026-12-18")
    # A closed call is dropped; a call announced by two sources is one item.
    titles = [item["title"] for item in items if item["kind"] == "funding"]
    assert not any("Klimatklivet" in title for title in titles)
    assert titles.count("Innovativa startups 2027") == 1
    calls = {item["title"]: item for item in items if item["kind"] == "funding"}
    assert calls["Innovativa startups 2027"]["deadline"].startswith("2027-01-20")
    assert calls["Energikartläggningscheckar för små och medelstora företag"]["deadline"] == "2027-03-19T14:00:00+01:00"


def test_send_to_maildir_then_preview(digest_bin, tmp_path):
    config = write_config(tmp_path, "  transport: maildir:outbox")
    result = run_digest(digest_bin, "send", "--config", str(config), "--now", NOW, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    files = sorted((tmp_path / "outbox" / "new").iterdir())
    assert len(files) == 3
    for path in files:
        message = email.message_from_bytes(path.read_bytes(), policy=email.policy.SMTP)
        assert message.get_body(preferencelist=("html",)) is not None
    preview = run_digest(digest_bin, "preview", "--config", str(config), "--now", NOW,
                         "--out", str(tmp_path / "preview"), cwd=tmp_path)
    assert preview.returncode == 0, preview.stderr
    index = (tmp_path / "preview" / "index.html").read_text()
    for address in ["anna.andersson@example.com", "erik.lindqvist@example.org", "sara.okafor@example.net"]:
        assert address in index
    assert len(list((tmp_path / "preview").glob("*.eml"))) == 3


def test_send_logs_name_subscribers_by_reference_never_by_address(digest_bin, tmp_path):
    config = write_config(tmp_path, "  transport: maildir:outbox")
    result = run_digest(digest_bin, "send", "--verbose", "--log-format", "json", "--config", str(config),
                        "--now", NOW, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    entries = [json.loads(line) for line in result.stderr.splitlines() if line.startswith("{")]
    delivered = [entry for entry in entries if entry["message"] == "Delivered"]
    assert len(delivered) == 3, entries
    refs = {entry["subscriber.ref"] for entry in delivered}
    assert len(refs) == 3 and all(re.fullmatch(r"s-[0-9a-f]{10}", ref) for ref in refs), refs
    assert all(entry["delivery.reply"] for entry in delivered), delivered
    for address in ["anna.andersson@example.com", "erik.lindqvist@example.org", "sara.okafor@example.net"]:
        assert address not in result.stderr
    again = run_digest(digest_bin, "send", "--verbose", "--log-format", "json", "--config", str(config),
                       "--now", NOW, "--issue", "2026-W49-b", cwd=tmp_path)
    assert {json.loads(line)["subscriber.ref"] for line in again.stderr.splitlines()
            if line.startswith("{") and json.loads(line)["message"] == "Delivered"} == refs


def test_an_empty_or_foreign_state_file_is_refused_and_nothing_sent(digest_bin, tmp_path):
    """Only a missing state file starts a new ledger: an empty one (a failed copy, a full disk) would send the whole
    issue again."""
    config = write_config(tmp_path, "  transport: maildir:outbox")
    state = tmp_path / "state.sqlite"
    state.write_bytes(b"")
    result = run_digest(digest_bin, "send", "--config", str(config), "--now", NOW, cwd=tmp_path)
    assert result.returncode == 2, result.stdout + result.stderr
    assert f"{state}: is empty (0 bytes), so it holds no ledger; if the state was lost, move the file aside" \
        in result.stderr, result.stderr
    assert not (tmp_path / "outbox").exists()
    state.unlink()
    sqlite3.connect(state).execute("CREATE TABLE other (x)").connection.commit()
    sqlite3.connect(state).execute("DROP TABLE other").connection.commit()
    result = run_digest(digest_bin, "send", "--config", str(config), "--now", NOW, cwd=tmp_path)
    assert result.returncode == 2 and "is a database without digest's tables" in result.stderr, result.stderr
    assert not (tmp_path / "outbox").exists()
    state.unlink()
    result = run_digest(digest_bin, "send", "--config", str(config), "--now", NOW, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert len(list((tmp_path / "outbox" / "new").iterdir())) == 3


def test_same_inputs_same_bytes(digest_bin, tmp_path):
    outputs = []
    for run in ("a", "b"):
        folder = tmp_path / run
        folder.mkdir()
        config = write_config(folder, "  transport: maildir:outbox")
        result = run_digest(digest_bin, "preview", "--config", str(config), "--now", NOW,
                            "--out", str(folder / "preview"), cwd=folder)
        assert result.returncode == 0, result.stderr
        outputs.append({p.name: p.read_bytes() for p in (folder / "preview").glob("*.eml")})
    assert outputs[0] == outputs[1] and len(outputs[0]) == 3


def test_second_send_is_locked_out(digest_bin, tmp_path):
    config = write_config(tmp_path, "  transport: maildir:outbox")
    lock_path = tmp_path / "state.sqlite.lock"
    with open(lock_path, "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        result = run_digest(digest_bin, "send", "--config", str(config), "--now", NOW, cwd=tmp_path)
    assert result.returncode == 75
    assert "another digest send is running" in result.stderr
    again = run_digest(digest_bin, "send", "--config", str(config), "--now", NOW, cwd=tmp_path)
    assert again.returncode == 0, again.stderr


def test_one_broken_source_does_not_stop_the_others(digest_bin, tmp_path):
    config = write_config(tmp_path, "  transport: maildir:outbox", sources=f"""
  - name: kalendarium
    kind: event
    url: {ROOT}/examples/sources/kalendarium.ics
  - name: saknas
    kind: funding
    url: does-not-exist.xml
    format: rss""")
    result = run_digest(digest_bin, "send", "--config", str(config), "--now", NOW, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "saknas" in result.stderr and "does-not-exist.xml" in result.stderr
    assert len(list((tmp_path / "outbox" / "new").iterdir())) >= 1
