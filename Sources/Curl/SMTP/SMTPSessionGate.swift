import Synchronization

/// Lets the first message of a transport through alone; the others wait until its first attempt has shown whether
/// the session can be set up at all, so that a wrong password costs one refused login, not one per connection.
final class SMTPSessionGate: Sendable {
    /// Open once the first attempt ended; whether that attempt is under way; who waits for it.
    private let state = Mutex<(open: Bool, probing: Bool, waiters: [CheckedContinuation<Bool, Never>])>(
        (false, false, []))

    /// Waits while the first attempt is under way. Returns true for the caller that makes that attempt, which must
    /// call `open()` once it has ended (after recording a session failure, if it was one).
    func enter() async -> Bool {
        if state.withLock({ $0.open }) { return false }
        return await withCheckedContinuation { continuation in
            let probe: Bool? = state.withLock { state in
                if state.open { return false }
                if !state.probing {
                    state.probing = true
                    return true
                }
                state.waiters.append(continuation)
                return nil
            }
            if let probe { continuation.resume(returning: probe) }
        }
    }

    /// Lets everyone through from now on, the waiters first.
    func open() {
        let waiters = state.withLock { state in
            state.open = true
            state.probing = false
            defer { state.waiters = [] }
            return state.waiters
        }
        for waiter in waiters { waiter.resume(returning: false) }
    }
}
