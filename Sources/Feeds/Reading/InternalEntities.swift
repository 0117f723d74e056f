/// Expands the general entities a document declares in its internal DTD subset (XML 1.0 section 4.2), before
/// `XMLRepair` and the parser see it.
///
/// `<!DOCTYPE rss [ <!ENTITY id "tag:example.com,"> ]>` makes `&id;` stand for its text; `SAXParser` keeps no entity
/// declarations (so that no document can make it expand or fetch one), so such references are replaced here and the
/// internal subset taken out (its lines kept as blank lines, so that line numbers stay right). External entities
/// (`SYSTEM`, `PUBLIC`) are never read (no XXE): their references stay as literal text and are reported. Nesting is
/// followed at most `maximumDepth` deep and the text added by expansion is bounded by `maximumExpansionBytes`, so a
/// "billion laughs" document cannot exhaust memory. CDATA sections and comments are copied as they are. Works on
/// UTF-8.
enum InternalEntities {
    /// The rewritten bytes and what was reported.
    struct Result {
        var bytes: [UInt8]
        var problems: [FeedProblem]
    }

    /// How deep one entity may refer to another.
    static let maximumDepth = 16
    /// The most references followed in one document, however little text they add.
    static let maximumReferences = 1_000_000
    /// The most bytes expansion may add to a document (1 MiB).
    static let maximumExpansionBytes = 1 << 20

    private static let doctypeOpen = Array("<!DOCTYPE".utf8)
    private static let entityOpen = Array("<!ENTITY".utf8)
    private static let cdataOpen = Array("<![CDATA[".utf8)
    private static let cdataClose = Array("]]>".utf8)
    private static let commentOpen = Array("<!--".utf8)
    private static let commentClose = Array("-->".utf8)

    /// `input` with the references to its internal entities expanded; `input` itself when it declares none.
    static func expand(_ input: [UInt8]) -> Result {
        guard let doctype = find(doctypeOpen, in: input, from: 0, before: min(input.count, 1 << 16)),
            let subset = internalSubset(input, doctypeAt: doctype)
        else {
            return Result(bytes: input, problems: [])
        }
        let declarations = declarations(in: Array(input[subset.inner]))
        var expander = Expander(entities: declarations.replacements, external: declarations.external)
        var output = Array(input[..<doctype])
        // The DOCTYPE goes, its newlines stay.
        output += input[doctype..<subset.end].filter { $0 == 0x0A }
        var index = subset.end
        while index < input.count {
            let byte = input[index]
            if byte == UInt8(ascii: "<"),
                let (open, close) = [(cdataOpen, cdataClose), (commentOpen, commentClose)].first(where: {
                    matches($0.0, in: input, at: index)
                })
            {
                let end = find(close, in: input, from: index + open.count).map { $0 + close.count } ?? input.count
                output += input[index..<end]
                index = end
            } else if byte == UInt8(ascii: "&"), let (name, end) = reference(in: input, at: index),
                expander.knows(name)
            {
                expander.append(name, depth: 0, to: &output)
                index = end
            } else {
                output.append(byte)
                index += 1
            }
        }
        return Result(bytes: output, problems: expander.problems(line: lineNumber(input, doctype)))
    }

    /// Follows references from entity to entity, within the bounds.
    private struct Expander {
        let entities: [String: [UInt8]]
        let external: Set<String>
        var added = 0
        var followed = 0
        var stoppedAtBudget = false
        var stoppedAtDepth: String?
        var externalSeen: [String] = []

        func knows(_ name: String) -> Bool { entities[name] != nil || external.contains(name) }

        mutating func append(_ name: String, depth: Int, to output: inout [UInt8]) {
            // Past the budget nothing is walked any more: ten entities of ten references each are 10^10 calls.
            if stoppedAtBudget { return }
            followed += 1
            guard followed <= InternalEntities.maximumReferences else {
                stoppedAtBudget = true
                return
            }
            guard let value = entities[name] else {
                // Never fetched: kept as the text "&name;".
                if !externalSeen.contains(name) { externalSeen.append(name) }
                output += Array("&amp;\(name);".utf8)
                return
            }
            guard depth < InternalEntities.maximumDepth else {
                if stoppedAtDepth == nil { stoppedAtDepth = name }
                return
            }
            var index = 0
            while index < value.count {
                if value[index] == UInt8(ascii: "&"), let (inner, end) = reference(in: value, at: index), knows(inner) {
                    append(inner, depth: depth + 1, to: &output)
                    index = end
                    continue
                }
                guard added < InternalEntities.maximumExpansionBytes else {
                    stoppedAtBudget = true
                    return
                }
                output.append(value[index])
                added += 1
                index += 1
            }
        }

        func problems(line: Int) -> [FeedProblem] {
            var problems: [FeedProblem] = []
            if !externalSeen.isEmpty {
                let names = externalSeen.prefix(5).map { "&\($0);" }.joined(separator: ", ")
                problems.append(
                    FeedProblem(
                        line: line,
                        message: "kept references to external entities as text (\(names)); they are never read"
                    ))
            }
            if let stoppedAtDepth {
                problems.append(
                    FeedProblem(
                        line: line,
                        message:
                            "entity &\(stoppedAtDepth); nests more than \(InternalEntities.maximumDepth) deep; left out the deeper text"
                    ))
            }
            if stoppedAtBudget {
                problems.append(
                    FeedProblem(
                        line: line,
                        message:
                            "the document's entities expand to more than \(InternalEntities.maximumExpansionBytes) bytes or \(InternalEntities.maximumReferences) references; the rest left out"
                    ))
            }
            return problems
        }
    }

    /// The internal subset's bytes (between `[` and `]`) and the index past the DOCTYPE's `>`, when it has one.
    private static func internalSubset(_ input: [UInt8], doctypeAt start: Int) -> (inner: Range<Int>, end: Int)? {
        var index = start + doctypeOpen.count
        var quote: UInt8?
        var open: Int?
        var close: Int?
        while index < input.count {
            let byte = input[index]
            if let current = quote {
                if byte == current { quote = nil }
            } else if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "'") {
                quote = byte
            } else if byte == UInt8(ascii: "[") && open == nil {
                open = index + 1
            } else if byte == UInt8(ascii: "]") && open != nil && close == nil {
                close = index
            } else if byte == UInt8(ascii: ">") && (open == nil || close != nil) {
                guard let open, let close else { return nil }
                return (open..<close, index + 1)
            }
            index += 1
        }
        return nil
    }

    /// The general entities declared in `subset`: internal ones with their replacement text, external ones by name.
    /// Parameter entities (`<!ENTITY % …>`) are not general entities and are skipped.
    private static func declarations(in subset: [UInt8]) -> (replacements: [String: [UInt8]], external: Set<String>) {
        var replacements: [String: [UInt8]] = [:]
        var external: Set<String> = []
        var index = 0
        while let found = find(entityOpen, in: subset, from: index, before: subset.count) {
            var cursor = skipSpace(subset, from: found + entityOpen.count)
            index = cursor
            guard cursor < subset.count, subset[cursor] != UInt8(ascii: "%") else { continue }
            let nameStart = cursor
            while cursor < subset.count, isNameByte(subset[cursor], first: cursor == nameStart) { cursor += 1 }
            guard cursor > nameStart else { continue }
            let name = String(decoding: subset[nameStart..<cursor], as: UTF8.self)
            cursor = skipSpace(subset, from: cursor)
            index = cursor
            guard cursor < subset.count else { break }
            let quote = subset[cursor]
            if quote == UInt8(ascii: "\"") || quote == UInt8(ascii: "'") {
                guard let close = subset[(cursor + 1)...].firstIndex(of: quote) else { break }
                // The first declaration of a name binds it (XML 1.0 section 4.2).
                if replacements[name] == nil && !external.contains(name) {
                    replacements[name] = Array(subset[(cursor + 1)..<close])
                }
                index = close + 1
            } else if replacements[name] == nil {
                external.insert(name)  // SYSTEM or PUBLIC
            }
        }
        return (replacements, external)
    }

    /// The name of the `&name;` reference at `start` and the index past its `;`.
    private static func reference(in bytes: [UInt8], at start: Int) -> (String, Int)? {
        var index = start + 1
        while index < bytes.count, index - start <= 64, isNameByte(bytes[index], first: index == start + 1) {
            index += 1
        }
        guard index > start + 1, index < bytes.count, bytes[index] == UInt8(ascii: ";") else { return nil }
        return (String(decoding: bytes[(start + 1)..<index], as: UTF8.self), index + 1)
    }

    private static func isNameByte(_ byte: UInt8, first: Bool) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "_"),
            UInt8(ascii: ":"):
            return true
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."): return !first
        default: return byte >= 0x80
        }
    }

    private static func skipSpace(_ bytes: [UInt8], from start: Int) -> Int {
        var index = start
        while index < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[index]) { index += 1 }
        return index
    }

    private static func matches(_ pattern: [UInt8], in bytes: [UInt8], at index: Int) -> Bool {
        index + pattern.count <= bytes.count && bytes[index..<(index + pattern.count)].elementsEqual(pattern)
    }

    private static func find(_ pattern: [UInt8], in bytes: [UInt8], from start: Int, before end: Int? = nil) -> Int? {
        let limit = min(end ?? bytes.count, bytes.count)
        var index = start
        while index + pattern.count <= limit {
            if bytes[index] == pattern[0] && matches(pattern, in: bytes, at: index) { return index }
            index += 1
        }
        return nil
    }

    private static func lineNumber(_ bytes: [UInt8], _ offset: Int) -> Int {
        1 + bytes[..<min(offset, bytes.count)].reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) }
    }
}
