import Foundation

/// One instance of an event in a time window, after recurrence, overrides, EXDATEs and cancellations.
public struct Occurrence: Sendable {
    /// The master event, or the override (RECURRENCE-ID) that replaced this instance.
    public var event: Event {
        get { box.event }
        set { box = EventBox(newValue) }
    }
    /// The event, shared by every occurrence of one series so that an occurrence stays small.
    var box: EventBox
    /// When the instance starts.
    public var start: Date
    /// When it ends: DTEND, DTSTART+DURATION, or the RFC 5545 default (one day for a DATE, the start for a DATE-TIME).
    public var end: Date
    /// Whether the event uses DATE values; `start` and `end` are then midnights in the default zone, `end` exclusive.
    public var isAllDay: Bool
    /// The instance's original start (its RECURRENCE-ID); nil for a non-recurring event.
    public var recurrenceID: Date?

    /// Creates an occurrence.
    public init(event: Event, start: Date, end: Date, isAllDay: Bool, recurrenceID: Date?) {
        self.init(box: EventBox(event), start: start, end: end, isAllDay: isAllDay, recurrenceID: recurrenceID)
    }

    /// Creates an occurrence that shares `box` with the other occurrences of its event.
    init(box: EventBox, start: Date, end: Date, isAllDay: Bool, recurrenceID: Date?) {
        self.box = box
        self.start = start
        self.end = end
        self.isAllDay = isAllDay
        self.recurrenceID = recurrenceID
    }

    /// The end of an instance starting at `start` that lasts `duration`: whole days on the wall clock of the start's
    /// zone, then exact seconds.
    static func end(of start: DateValue, adding duration: ICalDuration) -> Date {
        let startEpoch = Int(start.date.timeIntervalSince1970)
        return Date(timeIntervalSince1970: TimeInterval(endEpoch(startEpoch: startEpoch, zone: start.zone, duration)))
    }

    /// `startEpoch` plus `duration`, days counted on the wall clock of `zone`.
    static func endEpoch(startEpoch: Int, zone: ZoneRules, _ duration: ICalDuration) -> Int {
        guard duration.days != 0 else { return startEpoch + duration.seconds }
        let local = startEpoch + zone.offset(atEpoch: startEpoch) + duration.days * 86_400
        return zone.epoch(forLocal: local) + duration.seconds
    }
}

/// An immutable reference to an event, shared by the occurrences of one series.
final class EventBox: Sendable {
    /// The event.
    let event: Event
    /// Where the event began in the input, used to order simultaneous occurrences.
    let line: Int

    /// Wraps `event`.
    init(_ event: Event) {
        self.event = event
        self.line = event.line
    }
}
