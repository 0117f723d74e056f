import Foundation

/// Makes the events of one calendar into consistent series before expansion (RFC 5545 section 3.8.4.4).
///
/// Two things real calendars get wrong are repaired here and reported:
/// - several VEVENTs with one UID and no RECURRENCE-ID: only one can be the series; the one with the highest
///   SEQUENCE is kept, then the one with the latest DTSTAMP, then the first;
/// - a RECURRENCE-ID whose value type differs from its series' DTSTART (Outlook writes a DATE-TIME for the instances
///   of an all-day series): it is matched to the series' instance on the same date.
enum SeriesReconciler {
    /// `events` without the superseded duplicates, with mismatched RECURRENCE-IDs retyped, and what was done.
    static func reconcile(_ events: [Event]) -> (events: [Event], problems: [ICalendarProblem]) {
        var problems: [ICalendarProblem] = []
        var masterIndex: [String: Int] = [:]
        var dropped: Set<Int> = []
        // The events are read by index, field by field: `for event in events` copies each whole event.
        for index in events.indices where events[index].recurrenceID == nil {
            guard let uid = events[index].uid else { continue }
            guard let kept = masterIndex[uid] else {
                masterIndex[uid] = index
                continue
            }
            let (winner, loser) = supersedes(events[index], events[kept]) ? (index, kept) : (kept, index)
            masterIndex[uid] = winner
            dropped.insert(loser)
            problems.append(
                ICalendarProblem(
                    line: events[loser].line,
                    message:
                        "VEVENT (UID \(uid)) has the same UID as the VEVENT at line \(events[winner].line) and no RECURRENCE-ID; \(reason(events[winner], over: events[loser])), so this one is skipped"
                ))
        }
        let mismatched = events.indices.contains { index in
            guard let recurrenceID = events[index].recurrenceID, let uid = events[index].uid,
                let master = masterIndex[uid]
            else { return false }
            return recurrenceID.isDate != events[master].start.isDate
        }
        // Most calendars need nothing repaired: their events are given back as they are, not copied one by one.
        guard mismatched || !dropped.isEmpty else { return (events, problems) }
        var result: [Event] = []
        result.reserveCapacity(events.count - dropped.count)
        var retyped: [Event] = []
        for (index, event) in events.enumerated() where !dropped.contains(index) {
            guard let recurrenceID = event.recurrenceID, let uid = event.uid, let master = masterIndex[uid] else {
                result.append(event)
                continue
            }
            let start = events[master].start
            guard recurrenceID.isDate != start.isDate else {
                result.append(event)
                continue
            }
            var moved = event
            moved.recurrenceID = sameDate(as: recurrenceID, typedAs: start)
            retyped.append(event)
            result.append(moved)
        }
        if let first = retyped.first, let uid = first.uid, let recurrenceID = first.recurrenceID {
            let kind = recurrenceID.isDate ? "a DATE" : "a DATE-TIME"
            let other = recurrenceID.isDate ? "DATE-TIMEs" : "DATEs"
            let count = retyped.count == 1 ? "it was" : "these \(retyped.count) overrides were"
            problems.append(
                ICalendarProblem(
                    line: first.line,
                    message:
                        "RECURRENCE-ID of VEVENT (UID \(uid)) is \(kind) in a series of \(other) (RFC 5545 asks for the type of DTSTART); \(count) matched to the instance on the same date"
                ))
        }
        return (result, problems)
    }

    /// Whether `candidate` replaces `current` as its UID's series: a higher SEQUENCE, else a later DTSTAMP.
    private static func supersedes(_ candidate: Event, _ current: Event) -> Bool {
        if candidate.sequence != current.sequence {
            return candidate.sequence > current.sequence
        }
        return (candidate.stamp ?? .distantPast) > (current.stamp ?? .distantPast)
    }

    /// Why `winner` was kept over `loser`, for the problem report.
    private static func reason(_ winner: Event, over loser: Event) -> String {
        if winner.sequence != loser.sequence {
            return "that one has the higher SEQUENCE (\(winner.sequence) > \(loser.sequence))"
        }
        if (winner.stamp ?? .distantPast) != (loser.stamp ?? .distantPast) {
            return "that one has the later DTSTAMP"
        }
        return "both have the same SEQUENCE and DTSTAMP and that one comes first"
    }

    /// `recurrenceID`'s date, as a value of `start`'s type: midnight of that date for a DATE series, the series'
    /// time of day on that date for a DATE-TIME series.
    private static func sameDate(as recurrenceID: DateValue, typedAs start: DateValue) -> DateValue {
        var local = start.local
        local.year = recurrenceID.local.year
        local.month = recurrenceID.local.month
        local.day = recurrenceID.local.day
        return DateValue(local: local, form: start.form, zone: start.zone)
    }
}
