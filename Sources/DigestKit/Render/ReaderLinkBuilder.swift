import Foundation
import MailMessage

/// Works out each reader's footer links and unsubscribe token from the newsletter's settings and the secret: the
/// render stage asks it for the links a digest shows, and the message repeats them in its List-Unsubscribe headers.
public struct ReaderLinkBuilder: Sendable {
    /// The list identifier tokens are made for (`newsletter.listID`, else `digest.<from domain>`).
    public let listID: String
    /// The address unsubscribe mails go to (`newsletter.unsubscribeMailto`, else `unsubscribe@<from domain>`).
    public let unsubscribeAddress: String
    private let baseURL: URL?
    private let issuer: UnsubscribeToken.Issuer?
    /// The unsubscribe and preferences pages' addresses with a trailing slash, when the base URL has no query or
    /// fragment, for appending tokens.
    private let readerPages: (unsubscribe: String, preferences: String)?

    /// A builder for `newsletter`; `secret` keys the unsubscribe tokens (from `DIGEST_UNSUBSCRIBE_SECRET`).
    public init(newsletter: NewsletterConfig, secret: Data?) throws(DiagnosticList) {
        let from: MailAddress
        do {
            from = try MailAddress(parsing: newsletter.from)
        } catch {
            throw DiagnosticList([Diagnostic(path: "newsletter.from", message: "not a valid address: \(error).")])
        }
        let listID = newsletter.listID ?? "digest.\(from.domain)"
        self.listID = listID
        unsubscribeAddress = newsletter.unsubscribeMailto ?? "unsubscribe@\(from.domain)"
        baseURL = newsletter.baseURL
        issuer = secret.map { UnsubscribeToken.Issuer(listID: listID, secret: $0) }
        if let base = newsletter.baseURL, base.query == nil, base.fragment == nil {
            readerPages = (
                base.appendingPathComponent("unsubscribe").absoluteString + "/",
                base.appendingPathComponent("preferences").absoluteString + "/"
            )
        } else {
            readerPages = nil
        }
    }

    /// The unsubscribe token of `address` in this list, when there is a secret.
    public func token(for address: String) -> String? {
        issuer?.token(for: address)
    }

    /// The footer links for `subscriber`: the https unsubscribe and preference pages when the newsletter has a base
    /// URL and a secret, and the mailto link always (its subject carries the reader's token when there is a secret,
    /// so `digest inbox` can tell who asked).
    public func links(for subscriber: Subscriber) -> ReaderLinks {
        guard let token = token(for: subscriber.email) else {
            return ReaderLinks(
                unsubscribeURL: nil,
                preferencesURL: nil,
                unsubscribeMailto: "mailto:\(unsubscribeAddress)?subject=unsubscribe"
            )
        }
        let mailto = "mailto:\(unsubscribeAddress)?subject=unsubscribe%20\(token)"
        guard let base = baseURL else {
            return ReaderLinks(unsubscribeURL: nil, preferencesURL: nil, unsubscribeMailto: mailto)
        }
        // Tokens are URL-safe base64, so appending one to the page's address as text gives the URL
        // `appendingPathComponent` would, without parsing the base again for every reader.
        if let pages = readerPages, let unsubscribe = URL(string: pages.unsubscribe + token),
            let preferences = URL(string: pages.preferences + token)
        {
            return ReaderLinks(unsubscribeURL: unsubscribe, preferencesURL: preferences, unsubscribeMailto: mailto)
        }
        return ReaderLinks(
            unsubscribeURL: base.appendingPathComponent("unsubscribe").appendingPathComponent(token),
            preferencesURL: base.appendingPathComponent("preferences").appendingPathComponent(token),
            unsubscribeMailto: mailto
        )
    }
}
