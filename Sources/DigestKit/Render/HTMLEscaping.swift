import CompiledMustache
import Foundation

/// Escaping for text placed in HTML.
public enum HTMLEscaping {
    /// `text` safe inside an element or a double-quoted attribute.
    public static func escape(_ text: String) -> String {
        HTMLEscape.escape(text)
    }

    /// Whether `url` may be linked from a digest: http, https or mailto only.
    public static func isSafeLink(_ url: URL) -> Bool {
        ["http", "https", "mailto"].contains(url.scheme?.lowercased() ?? "")
    }
}
