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
        text.split(separator: "\n", omittingEmptySubsequences: false)
            .map { wrapLine(String($0)) }
            .joined(separator: "\n")
    }

    private func wrapLine(_ line: String) -> String {
        guard line.count > width else { return line }
        let indent = String(line.prefix { $0 == " " })
        let words = line.dropFirst(indent.count).split(separator: " ", omittingEmptySubsequences: true)
        var lines: [String] = []
        var current = indent
        for word in words {
            let candidate = current == indent ? current + word : current + " " + word
            if candidate.count <= width || current == indent {
                current = candidate
            } else {
                lines.append(current)
                current = indent + word
            }
        }
        lines.append(current)
        return lines.joined(separator: "\n")
    }
}
