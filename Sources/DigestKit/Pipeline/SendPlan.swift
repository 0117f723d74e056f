import Foundation

/// What a send run does with one subscriber, decided before any delivery of their batch begins.
enum SendStep: Sendable {
    /// Paused: nothing is built.
    case paused
    /// On the suppression list when the run started.
    case suppressed
    /// Delivered by an earlier run of the issue.
    case alreadyDelivered
    /// Failed for good in an earlier run (and `--retry-failed` was not given).
    case failedBefore
    /// Nothing to send.
    case empty
    /// A digest to deliver.
    case deliver
}

/// One subscriber's step, with what delivering it needs.
struct Planned: Sendable {
    /// The reader.
    var subscriber: Subscriber
    /// What the run does.
    var step: SendStep
    /// For a dry run: who would get what.
    var planned: PlannedDelivery?
    /// The digest, for `.deliver`.
    var digest: BuiltDigest?
    /// The ledger row before this run touched it.
    var previous: LedgerEntry?
    /// Whether an earlier run left the delivery `sending` (its outcome unknown): it is resent with the same
    /// Message-ID.
    var resend = false
    /// What to record as sent once delivered.
    var records: [String: SentRecord] = [:]
}

/// The parts of a send run that batches of subscribers go through: reading their ledger rows and sent items in one
/// read, building their digests, and delivering one.
struct Plan: Sendable {
    let run: SendRun
    let state: StateStore
    let issue: IssueInfo
    let builder: DigestBuilder
    let index: ItemIndex
    let withdrawn: [Selection]
    let suppressed: SuppressionList
    let ledgered: Bool

    /// Each subscriber of `batch` with its step, in order; the digests to deliver are built.
    func prepare(_ batch: [Subscriber]) throws -> [Planned] {
        try Task.checkCancellation()  // a stopped run builds no more batches ahead
        let options = run.options
        let addresses = batch.map(\.email)
        let entries = ledgered ? try state.ledgerEntries(issue: issue.id, subscribers: addresses) : [:]
        let sent = try state.sentRecords(subscribers: addresses, before: issue.id)
        return try batch.map { subscriber in
            let address = subscriber.email.lowercased()
            var planned = Planned(subscriber: subscriber, step: .deliver)
            if subscriber.paused && options.only == nil {
                planned.step = .paused
                return planned
            }
            if suppressed.reason(of: subscriber.email) != nil && options.to == nil {
                planned.step = .suppressed
                return planned
            }
            if let entry = entries[address] {
                planned.previous = entry
                switch entry.status {
                case .delivered:
                    planned.step = .alreadyDelivered
                    return planned
                case .failed where !options.retryFailed:
                    planned.step = .failedBefore
                    return planned
                case .sending:
                    planned.resend = true
                case .failed, .deferred:
                    break
                }
            }
            let digest = try builder.build(
                for: subscriber, index: index, sent: sent[address] ?? [:], withdrawn: withdrawn, to: options.to)
            let wouldSend = builder.shouldSend(digest.content) || options.only != nil
            if options.dryRun {
                let content = digest.content
                planned.planned = PlannedDelivery(
                    email: subscriber.email,
                    counts: (
                        content.newFunding.count, content.closingSoon.count, content.events.count,
                        content.changed.count
                    ),
                    wouldSend: wouldSend
                )
            }
            guard wouldSend else {
                planned.step = .empty
                return planned
            }
            planned.digest = digest
            planned.records = builder.records(after: digest)
            return planned
        }
    }

    /// Hands `planned`'s digest to `transport`; what to record of it comes back with the result.
    func deliver(_ planned: Planned, through transport: any MessageTransport) async throws -> SendRun.DeliveryRecord {
        guard let digest = planned.digest else { preconditionFailure("only digests to deliver are handed over") }
        let result = await transport.deliver(digest.message)
        let ending: DeliveryOutcome.Ending
        if case .transportFailed = result {
            ending = .abandoned(restoring: planned.previous)
        } else {
            ending = .attempted(result, sent: planned.records)
        }
        return SendRun.DeliveryRecord(
            email: planned.subscriber.email, result: result, resend: planned.resend,
            outcome: DeliveryOutcome(subscriber: planned.subscriber.email, ending: ending))
    }
}
