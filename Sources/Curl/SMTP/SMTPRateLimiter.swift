import Foundation
import Synchronization

/// Spaces out message starts to at most `perSecond` a second and `perMinute` in any 60 s window.
final class SMTPRateLimiter: Sendable {
    private let interval: Duration?
    private let perMinute: Int?
    /// The next start the per-second limit allows, and the starts of the last minute.
    private let slots: Mutex<(next: ContinuousClock.Instant, recent: [ContinuousClock.Instant])>

    /// Creates a limiter, or returns nil when neither limit is set.
    init?(perSecond: Double?, perMinute: Int?) {
        guard perSecond != nil || perMinute != nil else { return nil }
        interval = perSecond.map { Duration.seconds(1 / $0) }
        self.perMinute = perMinute
        slots = Mutex((.now, []))
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
        slots.withLock { slots in
            var slot = max(now, slots.next)
            if let perMinute, slots.recent.count >= perMinute {
                slot = max(slot, slots.recent[slots.recent.count - perMinute] + .seconds(60))
            }
            if let interval { slots.next = slot + interval }
            if let perMinute {
                slots.recent.append(slot)
                if slots.recent.count > perMinute { slots.recent.removeFirst(slots.recent.count - perMinute) }
            }
            return slot
        }
    }
}
