import DigestSupport
import Foundation

/// Expands the events of a document into the occurrences of one window.
struct OccurrenceExpander {
    private let document: ICalendarDocument
    private let windowStart: Int
    private let windowEnd: Int
    private var occurrences: [Occurrence] = []
    private var problems: [ICalendarProblem] = []

    /// Prepares expansion of `document` over `[windowStart, windowEnd)`.
    init(document: ICalendarDocument, windowStart: Date, windowEnd: Date) {
        self.document = document
        self.windowStart = Self.epoch(windowStart)
        self.windowEnd = Self.epoch(windowEnd)
    }

    /// Whole seconds since 1970 of a date, clamped to a range that cannot overflow.
    private static func epoch(_ date: Date) -> Int {
        let seconds = date.timeIntervalSince1970.rounded(.down)
        return Int(min(max(seconds, -62_000_000_000), 253_000_000_000))
    }

    /// Runs the expansion.
    mutating func run() -> (occurrences: [Occurrence], problems: [ICalendarProblem]) {
        guard windowStart < windowEnd else { return ([], []) }
        // Overrides by UID, then by the instant they replace; the highest SEQUENCE wins.
        var overrides: [String: [Int: Event]] = [:]
        for event in document.events {
            guard let uid = event.uid, let recurrenceID = event.recurrenceID else { continue }
            let key = Self.epoch(recurrenceID.date)
            if let existing = overrides[uid]?[key], existing.sequence > event.sequence {
                continue
            }
            overrides[uid, default: [:]][key] = event
        }
        expandMasters(overrides: overrides)
        for byInstant in overrides.values {
            for (key, event) in byInstant where event.status != .cancelled {
                let box = EventBox(event)
                let start = Self.epoch(event.start.date)
                let end = endEpoch(of: event, startEpoch: start, startLocal: event.start.local.epochSeconds)
                if overlaps(start, end) {
                    append(box, start: start, end: end, recurrenceID: key)
                }
            }
        }
        occurrences.sort {
            $0.start != $1.start ? $0.start < $1.start : ($0.box.line, $0.end) < ($1.box.line, $1.end)
        }
        return (occurrences, problems)
    }

    /// Expands every master (and single event) in document order, on every core: each run of them by a copy of
    /// this expander, its occurrences and problems then added in order, as one pass would have added them.
    private mutating func expandMasters(overrides: [String: [Int: Event]]) {
        let events = document.events
        let masters = events.indices.filter { events[$0].recurrenceID == nil || events[$0].uid == nil }
        let template = self
        let runs = Parallel.map(
            runsOf: masters, length: 64, state: {},
            transform: { _, run in
                var expander = template
                for offset in run.offsets {
                    let event = events[run.base[offset]]
                    expander.expandMaster(event, replaced: event.uid.flatMap { overrides[$0] } ?? [:])
                }
                return (occurrences: expander.occurrences, problems: expander.problems)
            })
        for run in runs {
            occurrences += run.occurrences
            problems += run.problems
        }
    }

    /// An override with `RANGE=THISANDFUTURE`: every instance after `from` is moved by `shift` seconds and takes the
    /// override's length and fields (RFC 5545 section 3.2.13).
    private struct FutureChange {
        /// The instant of the instance the override names (its RECURRENCE-ID).
        var from: Int
        /// DTSTART minus RECURRENCE-ID of the override.
        var shift: Int
        /// The override.
        var box: EventBox
    }

    /// Adds the instances of one master (or single event) that overlap the window.
    private mutating func expandMaster(_ event: Event, replaced: [Int: Event]) {
        guard event.status != .cancelled else { return }
        let box = EventBox(event)
        let zone = event.start.zone
        let isRecurring = !event.rrules.isEmpty || !event.rdates.isEmpty
        var excluded = Set(event.exdates.filter { !$0.isDate || event.isAllDay }.map { Self.epoch($0.date) })
        let excludedDays = Set(event.exdates.filter { $0.isDate && !event.isAllDay }.map { $0.local.epochDays })
        excluded.formUnion(replaced.keys)
        let changes = replaced.filter { $0.value.thisAndFuture }.sorted { $0.key < $1.key }.map { key, override in
            FutureChange(from: key, shift: Self.epoch(override.start.date) - key, box: EventBox(override))
        }
        // A moved instance may come from before or after the window: look that much further either way.
        let slack = changes.map { abs($0.shift) + maxLengthSeconds(of: $0.box.event) }.max() ?? 0
        let limit = document.limits.maxOccurrencesPerEvent
        var produced = 0
        var seen: Set<Int> = []

        func consider(_ start: Int, local: Int, explicitEnd: Int?) -> Bool {
            guard !excluded.contains(start), !seen.contains(start) else { return true }
            if !excludedDays.isEmpty && excludedDays.contains(LocalDateTime(epochSeconds: local).epochDays) {
                return true
            }
            var owner = box
            var begins = start
            let end: Int
            if let change = changes.last(where: { $0.from < start }) {
                // A later instance of a THISANDFUTURE override; cancelled with it when it is cancelled.
                guard change.box.event.status != .cancelled else { return true }
                owner = change.box
                begins = start + change.shift
                end =
                    explicitEnd.map { $0 + change.shift }
                    ?? endEpoch(of: change.box.event, startEpoch: begins, startLocal: local + change.shift)
            } else {
                end = explicitEnd ?? endEpoch(of: event, startEpoch: start, startLocal: local)
            }
            guard overlaps(begins, end) else { return true }
            seen.insert(start)
            produced += 1
            if produced > limit {
                problems.append(
                    ICalendarProblem(
                        line: event.line,
                        message:
                            "event\(event.uid.map { " \($0)" } ?? "") has more than \(limit) occurrences in the window; the rest are left out"
                    ))
                return false
            }
            append(owner, start: begins, end: end, recurrenceID: isRecurring ? start : nil)
            return true
        }

        // Several RRULEs: the recurrence set is the union of their instances (`seen` drops the repeats).
        let maxLength = max(maxLengthSeconds(of: event), slack)
        for rule in event.rrules {
            var iterator = RecurrenceIterator(
                rule: rule, start: event.start.local, allDay: event.isAllDay, horizon: windowEnd + 2 * 86_400 + slack,
                skipTo: windowStart - maxLength - 2 * 86_400, maxIterations: document.limits.maxIterationsPerEvent)
            while let local = iterator.next() {
                if local > windowEnd + 2 * 86_400 + slack {
                    break
                }
                if let until = rule.until, !Self.isOnOrBefore(local, zone: zone, until: until) {
                    break
                }
                let start = zone.epoch(forLocal: local)
                if !consider(start, local: local, explicitEnd: nil) {
                    return
                }
            }
            if iterator.startOutsideRule {
                problems.append(
                    ICalendarProblem(
                        line: event.line,
                        message:
                            "DTSTART of event\(event.uid.map { " \($0)" } ?? "") is not an instance of its RRULE with COUNT=\(rule.count ?? 0) (RFC 5545 section 3.8.2.4); counted as the first of the COUNT occurrences, which other programs may not do"
                    ))
            }
            if iterator.hitIterationLimit {
                problems.append(
                    ICalendarProblem(
                        line: event.line,
                        message:
                            "RRULE of event\(event.uid.map { " \($0)" } ?? "") stopped after \(document.limits.maxIterationsPerEvent) periods without reaching the window's end (maxIterationsPerEvent)"
                    ))
            }
        }
        if event.rrules.isEmpty {
            let local = event.start.local.epochSeconds
            if !consider(Self.epoch(event.start.date), local: local, explicitEnd: nil) {
                return
            }
        }
        for rdate in event.rdates {
            let start = Self.epoch(rdate.start.date)
            let local = rdate.start.local.epochSeconds
            if !consider(start, local: local, explicitEnd: rdate.end.map(Self.epoch)) {
                return
            }
        }
    }

    /// Whether a wall-clock instance is not after UNTIL (compared as dates, wall clock or instants as UNTIL is written).
    private static func isOnOrBefore(_ local: Int, zone: ZoneRules, until: DateValue) -> Bool {
        switch until.form {
        case .date:
            return local < (until.local.epochDays + 1) * 86_400
        case .floating:
            return local <= until.local.epochSeconds
        case .utc, .zoned:
            return zone.epoch(forLocal: local) <= epoch(until.date)
        }
    }

    /// Whether `[start, end)` overlaps the window (an instant event counts when it starts inside).
    private func overlaps(_ start: Int, _ end: Int) -> Bool {
        end > start ? start < windowEnd && end > windowStart : start >= windowStart && start < windowEnd
    }

    /// The end of an instance of `event` starting at `startEpoch` (wall clock `startLocal`).
    private func endEpoch(of event: Event, startEpoch: Int, startLocal: Int) -> Int {
        let zone = event.start.zone
        if let end = event.end {
            if event.start.isDate {
                let days = max(1, end.local.epochDays - event.start.local.epochDays)
                return zone.epoch(forLocal: (LocalDateTime(epochSeconds: startLocal).epochDays + days) * 86_400)
            }
            let length = max(0, Self.epoch(end.date) - Self.epoch(event.start.date))
            return startEpoch + length
        }
        if let duration = event.duration {
            return max(startEpoch, Occurrence.endEpoch(startEpoch: startEpoch, zone: zone, duration))
        }
        if event.start.isDate {
            return zone.epoch(forLocal: startLocal + 86_400)
        }
        return startEpoch
    }

    /// An upper bound of an instance's length in seconds, used to start expansion early enough.
    private func maxLengthSeconds(of event: Event) -> Int {
        let start = event.start
        if let end = event.end {
            return max(0, Self.epoch(end.date) - Self.epoch(start.date)) + 2 * 3600
        }
        if let duration = event.duration {
            return abs(duration.days) * 86_400 + abs(duration.seconds) + 2 * 3600
        }
        return 86_400
    }

    /// Adds an occurrence.
    private mutating func append(_ box: EventBox, start: Int, end: Int, recurrenceID: Int?) {
        occurrences.append(
            Occurrence(
                box: box, start: Date(timeIntervalSince1970: TimeInterval(start)),
                end: Date(timeIntervalSince1970: TimeInterval(end)), isAllDay: box.event.isAllDay,
                recurrenceID: recurrenceID.map { Date(timeIntervalSince1970: TimeInterval($0)) }))
    }
}
