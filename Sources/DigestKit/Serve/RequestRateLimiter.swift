import Foundation
import Synchronization

/// Allows each client a number of requests per window, so tokens cannot be guessed by brute force and the endpoint
/// cannot be flooded. Thread-safe, and bounded: clients whose window has passed are forgotten, and it never keeps
/// more than `maximumClients` (past that, the least recently seen half is dropped).
public final class RequestRateLimiter: Sendable {
    private let limit: Int
    private let window: TimeInterval
    /// The most clients remembered at once.
    public let maximumClients: Int
    /// Each client's requests in the current window, oldest first.
    private let requests = Mutex<[String: [Date]]>([:])

    /// A limiter of `limit` requests per `window` seconds per client, remembering at most `maximumClients`.
    public init(limit: Int = 30, window: TimeInterval = 60, maximumClients: Int = 10_000) {
        self.limit = limit
        self.window = window
        self.maximumClients = max(1, maximumClients)
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
            if requests.count > maximumClients { prune(&requests, now: now) }
            return true
        }
    }

    /// Whether `client` has used up its requests at `now`, without counting one.
    public func isLimited(_ client: String, at now: Date = Date()) -> Bool {
        let window = self.window
        return requests.withLock { requests in
            (requests[client] ?? []).lazy.filter { now.timeIntervalSince($0) < window }.count >= limit
        }
    }

    /// How many clients are remembered now.
    public var clientCount: Int {
        requests.withLock { $0.count }
    }

    /// Forgets the clients whose window has passed; if that is not enough, the least recently seen half.
    private func prune(_ requests: inout [String: [Date]], now: Date) {
        requests = requests.filter { _, times in times.last.map { now.timeIntervalSince($0) < window } ?? false }
        guard requests.count > maximumClients else { return }
        let newestFirst = requests.sorted { ($0.value.last ?? .distantPast) > ($1.value.last ?? .distantPast) }
        requests = Dictionary(uniqueKeysWithValues: newestFirst.prefix(maximumClients / 2).map { ($0.key, $0.value) })
    }
}
