import Foundation

/// A schema.org Event as a page described it; text fields plain text (HTML entities decoded, tags stripped,
/// whitespace collapsed), dates as written (the caller parses them).
public struct SchemaEvent: Sendable, Hashable {
    /// `name` ("" when the page gave none).
    public var name: String
    /// `description`.
    public var description: String?
    /// `url`, else `@id` when it looks like an http(s) URL; trimmed, not resolved.
    public var url: String?
    /// `identifier` (string or PropertyValue.value) else `@id`.
    public var identifier: String?
    /// `startDate` as written (trimmed).
    public var startDate: String?
    /// `endDate` as written (trimmed).
    public var endDate: String?
    /// Location as one line: a string; a Place's name + address (PostalAddress parts streetAddress,
    /// postalCode addressLocality joined ", "; or an address string); several locations joined "; ".
    ///
    /// A VirtualLocation contributes its name only (its URL is no place).
    public var location: String?
    /// Whether any location is a VirtualLocation or eventAttendanceMode is OnlineEventAttendanceMode
    /// (MixedEventAttendanceMode: false).
    public var online: Bool
    /// Organizer name(s) (string, or Organization/Person `name`), joined ", ".
    public var organizer: String?
    /// eventStatus EventCancelled (any prefix form).
    public var cancelled: Bool
    /// eventStatus EventPostponed / EventRescheduled / EventMovedOnline, as the bare name, or nil.
    public var status: String?
    /// `keywords` (comma-separated string or array) plus `about`/`genre` strings.
    ///
    /// Also the names of `about`/`genre` things and of DefinedTerm keywords; each once (ignoring case), in order.
    public var keywords: [String]
    /// Offers' `validThrough` or the event's own `validThrough`/`registrationDeadline`-like fields if present
    /// (first found), as written — a registration deadline.
    ///
    /// Looked for in this order: the offers' `validThrough`, the event's `validThrough`, `registrationDeadline`,
    /// `applicationDeadline`, then the offers' `availabilityEnds`.
    public var registrationDeadline: String?

    /// An event with the given fields.
    public init(
        name: String, description: String? = nil, url: String? = nil, identifier: String? = nil,
        startDate: String? = nil, endDate: String? = nil, location: String? = nil, online: Bool = false,
        organizer: String? = nil, cancelled: Bool = false, status: String? = nil, keywords: [String] = [],
        registrationDeadline: String? = nil
    ) {
        self.name = name
        self.description = description
        self.url = url
        self.identifier = identifier
        self.startDate = startDate
        self.endDate = endDate
        self.location = location
        self.online = online
        self.organizer = organizer
        self.cancelled = cancelled
        self.status = status
        self.keywords = keywords
        self.registrationDeadline = registrationDeadline
    }
}

/// Reads `SchemaEvent`s from node objects, following `@id` references to the other nodes of the page.
struct EventReader {
    /// The page's nodes by `@id`.
    let index: [String: [String: JSONValue]]

    init(nodes: [[String: JSONValue]]) {
        var index: [String: [String: JSONValue]] = [:]
        for node in nodes {
            if let id = node["@id"]?.string?.trimmedWhitespace, !id.isEmpty, index[id] == nil { index[id] = node }
        }
        self.index = index
    }

    func event(_ node: [String: JSONValue]) -> SchemaEvent {
        let id = node["@id"]?.string?.trimmedWhitespace.nonEmpty
        var event = SchemaEvent(name: node["name"].flatMap(text) ?? "")
        event.description = node["description"].flatMap(text)
        event.url = node["url"].flatMap(link) ?? id.flatMap { Self.looksLikeWebURL($0) ? $0 : nil }
        event.identifier = node["identifier"].flatMap(identifier) ?? id
        event.startDate = node["startDate"].flatMap(rawText)
        event.endDate = node["endDate"].flatMap(rawText)

        let locations = objectsOrStrings(node["location"])
        event.location = Self.joined(locations.compactMap(location), separator: "; ")
        let attendance = terms(node["eventAttendanceMode"])
        event.online =
            locations.contains { $0.object.map { SchemaOrg.isType($0, "VirtualLocation") } ?? false }
            || attendance.contains("OnlineEventAttendanceMode")

        event.organizer = Self.joined(objectsOrStrings(node["organizer"]).compactMap(name), separator: ", ")

        let status = terms(node["eventStatus"])
        event.cancelled = status.contains("EventCancelled")
        event.status = status.first { ["EventPostponed", "EventRescheduled", "EventMovedOnline"].contains($0) }

        event.keywords = keywords(node)
        event.registrationDeadline = registrationDeadline(node)
        return event
    }

    // MARK: - Values

    /// Plain text of a string, number, `@value` object or the first such element of an array.
    func text(_ value: JSONValue) -> String? {
        rawText(value).map(PlainText.title).flatMap(\.nonEmpty)
    }

    /// A string, number, `@value` object or the first such element of an array, trimmed but otherwise as written.
    func rawText(_ value: JSONValue) -> String? {
        switch value {
        case .string(let string): return string.trimmedWhitespace.nonEmpty
        case .number, .bool: return value.scalarText
        case .object(let object): return object["@value"].flatMap(rawText)
        case .array(let elements): return elements.lazy.compactMap(rawText).first
        case .null: return nil
        }
    }

    /// A URL given as a string, `{"@id": …}` / `{"url": …}` object or array of those; trimmed.
    func link(_ value: JSONValue) -> String? {
        switch value {
        case .string(let string): return string.trimmedWhitespace.nonEmpty
        case .object(let object): return (object["url"] ?? object["@id"]).flatMap(link)
        case .array(let elements): return elements.lazy.compactMap(link).first
        default: return nil
        }
    }

    func identifier(_ value: JSONValue) -> String? {
        switch value {
        case .object(let object): return (object["value"] ?? object["@value"]).flatMap(rawText)
        case .array(let elements): return elements.lazy.compactMap(identifier).first
        default: return rawText(value)
        }
    }

    /// The elements of a value that may be one thing or an array, with `{"@id"}` references resolved.
    func objectsOrStrings(_ value: JSONValue?) -> [JSONValue] {
        guard let value else { return [] }
        let elements = value.array ?? [value]
        return elements.prefix(100).map(resolved)
    }

    func resolved(_ value: JSONValue) -> JSONValue {
        guard let object = value.object, let id = object["@id"]?.string?.trimmedWhitespace,
            !object.keys.contains(where: { $0 != "@id" && $0 != "@type" }), let node = index[id]
        else { return value }
        return .object(node)
    }

    /// Enumeration terms (strings or `{"@id"}` objects) as bare names.
    func terms(_ value: JSONValue?) -> [String] {
        objectsOrStrings(value).compactMap { term in
            (term.string ?? term.object?["@id"]?.string).map(SchemaOrg.bareName)
        }
    }

    /// A thing's name (a string is its own name).
    func name(_ value: JSONValue) -> String? {
        switch value {
        case .object(let object): return object["name"].flatMap(text)
        default: return text(value)
        }
    }

    func location(_ value: JSONValue) -> String? {
        guard case .object(let place) = value else { return text(value) }
        let name = place["name"].flatMap(text)
        if SchemaOrg.isType(place, "VirtualLocation") { return name }
        let address = Self.joined(objectsOrStrings(place["address"]).compactMap(address), separator: "; ")
        guard let name else { return address }
        guard let address else { return name }
        if address.lowercased().hasPrefix(name.lowercased()) { return address }
        return "\(name), \(address)"
    }

    func address(_ value: JSONValue) -> String? {
        guard case .object(let address) = value else { return text(value) }
        let street = address["streetAddress"].flatMap(text)
        let postalCode = address["postalCode"].flatMap(text)
        let locality = address["addressLocality"].flatMap(text)
        let town = Self.joined([postalCode, locality].compactMap { $0 }, separator: " ")
        return Self.joined([street, town].compactMap { $0 }, separator: ", ") ?? address["name"].flatMap(text)
    }

    func keywords(_ node: [String: JSONValue]) -> [String] {
        var result: [String] = []
        var seen: Set<String> = []
        func add(_ keyword: String) {
            let keyword = PlainText.title(keyword)
            if !keyword.isEmpty, seen.insert(keyword.lowercased()).inserted { result.append(keyword) }
        }
        for value in objectsOrStrings(node["keywords"]) {
            if let string = value.string {
                for part in string.split(separator: ",") { add(String(part)) }
            } else if let keyword = name(value) {
                add(keyword)
            }
        }
        for member in ["about", "genre"] {
            for value in objectsOrStrings(node[member]) {
                if let keyword = name(value) { add(keyword) }
            }
        }
        return result
    }

    func registrationDeadline(_ node: [String: JSONValue]) -> String? {
        let offers = objectsOrStrings(node["offers"]).compactMap(\.object)
        if let found = offers.lazy.compactMap({ $0["validThrough"].flatMap(rawText) }).first { return found }
        for member in ["validThrough", "registrationDeadline", "applicationDeadline"] {
            if let found = node[member].flatMap(rawText) { return found }
        }
        return offers.lazy.compactMap { $0["availabilityEnds"].flatMap(rawText) }.first
    }

    static func looksLikeWebURL(_ text: String) -> Bool {
        let lower = text.lowercased()
        return lower.hasPrefix("http://") || lower.hasPrefix("https://")
    }

    /// The distinct non-empty parts joined, or nil when there are none.
    static func joined(_ parts: [String], separator: String) -> String? {
        var seen: Set<String> = []
        let distinct = parts.filter { !$0.isEmpty && seen.insert($0.lowercased()).inserted }
        return distinct.isEmpty ? nil : distinct.joined(separator: separator)
    }
}

extension String {
    /// The string, or nil when it is empty.
    fileprivate var nonEmpty: String? { isEmpty ? nil : self }
}
