import DigestSupport
import Foundation

/// The mailing-list header fields of a message: `List-Id` (RFC 2919), `List-Unsubscribe`, `List-Help`, `List-Post`
/// (RFC 2369) and `List-Unsubscribe-Post` (RFC 8058).
///
/// For one-click unsubscribe the URL should carry an opaque per-recipient token (see ``UnsubscribeToken``), the
/// endpoint must accept a POST of `List-Unsubscribe=One-Click` without redirecting, and both headers must be covered by
/// the DKIM signature (``DKIMSigner``'s default header list does that). The envelope sender (SMTP `MAIL FROM`,
/// typically a bounce address on an aligned subdomain) is not part of the message; it is the sender's concern.
public struct ListHeaders: Sendable, Hashable {
    /// The list identifier with an optional label, `Företagsfrämjarna i Dalarna <digest.example.se>`, or just
    /// `digest.example.se`. The part in angle brackets must stay stable over the life of the list; characters not
    /// allowed in a dot-atom are dropped from it when rendering.
    public var listID: String
    /// The unsubscribe mailbox, with or without `mailto:`, optionally with `?subject=…`.
    public var unsubscribeMailto: String?
    /// The HTTPS unsubscribe URL, usually ending in a per-recipient token.
    public var unsubscribeURL: URL?
    /// Whether to send `List-Unsubscribe-Post: List-Unsubscribe=One-Click`; written only when ``unsubscribeURL`` is
    /// an `https` URL, as RFC 8058 requires.
    public var oneClick: Bool
    /// The `List-Post` value: `"NO"` for an announcement-only list, or a URI such as `mailto:list@example.se`;
    /// `nil` omits the field.
    public var post: String?
    /// A URL with help about the list (`List-Help`), or `nil`.
    public var help: URL?
    /// The list's archive (`List-Archive`, RFC 2369 section 3.6), or `nil`.
    public var archive: URL?

    /// Creates list headers; by default the list is announcement-only with one-click unsubscribe.
    public init(
        listID: String, unsubscribeMailto: String? = nil, unsubscribeURL: URL? = nil, oneClick: Bool = true,
        post: String? = "NO", help: URL? = nil, archive: URL? = nil
    ) {
        self.archive = archive
        self.listID = listID
        self.unsubscribeMailto = unsubscribeMailto
        self.unsubscribeURL = unsubscribeURL
        self.oneClick = oneClick
        self.post = post
        self.help = help
    }

    /// The list identifier without the label: the text inside the angle brackets, or the whole trimmed value when
    /// there are none.
    public var identifier: String {
        Self.identifier(of: listID)
    }

    /// The label before the angle brackets, or `nil` when there is none.
    public var label: String? {
        guard let open = listID.lastIndex(of: "<"), listID.lastIndex(of: ">") != nil else {
            return nil
        }
        let text = HeaderText.sanitized(String(listID[..<open]))
        return text.isEmpty ? nil : text
    }

    /// The identifier part of a `List-Id` value (inside `<…>` if present), trimmed.
    static func identifier(of listID: String) -> String {
        if let open = listID.lastIndex(of: "<"), let close = listID.lastIndex(of: ">"), open < close {
            return HeaderText.sanitized(String(listID[listID.index(after: open)..<close]))
        }
        return HeaderText.sanitized(listID)
    }

    private struct ListIDKey: Hashable, Sendable {
        let label: String?
        let identifier: String
    }

    /// List-Id fields already written: a list's is the same in every message.
    private static let listIDFields = BoundedCache<ListIDKey, String>(capacity: 64)

    /// The List-Id field: the label as atoms, a quoted string or encoded words, then `<identifier>`.
    private static func listIDField(label: String?, identifier: String) -> String {
        listIDFields.value(for: ListIDKey(label: label, identifier: identifier)) {
            makeListIDField(label: label, identifier: identifier)
        }
    }

    private static func makeListIDField(label: String?, identifier: String) -> String {
        var listIDField = HeaderField(name: "List-Id")
        if let label {
            let words = label.split(separator: " ")
            if words.contains(where: EncodedWord.needsEncoding) {
                listIDField.appendEncoded(label, preferSingleWord: true)
            } else if words.allSatisfy({ $0.utf8.allSatisfy(HeaderText.isAtext) }) {
                listIDField.append(contentsOf: words.map(String.init))
            } else {
                listIDField.append(HeaderText.quoted(label))
            }
        }
        let safeIdentifier = identifier.utf8.filter { HeaderText.isAtext($0) || $0 == UInt8(ascii: ".") }
        listIDField.append("<" + String(decoding: safeIdentifier, as: UTF8.self) + ">")
        return listIDField.rendered
    }

    /// The header fields, folded and CRLF-terminated, in the order List-Id, List-Unsubscribe, List-Unsubscribe-Post,
    /// List-Help, List-Archive, List-Post.
    func renderedFields() -> [String] {
        var fields = [Self.listIDField(label: label, identifier: identifier)]

        var uris: [String] = []
        if let mailto = unsubscribeMailto.map(HeaderText.sanitized), !mailto.isEmpty {
            let withScheme = mailto.lowercased().hasPrefix("mailto:") ? mailto : "mailto:" + mailto
            uris.append("<" + HeaderText.uriSafe(withScheme) + ">")
        }
        if let url = unsubscribeURL {
            uris.append("<" + HeaderText.uriSafe(url.absoluteString) + ">")
        }
        if !uris.isEmpty {
            var field = HeaderField(name: "List-Unsubscribe")
            for (index, uri) in uris.enumerated() {
                field.append(uri + (index < uris.count - 1 ? "," : ""))
            }
            fields.append(field.rendered)
        }
        if oneClick, let url = unsubscribeURL, url.scheme?.lowercased() == "https" {
            fields.append("List-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n")
        }
        if let help {
            var field = HeaderField(name: "List-Help")
            field.append("<" + HeaderText.uriSafe(help.absoluteString) + ">")
            fields.append(field.rendered)
        }
        if let archive {
            var field = HeaderField(name: "List-Archive")
            field.append("<" + HeaderText.uriSafe(archive.absoluteString) + ">")
            fields.append(field.rendered)
        }
        if let post = post.map(HeaderText.sanitized), !post.isEmpty {
            var field = HeaderField(name: "List-Post")
            field.append(post.uppercased() == "NO" ? "NO" : "<" + HeaderText.uriSafe(post) + ">")
            fields.append(field.rendered)
        }
        return fields
    }
}
