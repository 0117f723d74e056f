import Foundation

/// schema.org data in a page's JSON-LD.
public enum SchemaOrg {
    /// At most this many nodes are collected from a page's blocks.
    public static let maximumNodes = 10_000
    /// Node objects nested deeper than this (counting JSON objects and arrays from a block's top) are ignored.
    public static let maximumDepth = 64

    /// Every node object in `blocks` (JSON texts), flattened: a top-level array's elements, `@graph` members
    /// (recursively), and the `item` (or the element itself) of each `itemListElement` of an ItemList. Blocks
    /// that are not JSON are reported in `problems` ("JSON-LD block 2 is not valid JSON: …") and skipped.
    /// Bound the work: at most 10,000 nodes, nesting beyond 64 levels ignored.
    ///
    /// A node's `mainEntity` and `event`/`events` objects are nodes too (a WebPage about an Event, a Place's
    /// events). Blocks are read leniently, as pages write them: an HTML comment or CDATA wrapper,
    /// raw line breaks inside strings and trailing commas are tolerated. A node that appears twice (the same
    /// members) is listed once.
    public static func nodes(in blocks: [String]) -> (nodes: [[String: JSONValue]], problems: [String]) {
        var collector = NodeCollector()
        var problems: [String] = []
        for (offset, block) in blocks.enumerated() {
            guard collector.nodes.count < maximumNodes else { break }
            switch JSONLDText.parse(block) {
            case .success(let value):
                collector.collect(value, depth: 0)
            case .failure(let error):
                problems.append("JSON-LD block \(offset + 1) is \(error.description)")
            }
        }
        if collector.reachedLimit {
            problems.append("the page's JSON-LD has more than \(maximumNodes) nodes; the rest were skipped")
        }
        return (collector.nodes, problems)
    }

    /// Whether a node's @type (string or array; with or without "https://schema.org/" / "http://schema.org/" /
    /// "schema:" prefix) is `type` or, for "Event", any type whose name ends in "Event" (BusinessEvent,
    /// EducationEvent, …).
    ///
    /// Names are compared case-insensitively.
    public static func isType(_ node: [String: JSONValue], _ type: String) -> Bool {
        let wanted = bareName(type).lowercased()
        return types(of: node).contains { name in
            let name = name.lowercased()
            return name == wanted || (wanted == "event" && name.hasSuffix("event"))
        }
    }

    /// The schema.org Events among `nodes`.
    ///
    /// In document order, each distinct event once. `{"@id": …}` references to other nodes (a location or organizer
    /// described elsewhere in the `@graph`) are followed.
    public static func events(in nodes: [[String: JSONValue]]) -> [SchemaEvent] {
        let reader = EventReader(nodes: nodes)
        var seen: Set<SchemaEvent> = []
        var events: [SchemaEvent] = []
        for node in nodes where isType(node, "Event") {
            let event = reader.event(node)
            if seen.insert(event).inserted { events.append(event) }
        }
        return events
    }

    /// The @type names of a node, without schema.org prefixes.
    static func types(of node: [String: JSONValue]) -> [String] {
        switch node["@type"] {
        case .string(let name)?: return [bareName(name)]
        case .array(let names)?: return names.compactMap(\.string).map(bareName)
        default: return []
        }
    }

    /// A schema.org term without its prefix: "https://schema.org/EventCancelled" → "EventCancelled".
    static func bareName(_ term: String) -> String {
        var name = term.trimmedWhitespace
        if name.lowercased().hasPrefix("schema:") { name.removeFirst("schema:".count) }
        if name.lowercased().contains("schema.org/"), let slash = name.lastIndex(of: "/") {
            name = String(name[name.index(after: slash)...])
        }
        return name
    }
}

/// Walks parsed JSON-LD for node objects, within `SchemaOrg`'s bounds.
private struct NodeCollector {
    var nodes: [[String: JSONValue]] = []
    var seen: Set<[String: JSONValue]> = []
    var reachedLimit = false

    /// Members whose objects are nodes in their own right.
    static let nodeMembers = ["@graph", "mainEntity", "event", "events"]

    mutating func collect(_ value: JSONValue, depth: Int) {
        guard depth <= SchemaOrg.maximumDepth, !reachedLimit else { return }
        switch value {
        case .array(let elements):
            for element in elements { collect(element, depth: depth + 1) }
        case .object(let object):
            add(object)
            for member in Self.nodeMembers {
                if let nested = object[member] { collect(nested, depth: depth + 1) }
            }
            if SchemaOrg.isType(object, "ItemList"), let list = object["itemListElement"] {
                let elements = list.array ?? [list]
                for element in elements {
                    guard depth + 2 <= SchemaOrg.maximumDepth, let item = element.object else { continue }
                    if let inner = item["item"], inner.object != nil {
                        collect(inner, depth: depth + 3)
                    } else {
                        collect(element, depth: depth + 2)
                    }
                }
            }
        default:
            break
        }
    }

    private mutating func add(_ object: [String: JSONValue]) {
        // A node is a description: a bare {"@context": …} wrapper or {"@id": …} reference says nothing.
        guard object.keys.contains(where: { $0 != "@context" && $0 != "@graph" && $0 != "@id" }) else { return }
        guard nodes.count < SchemaOrg.maximumNodes else {
            reachedLimit = true
            return
        }
        if seen.insert(object).inserted { nodes.append(object) }
    }
}

/// Parsing of a JSON-LD block as pages write it.
enum JSONLDText {
    /// Blocks nested deeper than this are not parsed at all (the decoder recurses once per level).
    static let maximumParseDepth = 128

    /// The block's JSON value; a block that only parses after `repaired` still counts as JSON.
    static func parse(_ block: String) -> Result<JSONValue, JSONParseError> {
        let text = unwrapped(block)
        if nestingDepth(text) > maximumParseDepth {
            return .failure(
                JSONParseError(message: "the document is nested too deeply (more than \(maximumParseDepth) levels)"))
        }
        let firstError: JSONParseError
        do {
            return .success(try JSONValue.parse(Data(text.utf8)))
        } catch {
            firstError = error
        }
        guard let repaired = repaired(text) else { return .failure(firstError) }
        do {
            return .success(try JSONValue.parse(Data(repaired.utf8)))
        } catch {
            return .failure(firstError)
        }
    }

    /// The deepest nesting of arrays and objects in `text`, outside strings.
    static func nestingDepth(_ text: String) -> Int {
        var depth = 0
        var deepest = 0
        var inString = false
        var escaped = false
        for byte in text.utf8 {
            if inString {
                if escaped {
                    escaped = false
                } else if byte == UInt8(ascii: "\\") {
                    escaped = true
                } else if byte == UInt8(ascii: "\"") {
                    inString = false
                }
                continue
            }
            switch byte {
            case UInt8(ascii: "\""): inString = true
            case UInt8(ascii: "["), UInt8(ascii: "{"):
                depth += 1
                deepest = max(deepest, depth)
            case UInt8(ascii: "]"), UInt8(ascii: "}"): depth = max(0, depth - 1)
            default: break
            }
        }
        return deepest
    }

    /// The text without the `<!-- … -->` or `<![CDATA[ … ]]>` wrapper old pages put around scripts.
    static func unwrapped(_ block: String) -> String {
        var text = block.trimmedWhitespace
        let openers = ["<!--", "//<![CDATA[", "/*<![CDATA[*/", "<![CDATA["]
        let closers = ["-->", "//]]>", "/*]]>*/", "]]>"]
        for opener in openers where text.hasPrefix(opener) {
            text = String(text.dropFirst(opener.count)).trimmedWhitespace
        }
        for closer in closers where text.hasSuffix(closer) {
            text = String(text.dropLast(closer.count)).trimmedWhitespace
        }
        return text
    }

    /// The text with raw control characters inside strings escaped and commas before `}` or `]` dropped; nil when
    /// there was nothing to repair.
    static func repaired(_ text: String) -> String? {
        var output: [UInt8] = []
        output.reserveCapacity(text.utf8.count + 16)
        var inString = false
        var escaped = false
        var changed = false
        var pendingComma: Int?
        for byte in text.utf8 {
            if inString {
                if escaped {
                    escaped = false
                } else if byte == UInt8(ascii: "\\") {
                    escaped = true
                } else if byte == UInt8(ascii: "\"") {
                    inString = false
                } else if byte < 0x20 {
                    let escape: String =
                        switch byte {
                        case 0x0A: "\\n"
                        case 0x0D: "\\r"
                        case 0x09: "\\t"
                        default: String(format: "\\u%04x", Int(byte))
                        }
                    output.append(contentsOf: escape.utf8)
                    changed = true
                    continue
                }
                output.append(byte)
                continue
            }
            switch byte {
            case UInt8(ascii: "\""):
                pendingComma = nil
                inString = true
            case UInt8(ascii: ","):
                pendingComma = output.count
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                if let comma = pendingComma {
                    output.remove(at: comma)
                    changed = true
                }
                pendingComma = nil
            case 0x20, 0x09, 0x0A, 0x0D:
                break
            default:
                pendingComma = nil
            }
            output.append(byte)
        }
        return changed ? String(decoding: output, as: UTF8.self) : nil
    }
}
