"""What readers see over consecutive issues built from one state file: new events marked, repeated ones as
`newsletter.repeatEvents` says, the subject counting new items only, deadlines told exactly (issue 17)."""

import email
import email.policy

from conftest import ROOT, run_digest, write_config

WEEKS = ["2026-12-01T07:00:00+01:00", "2026-12-08T07:00:00+01:00", "2026-12-15T07:00:00+01:00"]
ANNA = "anna.andersson@example.com"


def send_three_weeks(digest_bin, tmp_path, repeat=None):
    """Sends the three weekly issues to the Maildir and returns Anna's message of each week, in order."""
    config = write_config(tmp_path, "  transport: maildir:outbox")
    if repeat:
        text = config.read_text(encoding="utf-8")
        config.write_text(text.replace("newsletter:\n", f"newsletter:\n  repeatEvents: {repeat}\n", 1),
                          encoding="utf-8")
    messages = []
    for now in WEEKS:
        before = set((tmp_path / "outbox" / "new").glob("*")) if (tmp_path / "outbox").exists() else set()
        result = run_digest(digest_bin, "send", "--config", str(config), "--now", now, cwd=tmp_path)
        assert result.returncode == 0, result.stderr
        fresh = set((tmp_path / "outbox" / "new").glob("*")) - before
        anna = [email.message_from_bytes(path.read_bytes(), policy=email.policy.SMTP) for path in fresh]
        anna = [message for message in anna if message["To"].addresses[0].addr_spec == ANNA]
        messages.append(anna[0] if anna else None)
    return messages


def text(message):
    return message.get_body(preferencelist=("plain",)).get_content()


def listed(body, title):
    """The lines of `body` that list an event titled `title` (with or without a status)."""
    return [line for line in body.splitlines() if line.startswith("* ") and line.endswith(title)]


def test_new_events_are_marked_once_and_the_subject_counts_only_what_is_new(digest_bin, tmp_path):
    first, second, third = send_three_weeks(digest_bin, tmp_path)
    body = text(first)
    seminar = "Seminarium: Offentlig finansiering för företag i Dalarna"
    assert listed(body, seminar) == [f"* [Nytt] {seminar}"], body
    # A week later the same seminar (still ahead) is listed again, no longer new.
    assert listed(text(second), seminar) == [f"* {seminar}"], text(second)
    # The subject counts new items only: the first issue's new events, not the repeated ones later.
    assert "nya evenemang" in str(first["Subject"]) or "nytt evenemang" in str(first["Subject"]), first["Subject"]
    for message in (second, third):
        if message is not None:
            body = text(message)
            new = sum(1 for line in body.splitlines() if line.startswith("* [Nytt] "))
            subject = str(message["Subject"])
            if new == 0:
                assert "evenemang" not in subject, subject
            else:
                assert (f"{new} nya evenemang" if new > 1 else "1 nytt evenemang") in subject, (subject, body)


def test_repeat_events_once_lists_an_unchanged_event_only_the_first_time(digest_bin, tmp_path):
    first, second, _ = send_three_weeks(digest_bin, tmp_path, repeat="once")
    seminar = "Seminarium: Offentlig finansiering för företag i Dalarna"
    assert listed(text(first), seminar) == [f"* [Nytt] {seminar}"]
    assert second is None or listed(text(second), seminar) == [], text(second)


def test_a_deadline_with_a_time_from_the_editors_beats_the_feeds_bare_date(digest_bin, tmp_path):
    first, _, _ = send_three_weeks(digest_bin, tmp_path)
    body = text(first)
    assert "Sista ansökningsdag: 20 januari 2027 kl. 14.00 (50 dagar kvar)" in body, body
    assert "Löpande ansökan" in body, body


def test_deadline_reminders_put_each_call_in_the_calendar_with_an_alarm_a_week_before(digest_bin, tmp_path):
    import icalendar

    config = write_config(tmp_path, "  transport: maildir:outbox")
    text = config.read_text(encoding="utf-8")
    config.write_text(text.replace("newsletter:\n", "newsletter:\n  deadlineReminders: true\n", 1), encoding="utf-8")
    result = run_digest(digest_bin, "send", "--config", str(config), "--now", WEEKS[0], cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    for path in (tmp_path / "outbox" / "new").iterdir():
        message = email.message_from_bytes(path.read_bytes(), policy=email.policy.SMTP)
        if message["To"].addresses[0].addr_spec == ANNA:
            break
    attachment = next(part for part in message.iter_attachments() if part.get_content_type() == "text/calendar")
    calendar = icalendar.Calendar.from_ical(attachment.get_content())
    events = {str(event["SUMMARY"]): event for event in calendar.walk("VEVENT")}
    reminder = events["Sista ansökningsdag: Innovativa startups 2027"]
    assert reminder.decoded("DTSTART").isoformat() == "2027-01-20"  # an all-day event on the deadline's day
    alarms = reminder.walk("VALARM")
    assert len(alarms) == 1 and alarms[0].decoded("TRIGGER").days == -7 and str(alarms[0]["ACTION"]) == "DISPLAY"
    # The events are still there, and without the setting no reminder is.
    assert any(name.startswith("Seminarium") for name in events)


def test_a_call_its_source_no_longer_lists_is_told_withdrawn_once_and_never_when_the_source_failed(digest_bin, tmp_path):
    editors = tmp_path / "redaktionen.yaml"
    original = (ROOT / "examples" / "sources" / "redaktionen.yaml").read_text(encoding="utf-8")
    extra = ('- title: "Exportcheckar för Dalarna 2027"\n  url: https://www.almi.example.se/exportcheckar\n'
             '  funder: Almi\n  deadline: 2027-03-31\n  summary: "Checkar för exportrådgivning."\n'
             '  topics: [Export]\n')
    editors.write_text(original + extra, encoding="utf-8")
    config = write_config(tmp_path, "  transport: maildir:outbox")
    config.write_text(config.read_text(encoding="utf-8").replace(
        f"{ROOT}/examples/sources/redaktionen.yaml", str(editors)), encoding="utf-8")

    def send(now):
        before = set((tmp_path / "outbox" / "new").glob("*")) if (tmp_path / "outbox").exists() else set()
        result = run_digest(digest_bin, "send", "--config", str(config), "--now", now, cwd=tmp_path)
        assert result.returncode in (0, 1), result.stderr
        for path in set((tmp_path / "outbox" / "new").glob("*")) - before:
            message = email.message_from_bytes(path.read_bytes(), policy=email.policy.SMTP)
            if message["To"].addresses[0].addr_spec == ANNA:
                return text(message)
        return ""

    assert "Exportcheckar för Dalarna 2027" in send(WEEKS[0])
    # The source fails: nothing is called withdrawn.
    editors.rename(tmp_path / "away.yaml")
    assert "Indragen" not in send(WEEKS[1])
    # The source is read again, without the call: Anna, who got it, is told once.
    (tmp_path / "away.yaml").rename(editors)
    editors.write_text(original, encoding="utf-8")
    body = send(WEEKS[2])
    lines = body.splitlines()
    assert "* Exportcheckar för Dalarna 2027" in lines, body
    at = lines.index("* Exportcheckar för Dalarna 2027")
    assert lines[at + 1] == "  Indragen – finns inte längre hos utlysaren", body
    assert "  Du fick den i ett tidigare nummer." in lines[at:at + 8], body
    assert "Indragen" not in send("2026-12-22T07:00:00+01:00")
