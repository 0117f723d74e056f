import Foundation

/// Spaces out message starts to at most `perSecond` a second and `perMinute` in any 60 s window.
final class SMTPRateLimiter: @unchecked Sendable {
    private let lock = NSLock()
    private let interval: Duration?
    private let perMinute: Int?
    private var nextSlot: ContinuousClock.Instant
    private var recent: [ContinuousClock.Instant] = []

    /// Creates a limiter, or returns nil when neither limit is set.
    init?(perSecond: Double?, perMinute: Int?) {
        guard perSecond != nil || perMinute != nil else { return nil }
        interval = perSecond.map { Duration.seconds(1 / $0) }
        self.perMinute = perMinute
        nextSlot = .now
    }

    /// Reserves the earliest allowed start and waits until then.
    func wait() async {
        let slot = reserve(now: .now)
        if slot > .now {
            try? await Task.sleep(until: slot, clock: .continuous)
        }
    }

    /// Books the earliest start at or after `now` that both limits allow.
    func reserve(now: ContinuousClock.Instant) -> ContinuousClock.Instant {
        lock.withLock {
            var slot = max(now, nextSlot)
            if let perMinute, recent.count >= perMinute {
                slot = max(slot, recent[recent.count - perMinute] + .seconds(60))
            }
            if let interval { nextSlot = slot + interval }
            if let perMinute {
                recent.append(slot)
                if recent.count > perMinute { recent.removeFirst(recent.count - perMinute) }
            }
            return slot
        }
    }
}
