import Synchronization

/// A request to stop a `digest send` early (SIGTERM or SIGINT), checked by the send loop before each new delivery:
/// the deliveries in flight finish and are recorded, no new one starts.
public final class SendCancellation: Sendable {
    /// The signal number that asked to stop, 0 while none did.
    private let signal = Atomic<Int32>(0)

    /// A request nobody has made yet.
    public init() {}

    /// Asks the run to stop, naming the signal that asked; the first request is kept.
    public func cancel(signal number: Int32) {
        _ = signal.compareExchange(expected: 0, desired: number, ordering: .relaxed)
    }

    /// True once `cancel` was called.
    public var isCancelled: Bool { signal.load(ordering: .relaxed) != 0 }

    /// The signal that asked to stop, or nil.
    public var signalNumber: Int32? {
        let number = signal.load(ordering: .relaxed)
        return number == 0 ? nil : number
    }
}
