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
        guard line.utf8.count > width, line.count > width else {
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
}
