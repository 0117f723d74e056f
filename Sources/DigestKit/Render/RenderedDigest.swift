import Foundation
import MailMessage

/// One subscriber's digest as text, ready to become a message.
public struct RenderedDigest: Sendable {
    /// The subject line (one line, plain text).
    public var subject: String
    /// The preview text mail clients show after the subject.
    public var preheader: String
    /// The HTML body, in pieces (items are shared with other digests and encoded once).
    public var htmlBody: TextBody
    /// The plain-text body, wrapped at 72 columns, in pieces.
    public var textBody: TextBody
    /// The events to attach as an "add to calendar" .ics file.
    public var calendarEvents: [Item] {
        get { calendarBoxes.map(\.item) }
        set { calendarBoxes = newValue.map(ItemBox.init) }
    }
    /// The events in their shared boxes (from the run's index when rendered from one), so that their VEVENTs are
    /// written once per run.
    var calendarBoxes: [ItemBox]

    /// A digest of the given parts.
    public init(subject: String, preheader: String, html: String, text: String, calendarEvents: [Item]) {
        self.init(
            subject: subject,
            preheader: preheader,
            htmlBody: TextBody(html),
            textBody: TextBody(text),
            calendarEvents: calendarEvents
        )
    }

    /// A digest of the given parts, with bodies in pieces.
    public init(
        subject: String,
        preheader: String,
        htmlBody: TextBody,
        textBody: TextBody,
        calendarEvents: [Item]
    ) {
        self.subject = subject
        self.preheader = preheader
        self.htmlBody = htmlBody
        self.textBody = textBody
        self.calendarBoxes = calendarEvents.map(ItemBox.init)
    }

    /// A digest whose events are in the run's boxes.
    init(subject: String, preheader: String, htmlBody: TextBody, textBody: TextBody, calendarBoxes: [ItemBox]) {
        self.subject = subject
        self.preheader = preheader
        self.htmlBody = htmlBody
        self.textBody = textBody
        self.calendarBoxes = calendarBoxes
    }

    /// The HTML body.
    public var html: String { htmlBody.text }
    /// The plain-text body, wrapped at 72 columns.
    public var text: String { textBody.text }
}

/// Per-issue facts every digest of the issue shares.
public struct IssueInfo: Sendable {
    /// The issue id, such as `2026-W49`.
    public var id: String
    /// The moment the digests are made for.
    public var now: Date
    /// The editors' note for this issue, if any.
    public var editorNote: EditorNote?

    /// Issue `id` made at `now`, with an optional editors' note.
    public init(id: String, now: Date, editorNote: EditorNote? = nil) {
        self.id = id
        self.now = now
        self.editorNote = editorNote
    }

    /// The ISO week id (`2026-W49`) of `date` in `timeZone`.
    public static func weekID(for date: Date, timeZone: TimeZone) -> String {
        var calendar = Calendar(identifier: .iso8601)
        calendar.timeZone = timeZone
        let parts = calendar.dateComponents([.weekOfYear, .yearForWeekOfYear], from: date)
        let week = parts.weekOfYear ?? 1
        return "\(parts.yearForWeekOfYear ?? 1970)-W\(week < 10 ? "0" : "")\(week)"
    }
}

/// The links every footer needs for one reader.
public struct ReaderLinks: Sendable {
    /// The one-click unsubscribe page (`baseURL/unsubscribe/<token>`), if the newsletter has a base URL.
    public var unsubscribeURL: URL?
    /// The preferences page, if the newsletter has a base URL.
    public var preferencesURL: URL?
    /// The `mailto:` URI that unsubscribes by mail (with the reader's token in the subject when there is a secret).
    public var unsubscribeMailto: String

    /// Links for one reader.
    public init(unsubscribeURL: URL?, preferencesURL: URL?, unsubscribeMailto: String) {
        self.unsubscribeURL = unsubscribeURL
        self.preferencesURL = preferencesURL
        self.unsubscribeMailto = unsubscribeMailto
    }
}
