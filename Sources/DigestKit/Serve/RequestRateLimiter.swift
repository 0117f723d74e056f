import Foundation
import Synchronization

/// Allows each client a number of requests per window, so tokens cannot be guessed by brute force and the endpoint
/// cannot be flooded. Thread-safe.
public final class RequestRateLimiter: Sendable {
    private let limit: Int
    private let window: TimeInterval
    /// Each client's requests in the current window.
    private let requests = Mutex<[String: [Date]]>([:])

    /// A limiter of `limit` requests per `window` seconds per client.
    public init(limit: Int = 30, window: TimeInterval = 60) {
        self.limit = limit
        self.window = window
    }

    /// Whether `client` may make a request at `now` (and counts it when it may).
    public func allow(_ client: String, at now: Date = Date()) -> Bool {
        requests.withLock { requests in
            let recent = (requests[client] ?? []).filter { now.timeIntervalSince($0) < window }
            guard recent.count < limit else {
                requests[client] = recent
                return false
            }
            requests[client] = recent + [now]
            if requests.count > 10_000 { requests = requests.filter { !$0.value.isEmpty } }
            return true
        }
    }
}
