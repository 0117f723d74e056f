import Foundation

/// Reads VEVENT components into `Event` values, resolving time zones and reporting what it skips.
struct EventReader {
    /// The calendar's time zones.
    var resolver: TimeZoneResolver
    /// Problems with single properties that did not cost the whole event.
    var problems: [ICalendarProblem] = []

    /// Reads one DATE / DATE-TIME text in the context of a property's VALUE and TZID parameters.
    mutating func dateValue(_ text: Substring, of property: ContentLine) -> DateValue? {
        guard let parsed = DateParsing.parse(text) else { return nil }
        if parsed.isDate {
            return DateValue(local: parsed.local, form: .date, zone: resolver.defaultZone)
        }
        if property.parameter("VALUE")?.uppercased() == "DATE" {
            var local = parsed.local
            local.hour = 0
            local.minute = 0
            local.second = 0
            return DateValue(local: local, form: .date, zone: resolver.defaultZone)
        }
        if parsed.isUTC {
            return DateValue(local: parsed.local, form: .utc, zone: .utc)
        }
        if let tzid = property.parameter("TZID"), !tzid.trimmingSpaces().isEmpty {
            let zone = resolver.zone(for: tzid, line: property.line)
            return DateValue(local: parsed.local, form: .zoned(tzid: tzid), zone: zone)
        }
        return DateValue(local: parsed.local, form: .floating, zone: resolver.defaultZone)
    }

    /// Reads a VEVENT; a component without a usable DTSTART is a problem instead, and one with an unreadable RRULE is
    /// read as not recurring (the RRULE is reported).
    mutating func read(_ component: Component) -> Result<Event, ICalendarProblem> {
        let uidText = component.property("UID").map { " (UID \($0.value))" } ?? ""
        guard let startLine = component.property("DTSTART") else {
            return .failure(ICalendarProblem(line: component.line, message: "VEVENT\(uidText) has no DTSTART; skipped"))
        }
        guard let start = dateValue(Substring(startLine.value), of: startLine) else {
            return .failure(
                ICalendarProblem(
                    line: startLine.line,
                    message:
                        "invalid DTSTART \"\(startLine.value)\" (expected DATE or DATE-TIME); VEVENT\(uidText) skipped"
                ))
        }
        var event = Event(start: start, line: component.line)
        // One unreadable RRULE makes the whole recurrence set unknown: none of the rules is used.
        var brokenRule = false
        var endLine = component.line
        for property in component.properties {
            switch property.name {
            case "UID": event.uid = property.value.trimmingSpaces()
            case "SUMMARY": event.summary = TextValue.unescape(property.value)
            case "DESCRIPTION": event.description = TextValue.unescape(property.value)
            case "LOCATION": event.location = TextValue.unescape(property.value)
            case "URL": event.url = property.value.trimmingSpaces()
            case "ORGANIZER":
                let value = property.value.trimmingSpaces()
                let email = value.lowercased().hasPrefix("mailto:") ? String(value.dropFirst(7)) : nil
                event.organizer = Organizer(name: property.parameter("CN").map(TextValue.unescape), email: email)
            case "CATEGORIES":
                event.categories += TextValue.splitList(property.value).filter { !$0.isEmpty }
            case "STATUS":
                event.status = EventStatus(rawValue: property.value.trimmingSpaces().uppercased())
            case "SEQUENCE":
                event.sequence = Int(property.value.trimmingSpaces()) ?? 0
            case "LAST-MODIFIED", "DTSTAMP":
                if let parsed = DateParsing.parse(Substring(property.value)) {
                    let zone: ZoneRules = parsed.isUTC ? .utc : resolver.defaultZone
                    let date = DateValue(local: parsed.local, form: parsed.isUTC ? .utc : .floating, zone: zone).date
                    if property.name == "DTSTAMP" {
                        event.stamp = date
                    } else {
                        event.lastModified = date
                    }
                }
            case "DTEND":
                if let end = dateValue(Substring(property.value), of: property) {
                    event.end = end
                    endLine = property.line
                } else {
                    problems.append(
                        ICalendarProblem(line: property.line, message: "invalid DTEND \"\(property.value)\"; ignored"))
                }
            case "DURATION":
                if let duration = ICalDuration(parsing: property.value) {
                    event.duration = duration
                } else {
                    problems.append(
                        ICalendarProblem(
                            line: property.line, message: "invalid DURATION \"\(property.value)\"; ignored")
                    )
                }
            case "RRULE":
                switch RecurrenceRule.parse(property.value, zone: start.zone) {
                case .success(let rule):
                    event.rrules.append(rule)
                case .failure(let error):
                    brokenRule = true
                    problems.append(
                        ICalendarProblem(
                            line: property.line,
                            message: "invalid RRULE: \(error.message); VEVENT\(uidText) read as not recurring"))
                }
            case "RDATE":
                readRDate(property, into: &event)
            case "EXDATE":
                for item in property.value.split(separator: ",") {
                    if let value = dateValue(item, of: property) {
                        event.exdates.append(value)
                    } else {
                        problems.append(
                            ICalendarProblem(line: property.line, message: "invalid EXDATE \"\(item)\"; ignored"))
                    }
                }
            case "RECURRENCE-ID":
                guard let value = dateValue(Substring(property.value), of: property) else {
                    return .failure(
                        ICalendarProblem(
                            line: property.line,
                            message: "invalid RECURRENCE-ID \"\(property.value)\"; VEVENT\(uidText) skipped"))
                }
                event.recurrenceID = value
                switch property.parameter("RANGE")?.uppercased() {
                case nil: break
                case "THISANDFUTURE": event.thisAndFuture = true
                case let range?:
                    problems.append(
                        ICalendarProblem(
                            line: property.line,
                            message:
                                "RECURRENCE-ID RANGE=\(range) is not THISANDFUTURE (RFC 5545 section 3.2.13); read as this instance only"
                        ))
                }
            default:
                continue
            }
        }
        if brokenRule {
            event.rrules = []
        }
        // RFC 5545 section 3.8.2.2: DTEND has DTSTART's value type. Read as written, and said, since readers differ.
        if let end = event.end, end.isDate != start.isDate {
            problems.append(
                ICalendarProblem(
                    line: endLine,
                    message: "DTEND \(end) is a \(end.isDate ? "DATE" : "DATE-TIME") but DTSTART \(start) a "
                        + "\(start.isDate ? "DATE" : "DATE-TIME") (RFC 5545 section 3.8.2.2); read as written"))
        }
        // RFC 5545 section 3.8.2.2: DTEND must be later than DTSTART.
        if let end = event.end, end.date < start.date {
            problems.append(
                ICalendarProblem(
                    line: endLine,
                    message: "DTEND \(end) is before DTSTART \(start); ignored (the event starts at DTSTART)"))
            event.end = nil
        }
        return .success(event)
    }

    /// Reads the values of one RDATE line (DATE, DATE-TIME or PERIOD).
    private mutating func readRDate(_ property: ContentLine, into event: inout Event) {
        for item in property.value.split(separator: ",") {
            let parts = item.split(separator: "/", maxSplits: 1)
            guard let first = parts.first, let start = dateValue(first, of: property) else {
                problems.append(ICalendarProblem(line: property.line, message: "invalid RDATE \"\(item)\"; ignored"))
                continue
            }
            var end: Date?
            if parts.count == 2, start.isDate {
                // RFC 5545 section 3.3.9: a PERIOD starts with a DATE-TIME.
                problems.append(
                    ICalendarProblem(
                        line: property.line,
                        message: "RDATE PERIOD \"\(item)\" starts with a DATE, not a DATE-TIME (RFC 5545 section "
                            + "3.3.9); read as starting at midnight"))
            }
            if parts.count == 2 {
                if let endValue = dateValue(parts[1], of: property) {
                    end = endValue.date
                } else if let duration = ICalDuration(parsing: String(parts[1])) {
                    end = Occurrence.end(of: start, adding: duration)
                } else {
                    problems.append(
                        ICalendarProblem(line: property.line, message: "invalid PERIOD \"\(item)\"; ignored"))
                    continue
                }
            }
            event.rdates.append(RecurrenceDate(start: start, end: end))
        }
    }
}
