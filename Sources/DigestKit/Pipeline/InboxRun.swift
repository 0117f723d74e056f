import Foundation
import MailMessage

/// What `digest inbox` did with the messages it found.
public struct InboxSummary: Sendable {
    /// Addresses that asked to unsubscribe by mail.
    public var unsubscribed: [String] = []
    /// Hard bounces recorded (address and status).
    public var hardBounces: [String] = []
    /// Soft bounces recorded.
    public var softBounces: [String] = []
    /// Addresses suppressed in this run because their hard bounces reached the limit.
    public var suppressed: [String] = []
    /// Messages left in `new/` because they were neither a bounce nor a recognisable unsubscribe request.
    public var leftAlone = 0
}

/// Reads the Maildir that receives the list's unsubscribe address and its bounce address: unsubscribe requests
/// suppress the subscriber, delivery status notifications are counted, and hard bounces suppress an address once they
/// reach the limit. Processed messages move to `cur/` with the Seen flag; nothing is deleted.
public struct InboxRun: Sendable {
    let workspace: Workspace
    let composer: MessageComposer
    let state: StateStore

    /// An inbox run over `workspace`; `secret` is the unsubscribe-token secret, needed to match unsubscribe mails.
    public init(workspace: Workspace, state: StateStore, secret: Data?) throws(DiagnosticList) {
        self.workspace = workspace
        self.state = state
        self.composer = try MessageComposer(newsletter: workspace.config.newsletter, secret: secret)
    }

    /// Processes every message in `maildir/new`.
    public func run(maildir: URL, now: Date, hardBounceLimit: Int) throws -> InboxSummary {
        let new = maildir.appendingPathComponent("new")
        let cur = maildir.appendingPathComponent("cur")
        try FileManager.default.createDirectory(at: cur, withIntermediateDirectories: true)
        var tokens: [String: Subscriber] = [:]
        for subscriber in workspace.subscribers {
            if let token = composer.token(for: subscriber.email) { tokens[token] = subscriber }
        }
        let files = SubscriberFiles(workspace: workspace)
        var summary = InboxSummary()
        let names = try FileManager.default.contentsOfDirectory(atPath: new.path).filter { !$0.hasPrefix(".") }.sorted()
        for name in names {
            let file = new.appendingPathComponent(name)
            let message = ParsedMessage(Array(try Data(contentsOf: file)))
            var handled = false
            if let report = DeliveryStatusReport(message) {
                handled = true
                for recipient in report.recipients {
                    let detail = "\(recipient.status) \(recipient.diagnostic ?? "")"
                    if recipient.isHardBounce {
                        try state.record(
                            FeedbackEvent(address: recipient.address, kind: "hard-bounce", detail: detail, at: now))
                        summary.hardBounces.append("\(recipient.address) (\(recipient.status))")
                        if try state.hardBounces(of: recipient.address) >= hardBounceLimit {
                            try state.suppress(recipient.address, reason: .bounced, at: now)
                            summary.suppressed.append(recipient.address)
                        }
                    } else if recipient.isSoftBounce {
                        try state.record(
                            FeedbackEvent(address: recipient.address, kind: "soft-bounce", detail: detail, at: now))
                        summary.softBounces.append("\(recipient.address) (\(recipient.status))")
                    }
                }
            } else if let subscriber = unsubscribeRequester(message, tokens: tokens) {
                handled = true
                try state.suppress(subscriber.email, reason: .unsubscribed, at: now)
                try state.record(
                    FeedbackEvent(address: subscriber.email, kind: "unsubscribed", detail: "by mail", at: now))
                try files.pause(subscriber)
                summary.unsubscribed.append(subscriber.email)
            }
            if handled {
                let flagged = (name.split(separator: ":").first.map(String.init) ?? name) + ":2,S"
                try FileManager.default.moveItem(at: file, to: cur.appendingPathComponent(flagged))
            } else {
                summary.leftAlone += 1
            }
        }
        return summary
    }

    /// The subscriber whose token appears in the subject or in a recipient address (`unsubscribe+TOKEN@…`) of a mail
    /// to the unsubscribe address.
    private func unsubscribeRequester(_ message: ParsedMessage, tokens: [String: Subscriber]) -> Subscriber? {
        let recipients = ["To", "Delivered-To", "X-Original-To", "Envelope-To"].compactMap { message.header($0) }
            .joined(separator: " ")
        let lowered = recipients.lowercased()
        let address = composer.unsubscribeAddress.lowercased()
        let local = address.split(separator: "@").first.map(String.init) ?? address
        guard lowered.contains(address) || lowered.contains(local + "+") else { return nil }
        let words = ((message.header("Subject") ?? "") + " " + recipients)
            .split(whereSeparator: { !($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") })
        return words.lazy.compactMap { tokens[String($0)] }.first
    }
}
