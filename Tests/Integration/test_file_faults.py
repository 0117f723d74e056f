"""Hand-written files that are not what they should be (too large, a named pipe, a symbolic link loop, not UTF-8, a
broken topics file) get one clear error each from `digest check`, naming the file, and never hang or mislead it
(issue 16, items 10 and 13)."""

import os
import pathlib
import shutil

from conftest import ROOT, run_digest, write_config

NOW = "2026-12-01T07:00:00+01:00"


def workspace(tmp_path, subscribers_key=None):
    """A config over a copy of the example subscribers (and topics) that the test may spoil."""
    folder = tmp_path / "subscribers"
    shutil.copytree(ROOT / "subscribers", folder)
    shutil.copy(ROOT / "topics.yaml", tmp_path / "topics.yaml")
    config = write_config(tmp_path, "  transport: maildir:outbox")
    text = config.read_text(encoding="utf-8")
    text = text.replace(f"subscribers: {ROOT}/subscribers", subscribers_key or f"subscribers: {folder}")
    text = text.replace(f"topics: {ROOT}/topics.yaml", f"topics: {tmp_path / 'topics.yaml'}")
    config.write_text(text, encoding="utf-8")
    return config, folder


def check(digest_bin, config, tmp_path):
    result = run_digest(digest_bin, "check", "--config", str(config), cwd=tmp_path)
    return result.returncode, result.stderr.splitlines()


def big_subscriber(path, size):
    """A valid subscriber file of about `size` bytes (mostly comment lines)."""
    body = "email: stor@example.se\nname: Stor Fil\n"
    line = "# " + "x" * 76 + "\n"
    path.write_text(line * (size // len(line) + 1) + body, encoding="utf-8")


def test_a_subscriber_file_over_the_limit_is_refused_unread_and_the_limit_is_configurable(digest_bin, tmp_path):
    # Before: a 39 MB file took 23 s and 515 MB; there was no limit at all.
    config, folder = workspace(tmp_path)
    big_subscriber(folder / "stor.yaml", 2 * 1024 * 1024)
    code, lines = check(digest_bin, config, tmp_path)
    assert code == 2, lines
    assert ("subscribers/stor.yaml: file is larger than 1 MiB, the limit of subscribers.maxFileBytes (it has 2.0 MiB)."
            in lines), lines
    assert len(lines) == 1, lines
    # Raised in the config, the same file is read.
    raised, _ = workspace(tmp_path / "raised",
                          f"subscribers:\n  folder: {folder}\n  maxFileBytes: 4194304")
    code, lines = check(digest_bin, raised, tmp_path / "raised")
    assert code == 0, lines
    # A limit that is not a number of bytes is a located config error.
    wrong, _ = workspace(tmp_path / "wrong", f"subscribers:\n  folder: {folder}\n  maxFileBytes: -1")
    code, lines = check(digest_bin, wrong, tmp_path / "wrong")
    assert code == 2 and any("maxFileBytes" in line and "digest.yaml:" in line for line in lines), lines


def test_a_named_pipe_and_a_symbolic_link_loop_are_named_for_what_they_are(digest_bin, tmp_path):
    # Before: a FIFO gave "You don't have permission" and a loop "NSCocoaErrorDomain error 256".
    config, folder = workspace(tmp_path)
    os.mkfifo(folder / "pipe.yaml")
    os.symlink("loop.yaml", folder / "loop.yaml")
    os.symlink("nowhere.yaml", folder / "dangling.yaml")
    code, lines = check(digest_bin, config, tmp_path)  # never blocks on the pipe: run_digest has a timeout
    assert code == 2, lines
    assert "subscribers/pipe.yaml: is a named pipe, not a regular file; put the file itself here." in lines, lines
    assert ("subscribers/loop.yaml: is a symbolic link that leads back to itself (a loop); point it at a real file."
            in lines), lines
    assert "subscribers/dangling.yaml: is a symbolic link to nowhere.yaml, which does not exist." in lines, lines
    assert not any("NSCocoaErrorDomain" in line or "permission" in line for line in lines), lines
    # The valid files are still read: send to the Maildir serves every one of them.
    os.remove(folder / "pipe.yaml")
    os.remove(folder / "loop.yaml")
    os.remove(folder / "dangling.yaml")
    assert check(digest_bin, config, tmp_path)[0] == 0


def test_text_that_is_not_utf8_is_located_at_its_line_and_column(digest_bin, tmp_path):
    config, folder = workspace(tmp_path)
    (folder / "latin1.yaml").write_bytes("email: cafe@example.se\nname: Café Åre\n".encode("latin-1"))
    code, lines = check(digest_bin, config, tmp_path)
    assert code == 2, lines
    assert ("subscribers/latin1.yaml:2:10: is not valid UTF-8 text: byte 0xE9 here is not part of a character; "
            "save the file as UTF-8.") in lines, lines


def test_a_broken_topics_file_is_one_error_not_a_false_unknown_name_in_every_subscriber(digest_bin, tmp_path):
    config, folder = workspace(tmp_path)
    (folder / "org.yaml").write_text(
        "email: org@example.se\ninterests:\n  topics: [energi]\n  organizers: [Almi]\n", encoding="utf-8")
    (tmp_path / "topics.yaml").write_text("topics:\n  energi: [\n", encoding="utf-8")
    code, lines = check(digest_bin, config, tmp_path)
    assert code == 2, lines
    assert lines and all(line.startswith("topics.yaml") or str(tmp_path / "topics.yaml") in line for line in lines), \
        lines
    assert not any("unknown topic" in line or "unknown organizer" in line for line in lines), lines
