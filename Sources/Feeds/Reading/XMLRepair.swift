import DigestSupport
import Foundation

/// Byte-level repairs that let `SAXParser` read the XML that real feeds publish.
///
/// Works on UTF-8 and leaves CDATA sections, comments and the DOCTYPE alone:
/// - HTML named entities (`&nbsp;`, `&auml;`, `&mdash;` …), undeclared in XML, become numeric references;
/// - an `&` that starts no reference becomes `&amp;`, an unknown name `&foo;` stays as literal text;
/// - `&#150;`-style references to C1 controls become the Windows-1252 character they mean, and references to
///   characters XML forbids become U+FFFD;
/// - control characters XML forbids are removed everywhere;
/// - the XML declaration is rewritten to say UTF-8.
enum XMLRepair {
    /// Repaired bytes and what was changed.
    struct Result {
        var bytes: [UInt8]
        var problems: [FeedProblem]
    }

    private static let amp = UInt8(ascii: "&")
    private static let lessThan = UInt8(ascii: "<")
    private static let semicolon = UInt8(ascii: ";")
    private static let cdataOpen = Array("<![CDATA[".utf8)
    private static let cdataClose = Array("]]>".utf8)
    private static let commentOpen = Array("<!--".utf8)
    private static let commentClose = Array("-->".utf8)
    private static let doctypeOpen = Array("<!DOCTYPE".utf8)
    private static let entityOpen = Array("<!ENTITY".utf8)

    /// Repairs UTF-8 `input`; see the type's description.
    static func repair(_ input: [UInt8]) -> Result {
        var output: [UInt8] = []
        output.reserveCapacity(input.count + input.count / 32 + 64)
        var counts = Counts()
        var declared: Set<String> = []
        var index = 0
        if let declaration = TextEncoding.xmlDeclarationRange(input) {
            let text = String(decoding: input[declaration], as: UTF8.self)
            let version = text.contains("1.1") ? "1.1" : "1.0"
            output.append(contentsOf: Array("<?xml version=\"\(version)\" encoding=\"UTF-8\"?>".utf8))
            index = declaration.upperBound
        }
        input.withUnsafeBufferPointer { buffer in
            let count = buffer.count
            while index < count {
                let byte = buffer[index]
                if byte == lessThan {
                    if matches(buffer, at: index, cdataOpen) {
                        let end = find(buffer, cdataClose, from: index + cdataOpen.count).map { $0 + cdataClose.count }
                        copyVerbatim(buffer, index..<(end ?? count), to: &output, counts: &counts)
                        index = end ?? count
                        continue
                    }
                    if matches(buffer, at: index, commentOpen) {
                        let end = find(buffer, commentClose, from: index + 4).map { $0 + commentClose.count }
                        copyVerbatim(buffer, index..<(end ?? count), to: &output, counts: &counts)
                        index = end ?? count
                        continue
                    }
                    if matches(buffer, at: index, doctypeOpen) {
                        let end = doctypeEnd(buffer, from: index)
                        collectEntityNames(buffer, index..<end, into: &declared)
                        copyVerbatim(buffer, index..<end, to: &output, counts: &counts)
                        index = end
                        continue
                    }
                    output.append(byte)
                    index += 1
                } else if byte == amp {
                    index = repairReference(buffer, at: index, declared: declared, to: &output, counts: &counts)
                } else if byte < 0x20 && byte != 0x09 && byte != 0x0A && byte != 0x0D {
                    counts.note(\.controls, at: index)
                    index += 1
                } else {
                    // Copy the run of ordinary bytes up to the next `<`, `&` or control character at once.
                    var end = index + 1
                    while end < count {
                        if end + 8 <= count, !holdsMarkupOrControl(ByteWord(buffer, at: end)) {
                            end += 8
                            continue
                        }
                        let next = buffer[end]
                        if next == lessThan || next == amp
                            || (next < 0x20 && next != 0x09 && next != 0x0A && next != 0x0D)
                        {
                            break
                        }
                        end += 1
                    }
                    output.append(contentsOf: UnsafeBufferPointer(rebasing: buffer[index..<end]))
                    index = end
                }
            }
        }
        return Result(bytes: output, problems: counts.problems(in: input))
    }

    /// Tallies of each repair and where each kind first happened.
    private struct Counts {
        var htmlEntities = 0
        var bareAmpersands = 0
        var unknownEntities = 0
        var badReferences = 0
        var controls = 0
        var firstOffsets: [PartialKeyPath<Counts>: Int] = [:]
        var examples: [String] = []

        mutating func note(_ path: WritableKeyPath<Counts, Int>, at offset: Int) {
            self[keyPath: path] += 1
            if firstOffsets[path] == nil { firstOffsets[path] = offset }
        }

        func problems(in bytes: [UInt8]) -> [FeedProblem] {
            var result: [(Int, FeedProblem)] = []
            func add(_ path: WritableKeyPath<Counts, Int>, _ message: (Int) -> String) {
                let count = self[keyPath: path]
                guard count > 0, let offset = firstOffsets[path] else { return }
                result.append((offset, FeedProblem(line: lineNumber(bytes, offset), message: message(count))))
            }
            add(\.htmlEntities) { "replaced \($0) HTML entit\($0 == 1 ? "y" : "ies") undeclared in XML" }
            add(\.bareAmpersands) { "escaped \($0) bare '&'" }
            add(\.unknownEntities) {
                "kept \($0) unknown entit\($0 == 1 ? "y" : "ies") as text (\(examples.joined(separator: ", ")))"
            }
            add(\.badReferences) { "replaced \($0) character reference\($0 == 1 ? "" : "s") XML forbids" }
            add(\.controls) { "removed \($0) control character\($0 == 1 ? "" : "s") XML forbids" }
            return result.sorted { $0.0 < $1.0 }.map(\.1)
        }

        private func lineNumber(_ bytes: [UInt8], _ offset: Int) -> Int {
            var line = 1
            for byte in bytes[..<min(offset, bytes.count)] where byte == 0x0A { line += 1 }
            return line
        }
    }

    private static func repairReference(
        _ buffer: UnsafeBufferPointer<UInt8>, at start: Int, declared: Set<String>, to output: inout [UInt8],
        counts: inout Counts
    ) -> Int {
        let count = buffer.count
        var index = start + 1
        if index < count && buffer[index] == UInt8(ascii: "#") {
            index += 1
            var hex = false
            if index < count && (buffer[index] == UInt8(ascii: "x") || buffer[index] == UInt8(ascii: "X")) {
                hex = true
                index += 1
            }
            var value: UInt32 = 0
            var digits = 0
            while index < count, let digit = digitValue(buffer[index], hex: hex), digits < 8 {
                value = value &* (hex ? 16 : 10) &+ UInt32(digit)
                digits += 1
                index += 1
            }
            guard digits > 0, index < count, buffer[index] == semicolon else {
                counts.note(\.bareAmpersands, at: start)
                output.append(contentsOf: Array("&amp;".utf8))
                return start + 1
            }
            index += 1
            if value >= 0x80 && value <= 0x9F {
                output.append(contentsOf: Array("&#\(TextEncoding.windows1252Scalar(UInt8(value)));".utf8))
            } else if isXMLCharacter(value) {
                // Written again in decimal: XML knows no `&#X41;` (upper-case X), which HTML and feeds use.
                output.append(contentsOf: Array("&#\(value);".utf8))
            } else {
                counts.note(\.badReferences, at: start)
                output.append(contentsOf: Array("&#xFFFD;".utf8))
            }
            return index
        }
        while index < count, index - start <= 32, isNameByte(buffer[index], first: index == start + 1) {
            index += 1
        }
        guard index > start + 1, index < count, buffer[index] == semicolon else {
            counts.note(\.bareAmpersands, at: start)
            output.append(contentsOf: Array("&amp;".utf8))
            return start + 1
        }
        let name = String(decoding: buffer[(start + 1)..<index], as: UTF8.self)
        index += 1
        if HTMLEntities.xmlPredefined.contains(name) || declared.contains(name) {
            output.append(contentsOf: buffer[start..<index])
        } else if let value = HTMLEntities.table[name] {
            counts.note(\.htmlEntities, at: start)
            output.append(contentsOf: Array("&#\(value);".utf8))
        } else {
            counts.note(\.unknownEntities, at: start)
            if counts.examples.count < 5 { counts.examples.append("&\(name);") }
            output.append(contentsOf: Array("&amp;".utf8))
            output.append(contentsOf: buffer[(start + 1)..<index])
        }
        return index
    }

    private static func digitValue(_ byte: UInt8, hex: Bool) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f") where hex: return byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F") where hex: return byte - UInt8(ascii: "A") + 10
        default: return nil
        }
    }

    private static func isNameByte(_ byte: UInt8, first: Bool) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "_"):
            return true
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."): return !first
        default: return false
        }
    }

    private static func isXMLCharacter(_ value: UInt32) -> Bool {
        switch value {
        case 0x9, 0xA, 0xD, 0x20...0xD7FF, 0xE000...0xFFFD, 0x10000...0x10FFFF: return true
        default: return false
        }
    }

    private static func copyVerbatim(
        _ buffer: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, to output: inout [UInt8], counts: inout Counts
    ) {
        var segmentStart = range.lowerBound
        var index = range.lowerBound
        while index < range.upperBound {
            if index + 8 <= range.upperBound, !ByteWord(buffer, at: index).holdsByte(below: 0x20) {
                index += 8
                continue
            }
            let byte = buffer[index]
            if byte < 0x20 && byte != 0x09 && byte != 0x0A && byte != 0x0D {
                output.append(contentsOf: UnsafeBufferPointer(rebasing: buffer[segmentStart..<index]))
                counts.note(\.controls, at: index)
                segmentStart = index + 1
            }
            index += 1
        }
        output.append(contentsOf: UnsafeBufferPointer(rebasing: buffer[segmentStart..<range.upperBound]))
    }

    /// Whether one of `word`'s bytes is `<`, `&` or below 0x20.
    private static func holdsMarkupOrControl(_ word: ByteWord) -> Bool {
        word.holdsByte(below: 0x20) || word.holds(lessThan) || word.holds(amp)
    }

    private static func matches(_ buffer: UnsafeBufferPointer<UInt8>, at index: Int, _ pattern: [UInt8]) -> Bool {
        guard index + pattern.count <= buffer.count else { return false }
        for offset in 0..<pattern.count where buffer[index + offset] != pattern[offset] { return false }
        return true
    }

    private static func find(
        _ buffer: UnsafeBufferPointer<UInt8>, _ pattern: [UInt8], from start: Int, before end: Int? = nil
    ) -> Int? {
        guard let first = pattern.first, let base = buffer.baseAddress else { return nil }
        let limit = min(end ?? buffer.count, buffer.count)
        var index = start
        while index + pattern.count <= limit {
            // The pattern's first byte by memchr, many bytes at a time.
            guard let found = memchr(base + index, Int32(first), limit - index) else { return nil }
            index = base.distance(to: found.assumingMemoryBound(to: UInt8.self))
            guard index + pattern.count <= limit else { return nil }
            if matches(buffer, at: index, pattern) { return index }
            index += 1
        }
        return nil
    }

    /// The index just past a DOCTYPE declaration, allowing an internal subset in brackets.
    private static func doctypeEnd(_ buffer: UnsafeBufferPointer<UInt8>, from start: Int) -> Int {
        var index = start
        var inSubset = false
        var quote: UInt8?
        while index < buffer.count {
            let byte = buffer[index]
            if let open = quote {
                if byte == open { quote = nil }
            } else if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "'") {
                quote = byte
            } else if byte == UInt8(ascii: "[") {
                inSubset = true
            } else if byte == UInt8(ascii: "]") {
                inSubset = false
            } else if byte == UInt8(ascii: ">") && !inSubset {
                return index + 1
            }
            index += 1
        }
        return buffer.count
    }

    private static func collectEntityNames(
        _ buffer: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, into names: inout Set<String>
    ) {
        var index = range.lowerBound
        while let found = find(buffer, entityOpen, from: index, before: range.upperBound) {
            var cursor = found + entityOpen.count
            while cursor < range.upperBound, buffer[cursor] == 0x20 || buffer[cursor] == 0x09 || buffer[cursor] == 0x0A
            {
                cursor += 1
            }
            let nameStart = cursor
            while cursor < range.upperBound, isNameByte(buffer[cursor], first: cursor == nameStart) { cursor += 1 }
            if cursor > nameStart { names.insert(String(decoding: buffer[nameStart..<cursor], as: UTF8.self)) }
            index = cursor + 1
        }
    }
}
