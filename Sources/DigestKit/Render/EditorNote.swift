import Feeds
import Foundation
import Ink

/// The editors' note for one issue, written in Markdown and shown at the top of every digest.
public struct EditorNote: Sendable, Hashable {
    /// The note as safe HTML (paragraphs, lists, emphasis, http(s)/mailto links).
    public var html: String
    /// The note as plain text for the text part.
    public var text: String

    /// Renders `markdown`; the HTML goes through the same sanitiser as feed HTML.
    public init(markdown: String) {
        let raw = MarkdownParser().html(from: markdown)
        html = HTMLSanitizer.sanitize(raw, baseURL: nil)
        text = HTMLText.plainText(raw)
    }

    /// Reads the Markdown file at `url`.
    public static func load(from url: URL, displayPath: String) throws(DiagnosticList) -> EditorNote {
        do {
            let data = try Data(contentsOf: url)
            guard let markdown = String(data: data, encoding: .utf8) else {
                throw DiagnosticList([Diagnostic(path: displayPath, message: "is not UTF-8 text.")])
            }
            return EditorNote(markdown: markdown)
        } catch let error as DiagnosticList {
            throw error
        } catch {
            throw DiagnosticList([
                Diagnostic(path: displayPath, message: "cannot be read: \(YAMLDocument.reason(error)).")
            ])
        }
    }
}
