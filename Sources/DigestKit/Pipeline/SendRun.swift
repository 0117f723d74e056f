import DigestSupport
import Foundation
import Logging

/// What `digest send` was asked to do.
public struct SendOptions: Sendable {
    /// The moment the digests are made for.
    public var now: Date
    /// The issue id; the ISO week of `now` when nil.
    public var issueID: String?
    /// Show who would get what, send and record nothing.
    public var dryRun = false
    /// Send only this subscriber's digest, outside the ledger.
    public var only: String?
    /// With `only`: send it to this address instead (an editor's).
    public var to: String?
    /// Retry deliveries that failed permanently in an earlier run of the issue.
    public var retryFailed = false
    /// Send only to the subscribers whose address hashes to shard `index` (1-based) of `count`.
    public var shard: (index: Int, count: Int)?
    /// A Markdown file with the editors' note, instead of the config's `editorNote`.
    public var editorNote: URL?
    /// Called after each subscriber is handled with (handled, total); for a progress bar on a terminal.
    public var progress: (@Sendable (Int, Int) -> Void)?
    /// Checked before each new delivery: once cancelled (SIGTERM, SIGINT), the deliveries in flight finish and are
    /// recorded, and no new one starts.
    public var cancellation: SendCancellation?
    /// With `only`: send that subscriber's welcome message (the templates' `welcome` flag) under its own issue
    /// (``SendOptions/welcomeIssue(for:timeZone:)``), recorded in the ledger like an issue, so the next regular issue
    /// does not mark the same items new; no run, source health or event calendars are recorded for it.
    public var welcome = false

    /// Options for a run at `now`.
    public init(now: Date) {
        self.now = now
    }

    /// The issue id of the welcome messages sent at `now`: `welcome-` and the week's id (`welcome-2026-W49`), an
    /// issue of its own, so the week's regular issue counts what it carried as sent.
    public static func welcomeIssue(for now: Date, timeZone: TimeZone) -> String {
        "welcome-" + IssueInfo.weekID(for: now, timeZone: timeZone)
    }
}

/// One line of a dry run: who would get what.
public struct PlannedDelivery: Sendable {
    /// The subscriber's address.
    public var email: String
    /// Items per section: new calls, closing soon, events, changed.
    public var counts: (newFunding: Int, closingSoon: Int, events: Int, changed: Int)
    /// Whether a message would be sent.
    public var wouldSend: Bool
}

/// How a run ended.
public struct SendSummary: Sendable {
    /// The issue id.
    public var issue: String
    /// Delivered in this run.
    public var delivered = 0
    /// Subscribers with nothing to receive.
    public var empty = 0
    /// Paused subscribers.
    public var paused = 0
    /// Subscribers whose address is suppressed (unsubscribed or bouncing), whatever their file says.
    public var suppressed = 0
    /// Why the public archive (`archive.out`) could not be written after the run, if it could not.
    public var archiveProblem: String?
    /// Deliveries that failed (permanently or for now) in this run or earlier ones of the issue.
    public var failed = 0
    /// Deliveries whose outcome an earlier run did not learn, resent with the same Message-ID.
    public var uncertainResent = 0
    /// Delivered by an earlier run of the same issue, skipped.
    public var alreadyDelivered = 0
    /// Sources that could not be read.
    public var failedSources: [SourceReport] = []
    /// For a dry run, who would get what.
    public var planned: [PlannedDelivery] = []
    /// Why the run stopped before the end, if it did.
    public var stop: SendStop?
    /// Subscribers the run did not get to, or whose delivery it left unsent because the transport failed; the next
    /// run of the issue handles them.
    public var notSent = 0

    /// The one-line summary cron mails to the operator.
    public func line(language: Language) -> String {
        let week = issue.split(separator: "W").last.map { String(Int($0) ?? 0) } ?? issue
        switch language {
        case .sv:
            return
                "vecka \(week): \(delivered) skickade, \(empty) tomma, \(failed) misslyckade, \(uncertainResent) osäkra"
                + (alreadyDelivered > 0 ? ", \(alreadyDelivered) redan skickade" : "")
                + (suppressed > 0 ? ", \(suppressed) spärrade" : "")
                + (failedSources.isEmpty ? "" : ", \(failedSources.count) källor fel")
                + (stop == nil ? "" : ", avbruten: \(notSent) ej skickade än")
        case .en:
            return "week \(week): \(delivered) sent, \(empty) empty, \(failed) failed, \(uncertainResent) uncertain"
                + (alreadyDelivered > 0 ? ", \(alreadyDelivered) already sent" : "")
                + (suppressed > 0 ? ", \(suppressed) suppressed" : "")
                + (failedSources.isEmpty ? "" : ", \(failedSources.count) sources failed")
                + (stop == nil ? "" : ", stopped: \(notSent) not sent yet")
        }
    }
}

/// Why a send run stopped before it had handled every subscriber.
public enum SendStop: Sendable, Equatable {
    /// A signal (SIGTERM, SIGINT) asked it to: the deliveries in flight were finished and recorded.
    case signal(Int32)
    /// The transport cannot send (a refused login, a TLS failure, no OAuth2 token): nothing more was tried, and the
    /// deliveries it could not make were left unsent.
    case transport(TransportFailure)
}

/// The weekly run: collect, then build and deliver each subscriber's digest exactly once per issue.
///
/// Each delivery is recorded as `sending` before its transaction and as `delivered`, `deferred` or `failed` after
/// it; a later run of the same issue skips what was delivered and resends what was left `sending` (the outcome was
/// lost in a crash) with the same Message-ID.
///
/// The suppression list is checked again in the same transaction that records `sending`, so a reader who unsubscribes
/// while the run goes on is not mailed by it. The run stops early, with `SendSummary.stop` set, when the transport
/// cannot send at all (the deliveries it could not make are left as they were, for the next run) or when
/// `SendOptions.cancellation` asks (the deliveries in flight finish and are recorded).
public struct SendRun: Sendable {
    let workspace: Workspace
    let options: SendOptions
    let logger: Logger
    let environment: [String: String]

    /// A run over `workspace`.
    public init(workspace: Workspace, options: SendOptions, logger: Logger, environment: [String: String]) {
        self.workspace = workspace
        self.options = options
        self.logger = logger
        self.environment = environment
    }

    /// Runs it with `transport` (nil for a dry run).
    public func run(state: StateStore, transport: (any MessageTransport)?) async throws -> SendSummary {
        let runStarted = ContinuousClock.now
        let zone = workspace.config.newsletter.timeZone
        let week = IssueInfo.weekID(for: options.now, timeZone: zone)
        let issue = IssueInfo(
            id: options.issueID
                ?? (options.welcome ? SendOptions.welcomeIssue(for: options.now, timeZone: zone) : week),
            now: options.now,
            editorNote: options.welcome ? nil : try workspace.editorNote(options.editorNote),
            welcome: options.welcome
        )
        let builder = try DigestBuilder(workspace: workspace, issue: issue, secret: Self.secret(environment))
        let collected = await SourceCollector(
            config: workspace.config,
            taxonomy: workspace.taxonomy,
            logger: logger,
            cache: options.dryRun ? nil : state
        )
        .collect(window: workspace.window(at: options.now))
        var summary = SendSummary(issue: issue.id)
        summary.failedSources = collected.reports.filter { $0.failure != nil }
        let welcome = options.welcome && options.only != nil && options.to == nil
        let ledgered = !options.dryRun && (options.only == nil || welcome)
        var runID: Int64?
        if ledgered && !welcome {
            // The run is recorded on the run's clock (--now), like the feedback, sent items and source health it is
            // compared with; a pinned clock must not make `digest status` miss what came after it.
            runID = try state.beginRun(issue: issue.id, at: options.now)
            try state.noteSources(collected.reports, at: options.now)
            try state.noteSeen(collected.items, at: options.now)
            // Each event's own calendar, for the "add to calendar" link `digest serve` answers.
            if workspace.config.newsletter.baseURL != nil {
                try state.publishEvents(builder.eventCalendars(collected.items), now: options.now)
            }
        }
        // Every reader unless the run is for one address or one shard: then no copy of them all is made.
        let subscribers =
            options.only == nil && options.shard == nil ? workspace.subscribers : workspace.subscribers.filter(included)
        let index = ItemIndex(collected.items)
        // Calls that sources read without failure no longer list, made into selections once for every reader.
        let withdrawn = try state.withdrawnCalls(
            present: Set(collected.items.map(\.id)),
            readSources: Set(collected.reports.filter { $0.failure == nil }.map(\.name)), now: options.now
        ).map { Selection(item: $0, reasons: []) }
        if let only = options.only, subscribers.isEmpty {
            throw DiagnosticList([Diagnostic(path: "--only", message: "no subscriber has the address \(only).")])
        }
        let limit = max(1, transport?.deliveriesInFlight ?? workspace.config.delivery.connections)
        // A snapshot to skip the readers suppressed before the run without building their digests; the check that
        // counts is `beginDeliveries`', made again in the transaction that records each wave as sending.
        let suppressed = try state.suppressionList()
        let plan = Plan(
            run: self, state: state, issue: issue, builder: builder, index: index, withdrawn: withdrawn,
            suppressed: suppressed, ledgered: ledgered)
        // The batches as ranges, each made into its readers only when it is built: not a second copy of them all.
        let batches = stride(from: 0, to: subscribers.count, by: Self.batchSize).map {
            $0..<min($0 + Self.batchSize, subscribers.count)
        }
        func stopping() -> Bool {
            if summary.stop == nil, let signal = options.cancellation?.signalNumber { summary.stop = .signal(signal) }
            return summary.stop != nil
        }
        // Outcomes are recorded in batches too: a delivery whose outcome is not recorded yet stays `sending`, which
        // a run after a crash resends with the same Message-ID.
        var outcomes: [DeliveryOutcome] = []
        var oldestOutcome: ContinuousClock.Instant?
        func record(_ done: DeliveryRecord) throws {
            tally(done, into: &summary)
            guard ledgered else { return }
            outcomes.append(done.outcome)
            if oldestOutcome == nil { oldestOutcome = .now }
            if outcomes.count >= Self.batchSize || ContinuousClock.now - oldestOutcome! > Self.outcomeDelay {
                try flushOutcomes()
            }
        }
        func flushOutcomes() throws {
            try state.finishDeliveries(issue: issue.id, outcomes, at: options.now)
            outcomes = []
            oldestOutcome = nil
        }
        // The next batches are read and built while one is delivered, one batch a core, so that building (the
        // run's CPU) never waits for the deliveries and the deliveries seldom wait for it.
        let ahead = max(1, min(ProcessInfo.processInfo.activeProcessorCount, 4))
        var building: [Task<[Planned], any Error>] = []
        var nextBatch = 0
        func buildAhead() {
            while building.count < ahead && nextBatch < batches.count {
                let batch = Array(subscribers[batches[nextBatch]])
                building.append(Task { try plan.prepare(batch) })
                nextBatch += 1
            }
        }
        buildAhead()
        var handled = 0
        var first = true
        try await withThrowingTaskGroup(of: DeliveryRecord.self) { group in
            var inFlight = 0
            batches: while !building.isEmpty {
                let prepared = try await building.removeFirst().value
                buildAhead()
                var wave: [Planned] = []
                for entry in prepared {
                    if stopping() { break }
                    handled += 1
                    options.progress?(handled, subscribers.count)
                    if let planned = entry.planned { summary.planned.append(planned) }
                    switch entry.step {
                    case .paused: summary.paused += 1
                    case .suppressed: summary.suppressed += 1
                    case .alreadyDelivered: summary.alreadyDelivered += 1
                    case .failedBefore: summary.failed += 1
                    case .empty: summary.empty += 1
                    case .deliver: if transport != nil && !options.dryRun { wave.append(entry) }
                    }
                }
                guard let transport else {
                    if stopping() { break }
                    continue
                }
                // The run's first delivery goes alone, like the transport's first message: a wrong password then
                // costs one login, and the readers after it are checked against the suppression list afresh.
                var waves = [wave]
                if first, !wave.isEmpty {
                    waves = [Array(wave.prefix(1)), Array(wave.dropFirst())]
                    first = false
                }
                for (waveNumber, wave) in waves.enumerated() {
                    if stopping() {
                        for later in waves.dropFirst(waveNumber) { summary.notSent += later.count }
                        break batches
                    }
                    let begun: [String: SuppressionReason]
                    if ledgered {
                        begun = try state.beginDeliveries(
                            issue: issue.id, wave.map { ($0.subscriber.email, $0.digest!.message.messageID) },
                            at: options.now)
                    } else {
                        var found: [String: SuppressionReason] = [:]
                        for entry in wave where options.to == nil {
                            if let reason = try state.suppression(of: entry.subscriber.email) {
                                found[entry.subscriber.email.lowercased()] = reason
                            }
                        }
                        begun = found
                    }
                    for (position, entry) in wave.enumerated() {
                        if begun[entry.subscriber.email.lowercased()] != nil {
                            summary.suppressed += 1
                            continue
                        }
                        // Wait for a free connection.
                        while inFlight >= limit, let done = try await group.next() {
                            inFlight -= 1
                            try record(done)
                        }
                        if stopping() {
                            // Begun and never handed over: back to what they were, for the next run.
                            for left in wave[position...]
                            where begun[left.subscriber.email.lowercased()] == nil && ledgered {
                                outcomes.append(
                                    DeliveryOutcome(
                                        subscriber: left.subscriber.email, ending: .abandoned(restoring: left.previous))
                                )
                            }
                            summary.notSent += wave.count - position
                            for later in waves.dropFirst(waveNumber + 1) { summary.notSent += later.count }
                            break batches
                        }
                        inFlight += 1
                        group.addTask { try await plan.deliver(entry, through: transport) }
                    }
                    if waveNumber == 0 && waves.count == 2 {
                        // The first delivery's outcome before the others begin.
                        while inFlight > 0, let done = try await group.next() {
                            inFlight -= 1
                            try record(done)
                        }
                    }
                }
            }
            for task in building { task.cancel() }
            summary.notSent += subscribers.count - handled
            if summary.notSent > 0 || summary.stop != nil {
                options.progress?(subscribers.count, subscribers.count)  // ends the progress line
            }
            // Stopping: what is in flight finishes its current attempt and is recorded, without further retries. (A
            // signal after the last delivery started does not make the run count as stopped: nothing is left.)
            if summary.stop != nil || options.cancellation?.isCancelled == true { group.cancelAll() }
            for try await done in group { try record(done) }
            try flushOutcomes()
        }
        await transport?.close()
        if let runID {
            let language = workspace.config.newsletter.language
            let elapsed = ContinuousClock.now - runStarted
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            try state.finishRun(
                runID, summary: summary.line(language: language), at: options.now.addingTimeInterval(seconds))
        }
        if ledgered, !welcome, summary.stop == nil, let folder = workspace.config.archive.out {
            do {
                try ArchiveWriter.publish(
                    workspace: workspace, collected: collected, now: options.now, issueID: issue.id,
                    editorNote: issue.editorNote, folder: folder)
            } catch {
                summary.archiveProblem = "\(error)"
            }
        }
        return summary
    }

    /// How many subscribers are read, built and begun together, and the most outcomes recorded in one transaction.
    static let batchSize = 64
    /// The longest an outcome waits to be recorded with others.
    static let outcomeDelay = Duration.milliseconds(500)

    struct DeliveryRecord: Sendable {
        var email: String
        var result: DeliveryResult
        var resend: Bool
        var outcome: DeliveryOutcome
    }

    func tally(_ record: DeliveryRecord, into summary: inout SendSummary) {
        if case .transportFailed(let failure) = record.result {
            summary.notSent += 1
            if summary.stop == nil { summary.stop = .transport(failure) }
            logger.debug(
                "Delivery not attempted",
                metadata: ["subscriber.ref": "\(Subscriber.logReference(for: record.email))"]
            )
            return
        }
        if record.resend { summary.uncertainResent += 1 }
        switch record.result {
        case .transportFailed:
            break
        case .delivered(let detail):
            summary.delivered += 1
            logger.info(
                "Delivered",
                metadata: [
                    "subscriber.ref": "\(Subscriber.logReference(for: record.email))", "delivery.reply": "\(detail)",
                ]
            )
            logger.debug("Delivered", metadata: ["subscriber.email": "\(record.email)"])
        case .failed(let permanent, let detail):
            summary.failed += 1
            logger.error(
                "Delivery failed",
                metadata: [
                    "subscriber.ref": "\(Subscriber.logReference(for: record.email))",
                    "delivery.permanent": "\(permanent)", "delivery.reply": "\(detail)",
                ]
            )
            logger.debug("Delivery failed", metadata: ["subscriber.email": "\(record.email)"])
        }
    }

    func included(_ subscriber: Subscriber) -> Bool {
        if let only = options.only, subscriber.email.lowercased() != only.lowercased() { return false }
        if let shard = options.shard {
            let value = UInt64(StableHash.hex(subscriber.email.lowercased(), length: 8), radix: 16) ?? 0
            return Int(value % UInt64(shard.count)) == shard.index - 1
        }
        return true
    }

    /// The unsubscribe-token secret from `DIGEST_UNSUBSCRIBE_SECRET`, if set.
    public static func secret(_ environment: [String: String]) -> Data? {
        environment["DIGEST_UNSUBSCRIBE_SECRET"].flatMap { $0.isEmpty ? nil : Data($0.utf8) }
    }
}
