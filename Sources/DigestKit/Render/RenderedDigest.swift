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
    public var calendarEvents: [Item]
    /// The reader's footer links, which the message's List-Unsubscribe headers repeat.
    public var links: ReaderLinks
    /// Calls whose deadline goes into the attached calendar as an all-day event with an alarm a week before
    /// (`newsletter.deadlineReminders`), and the words that name such an event ("Sista ansökningsdag").
    public var deadlineReminders: (calls: [Item], label: String) = ([], "")

    /// A digest of the given parts.
    public init(
        subject: String,
        preheader: String,
        html: String,
        text: String,
        calendarEvents: [Item],
        links: ReaderLinks
    ) {
        self.init(
            subject: subject,
            preheader: preheader,
            htmlBody: TextBody(html),
            textBody: TextBody(text),
            calendarEvents: calendarEvents,
            links: links
        )
    }

    /// A digest of the given parts, with bodies in pieces.
    public init(
        subject: String,
        preheader: String,
        htmlBody: TextBody,
        textBody: TextBody,
        calendarEvents: [Item],
        links: ReaderLinks
    ) {
        self.subject = subject
        self.preheader = preheader
        self.htmlBody = htmlBody
        self.textBody = textBody
        self.calendarEvents = calendarEvents
        self.links = links
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
    /// Whether this is a new subscriber's welcome message (the templates' `welcome` flag) rather than a weekly issue.
    public var welcome: Bool
    /// The issue's public web version (`archive.baseURL`), for the "Visa i webbläsaren" link and `List-Archive`.
    public var webURL: URL?
    /// The archive's index, for `List-Archive`.
    public var archiveURL: URL?
    /// Whether this is the archive's own web version (no greeting, no reader's links).
    public var isArchive = false

    /// Issue `id` made at `now`, with an optional editors' note; `welcome` for a new subscriber's first message.
    public init(id: String, now: Date, editorNote: EditorNote? = nil, welcome: Bool = false) {
        self.id = id
        self.now = now
        self.editorNote = editorNote
        self.welcome = welcome
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
