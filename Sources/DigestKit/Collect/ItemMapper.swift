import Deadlines
import DigestSupport
import Feeds
import Foundation

/// Turns the raw texts of a JSON or HTML source's entries into items, recording for each field what it matched and
/// what it was read as, and why an entry was left out.
struct ItemMapper: Sendable {
    let source: SourceConfig
    let timeZone: TimeZone
    let now: Date
    let dates: MappedDate
    let finder: DeadlineFinder
    let json: ItemJSON
    /// Each field's definition as the source writes it ("follow: …" for one read from the item's page), worked out
    /// once: looked up per field of every item, finding it copied each definition it passed.
    let definitions: [MappedField: String]

    init(source: SourceConfig, timeZone: TimeZone, now: Date) {
        self.source = source
        self.timeZone = timeZone
        self.now = now
        finder = DeadlineFinder(timeZone: timeZone, extraDeadlinePhrases: source.deadlinePhrases)
        dates = MappedDate(timeZone: timeZone, finder: finder)
        json = ItemJSON(timeZone: timeZone)
        var definitions: [MappedField: String] = [:]
        for field in MappedField.allCases {
            if let definition = source.mapping?.definition(of: field) {
                definitions[field] = definition.template.text
            } else if let follow = source.mapping?.follow?.fields.first(where: { $0.field == field }) {
                definitions[field] = "follow: " + follow.template.text
            }
        }
        self.definitions = definitions
    }

    /// The item `entry` gives, or nil with the reason in the trace; warnings are per-item problems.
    func item(for entry: RawEntry) -> (item: Item?, trace: ItemTrace, warnings: [String]) {
        var traces: [FieldTrace] = []
        var warnings: [String] = []
        let kind: ItemKind = source.kind == .funding ? .funding : .event
        let title = Self.firstText(of: entry.texts(.title))
        var label: String { "item \(entry.number)" + (title.map { " (\"\(Self.short($0))\")" } ?? "") }
        var item = Item(id: "", kind: kind, source: source.name, title: title ?? "")
        var parsedDates: [MappedField: MappedDate.Reading] = [:]

        for field in MappedField.allCases {
            let raw = entry.texts(field)
            let definition = self.definition(of: field, entry: entry)
            guard definition != nil || !raw.isEmpty else { continue }
            var trace = FieldTrace(field: field, definition: definition ?? "", raw: raw, parsed: nil, warning: nil)
            let value = Self.firstText(of: raw)
            switch field {
            case .id:
                item.uid = value
                trace.parsed = value
            case .title:
                trace.parsed = title
            case .summary:
                item.summary = value ?? ""
                trace.parsed = value
            case .url:
                if let value {
                    if let url = Self.resolve(value, against: entry.baseURL) {
                        item.url = url
                        trace.parsed = url.absoluteString
                    } else {
                        trace.warning = "\"\(Self.short(value))\" is not a link"
                    }
                }
            case .organizer:
                item.organizer = value
                trace.parsed = value
            case .location:
                item.location = value
                trace.parsed = value
            case .budget:
                item.budget = value
                trace.parsed = value
            case .topics:
                let values = raw.map { $0.trimmedWhitespace }.filter { !$0.isEmpty }
                item.categories += values
                trace.parsed = values.isEmpty ? nil : values.joined(separator: ", ")
            case .regions:
                let values = raw.map { $0.trimmedWhitespace }.filter { !$0.isEmpty }
                item.regions += values
                trace.parsed = values.isEmpty ? nil : values.joined(separator: ", ")
            case .allDay:
                if let value {
                    let folded = value.lowercased()
                    item.allDay = ["true", "1", "yes", "ja"].contains(folded)
                    trace.parsed = item.allDay ? "true" : "false"
                }
            case .start, .end, .opens, .deadline:
                guard let value else { break }
                let reading = dates.read(value, for: field, reference: now)
                parsedDates[field] = reading
                switch reading {
                case .date(let date, _): trace.parsed = json.time(date, allDay: false)
                case .rolling: trace.parsed = "rolling (no date)"
                case .unreadable:
                    trace.warning = "\"\(Self.short(value))\" is not a date"
                    warnings.append("\(label): \(field.rawValue) \"\(Self.short(value))\" is not a date; left empty")
                }
            }
            traces.append(trace)
        }
        func date(_ field: MappedField) -> (Date, Bool)? {
            if case .date(let date, let dateOnly)? = parsedDates[field] { return (date, dateOnly) }
            return nil
        }
        if kind == .event {
            // For an event, the mapped deadline is the last day to register.
            item.registrationDeadline = date(.deadline)?.0
            item.registrationHasTime = date(.deadline).map { !$0.1 } ?? false
        } else {
            item.deadline = date(.deadline)?.0
            item.deadlineHasTime = date(.deadline).map { !$0.1 } ?? false
        }
        item.rolling = parsedDates[.deadline] == .rolling
        item.opens = date(.opens)?.0
        if let (start, dateOnly) = date(.start) {
            item.start = start
            if dateOnly && entry.values[.allDay] == nil { item.allDay = true }
        }
        if let (end, dateOnly) = date(.end) {
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = timeZone
            // A bare end day is the last day of the event; items keep all-day ends exclusive, as iCalendar does.
            item.end = dateOnly && item.allDay ? calendar.date(byAdding: .day, value: 1, to: end) ?? end : end
        }
        item.cancelled = entry.cancelled
        if entry.online { item.online = true }
        // A call without a mapped deadline may name it in its text, as feed items do ("Sista ansökningsdag …").
        if kind == .funding, item.deadline == nil, parsedDates[.deadline] != .rolling {
            let found = finder.find(in: [item.title, item.summary].joined(separator: "\n"), referenceDate: now)
            item.rolling = found.deadline == nil && found.isRolling
            if let deadline = found.deadline {
                item.deadline = deadline
                item.deadlineHasTime = found.deadlineHasTime
                item.laterDeadlines = Array(Set(found.allDeadlines.filter { $0 > deadline })).sorted()
                traces.append(
                    FieldTrace(
                        field: .deadline, definition: "found in the title or summary", raw: [],
                        parsed: json.time(deadline, allDay: false)))
            }
            if item.opens == nil { item.opens = found.opens }
            if item.budget == nil { item.budget = found.budgetPhrases.first }
        }
        var trace = ItemTrace(number: entry.number, title: title, fields: traces, droppedBecause: nil)
        guard let title, !title.isEmpty else {
            trace.droppedBecause = "no title"
            return (nil, trace, ["item \(entry.number): no title; left out"])
        }
        if kind == .event, item.start == nil {
            trace.droppedBecause = "no start date"
            return (nil, trace, warnings + ["\(label): an event without a start date; left out"])
        }
        item.id = Self.id(for: item, source: source.name)
        return (item, trace, warnings)
    }

    /// The first of `texts` that is more than white space, trimmed.
    private static func firstText(of texts: [String]) -> String? {
        texts.lazy.map { $0.trimmedWhitespace }.first { !$0.isEmpty }
    }

    /// Where `field`'s value came from: its definition, or the origin recorded on the entry.
    private func definition(of field: MappedField, entry: RawEntry) -> String? {
        if let origin = entry.origins[field], !(entry.values[field] ?? []).contains(where: { !$0.isEmpty }) {
            return origin
        }
        return definitions[field] ?? entry.origins[field]
    }

    /// Stable ids: a call by its page, an event by its page and start, else by the id the source gave, else by title.
    static func id(for item: Item, source: String) -> String {
        let prefix = item.kind == .funding ? "fu-" : "ev-"
        let start = item.start.map { "|" + String(Int($0.timeIntervalSince1970)) } ?? ""
        if item.kind == .event, let uid = item.uid { return prefix + StableHash.hex(source + "|" + uid + start) }
        if let url = item.url { return prefix + StableHash.hex(FeedItems.canonical(url) + start) }
        if let uid = item.uid { return prefix + StableHash.hex(source + "|" + uid) }
        return prefix + StableHash.hex(source + "|" + item.title + start)
    }

    /// `href` as an absolute http(s), mailto or file URL, resolved against `base`.
    static func resolve(_ href: String, against base: URL?) -> URL? {
        let trimmed = href.trimmedWhitespace
        guard !trimmed.isEmpty else { return nil }
        guard
            let url = URL(string: trimmed, relativeTo: base)?.absoluteURL
                ?? URL(
                    string: trimmed.addingPercentEncoding(withAllowedCharacters: Self.linkCharacters) ?? trimmed,
                    relativeTo: base)?.absoluteURL,
            let scheme = url.scheme?.lowercased(), ["http", "https", "mailto", "file"].contains(scheme)
        else { return nil }
        return url
    }

    /// The characters a link keeps as they are when it must be escaped (a space, say, becomes %20).
    static let linkCharacters = CharacterSet.urlQueryAllowed.union(CharacterSet(charactersIn: "#%"))

    /// At most `limit` characters of `text` on one line, with an ellipsis when cut.
    static func short(_ text: String, _ limit: Int = 60) -> String {
        let line = text.split(whereSeparator: \.isNewline).joined(separator: " ")
        return line.count > limit ? String(line.prefix(limit - 1)) + "…" : line
    }
}
