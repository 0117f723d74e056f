import Foundation
import MailMessage

/// Whole lines of outlines, encoded or laid out once by their text: most of an outline is the templates' own text,
/// the same in every outline. At most 4,096 texts of each kind are kept (then all are dropped at once).
final class ChunkCache: Sendable {
    private let encodedChunks = Memo<String, EncodedLines>(capacity: 4_096)
    private let laidOutChunks = Memo<String, LaidOutText>(capacity: 4_096)

    /// `text` as HTML lines, encoded.
    func encoded(_ text: String) -> EncodedLines {
        encodedChunks.value(for: text) { EncodedLines(text) }
    }

    /// `text` as plain-text lines, laid out by `wrapper`'s width (one renderer has one wrapper).
    func laidOut(_ text: String, wrapper: TextWrapper) -> LaidOutText {
        laidOutChunks.value(for: text) { PlainTextLayout.layOut(text, wrapper: wrapper) }
    }
}
