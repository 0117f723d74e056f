import DigestSupport
import Foundation
import ICalendar
import MailMessage

/// Turns a rendered digest into a complete MIME message for one subscriber: headers (From, To, Subject, Date,
/// a Message-ID stable per issue and recipient, List-Id, List-Unsubscribe with a per-recipient token), the text and
/// HTML alternatives, and the events as an `.ics` attachment.
public struct MessageComposer: Sendable {
    let newsletter: NewsletterConfig
    let from: MailAddress
    let replyTo: MailAddress?
    let envelopeFrom: String
    let domain: String
    let listID: String
    let unsubscribeMailto: String
    let secret: Data?
    let issuer: UnsubscribeToken.Issuer?
    let signers: [DKIMSigner]
    let writer: ICalendarWriter
    /// The unsubscribe and preferences pages' addresses with a trailing slash, when the base URL has no query or
    /// fragment, for appending tokens.
    let readerPages: (unsubscribe: String, preferences: String)?
    /// Each event's VEVENT, written once per run however many digests attach it.
    let writtenEvents = WrittenEventCache()
    /// Each list of events' calendar, put together once per run.
    let calendars = CalendarCache()

    /// A composer for `newsletter`; `secret` keys the unsubscribe tokens (from `DIGEST_UNSUBSCRIBE_SECRET`);
    /// every signer adds a DKIM signature.
    public init(newsletter: NewsletterConfig, secret: Data?, signers: [DKIMSigner] = []) throws(DiagnosticList) {
        self.newsletter = newsletter
        do {
            from = try MailAddress(parsing: newsletter.from)
            replyTo = try newsletter.replyTo.map { try MailAddress(parsing: $0) }
        } catch {
            throw DiagnosticList([Diagnostic(path: "newsletter.from", message: "not a valid address: \(error).")])
        }
        domain = newsletter.messageIDDomain ?? from.domain
        envelopeFrom = newsletter.bounceAddress ?? from.address
        let listID = newsletter.listID ?? "digest.\(from.domain)"
        self.listID = listID
        unsubscribeMailto = newsletter.unsubscribeMailto ?? "unsubscribe@\(from.domain)"
        self.secret = secret
        self.issuer = secret.map { UnsubscribeToken.Issuer(listID: listID, secret: $0) }
        self.signers = signers
        self.writer = ICalendarWriter(productID: "-//digest//\(newsletter.title)//SV")
        if let base = newsletter.baseURL, base.query == nil, base.fragment == nil {
            readerPages = (
                base.appendingPathComponent("unsubscribe").absoluteString + "/",
                base.appendingPathComponent("preferences").absoluteString + "/"
            )
        } else {
            readerPages = nil
        }
    }

    /// The unsubscribe token of `address` in this list, when there is a secret.
    public func token(for address: String) -> String? {
        issuer?.token(for: address)
    }

    /// The address unsubscribe mails are sent to.
    public var unsubscribeAddress: String { unsubscribeMailto }

    /// The footer links for `subscriber`: the https unsubscribe and preference pages when the newsletter has a base
    /// URL and a secret, and the mailto link always (its subject carries the reader's token when there is a secret,
    /// so `digest inbox` can tell who asked).
    public func links(for subscriber: Subscriber) -> ReaderLinks {
        guard let secret else {
            return ReaderLinks(
                unsubscribeURL: nil,
                preferencesURL: nil,
                unsubscribeMailto: "mailto:\(unsubscribeMailto)?subject=unsubscribe"
            )
        }
        let token =
            issuer?.token(for: subscriber.email)
            ?? UnsubscribeToken.make(
                address: subscriber.email, listID: listID, secret: secret)
        let mailto = "mailto:\(unsubscribeMailto)?subject=unsubscribe%20\(token)"
        guard let base = newsletter.baseURL else {
            return ReaderLinks(unsubscribeURL: nil, preferencesURL: nil, unsubscribeMailto: mailto)
        }
        // Tokens are URL-safe base64, so appending one to the page's address as text gives the URL
        // `appendingPathComponent` would, without parsing the base again for every reader.
        if let pages = readerPages, let unsubscribe = URL(string: pages.unsubscribe + token),
            let preferences = URL(string: pages.preferences + token)
        {
            return ReaderLinks(unsubscribeURL: unsubscribe, preferencesURL: preferences, unsubscribeMailto: mailto)
        }
        return ReaderLinks(
            unsubscribeURL: base.appendingPathComponent("unsubscribe").appendingPathComponent(token),
            preferencesURL: base.appendingPathComponent("preferences").appendingPathComponent(token),
            unsubscribeMailto: mailto
        )
    }

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

    /// The whole message for `subscriber`; with `override`, a copy to that address under its own Message-ID. `links`
    /// are the reader's footer links when already worked out for the renderer.
    public func compose(
        _ digest: RenderedDigest,
        for subscriber: Subscriber,
        issue: IssueInfo,
        language: Language,
        to override: String? = nil,
        links given: ReaderLinks? = nil
    ) throws -> OutgoingMessage {
        let recipient = try MailAddress(displayName: subscriber.name, address: override ?? subscriber.email)
        let links = given ?? links(for: subscriber)
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
            oneClick: links.unsubscribeURL != nil
        )
        if !digest.calendarBoxes.isEmpty {
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
        calendars.calendar(for: digest.calendarBoxes, at: issue.now) {
            makeCalendar(digest.calendarBoxes, issue: issue)
        }
    }

    private func makeCalendar(_ boxes: [ItemBox], issue: IssueInfo) -> TextBody {
        let events = boxes.compactMap { box -> WrittenEventCache.Entry? in
            let item = box.item
            guard let start = item.start else { return nil }
            let write = {
                let event = writer.write(
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
                        stamp: issue.now
                    ),
                    timeZone: newsletter.timeZone
                )
                return WrittenEventCache.Entry(event: event, lines: EncodedLines(event.text))
            }
            return writtenEvents.entry(for: box, at: issue.now, write: write)
        }
        var calendar = TextBody(writer.head(for: events.map(\.event), timeZone: newsletter.timeZone))
        for event in events {
            calendar.append(event.lines)
        }
        calendar.append(ICalendarWriter.tail)
        return calendar
    }
}

/// The VEVENTs of a run's items, written and encoded once each.
final class WrittenEventCache: Sendable {
    /// An event's text, and the same encoded.
    struct Entry: Sendable {
        let event: WrittenEvent
        let lines: EncodedLines
    }

    private struct Key: Hashable, Sendable {
        let item: ObjectIdentifier
        let stamp: Date
    }

    /// The box is kept with its event, so that its identity cannot pass to another item while the entry lives.
    private let entries = Memo<Key, (box: ItemBox, entry: Entry)>(capacity: 50_000)

    /// The event of the item in `box` stamped `stamp`, written by `write` the first time.
    func entry(for box: ItemBox, at stamp: Date, write: () -> Entry) -> Entry {
        entries.value(for: Key(item: ObjectIdentifier(box), stamp: stamp)) { (box, write()) }.entry
    }
}

/// The calendars of a run, by the events they hold.
final class CalendarCache: Sendable {
    private struct Key: Hashable, Sendable {
        let events: [ObjectIdentifier]
        let stamp: Date
    }

    /// The boxes are kept with their calendar, so that their identities cannot pass to other items meanwhile.
    private let calendars = Memo<Key, (boxes: [ItemBox], calendar: TextBody)>(capacity: 2_000)

    /// The calendar of the items in `boxes` stamped `stamp`, put together by `make` the first time.
    func calendar(for boxes: [ItemBox], at stamp: Date, make: () -> TextBody) -> TextBody {
        calendars.value(for: Key(events: boxes.map(ObjectIdentifier.init), stamp: stamp)) { (boxes, make()) }
            .calendar
    }
}
