import Foundation

/// The links every footer needs for one reader.
public struct ReaderLinks: Sendable {
    /// The one-click unsubscribe page (`baseURL/unsubscribe/<token>`), if the newsletter has a base URL.
    public var unsubscribeURL: URL?
    /// The preferences page, if the newsletter has a base URL.
    public var preferencesURL: URL?
    /// The `mailto:` URI that unsubscribes by mail (with the reader's token in the subject when there is a secret).
    public var unsubscribeMailto: String

    /// Links for one reader.
    public init(unsubscribeURL: URL?, preferencesURL: URL?, unsubscribeMailto: String) {
        self.unsubscribeURL = unsubscribeURL
        self.preferencesURL = preferencesURL
        self.unsubscribeMailto = unsubscribeMailto
    }
}
