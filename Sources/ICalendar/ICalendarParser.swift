import DigestSupport
import Foundation

/// Parses iCalendar bytes (RFC 5545) into an `ICalendarDocument`.
///
/// Tolerant leaves, strict container: data that is not iCalendar at all throws; a broken component is skipped and
/// reported in `ICalendarDocument.problems` with its line, and the rest is kept.
public struct ICalendarParser: Sendable {
    /// The zone for floating times, DATE values and unknown TZIDs.
    public var defaultTimeZone: TimeZone
    /// Size and expansion bounds.
    public var limits: ICalendarLimits

    /// Creates a parser that reads floating and all-day values in `defaultTimeZone`.
    public init(defaultTimeZone: TimeZone, limits: ICalendarLimits = .init()) {
        self.defaultTimeZone = defaultTimeZone
        self.limits = limits
    }

    /// Parses iCalendar bytes.
    ///
    /// - Throws: `ICalendarError` only when the data is not iCalendar at all (too large, binary, or neither
    ///   `BEGIN:VCALENDAR` nor `BEGIN:VEVENT`).
    public func parse(_ data: Data) throws(ICalendarError) -> ICalendarDocument {
        guard data.count <= limits.maxBytes else {
            throw .tooLarge(bytes: data.count, limit: limits.maxBytes)
        }
        var bytes = [UInt8](data)
        if bytes.count >= 2 && (bytes[0] == 0xFF && bytes[1] == 0xFE || bytes[0] == 0xFE && bytes[1] == 0xFF),
            let text = String(data: data, encoding: .utf16)
        {
            // A UTF-16 calendar with a byte order mark (some Windows exports): read it as UTF-8.
            bytes = Array(text.utf8)
        }
        let hasNUL = bytes.withUnsafeBufferPointer { buffer in
            buffer.baseAddress.map { memchr($0, 0, buffer.count) != nil } ?? false
        }
        if hasNUL {
            throw .binary
        }
        let (lines, lineProblems) = ContentLineReader.read(bytes)
        guard
            lines.contains(where: {
                $0.name == "BEGIN" && ["VCALENDAR", "VEVENT"].contains($0.value.trimmingSpaces().uppercased())
            })
        else {
            throw .notICalendar
        }
        let (roots, treeProblems) = Component.build(lines)
        var problems = lineProblems + treeProblems
        var calendars = roots.filter { $0.name == "VCALENDAR" }
        // A bare snippet (VEVENTs, and their VTIMEZONEs, outside any VCALENDAR) is read as if it were wrapped in one.
        let stray = roots.filter { $0.name == "VEVENT" || $0.name == "VTIMEZONE" }
        if !stray.isEmpty {
            calendars.append(Component(name: "VCALENDAR", line: stray[0].line, children: stray))
            for event in stray where event.name == "VEVENT" {
                problems.append(
                    ICalendarProblem(
                        line: event.line, message: "VEVENT outside VCALENDAR; read as if it were inside one"))
            }
        }

        var resolver = TimeZoneResolver(defaultZone: defaultTimeZone)
        for calendar in calendars {
            for component in calendar.children where component.name == "VTIMEZONE" {
                guard let tzid = component.property("TZID")?.value.trimmingSpaces(), !tzid.isEmpty else {
                    problems.append(ICalendarProblem(line: component.line, message: "VTIMEZONE has no TZID; skipped"))
                    continue
                }
                switch CustomTimeZone.build(from: component) {
                case .success(let zone):
                    resolver.customZones[tzid] = zone
                case .failure(let error):
                    if TimeZoneResolver.knownZone(tzid) == nil {
                        problems.append(ICalendarProblem(line: component.line, message: "\(error.message); skipped"))
                    }
                }
            }
        }

        var name: String?
        var calendarName: String?
        var timeZoneName: String?
        for calendar in calendars {
            for property in calendar.properties {
                switch property.name {
                case "X-WR-CALNAME": name = name ?? TextValue.unescape(property.value)
                case "NAME": calendarName = calendarName ?? TextValue.unescape(property.value)
                case "X-WR-TIMEZONE": timeZoneName = timeZoneName ?? property.value.trimmingSpaces()
                default: break
                }
            }
        }
        let (read, eventProblems) = Self.readEvents(of: calendars, resolver: resolver)
        problems += eventProblems
        let reconciled = SeriesReconciler.reconcile(read)
        let events = reconciled.events
        problems += reconciled.problems
        problems.sort { $0.line < $1.line }
        return ICalendarDocument(
            name: name ?? calendarName, timeZoneName: timeZoneName, events: events, problems: problems,
            defaultTimeZone: defaultTimeZone, limits: limits)
    }

    /// The VEVENTs of `calendars`, in order, read on every core, and the problems met, as one reader going through
    /// them in order reports them: the events skipped, in order, then the properties ignored, then each unknown
    /// TZID once, where it was first used.
    private static func readEvents(
        of calendars: [Component], resolver: TimeZoneResolver
    ) -> (events: [Event], problems: [ICalendarProblem]) {
        let components = calendars.flatMap { calendar in calendar.children.filter { $0.name == "VEVENT" } }
        // Each worker has its own reader (and resolver, which remembers the zones it found); a run of components
        // gives its events and the problems its reader met while reading them.
        let runs = Parallel.map(
            runsOf: components, length: 128, state: { EventReader(resolver: resolver) },
            transform: { reader, run in
                let known = (properties: reader.problems.count, zones: reader.resolver.problems.count)
                var results: [Result<Event, ICalendarProblem>] = []
                results.reserveCapacity(run.count)
                for offset in run.offsets { results.append(reader.read(run.base[offset])) }
                return (
                    results: results, properties: Array(reader.problems[known.properties...]),
                    zones: Array(reader.resolver.problems[known.zones...])
                )
            })
        var events: [Event] = []
        events.reserveCapacity(components.count)
        var skipped: [ICalendarProblem] = []
        var properties: [ICalendarProblem] = []
        // A worker reports an unknown TZID the first time it meets it; the calendar's first use is the earliest line.
        var zones: [String: ICalendarProblem] = [:]
        for run in runs {
            for result in run.results {
                switch result {
                case .success(let event): events.append(event)
                case .failure(let problem): skipped.append(problem)
                }
            }
            properties += run.properties
            for problem in run.zones where zones[problem.message].map({ problem.line < $0.line }) ?? true {
                zones[problem.message] = problem
            }
        }
        return (events, skipped + properties + zones.values.sorted { $0.line < $1.line })
    }
}
