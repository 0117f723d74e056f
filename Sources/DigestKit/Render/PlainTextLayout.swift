import MailMessage

/// Lays out the plain-text part as it is rendered, piece by piece: trailing spaces dropped, runs of blank lines
/// collapsed to one, none at the start or the end, and every line wrapped by a ``TextWrapper``. Pieces laid out once
/// (``LaidOutText``) are joined without being laid out again.
struct PlainTextLayout {
    let wrapper: TextWrapper
    private var body = TextBody()
    /// Laid-out text not yet in `body`.
    private var buffer = ""
    /// Text after the last line feed, not yet laid out.
    private var partialLine = ""
    /// Whether blank lines came since the last line with text.
    private var pendingBlank = false
    /// Whether a line with text has been written.
    private var hasText = false
    /// Whether blank lines came before the first line with text.
    private var blankBeforeText = false

    init(wrapper: TextWrapper) {
        self.wrapper = wrapper
    }

    /// Adds rendered text.
    mutating func append(_ text: Substring) {
        var rest = text
        while let newline = rest.utf8.firstIndex(of: 0x0A) {
            if partialLine.isEmpty {
                line(rest[..<newline])
            } else {
                partialLine += rest[..<newline]
                line(partialLine[...])
                partialLine = ""
            }
            rest = rest[rest.utf8.index(after: newline)...]
        }
        partialLine += rest
    }

    /// Adds a piece laid out before, as if its text were added.
    mutating func append(_ piece: LaidOutText) {
        guard partialLine.isEmpty, piece.isWholeLines else {
            append(piece.raw[...])
            return
        }
        guard let lines = piece.lines else {
            pendingBlank = pendingBlank || piece.hasBlankLine
            if !hasText { blankBeforeText = blankBeforeText || piece.hasBlankLine }
            return
        }
        if !hasText { blankBeforeText = blankBeforeText || piece.blankBefore }
        if (pendingBlank || piece.blankBefore) && hasText { buffer += "\n" }
        if !buffer.isEmpty {
            body.append(buffer)
            buffer = ""
        }
        body.append(lines)
        hasText = true
        pendingBlank = piece.blankAfter
    }

    /// The laid-out text; a text without any line of text is one empty line.
    mutating func finish() -> TextBody {
        if !partialLine.isEmpty {
            line(partialLine[...])
            partialLine = ""
        }
        if !hasText { buffer = "\n" }
        body.append(buffer)
        buffer = ""
        return body
    }

    /// `text` laid out on its own, to be joined later with ``append(_:)-(LaidOutText)``.
    static func layOut(_ text: String, wrapper: TextWrapper) -> LaidOutText {
        var layout = PlainTextLayout(wrapper: wrapper)
        layout.append(text[...])
        let isWholeLines = layout.partialLine.isEmpty
        let lines = layout.hasText ? EncodedLines(layout.buffer) : nil
        return LaidOutText(
            raw: text,
            isWholeLines: isWholeLines,
            lines: lines,
            blankBefore: layout.blankBeforeText,
            blankAfter: layout.pendingBlank,
            hasBlankLine: layout.pendingBlank || layout.blankBeforeText
        )
    }

    private mutating func line(_ line: Substring) {
        var end = line.utf8.endIndex
        while end > line.utf8.startIndex, line.utf8[line.utf8.index(before: end)] == 0x20 {
            end = line.utf8.index(before: end)
        }
        guard end > line.utf8.startIndex else {
            pendingBlank = true
            if !hasText { blankBeforeText = true }
            return
        }
        if pendingBlank && hasText { buffer += "\n" }
        wrapper.wrapLine(line[..<end], into: &buffer)
        buffer += "\n"
        hasText = true
        pendingBlank = false
    }
}

/// Plain text laid out by ``PlainTextLayout`` on its own, with what joining it needs to know; a class, shared by every
/// digest that holds it at the cost of one reference.
final class LaidOutText: Sendable {
    /// The text as rendered.
    let raw: String
    /// Whether `raw` is empty or ends with a line feed.
    let isWholeLines: Bool
    /// From its first line with text to its last, laid out and encoded; `nil` when there is none.
    let lines: EncodedLines?
    /// Whether blank lines come before the first line with text.
    let blankBefore: Bool
    /// Whether blank lines come after the last line with text.
    let blankAfter: Bool
    /// Whether it has any blank line (for a piece without text).
    let hasBlankLine: Bool

    init(
        raw: String, isWholeLines: Bool, lines: EncodedLines?, blankBefore: Bool, blankAfter: Bool, hasBlankLine: Bool
    ) {
        self.raw = raw
        self.isWholeLines = isWholeLines
        self.lines = lines
        self.blankBefore = blankBefore
        self.blankAfter = blankAfter
        self.hasBlankLine = hasBlankLine
    }
}
