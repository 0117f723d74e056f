import Foundation

/// What one subscriber's digest holds, section by section, before it is rendered.
public struct DigestContent: Sendable {
    /// The reader.
    public var subscriber: Subscriber
    /// The language it is written in.
    public var language: Language
    /// Funding calls this subscriber has not been sent before, by deadline (calls without one last).
    public var newFunding: [Selection]
    /// Calls sent before that now close within `deadlinesAhead`: a one-time reminder.
    public var closingSoon: [Selection]
    /// Calls that open within `eventsAhead` but are not open yet, by opening date; not recorded as sent, so each
    /// comes as new once it opens.
    public var opensSoon: [Selection] = []
    /// Upcoming events within `eventsAhead`, by start.
    public var events: [Selection]
    /// Events sent before whose time or place has changed since, and calls whose deadline has.
    public var changed: [Selection]
    /// The ids of the events listed that this reader has never been sent: marked "Nytt" / "New".
    public var newItems: Set<String> = []
    /// For each call in `changed`, the deadline the reader was last sent (absent: they were sent none).
    public var previousDeadlines: [String: Date] = [:]
    /// For each entry of `events` that stands for a recurring event's occurrences, those occurrences.
    public var seriesMembers: [String: [Item]] = [:]

    /// The events to put in the calendar attachment: every occurrence listed, new or changed.
    public var calendarItems: [Item] {
        var items: [Item] = []
        for chosen in events + changed where chosen.itemBox.item.kind == .event {
            if let members = seriesMembers.isEmpty ? nil : seriesMembers[chosen.itemBox.item.id] {
                items += members
            } else {
                items.append(chosen.itemBox.item)
            }
        }
        return items
    }

    /// How many items are new to the reader: every new call, and the events never sent before.
    public var newCount: Int { newFunding.count + newItems.count }

    /// Whether there is nothing to tell.
    public var isEmpty: Bool {
        newFunding.isEmpty && closingSoon.isEmpty && opensSoon.isEmpty && events.isEmpty && changed.isEmpty
    }

    /// Every selection in the order the digest lists them.
    public var all: [Selection] { newFunding + closingSoon + opensSoon + events + changed }
}

/// What the state store remembers of an item sent to a subscriber.
public struct SentRecord: Sendable, Hashable {
    /// The item's fingerprint when it was sent.
    public var fingerprint: String
    /// Whether the closing-soon reminder has gone out.
    public var reminded: Bool

    /// A record of a sent item.
    public init(fingerprint: String, reminded: Bool) {
        self.fingerprint = fingerprint
        self.reminded = reminded
    }
}

/// Sorts a subscriber's selection into the digest's sections, using what they were sent before.
public struct DigestPlanner: Sendable {
    /// The moment the digest is made for.
    public var now: Date
    /// Events starting before this are listed.
    public var eventsUntil: Date
    /// Calls closing before this are flagged as closing soon.
    public var remindBefore: Date
    /// Whether unchanged events sent before are listed again.
    public var repeatEvents: RepeatEvents
    /// With `repeatEvents: untilWeekBefore`, events sent before are listed again when they start before this.
    public var repeatBefore: Date
    /// Gathers each recurring event's occurrences into one entry, shared across readers.
    let series: SeriesGrouper

    /// A planner for the moment `now` with the newsletter's look-ahead spans, counted in `timeZone`.
    public init(now: Date, newsletter: NewsletterConfig) {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = newsletter.timeZone
        self.now = now
        self.eventsUntil = newsletter.eventsAhead.after(now, in: calendar)
        self.remindBefore = newsletter.deadlinesAhead.after(now, in: calendar)
        self.repeatEvents = newsletter.repeatEvents
        self.repeatBefore = calendar.date(byAdding: .day, value: 7, to: now) ?? now
        self.series = SeriesGrouper(timeZone: newsletter.timeZone)
    }

    /// The sections for `subscriber`, given their `selection` and the `sent` history (item id to record);
    /// `withdrawn` calls go to the changed section of the readers who were sent them, once.
    public func plan(
        _ selection: [Selection],
        for subscriber: Subscriber,
        language: Language,
        sent: [String: SentRecord],
        withdrawn: [Selection] = []
    ) -> DigestContent {
        var content = DigestContent(
            subscriber: subscriber,
            language: language,
            newFunding: [],
            closingSoon: [],
            events: [],
            changed: []
        )
        var cancelledEvents: [Item] = []
        // Fields are read through the shared box: `Selection.item` would copy the whole item each time.
        for chosen in selection {
            let box = chosen.itemBox
            switch box.item.kind {
            case .funding:
                if let deadline = box.item.deadline, deadline < now { continue }
                if let opens = box.item.opens, opens > now, opens < eventsUntil {
                    content.opensSoon.append(chosen)
                    continue
                }
                if let record = sent.isEmpty ? nil : sent[box.item.id] {
                    let before = Item.deadline(inFingerprint: record.fingerprint)
                    // (An empty fingerprint remembers nothing to compare.)
                    if !record.fingerprint.isEmpty, before != box.item.deadline.map(Item.fingerprintSeconds) {
                        // Moved, extended or set since the reader last saw it.
                        content.changed.append(chosen)
                        content.previousDeadlines[box.item.id] = before.map { Date(timeIntervalSince1970: $0) }
                    } else if let deadline = box.item.deadline, deadline < remindBefore, !record.reminded {
                        content.closingSoon.append(chosen)
                    }
                } else {
                    content.newFunding.append(chosen)
                }
            case .event:
                guard let start = box.item.start, start < eventsUntil, (box.item.end ?? start) > now else { continue }
                if let record = sent.isEmpty ? nil : sent[box.item.id] {
                    if record.fingerprint != box.item.fingerprint {
                        content.changed.append(chosen)
                    } else if !box.item.cancelled && repeats(startingAt: start) {
                        content.events.append(chosen)
                    }
                } else if !box.item.cancelled {
                    content.events.append(chosen)
                    content.newItems.insert(box.item.id)
                } else {
                    cancelledEvents.append(box.item)
                }
            }
        }
        content.newFunding = Self.sorted(content.newFunding, by: content.newFunding.map(\.itemBox.item.deadline))
        content.closingSoon = Self.sorted(content.closingSoon, by: content.closingSoon.map(\.itemBox.item.deadline))
        content.opensSoon = Self.sorted(content.opensSoon, by: content.opensSoon.map(\.itemBox.item.opens))
        for chosen in withdrawn {
            if let record = sent[chosen.itemBox.item.id], record.fingerprint != Self.withdrawnFingerprint {
                content.changed.append(chosen)
            }
        }
        content.events = Self.sorted(content.events, by: content.events.map(\.itemBox.item.start))
        let grouped = series.group(content.events, cancelled: cancelledEvents)
        if !grouped.members.isEmpty {
            content.events = grouped.events
            content.seriesMembers = grouped.members
            // A series is new when one of its occurrences is; it counts once.
            for (id, members) in grouped.members {
                let new = members.contains { content.newItems.contains($0.id) }
                for member in members { content.newItems.remove(member.id) }
                if new { content.newItems.insert(id) }
            }
        }
        content.changed = Self.sorted(content.changed, by: content.changed.map(\.itemBox.item.start))
        return content
    }

    /// What the ledger keeps for a call the reader was told is withdrawn, so they are told once.
    static let withdrawnFingerprint = "withdrawn"

    /// Whether an unchanged event sent before, starting at `start`, is listed again.
    private func repeats(startingAt start: Date) -> Bool {
        switch repeatEvents {
        case .always: true
        case .once: false
        case .untilWeekBefore: start < repeatBefore
        }
    }

    /// `selections` by `dates` (one per selection; none last), then by item id.
    private static func sorted(_ selections: [Selection], by dates: [Date?]) -> [Selection] {
        guard selections.count > 1 else { return selections }
        let keys = dates.map { ($0 ?? .distantFuture).timeIntervalSinceReferenceDate }
        return selections.indices.sorted { left, right in
            keys[left] == keys[right]
                ? selections[left].itemBox.item.id < selections[right].itemBox.item.id : keys[left] < keys[right]
        }.map { selections[$0] }
    }

    /// The records to store once `content` has been delivered: every item in it, reminders marked.
    public func records(after content: DigestContent) -> [String: SentRecord] {
        var records: [String: SentRecord] = [:]
        for chosen in content.newFunding {
            let closing = chosen.item.deadline.map { $0 < remindBefore } ?? false
            records[chosen.item.id] = SentRecord(fingerprint: chosen.item.fingerprint, reminded: closing)
        }
        for chosen in content.closingSoon {
            records[chosen.item.id] = SentRecord(fingerprint: chosen.item.fingerprint, reminded: true)
        }
        for chosen in content.events + content.changed {
            for item in content.seriesMembers[chosen.item.id] ?? [chosen.item] {
                let fingerprint = item.withdrawn ? Self.withdrawnFingerprint : item.fingerprint
                records[item.id] = SentRecord(fingerprint: fingerprint, reminded: item.withdrawn)
            }
        }
        return records
    }
}
