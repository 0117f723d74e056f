/// What the preview server answers to one request, before it becomes an HTTP response.
public struct PreviewReply: Sendable {
    /// The HTTP status code.
    public var status: Int
    /// The `Content-Type`.
    public var contentType: String
    /// The body.
    public var body: [UInt8]
    /// The `Location` of a redirect, if it is one.
    public var location: String?
    /// The `Content-Security-Policy`: pages may not be framed by others; a raw digest is sandboxed even when opened
    /// on its own.
    public var contentSecurityPolicy: String

    /// A reply with `body`.
    public init(
        status: Int,
        contentType: String,
        body: [UInt8],
        location: String? = nil,
        contentSecurityPolicy: String = "frame-ancestors 'none'"
    ) {
        self.status = status
        self.contentType = contentType
        self.body = body
        self.location = location
        self.contentSecurityPolicy = contentSecurityPolicy
    }

    /// A `200` HTML page.
    public static func html(_ text: String, status: Int = 200) -> PreviewReply {
        PreviewReply(status: status, contentType: "text/html; charset=utf-8", body: Array(text.utf8))
    }

    /// A `303 See Other` to `location`, after a POST.
    public static func seeOther(_ location: String) -> PreviewReply {
        PreviewReply(
            status: 303, contentType: "text/plain; charset=utf-8", body: Array("See \(location)\n".utf8),
            location: location)
    }

    /// A short plain-text error.
    public static func problem(_ status: Int, _ text: String) -> PreviewReply {
        PreviewReply(status: status, contentType: "text/plain; charset=utf-8", body: Array((text + "\n").utf8))
    }
}
