import DigestTesting
import Foundation
import Logging
import Testing

@testable import DigestKit

/// `SendRun`'s delivery decisions, over a transport that records what it is given and answers as scripted.
@Suite("Send run decisions")
struct SendRunTests {
    static let issue = "2026-W49"
    static let readers = ["anna@example.se", "bo@example.se", "cia@example.se"]

    /// A workspace whose readers all get this week's finance calls, and a state on disk.
    func setUp(
        _ readers: [String] = readers, extra: [String: String] = [:]
    ) async throws -> (Workspace, StateStore) {
        var builder = try WorkspaceBuilder()
        for reader in readers { builder = builder.subscriber(reader, extra: extra[reader] ?? "") }
        let workspace = try await builder.load()
        return (workspace, try StateStore.open(at: workspace.config.stateFile))
    }

    func send(
        _ workspace: Workspace, _ state: StateStore, _ transport: RecordingTransport,
        adjust: (inout SendOptions) -> Void = { _ in }
    ) async throws -> SendSummary {
        var options = SendOptions(now: WorkspaceBuilder.demoNow)
        options.issueID = Self.issue
        adjust(&options)
        return try await SendRun(
            workspace: workspace, options: options, logger: Logger(label: "test"),
            environment: ["DIGEST_UNSUBSCRIBE_SECRET": "test-secret"]
        ).run(state: state, transport: transport)
    }

    @Test("each reader gets the issue once; a second run of the same issue sends nothing")
    func exactlyOnce() async throws {
        let (workspace, state) = try await setUp()
        let first = RecordingTransport()
        let summary = try await send(workspace, state, first)
        #expect(first.recipients.sorted() == Self.readers)
        #expect(summary.delivered == 3 && summary.failed == 0)
        #expect(first.closeCount == 1)
        #expect(try state.ledger(issue: Self.issue).map(\.status) == [.delivered, .delivered, .delivered])
        let second = RecordingTransport()
        let again = try await send(workspace, state, second)
        #expect(second.recipients.isEmpty)
        #expect(again.alreadyDelivered == 3 && again.delivered == 0)
    }

    @Test("a permanent refusal is recorded and not retried, unless --retry-failed asks")
    func permanentFailure() async throws {
        let (workspace, state) = try await setUp()
        let refusing = RecordingTransport { recipient, _ in
            recipient == "bo@example.se" ? .failed(permanent: true, "550 5.1.1 no such user") : nil
        }
        let summary = try await send(workspace, state, refusing)
        #expect(summary.delivered == 2 && summary.failed == 1)
        let entry = try #require(try state.ledgerEntry(issue: Self.issue, subscriber: "bo@example.se"))
        #expect(entry.status == .failed)
        let quiet = RecordingTransport()
        let next = try await send(workspace, state, quiet)
        #expect(quiet.recipients.isEmpty)
        #expect(next.failed == 1 && next.alreadyDelivered == 2)
        let retry = RecordingTransport()
        let retried = try await send(workspace, state, retry) { $0.retryFailed = true }
        #expect(retry.recipients == ["bo@example.se"])
        #expect(
            retry.messages.first?.messageID == refusing.messages.first { $0.recipient == "bo@example.se" }?.messageID)
        #expect(retried.delivered == 1)
    }

    @Test("a temporary failure is deferred and sent by the next run, with the same Message-ID")
    func deferred() async throws {
        let (workspace, state) = try await setUp()
        let busy = RecordingTransport { recipient, _ in
            recipient == "cia@example.se" ? .failed(permanent: false, "451 4.3.0 try again later") : nil
        }
        let summary = try await send(workspace, state, busy)
        #expect(summary.delivered == 2 && summary.failed == 1)
        #expect(try state.ledgerEntry(issue: Self.issue, subscriber: "cia@example.se")?.status == .deferred)
        let later = RecordingTransport()
        let next = try await send(workspace, state, later)
        #expect(later.recipients == ["cia@example.se"])
        #expect(later.messages.first?.messageID == busy.messages.first { $0.recipient == "cia@example.se" }?.messageID)
        #expect(next.delivered == 1 && next.alreadyDelivered == 2)
    }

    @Test("a delivery whose outcome is unknown (the run died while sending) is sent again, once, as the same message")
    func uncertain() async throws {
        let (workspace, state) = try await setUp()
        let first = RecordingTransport()
        _ = try await send(workspace, state, first)
        let original = try #require(first.messages.first { $0.recipient == "anna@example.se" })
        // What a run killed between the SMTP transaction and the ledger update leaves behind.
        try state.markSending(
            issue: Self.issue, subscriber: "anna@example.se", messageID: original.messageID,
            at: WorkspaceBuilder.demoNow)
        let second = RecordingTransport()
        let summary = try await send(workspace, state, second)
        #expect(second.recipients == ["anna@example.se"])
        #expect(second.messages.first?.messageID == original.messageID)
        #expect(summary.uncertainResent == 1 && summary.delivered == 1 && summary.alreadyDelivered == 2)
        #expect(try state.ledgerEntry(issue: Self.issue, subscriber: "anna@example.se")?.status == .delivered)
    }

    @Test("suppressed and paused readers get nothing, and are counted")
    func suppressedAndPaused() async throws {
        let (workspace, state) = try await setUp(extra: ["cia@example.se": "paused: true\n"])
        try state.suppress("BO@example.se", reason: .bounced, at: WorkspaceBuilder.demoNow)
        let transport = RecordingTransport()
        let summary = try await send(workspace, state, transport)
        #expect(transport.recipients == ["anna@example.se"])
        #expect(summary.suppressed == 1 && summary.paused == 1 && summary.delivered == 1)
        #expect(try state.ledgerEntry(issue: Self.issue, subscriber: "bo@example.se") == nil)
    }

    /// The same, sending over one connection at a time, so that each delivery is decided after the one before ended.
    func setUpOneConnection(_ readers: [String] = readers) async throws -> (Workspace, StateStore) {
        var builder = try WorkspaceBuilder().delivery("  transport: maildir:outbox\n  connections: 1")
        for reader in readers { builder = builder.subscriber(reader) }
        let workspace = try await builder.load()
        return (workspace, try StateStore.open(at: workspace.config.stateFile))
    }

    @Test("a transport that cannot send stops the run; nothing is recorded, and the next run sends everything")
    func transportFailure() async throws {
        let (workspace, state) = try await setUp()
        let failure = TransportFailure(server: "smtp://relay.example.se:587", reason: "authentication failed: 535 no")
        let refusing = RecordingTransport { _, _ in .transportFailed(failure) }
        let summary = try await send(workspace, state, refusing)
        #expect(summary.stop == .transport(failure))
        #expect(summary.delivered == 0 && summary.failed == 0 && summary.notSent == 3)
        #expect(refusing.recipients.count <= 3)
        #expect(try state.ledger(issue: Self.issue).isEmpty)
        #expect(
            summary.line(language: .en) == "week 49: 0 sent, 0 empty, 0 failed, 0 uncertain, stopped: 3 not sent yet")
        let working = RecordingTransport()
        let next = try await send(workspace, state, working)
        #expect(working.recipients.sorted() == Self.readers)
        #expect(next.delivered == 3 && next.stop == nil)
    }

    @Test("a transport failure stops at the first one and puts an earlier deferred row back as it was")
    func transportFailureRestoresTheRow() async throws {
        let (workspace, state) = try await setUpOneConnection()
        let busy = RecordingTransport { recipient, _ in
            recipient == "bo@example.se" ? .failed(permanent: false, "451 later") : nil
        }
        _ = try await send(workspace, state, busy)
        let before = try #require(try state.ledgerEntry(issue: Self.issue, subscriber: "bo@example.se"))
        let failure = TransportFailure(server: "smtp://relay.example.se:587", reason: "TLS failed: expired")
        let refusing = RecordingTransport { _, _ in .transportFailed(failure) }
        let summary = try await send(workspace, state, refusing)
        #expect(refusing.recipients == ["bo@example.se"])
        #expect(summary.stop == .transport(failure) && summary.notSent == 1 && summary.alreadyDelivered == 2)
        #expect(try state.ledgerEntry(issue: Self.issue, subscriber: "bo@example.se") == before)
    }

    @Test("a cancelled run starts no new delivery, records the ones it made, and says how many are left")
    func cancellation() async throws {
        let (workspace, state) = try await setUpOneConnection()
        let cancellation = SendCancellation()
        let transport = RecordingTransport { _, _ in
            cancellation.cancel(signal: SIGTERM)
            return nil
        }
        let summary = try await send(workspace, state, transport) { $0.cancellation = cancellation }
        #expect(transport.recipients == ["anna@example.se"])
        #expect(summary.stop == .signal(SIGTERM))
        #expect(summary.delivered == 1 && summary.notSent == 2)
        #expect(try state.ledger(issue: Self.issue).map(\.status) == [.delivered])
        #expect(
            summary.line(language: .sv)
                == "vecka 49: 1 skickade, 0 tomma, 0 misslyckade, 0 osäkra, avbruten: 2 ej skickade än")
    }

    @Test("a reader who unsubscribes while the run goes on is not mailed by it")
    func suppressedDuringTheRun() async throws {
        let (workspace, state) = try await setUpOneConnection()
        let transport = RecordingTransport { recipient, _ in
            if recipient == "anna@example.se" {
                try? state.suppress("cia@example.se", reason: .unsubscribed, at: WorkspaceBuilder.demoNow)
            }
            return nil
        }
        let summary = try await send(workspace, state, transport)
        #expect(transport.recipients == ["anna@example.se", "bo@example.se"])
        #expect(summary.suppressed == 1 && summary.delivered == 2)
        #expect(try state.ledgerEntry(issue: Self.issue, subscriber: "cia@example.se") == nil)
    }

    @Test("shards split the readers: every reader in exactly one shard, each sent once")
    func shards() async throws {
        let readers = (1...12).map { "reader\($0)@example.se" }
        let (workspace, state) = try await setUp(readers)
        var seen: [[String]] = []
        for index in 1...3 {
            let transport = RecordingTransport()
            let summary = try await send(workspace, state, transport) { $0.shard = (index, 3) }
            #expect(summary.delivered == transport.recipients.count)
            seen.append(transport.recipients)
        }
        #expect(seen.flatMap { $0 }.sorted() == readers.sorted())
        #expect(Set(seen.flatMap { $0 }).count == readers.count)
        #expect(seen.allSatisfy { !$0.isEmpty }, "\(seen.map(\.count))")
    }
}
