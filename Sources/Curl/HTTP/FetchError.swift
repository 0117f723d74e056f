import Foundation

/// A fetch that failed after its retries, with libcurl's code and a reason a person can act on.
public struct FetchError: Error, CustomStringConvertible, Sendable {
    /// The URL that was requested.
    public var url: URL
    /// The libcurl result code (`CURLcode`); 0 when the transfer worked but the HTTP status was an error; 43
    /// (`CURLE_BAD_FUNCTION_ARGUMENT`) for a request refused by `FetchRequest.validate()`; for an option libcurl
    /// refused, what `curl_easy_setopt` returned.
    public var curlCode: Int
    /// The HTTP status of the failing response, when there was one.
    public var status: Int?
    /// What went wrong, for people: "timed out after 10 s", "response larger than 10 MB", "HTTP 500",
    /// "header 'X-Api-Key' holds a line break", "libcurl refused CURLOPT_MIMEPOST: …". Never a header value.
    public var reason: String
    /// True when trying again later may succeed (5xx, 408, 429, timeouts, connection failures).
    public var isTransient: Bool
    /// How many attempts were made.
    public var attempts: Int
    /// The body of the failing response (at most the request's `maxBytes`), for APIs whose error responses explain
    /// themselves (an OAuth 2.0 token endpoint's `error` and `error_description`); nil when no response came. Never
    /// part of `description`: it is the peer's text, to be read and escaped by whoever understands it.
    public var responseBody: Data?

    /// Creates an error value.
    public init(
        url: URL, curlCode: Int, status: Int? = nil, reason: String, isTransient: Bool, attempts: Int = 1,
        responseBody: Data? = nil
    ) {
        self.url = url
        self.curlCode = curlCode
        self.status = status
        self.reason = reason
        self.isTransient = isTransient
        self.attempts = attempts
        self.responseBody = responseBody
    }

    /// `<url>: <reason>`, plus the attempt count when the fetch was retried.
    public var description: String {
        let tries = attempts > 1 ? " (after \(attempts) attempts)" : ""
        return "\(url.absoluteString): \(reason)\(tries)"
    }
}
