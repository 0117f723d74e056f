import Foundation
import Yams

/// A YAML file's text as lines, edited in place at the positions Yams' node marks give, so that everything the
/// edit does not touch (comments, blank lines, key order, quoting) stays byte for byte as it was.
///
/// Marks are 1-based lines and columns, columns counted in Unicode scalars as libyaml counts them. Every edit works
/// on lines before the ones it has already changed or keeps line numbers as they were; callers make one edit per
/// composed document and compose again for the next.
struct YAMLLines {
    /// The lines, without their `\n` (a `\r` of a CRLF file stays on its line).
    private(set) var lines: [String]
    /// Whether the file ends with a line break.
    private let endsWithNewline: Bool
    /// `"\r"` for a CRLF file, so inserted lines match.
    private let carriageReturn: String

    /// Splits `text` into lines.
    init(_ text: String) {
        var parts = text.components(separatedBy: "\n")
        endsWithNewline = text.hasSuffix("\n")
        if endsWithNewline { parts.removeLast() }
        lines = parts
        carriageReturn = parts.first?.hasSuffix("\r") == true ? "\r" : ""
    }

    /// The text again.
    var text: String {
        lines.joined(separator: "\n") + (endsWithNewline || lines.isEmpty ? "\n" : "")
    }

    /// The line `index` (0-based) without a trailing `\r`, as Unicode scalars.
    private func body(_ index: Int) -> [Unicode.Scalar] {
        var scalars = Array(lines[index].unicodeScalars)
        if scalars.last == "\r" { scalars.removeLast() }
        return scalars
    }

    private mutating func setBody(_ index: Int, _ scalars: [Unicode.Scalar]) {
        var view = String.UnicodeScalarView()
        view.append(contentsOf: scalars)
        lines[index] = String(view) + carriageReturn
    }

    /// The number of spaces a line starts with.
    private func indentation(_ index: Int) -> Int {
        body(index).prefix { $0 == " " }.count
    }

    /// Whether a line holds nothing but spaces or a comment.
    private func isBlankOrComment(_ index: Int) -> Bool {
        let rest = body(index).drop { $0 == " " || $0 == "\t" }
        return rest.isEmpty || rest.first == "#"
    }

    // MARK: - Finding the extent of values

    /// The 0-based index of the last line that belongs to the value of the pair whose key stands at (1-based) `line`
    /// and `column`: the
    /// lines after the key's line that are indented deeper than the key (or, for a block sequence written at the
    /// key's own indentation, start with `-`). Comment lines count only when more of the value follows them.
    func lastLine(ofKeyAtLine line: Int, column: Int, value: Node) -> Int {
        let keyLine = line - 1
        let keyIndent = column - 1
        let indentlessList: Bool
        if case .sequence(let sequence) = value, sequence.style != .flow {
            indentlessList = true
        } else {
            indentlessList = false
        }
        var last = keyLine
        var index = keyLine + 1
        while index < lines.count {
            if isBlankOrComment(index) {
                index += 1
                continue
            }
            let indent = indentation(index)
            let dash = body(index).dropFirst(indent).first == "-"
            if indent > keyIndent || (indentlessList && indent == keyIndent && dash) {
                last = index
                index += 1
            } else {
                break
            }
        }
        return last
    }

    /// The column range (0-based, end exclusive) a single-line scalar takes on its line, or nil when the scalar
    /// spans lines or is not where its mark says.
    func extent(of scalar: Node.Scalar) -> (line: Int, range: Range<Int>)? {
        guard let mark = scalar.mark, mark.line >= 1, mark.line <= lines.count else { return nil }
        let line = mark.line - 1
        let scalars = body(line)
        let start = mark.column - 1
        guard start >= 0, start <= scalars.count else { return nil }
        switch scalar.style {
        case .plain, .any:
            let written = Array(scalar.string.unicodeScalars)
            guard !written.contains("\n"), start + written.count <= scalars.count,
                Array(scalars[start..<(start + written.count)]) == written
            else { return nil }
            return (line, start..<(start + written.count))
        case .singleQuoted:
            var index = start + 1
            while index < scalars.count {
                if scalars[index] == "'" {
                    if index + 1 < scalars.count && scalars[index + 1] == "'" {
                        index += 2
                        continue
                    }
                    return (line, start..<(index + 1))
                }
                index += 1
            }
            return nil
        case .doubleQuoted:
            var index = start + 1
            while index < scalars.count {
                if scalars[index] == "\\" {
                    index += 2
                    continue
                }
                if scalars[index] == "\"" { return (line, start..<(index + 1)) }
                index += 1
            }
            return nil
        default:
            return nil
        }
    }

    /// The column (0-based) where a comment starts on line `line` at or after column `from`, if any: a `#` after a
    /// space, outside quotes.
    func commentStart(onLine line: Int, from: Int) -> Int? {
        let scalars = body(line)
        var quote: Unicode.Scalar?
        var previous: Unicode.Scalar = " "
        var index = from
        while index < scalars.count {
            let character = scalars[index]
            if let open = quote {
                if open == "\"" && character == "\\" {
                    index += 2
                    continue
                }
                if character == open {
                    if open == "'" && index + 1 < scalars.count && scalars[index + 1] == "'" {
                        index += 2
                        continue
                    }
                    quote = nil
                }
            } else if character == "#" && (previous == " " || previous == "\t") {
                return index
            } else if (character == "\"" || character == "'") && " \t:[{,".unicodeScalars.contains(previous) {
                quote = character
            }
            previous = character
            index += 1
        }
        return nil
    }

    // MARK: - Edits

    /// Replaces the scalar's text with `replacement` (already YAML), keeping the rest of its line.
    mutating func replace(_ scalar: Node.Scalar, with replacement: String) -> Bool {
        guard let (line, range) = extent(of: scalar) else { return false }
        var scalars = body(line)
        scalars.replaceSubrange(range, with: replacement.unicodeScalars)
        setBody(line, scalars)
        return true
    }

    /// Writes `replacement` as the value of the key at `key`, whose value is empty (`name:` with nothing after
    /// the colon but perhaps a comment).
    mutating func fillEmptyValue(ofKey key: Node.Scalar, with replacement: String) -> Bool {
        guard let (line, range) = extent(of: key) else { return false }
        var scalars = body(line)
        var colon = range.upperBound
        while colon < scalars.count && scalars[colon] == " " { colon += 1 }
        guard colon < scalars.count, scalars[colon] == ":" else { return false }
        scalars.insert(contentsOf: (" " + replacement).unicodeScalars, at: colon + 1)
        setBody(line, scalars)
        return true
    }

    /// Inserts `newLines` (without indentation) after line `after` (0-based), each indented by `indent` spaces.
    mutating func insert(_ newLines: [String], after: Int, indent: Int) {
        let prefix = String(repeating: " ", count: indent)
        let position = min(after + 1, lines.count)
        lines.insert(contentsOf: newLines.map { prefix + $0 + carriageReturn }, at: position)
    }

    /// Replaces lines `range` (0-based, inclusive bounds) with `newLines` (complete lines, indentation included).
    mutating func replaceLines(_ range: ClosedRange<Int>, with newLines: [String]) {
        lines.replaceSubrange(range, with: newLines.map { $0 + carriageReturn })
    }

    /// Removes lines `range` (0-based, inclusive bounds).
    mutating func removeLines(_ range: ClosedRange<Int>) {
        lines.removeSubrange(range)
    }

    /// The text of line `index` from column `from` on, without a trailing `\r`.
    func text(ofLine index: Int, from: Int = 0) -> String {
        var view = String.UnicodeScalarView()
        view.append(contentsOf: body(index).dropFirst(from))
        return String(view)
    }

    /// The text of line `index` before column `upTo`.
    func text(ofLine index: Int, upTo: Int) -> String {
        var view = String.UnicodeScalarView()
        view.append(contentsOf: body(index).prefix(upTo))
        return String(view)
    }

    /// Whether line `index` is blank or a comment (public form for callers).
    func isComment(_ index: Int) -> Bool {
        isBlankOrComment(index)
    }

    /// The number of lines.
    var count: Int { lines.count }
}
