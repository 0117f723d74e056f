import Foundation

/// A page answer, independent of the web framework that serves it.
public struct PageResponse: Sendable, Equatable {
    /// The HTTP status.
    public var status: Int
    /// The body: an HTML page, or plain text for the one-click endpoint.
    public var body: String
    /// The content type of the body.
    public var contentType: String

    /// An HTML page with `status`.
    public static func html(_ status: Int, _ body: String) -> PageResponse {
        PageResponse(status: status, body: body, contentType: "text/html; charset=utf-8")
    }

    /// A plain-text answer with `status`.
    public static func text(_ status: Int, _ body: String) -> PageResponse {
        PageResponse(status: status, body: body, contentType: "text/plain; charset=utf-8")
    }
}

/// Changes to subscriber files that readers ask for through the web pages.
public protocol SubscriberFileUpdating: Sendable {
    /// Sets `paused: true` in `subscriber`'s file.
    func pause(_ subscriber: Subscriber) throws
    /// Writes what differs between `subscriber` and `updated` (name, language, interests, exclusions, `sendEmpty`,
    /// `paused`) into the subscriber's file, keeping everything else they wrote; returns the subscriber as the file
    /// now says.
    func update(_ subscriber: Subscriber, to updated: Subscriber) throws -> Subscriber
    /// Writes a new file for `subscriber` (a confirmed signup), leaving every other file as it was; returns the
    /// subscriber as written. Throws when the address is subscribed already.
    func add(_ subscriber: Subscriber) throws -> Subscriber
    /// Everything kept about `subscriber` (their file's entry, consent, and every row of `state` naming them), as
    /// the JSON document `digest subscribers export --json` prints.
    func personalData(of subscriber: Subscriber, state: StateStore) throws -> String
    /// Erases `subscriber`, as `digest subscribers forget` does: their file (or entry) and every row naming them,
    /// leaving only the salted hash that keeps them from being mailed again.
    func forget(_ subscriber: Subscriber, state: StateStore, at now: Date) throws
}
