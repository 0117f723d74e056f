import Foundation

/// Where one subscriber's delivery of one issue stands.
public enum DeliveryStatus: String, Sendable, Codable, CaseIterable {
    /// Recorded before the transaction started: if a run finds this, the outcome is unknown (the process died).
    case sending
    /// Accepted by the transport.
    case delivered
    /// Refused for good (a 5xx reply); retried only with `--retry-failed`.
    case failed
    /// Failed for now (a 4xx reply, a dropped connection); retried by the next run.
    case deferred
}

/// One row of the delivery ledger.
public struct LedgerEntry: Sendable, Hashable {
    /// The issue id, such as `2026-W49`.
    public var issue: String
    /// The subscriber's address, lower-cased.
    public var subscriber: String
    /// The Message-ID used, reused on every resend.
    public var messageID: String
    /// Where it stands.
    public var status: DeliveryStatus
    /// How many times it was attempted.
    public var attempts: Int
    /// The transport's last word (server reply, file written).
    public var detail: String
}

/// How one delivery begun with ``StateStore/beginDeliveries(issue:_:at:)`` ended, for
/// ``StateStore/finishDeliveries(issue:_:at:)``.
public struct DeliveryOutcome: Sendable {
    /// How it ended.
    public enum Ending: Sendable {
        /// The transport tried it: the result and, when delivered, what the reader was sent.
        case attempted(DeliveryResult, sent: [String: SentRecord])
        /// Never handed to the transport (it could not send, or the run was stopped): the row goes back to what it
        /// was, or away when there was none.
        case abandoned(restoring: LedgerEntry?)
    }

    /// The subscriber's address.
    public var subscriber: String
    /// How it ended.
    public var ending: Ending

    /// The outcome of `subscriber`'s delivery.
    public init(subscriber: String, ending: Ending) {
        self.subscriber = subscriber
        self.ending = ending
    }
}
