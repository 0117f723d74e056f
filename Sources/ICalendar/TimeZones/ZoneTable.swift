import DigestSupport
import Foundation

/// The UTC offsets of a Foundation time zone as a sorted transition table, so that the hot paths of expansion do a
/// binary search instead of asking Foundation (ICU) for every instant.
///
/// The table covers 1900–2100; outside it, Foundation is asked directly. Tables are built once per zone identifier
/// and shared.
final class ZoneTable: Sendable {
    /// The zone the table was built from.
    let timeZone: TimeZone
    private let firstEpoch: Int
    private let lastEpoch: Int
    private let initialOffset: Int
    private let transitions: [Int]
    private let offsets: [Int]

    /// Builds the table of `timeZone` (prefer `ZoneTable.shared(for:)`).
    init(_ timeZone: TimeZone) {
        self.timeZone = timeZone
        let first = Civil.days(year: 1900, month: 1, day: 1) * 86_400
        let last = Civil.days(year: 2100, month: 1, day: 1) * 86_400
        firstEpoch = first
        lastEpoch = last
        initialOffset = timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(first)))
        var transitions: [Int] = []
        var offsets: [Int] = []
        var cursor = Date(timeIntervalSince1970: TimeInterval(first))
        while transitions.count < 5000, let next = timeZone.nextDaylightSavingTimeTransition(after: cursor),
            next.timeIntervalSince1970 < TimeInterval(last), next > cursor
        {
            transitions.append(Int(next.timeIntervalSince1970.rounded(.down)))
            offsets.append(timeZone.secondsFromGMT(for: next))
            cursor = next
        }
        self.transitions = transitions
        self.offsets = offsets
    }

    /// The offset from UTC in seconds at the instant `epoch`.
    func offset(atEpoch epoch: Int) -> Int {
        guard epoch >= firstEpoch && epoch < lastEpoch else {
            return timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(epoch)))
        }
        var low = 0
        var high = transitions.count
        while low < high {
            let middle = (low + high) / 2
            if transitions[middle] <= epoch {
                low = middle + 1
            } else {
                high = middle
            }
        }
        return low == 0 ? initialOffset : offsets[low - 1]
    }

    /// The shared table for `timeZone`, built on first use.
    static func shared(for timeZone: TimeZone) -> ZoneTable {
        tables.value(for: timeZone.identifier) { ZoneTable(timeZone) }
    }

    /// Tables by zone identifier (a handful per run: one per zone the calendars name).
    private static let tables = BoundedCache<String, ZoneTable>(capacity: 256)
}
