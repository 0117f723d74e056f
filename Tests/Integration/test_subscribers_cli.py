"""`digest subscribers …` through the built binary: files are edited in place, comments and key order kept, every
result passes `digest check`, and mistakes are refused with the same suggestions `digest check` gives."""

import json
import shutil

from conftest import ROOT, run_digest, write_config

ANNA = (ROOT / "subscribers" / "anna-andersson.yaml").read_text(encoding="utf-8")


def workspace(tmp_path):
    """A config over a copy of the example subscribers; returns (config path, subscribers folder)."""
    subscribers = tmp_path / "subscribers"
    shutil.copytree(ROOT / "subscribers", subscribers)
    config = write_config(tmp_path, "  transport: maildir:outbox")
    text = config.read_text(encoding="utf-8").replace(f"subscribers: {ROOT}/subscribers", f"subscribers: {subscribers}")
    config.write_text(text, encoding="utf-8")
    return config, subscribers


def digest(binary, config, *args):
    return run_digest(binary, "subscribers", *args, "--config", str(config), cwd=config.parent)


def test_add_check_pause_resume_remove(digest_bin, tmp_path):
    config, subscribers = workspace(tmp_path)

    added = digest(digest_bin, config, "add", "ny.foretagare@example.com", "--name", "Ny Företagare",
                   "--language", "en", "--topic", "Lån", "--topic", "export", "--region", "rattvik",
                   "--organizer", "almi", "--keyword", "e-handel")
    assert added.returncode == 0, added.stderr
    new_file = subscribers / "ny-foretagare-example-com.yaml"
    assert new_file.read_text(encoding="utf-8") == (
        "email: ny.foretagare@example.com\n"
        "name: Ny Företagare\n"
        "language: en\n"
        "interests:\n"
        "  topics: [finansiering, export]\n"
        "  regions: [Rättvik]\n"
        "  organizers: [Almi]\n"
        "  keywords: [e-handel]\n"
    )
    check = run_digest(digest_bin, "check", "--config", str(config), cwd=tmp_path)
    assert check.returncode == 0, check.stderr
    assert "4 subscribers (4 active)" in check.stdout

    again = digest(digest_bin, config, "add", "NY.FORETAGARE@example.com")
    assert again.returncode == 2
    assert "already subscribed" in again.stderr

    paused = digest(digest_bin, config, "pause", "anna.andersson@example.com")
    assert paused.returncode == 0, paused.stderr
    anna = (subscribers / "anna-andersson.yaml").read_text(encoding="utf-8")
    assert anna == ANNA + "paused: true\n"  # the comment on the first line and the key order are intact
    check = run_digest(digest_bin, "check", "--config", str(config), cwd=tmp_path)
    assert check.returncode == 0 and "4 subscribers (3 active)" in check.stdout

    listed = digest(digest_bin, config, "list", "--json")
    assert listed.returncode == 0, listed.stderr
    rows = json.loads(listed.stdout)
    assert [row["email"] for row in rows] == [
        "anna.andersson@example.com", "erik.lindqvist@example.org", "ny.foretagare@example.com",
        "sara.okafor@example.net"]
    assert list(rows[0]) == ["email", "name", "language", "paused", "sendEmpty", "topics", "regions", "organizers",
                             "kinds", "keywords", "exclude", "file"]
    assert rows[0]["paused"] is True and rows[2]["topics"] == ["finansiering", "export"]

    table = digest(digest_bin, config, "list")
    assert table.returncode == 0
    anna_row = next(line for line in table.stdout.splitlines() if line.startswith("anna.andersson@example.com"))
    assert anna_row.split()[-2:] == ["yes", "finansiering,export"]

    shown = digest(digest_bin, config, "show", "anna.andersson@example.com")
    assert shown.returncode == 0, shown.stderr
    assert "subscribers/anna-andersson.yaml" in shown.stdout and "Falun, Borlänge" in shown.stdout

    resumed = digest(digest_bin, config, "resume", "anna.andersson@example.com")
    assert resumed.returncode == 0, resumed.stderr
    assert (subscribers / "anna-andersson.yaml").read_text(encoding="utf-8") == ANNA + "paused: false\n"

    removed = digest(digest_bin, config, "remove", "ny.foretagare@example.com")
    assert removed.returncode == 0, removed.stderr
    assert not new_file.exists()
    assert sorted(path.name for path in subscribers.iterdir() if path.suffix == ".yaml") == [
        "anna-andersson.yaml", "erik-lindqvist.yaml", "sara-okafor.yaml"]
    assert not [path.name for path in subscribers.iterdir() if path.name.endswith(".tmp")]
    check = run_digest(digest_bin, "check", "--config", str(config), cwd=tmp_path)
    assert check.returncode == 0 and "3 subscribers (3 active)" in check.stdout


def test_add_with_a_misspelt_topic_is_refused_with_a_suggestion(digest_bin, tmp_path):
    config, subscribers = workspace(tmp_path)
    before = sorted(path.name for path in subscribers.iterdir() if not path.name.startswith("."))
    result = digest(digest_bin, config, "add", "x@example.com", "--topic", "finansering")
    assert result.returncode == 2
    assert "unknown topic 'finansering'. Did you mean 'finansiering'?" in result.stderr
    assert sorted(path.name for path in subscribers.iterdir() if not path.name.startswith(".")) == before


def test_list_file_entries_are_edited_and_removed_in_place(digest_bin, tmp_path):
    config, subscribers = workspace(tmp_path)
    listing = (
        "# Kollegor på Bruket AB.\n"
        "- email: b@example.com   # Bertil\n"
        "  interests:\n"
        "    topics: [export]\n"
        "# Cecilia vill ha allt.\n"
        "- email: c@example.com\n"
    )
    (subscribers / "bruket.yaml").write_text(listing, encoding="utf-8")
    assert digest(digest_bin, config, "pause", "c@example.com").returncode == 0
    assert (subscribers / "bruket.yaml").read_text(encoding="utf-8") == listing + "  paused: true\n"
    assert digest(digest_bin, config, "remove", "c@example.com").returncode == 0
    assert (subscribers / "bruket.yaml").read_text(encoding="utf-8") == listing.split("# Cecilia")[0]
    missing = digest(digest_bin, config, "pause", "c@example.com")
    assert missing.returncode == 2 and "no subscriber has the address c@example.com" in missing.stderr


def test_symbolic_links_out_of_the_folder_are_refused_and_links_are_never_replaced(digest_bin, tmp_path):
    config, subscribers = workspace(tmp_path)
    outside = tmp_path / "elsewhere.yaml"
    outside.write_text("email: utanfor@example.com\n", encoding="utf-8")
    (subscribers / "utanfor.yaml").symlink_to(outside)
    check = run_digest(digest_bin, "check", "--config", str(config), cwd=tmp_path)
    assert check.returncode == 2, check.stdout
    assert (f"subscribers/utanfor.yaml: is a symbolic link to {outside}, outside the subscribers folder; put the "
            "subscriber file itself in the folder.") in check.stderr.splitlines(), check.stderr
    (subscribers / "utanfor.yaml").unlink()

    # A link within the folder is read, but an edit leaves it and the file it points to alone.
    store = subscribers / ".store"
    store.mkdir()
    (subscribers / "anna-andersson.yaml").rename(store / "anna.txt")
    (subscribers / "anna-andersson.yaml").symlink_to(store / "anna.txt")
    assert run_digest(digest_bin, "check", "--config", str(config), cwd=tmp_path).returncode == 0
    paused = digest(digest_bin, config, "pause", "anna.andersson@example.com")
    assert paused.returncode != 0
    assert f"is a symbolic link to {store / 'anna.txt'}; edit that file by hand, so that the link stays." \
        in paused.stderr, paused.stderr
    assert (subscribers / "anna-andersson.yaml").is_symlink()
    assert (store / "anna.txt").read_text(encoding="utf-8") == ANNA
