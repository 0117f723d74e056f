import Foundation

/// How wall-clock times of one TZID map to instants: a fixed offset, a Foundation (IANA) zone, or the observances of a
/// VTIMEZONE (RFC 5545 section 3.6.5).
enum ZoneRules: Sendable {
    /// A fixed offset from UTC in seconds (UTC is `.fixed(0)`).
    case fixed(Int)
    /// An IANA zone known to Foundation, read through its transition table.
    case iana(ZoneTable)
    /// A zone computed from a VTIMEZONE's observances.
    case custom(CustomTimeZone)

    /// UTC.
    static let utc = ZoneRules.fixed(0)

    /// The rules of a Foundation time zone.
    static func foundation(_ timeZone: TimeZone) -> ZoneRules {
        .iana(ZoneTable.shared(for: timeZone))
    }

    /// The offset from UTC in seconds at the instant `epoch` (seconds since 1970 UTC).
    func offset(atEpoch epoch: Int) -> Int {
        switch self {
        case .fixed(let offset):
            return offset
        case .iana(let table):
            return table.offset(atEpoch: epoch)
        case .custom(let zone):
            return zone.offset(atEpoch: epoch)
        }
    }

    /// The instant (seconds since 1970 UTC) of a wall-clock time given as seconds since 1970 as if UTC.
    ///
    /// An ambiguous time (a repeated hour) is the first of the two instants; a time that does not exist (skipped by a
    /// forward shift) is read with the offset in force before the shift, as RFC 5545 section 3.3.5 says, so 02:30 on a
    /// spring-forward night becomes 03:30.
    func epoch(forLocal local: Int) -> Int {
        if case .fixed(let offset) = self {
            return local - offset
        }
        let before = offset(atEpoch: local - 86_400)
        let after = offset(atEpoch: local + 86_400)
        if offset(atEpoch: local - before) == before {
            return local - before
        }
        if offset(atEpoch: local - after) == after {
            return local - after
        }
        return local - before
    }

    /// The wall-clock time at the instant `epoch`.
    func local(forEpoch epoch: Int) -> LocalDateTime {
        LocalDateTime(epochSeconds: epoch + offset(atEpoch: epoch))
    }
}

/// A time zone described only by a VTIMEZONE: a sorted list of transitions computed from its STANDARD and DAYLIGHT
/// observances (TZOFFSETFROM, TZOFFSETTO, DTSTART, RRULE, RDATE).
struct CustomTimeZone: Sendable {
    /// The offset before the first transition.
    var initialOffset: Int
    /// Transition instants (seconds since 1970 UTC), ascending.
    var transitionEpochs: [Int]
    /// The offset from each transition on.
    var offsets: [Int]

    /// The offset in seconds at the instant `epoch`.
    func offset(atEpoch epoch: Int) -> Int {
        var low = 0
        var high = transitionEpochs.count
        while low < high {
            let middle = (low + high) / 2
            if transitionEpochs[middle] <= epoch {
                low = middle + 1
            } else {
                high = middle
            }
        }
        return low == 0 ? initialOffset : offsets[low - 1]
    }
}
