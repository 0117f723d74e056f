import Synchronization

/// A counting semaphore for async code: at most `permits` holders at once, waiters served first come, first served.
final class AsyncSemaphore: Sendable {
    /// The free slots, and the waiters in arrival order.
    private let state: Mutex<(permits: Int, waiters: [CheckedContinuation<Void, Never>])>

    /// Creates a semaphore with `permits` (at least 1) free slots.
    init(permits: Int) {
        state = Mutex((max(1, permits), []))
    }

    /// Suspends until a slot is free, then takes it.
    func acquire() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let granted = state.withLock { state in
                if state.permits > 0 {
                    state.permits -= 1
                    return true
                }
                state.waiters.append(continuation)
                return false
            }
            if granted { continuation.resume() }
        }
    }

    /// Gives a slot back, handing it straight to the longest waiter if there is one.
    func release() {
        let next: CheckedContinuation<Void, Never>? = state.withLock { state in
            if state.waiters.isEmpty {
                state.permits += 1
                return nil
            }
            return state.waiters.removeFirst()
        }
        next?.resume()
    }

}
