import Foundation

/// Wraps plain text for terminal mail clients: lines at most `width` columns where words allow, continuation
/// lines keep the line's indentation, and a URL is never broken (it goes on a line of its own when it does not fit).
public struct TextWrapper: Sendable {
    /// The widest a line may be, in characters.
    public var width: Int

    /// A wrapper for `width` columns.
    public init(width: Int = 72) {
        self.width = width
    }

    /// `text` with every over-long line wrapped; line breaks already in the text are kept.
    public func wrap(_ text: String) -> String {
        var output = ""
        output.reserveCapacity(text.utf8.count + 64)
        var isFirst = true
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if !isFirst { output += "\n" }
            isFirst = false
            wrapLine(line, into: &output)
        }
        return output
    }

    /// Appends `line` (without a line break) to `output`, wrapped.
    func wrapLine(_ line: Substring, into output: inout String) {
        // A line of at most `width` bytes has at most `width` characters: most lines end here.
        guard line.utf8.count > width else {
            output += line
            return
        }
        // Below U+0300 (lead bytes under 0xCC) every scalar is a character of its own, so characters can be counted
        // by the bytes that start them.
        if line.utf8.allSatisfy({ $0 < 0xCC }) {
            wrapSimpleLine(line, into: &output)
            return
        }
        guard line.count > width else {
            output += line
            return
        }
        let indent = line.prefix { $0 == " " }
        let words = line.dropFirst(indent.count).split(separator: " ", omittingEmptySubsequences: true)
        var current = String(indent)
        var currentCount = indent.count
        for word in words {
            let wordCount = word.count
            if currentCount == indent.count {
                current += word
                currentCount += wordCount
            } else if currentCount + 1 + wordCount <= width {
                current += " "
                current += word
                currentCount += 1 + wordCount
            } else {
                output += current
                output += "\n"
                current = String(indent) + word
                currentCount = indent.count + wordCount
            }
        }
        output += current
    }

    /// ``wrapLine(_:into:)`` for a line whose characters are single scalars below U+0300, on its bytes.
    private func wrapSimpleLine(_ line: Substring, into output: inout String) {
        let utf8 = line.utf8
        guard utf8.reduce(0, { $0 + ($1 & 0xC0 != 0x80 ? 1 : 0) }) > width else {
            output += line
            return
        }
        var index = utf8.startIndex
        while index < utf8.endIndex && utf8[index] == 0x20 { index = utf8.index(after: index) }
        let indent = line[line.startIndex..<index]
        let indentCount = utf8.distance(from: utf8.startIndex, to: index)
        guard utf8.distance(from: index, to: utf8.endIndex) > 0 else {
            output += line
            return
        }
        var lineColumns = indentCount
        var lineHasWord = false
        output += indent
        while index < utf8.endIndex {
            if utf8[index] == 0x20 {
                index = utf8.index(after: index)
                continue
            }
            let wordStart = index
            var columns = 0
            while index < utf8.endIndex && utf8[index] != 0x20 {
                if utf8[index] & 0xC0 != 0x80 { columns += 1 }
                index = utf8.index(after: index)
            }
            let word = line[wordStart..<index]
            if !lineHasWord {
                output += word
                lineColumns += columns
                lineHasWord = true
            } else if lineColumns + 1 + columns <= width {
                output += " "
                output += word
                lineColumns += 1 + columns
            } else {
                output += "\n"
                output += indent
                output += word
                lineColumns = indentCount + columns
            }
        }
    }
}
