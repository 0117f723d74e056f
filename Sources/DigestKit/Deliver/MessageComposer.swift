import DigestSupport
import Foundation
import ICalendar
import MailMessage

/// Turns a rendered digest into a complete MIME message for one subscriber: headers (From, To, Subject, Date,
/// a Message-ID stable per issue and recipient, List-Id, List-Unsubscribe with a per-recipient token), the text and
/// HTML alternatives, and the events as an `.ics` attachment. Made once per run: it keeps each event's VEVENT, and
/// each list of events' calendar, for the run.
public final class MessageComposer: Sendable {
    let newsletter: NewsletterConfig
    let from: MailAddress
    let replyTo: MailAddress?
    let envelopeFrom: String
    let domain: String
    let listID: String
    /// The readers' tokens (the links themselves come with each rendered digest).
    let readers: ReaderLinkBuilder
    let signers: [DKIMSigner]
    let writer: ICalendarWriter
    /// Each event's VEVENT, written once per run however many digests attach it.
    let writtenEvents = WrittenEventCache()
    /// Each list of events' calendar, put together once per run.
    let calendars = CalendarCache()

    /// A composer for `newsletter`; `secret` keys the unsubscribe tokens (from `DIGEST_UNSUBSCRIBE_SECRET`);
    /// every signer adds a DKIM signature.
    public init(newsletter: NewsletterConfig, secret: Data?, signers: [DKIMSigner] = []) throws(DiagnosticList) {
        self.newsletter = newsletter
        readers = try ReaderLinkBuilder(newsletter: newsletter, secret: secret)
        do {
            from = try MailAddress(parsing: newsletter.from)
            replyTo = try newsletter.replyTo.map { try MailAddress(parsing: $0) }
        } catch {
            throw DiagnosticList([Diagnostic(path: "newsletter.from", message: "not a valid address: \(error).")])
        }
        domain = newsletter.messageIDDomain ?? from.domain
        envelopeFrom = newsletter.bounceAddress ?? from.address
        listID = readers.listID
        self.signers = signers
        self.writer = ICalendarWriter(productID: "-//digest//\(newsletter.title)//SV")
    }

    /// The unsubscribe token of `address` in this list, when there is a secret.
    public func token(for address: String) -> String? {
        readers.token(for: address)
    }

    /// The address unsubscribe mails are sent to.
    public var unsubscribeAddress: String { readers.unsubscribeAddress }

    /// The Message-ID of `subscriber`'s digest in `issue`: the same every time it is built, so a resend after a crash
    /// carries the same id and receivers can drop the duplicate.
    public func messageID(for subscriber: Subscriber, issue: IssueInfo) -> String {
        "digest.\(issue.id).\(StableHash.hex(subscriber.email.lowercased() + "|" + listID, length: 20))@\(domain)"
    }

    /// A fresh Message-ID for a copy of `subscriber`'s digest sent to another address (a test for an editor): never
    /// the delivery's own, so the copy cannot replace the real message in a Maildir or be dropped as its duplicate.
    public func copyMessageID(for subscriber: Subscriber, issue: IssueInfo) -> String {
        let nonce = String(UInt64.random(in: 0...UInt64.max), radix: 16)
        let reader = StableHash.hex(subscriber.email.lowercased() + "|" + listID, length: 20)
        return "digest.\(issue.id).copy-\(nonce).\(reader)@\(domain)"
    }

    /// The whole message for `subscriber`; with `override`, a copy to that address under its own Message-ID. The
    /// List-Unsubscribe headers carry the links the digest shows.
    public func compose(
        _ digest: RenderedDigest,
        for subscriber: Subscriber,
        issue: IssueInfo,
        language: Language,
        to override: String? = nil
    ) throws -> OutgoingMessage {
        let recipient = try MailAddress(displayName: subscriber.name, address: override ?? subscriber.email)
        let links = digest.links
        var message = MailMessage(
            from: from,
            to: [recipient],
            subject: digest.subject,
            date: issue.now,
            messageID: override == nil
                ? messageID(for: subscriber, issue: issue) : copyMessageID(for: subscriber, issue: issue),
            textBody: ""
        )
        message.text = digest.textBody
        message.html = digest.htmlBody
        message.replyTo = replyTo
        message.timeZone = newsletter.timeZone
        message.listHeaders = ListHeaders(
            listID: "\(newsletter.title) <\(listID)>",
            unsubscribeMailto: links.unsubscribeMailto,
            unsubscribeURL: links.unsubscribeURL,
            oneClick: links.unsubscribeURL != nil,
            archive: issue.archiveURL
        )
        if !digest.calendarEvents.isEmpty || !digest.deadlineReminders.calls.isEmpty {
            message.attachments = [
                MailAttachment(
                    filename: language == .sv ? "evenemang.ics" : "events.ics",
                    contentType: "text/calendar; method=PUBLISH; charset=UTF-8",
                    text: calendarAttachment(digest, issue: issue)
                )
            ]
        }
        var bytes = message.rendered()
        for signer in signers {
            bytes = try signer.sign(bytes)
        }
        return OutgoingMessage(
            recipient: recipient.address,
            envelopeFrom: envelopeFrom,
            messageID: message.messageID,
            bytes: bytes
        )
    }

    /// The calendar of the digest's events; each VEVENT is written and encoded once per run.
    private func calendarAttachment(_ digest: RenderedDigest, issue: IssueInfo) -> TextBody {
        // Readers of the same items get the same calendar: it is put together once for each list of events.
        let reminders = digest.deadlineReminders
        let items = digest.calendarEvents + reminders.calls
        return calendars.calendar(for: items, label: reminders.label, at: issue.now) {
            makeCalendar(items, reminderLabel: reminders.label, issue: issue)
        }
    }

    /// Every event of `items` that has a start, in one calendar (the archive's `kalender.ics`), each VEVENT the same
    /// as in the digests' attachment.
    func feedCalendar(_ items: [Item], issue: IssueInfo) -> String {
        writer.publish(
            items.compactMap { item in item.start.map { publishedEvent(item, start: $0, stamp: issue.now) } },
            timeZone: newsletter.timeZone)
    }

    /// `item` (an event) as a calendar of its own, the VEVENT the same as in the digests' attachment.
    func eventCalendar(_ item: Item, issue: IssueInfo) -> String? {
        guard let start = item.start else { return nil }
        return writer.publish([publishedEvent(item, start: start, stamp: issue.now)], timeZone: newsletter.timeZone)
    }

    /// A call's deadline as an all-day event on its day, with a display alarm a week before.
    private func deadlineEvent(_ item: Item, label: String, issue: IssueInfo) -> WrittenEventCache.Entry? {
        guard let deadline = item.deadline else { return nil }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = newsletter.timeZone
        let day = calendar.startOfDay(for: deadline)
        var event = PublishedEvent(
            uid: "\(item.id)-deadline@\(domain)",
            start: day,
            end: calendar.date(byAdding: .day, value: 1, to: day) ?? day,
            isAllDay: true,
            summary: "\(label): \(item.title)",
            description: item.url?.absoluteString,
            url: item.url?.absoluteString,
            organizerName: item.organizer,
            stamp: issue.now
        )
        event.alarmDaysBefore = 7
        let written = writer.write(event, timeZone: newsletter.timeZone)
        return WrittenEventCache.Entry(event: written, lines: EncodedLines(written.text))
    }

    private func publishedEvent(_ item: Item, start: Date, stamp: Date) -> PublishedEvent {
        PublishedEvent(
            uid: "\(item.id)@\(domain)",
            sequence: item.sequence,
            start: start,
            end: item.end ?? start,
            isAllDay: item.allDay,
            summary: item.title,
            description: item.summary.isEmpty ? nil : item.summary,
            location: item.location,
            url: item.url?.absoluteString,
            organizerName: item.organizer,
            status: item.cancelled ? .cancelled : nil,
            stamp: stamp
        )
    }

    private func makeCalendar(_ items: [Item], reminderLabel: String, issue: IssueInfo) -> TextBody {
        let events = items.compactMap { item -> WrittenEventCache.Entry? in
            if item.kind == .funding {
                return deadlineEvent(item, label: reminderLabel, issue: issue)
            }
            guard let start = item.start else { return nil }
            let write = { [self] in
                let published = publishedEvent(item, start: start, stamp: issue.now)
                let event = writer.write(published, timeZone: newsletter.timeZone)
                return WrittenEventCache.Entry(event: event, lines: EncodedLines(event.text))
            }
            return writtenEvents.entry(for: item, at: issue.now, write: write)
        }
        var calendar = TextBody(writer.head(for: events.map(\.event), timeZone: newsletter.timeZone))
        for event in events {
            calendar.append(event.lines)
        }
        calendar.append(ICalendarWriter.tail)
        return calendar
    }
}

/// The VEVENTs of a run's items, written and encoded once each, by the item's id and the stamp (an entry is used
/// only for the item it was written for): at most 50,000.
final class WrittenEventCache: Sendable {
    /// An event's text, and the same encoded.
    struct Entry: Sendable {
        let event: WrittenEvent
        let lines: EncodedLines
    }

    private struct Key: Hashable, Sendable {
        let id: String
        let stamp: Date
    }

    private let entries = BoundedCache<Key, (item: Item, entry: Entry)>(capacity: 50_000)

    /// The event of `item` stamped `stamp`, written by `write` the first time.
    func entry(for item: Item, at stamp: Date, write: () -> Entry) -> Entry {
        let key = Key(id: item.id, stamp: stamp)
        let found = entries.value(for: key) { (item, write()) }
        if found.item == item { return found.entry }
        let entry = write()
        entries.replace(key, with: (item, entry))
        return entry
    }
}

/// The calendars of a run, by the ids of the events they hold and the stamp (a calendar is used only for the items
/// it was made of): at most 2,000.
final class CalendarCache: Sendable {
    private struct Key: Hashable, Sendable {
        let ids: [String]
        let stamp: Date
    }

    private let calendars = BoundedCache<Key, (events: [Item], calendar: TextBody)>(capacity: 2_000)

    /// The calendar of `events` stamped `stamp`, put together by `make` the first time.
    func calendar(for events: [Item], label: String, at stamp: Date, make: () -> TextBody) -> TextBody {
        let key = Key(ids: events.map(\.id) + [label], stamp: stamp)
        let found = calendars.value(for: key) { (events, make()) }
        if found.events == events { return found.calendar }
        let calendar = make()
        calendars.replace(key, with: (events, calendar))
        return calendar
    }
}
