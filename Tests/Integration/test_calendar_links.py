"""Every event one click from the calendar (issue 17, item 6): the digest's `.ics` link is answered by `digest serve`
with that one event, and the Google Calendar and Outlook.com links carry its title, UTC times, place and link."""

import email
import email.policy
import html
import re
import urllib.parse

import icalendar

from test_serve import request, workspace  # noqa: F401  (the fixture: a send to the Maildir, then digest serve)

SEMINAR = "Seminarium: Offentlig finansiering för företag i Dalarna"


def anna_html(tmp):
    for path in (tmp / "outbox" / "new").iterdir():
        message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
        if message["To"].addresses[0].addr_spec == "anna.andersson@example.com":
            return message.get_body(preferencelist=("html",)).get_content()
    raise AssertionError("no digest for Anna")


def seminar_links(body):
    """The ics, Google and Outlook links of the seminar's entry."""
    start = body.index(html.escape(SEMINAR, quote=False))
    line = next(line for line in body[start:].splitlines() if "calendar.google.com" in line)
    links = [html.unescape(link) for link in re.findall(r'href="([^"]+)"', line)]
    return dict(zip(["ics", "google", "outlook"], links))


def test_the_ics_link_answers_the_one_event_and_parses_back(workspace):  # noqa: F811
    links = seminar_links(anna_html(workspace["tmp"]))
    assert links["ics"].startswith("https://digest.example.se/event/ev-") and links["ics"].endswith(".ics")
    path = urllib.parse.urlsplit(links["ics"]).path
    status, headers, body = request(workspace["base"] + path)
    assert status == 200, body
    assert headers["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = icalendar.Calendar.from_ical(body)
    events = [component for component in calendar.walk("VEVENT")]
    assert len(events) == 1
    event = events[0]
    assert str(event["SUMMARY"]) == SEMINAR
    assert event.decoded("DTSTART").isoformat() == "2026-12-08T09:00:00+01:00"
    assert event.decoded("DTEND").isoformat() == "2026-12-08T11:30:00+01:00"
    assert "Borlänge" in str(event["LOCATION"])
    # An id nobody published, or one that is not an id, is the same 404 page as a bad token.
    for wrong in ("/event/ev-0000000000000000.ics", "/event/..%2Fstate.ics", "/event/EV-X.ics", "/event/ev-1"):
        assert request(workspace["base"] + wrong)[0] == 404, wrong


def test_google_and_outlook_links_carry_the_event_field_by_field(workspace):  # noqa: F811
    links = seminar_links(anna_html(workspace["tmp"]))
    google = urllib.parse.urlsplit(links["google"])
    assert (google.scheme, google.netloc, google.path) == ("https", "calendar.google.com", "/calendar/render")
    query = urllib.parse.parse_qs(google.query)
    assert query["action"] == ["TEMPLATE"]
    assert query["text"] == [SEMINAR]
    assert query["dates"] == ["20261208T080000Z/20261208T103000Z"]
    assert query["location"] == ["Dalarna Science Park, Borlänge"]
    assert query["details"][0].startswith("https://www.almi.example.se/")
    outlook = urllib.parse.urlsplit(links["outlook"])
    assert outlook.netloc == "outlook.live.com"
    query = urllib.parse.parse_qs(outlook.query)
    assert query["subject"] == [SEMINAR]
    assert (query["startdt"], query["enddt"]) == (["2026-12-08T08:00:00Z"], ["2026-12-08T10:30:00Z"])
    assert query["location"] == ["Dalarna Science Park, Borlänge"]
    assert query["rru"] == ["addevent"]
