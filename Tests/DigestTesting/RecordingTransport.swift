import DigestKit
import Foundation
import Synchronization

/// A transport that keeps every message it is given and answers as the test scripted, so that a test can see what
/// `SendRun` decided to send, to whom, and in what order, and how it reacts to each outcome.
public final class RecordingTransport: MessageTransport {
    /// What the transport answers for a message to a recipient (nil: delivered).
    public typealias Script = @Sendable (_ recipient: String, _ attempt: Int) -> DeliveryResult?

    private let script: Script
    private let state = Mutex<(messages: [OutgoingMessage], closed: Int)>(([], 0))

    /// A transport answering `script(recipient, attempt)` (attempt 1 for the first message to that recipient),
    /// delivered when it returns nil.
    public init(script: @escaping Script = { _, _ in nil }) {
        self.script = script
    }

    /// Records `message` and answers what the script says.
    public func deliver(_ message: OutgoingMessage) async -> DeliveryResult {
        let attempt = state.withLock { state in
            state.messages.append(message)
            return state.messages.filter { $0.recipient == message.recipient }.count
        }
        return script(message.recipient, attempt) ?? .delivered("recorded \(message.messageID)")
    }

    /// Counts the close.
    public func close() async {
        state.withLock { $0.closed += 1 }
    }

    /// Every message given so far, in the order given.
    public var messages: [OutgoingMessage] {
        state.withLock { $0.messages }
    }

    /// The recipients of the messages given so far, in order.
    public var recipients: [String] {
        messages.map(\.recipient)
    }

    /// How many times the transport was closed.
    public var closeCount: Int {
        state.withLock { $0.closed }
    }
}
