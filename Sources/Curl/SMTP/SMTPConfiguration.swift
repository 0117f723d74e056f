import Foundation

/// How to reach and use an SMTP server.
public struct SMTPConfiguration: Sendable {
    /// `smtp://host:port` (STARTTLS per `starttls`) or `smtps://host:port` (TLS from the start). Credentials in the
    /// URL are ignored: use `username` and `password`.
    public var url: URL
    /// Whether STARTTLS is required; `.never` is accepted only for a loopback host.
    public var starttls: StartTLSPolicy
    /// The AUTH user name; AUTH is used when it and `password` or `tokenSource` are set.
    public var username: String?
    /// The AUTH password; never written to an error message or a log.
    public var password: String?
    /// Where the OAuth 2.0 bearer token comes from: with a `username`, AUTH is `XOAUTH2` with that token (sent with
    /// `CURLOPT_XOAUTH2_BEARER`) and `password` is not used.
    public var tokenSource: (any SMTPTokenSource)?
    /// A PEM file of CA certificates to trust (`CURLOPT_CAINFO`), for a private or self-signed server certificate.
    public var caFile: String?
    /// The name sent in EHLO; libcurl's default when nil.
    public var heloName: String?
    /// The limit for connecting and for each message's whole transaction.
    public var timeout: Duration
    /// How many connections (each on its own thread) send in parallel; at least 1.
    public var connections: Int
    /// How many extra attempts a transiently failed message gets.
    public var retries: Int
    /// The wait before the first retry; it doubles for each further one, with ±50 % jitter.
    public var backoff: Duration
    /// The most messages started per second, if limited.
    public var maxPerSecond: Double?
    /// The most messages started in any 60 s window, if limited.
    public var maxPerMinute: Int?

    /// Validates and creates a configuration; throws when the URL is not smtp/smtps with a host, when `.never` is
    /// asked for a host that is not loopback, or when a count is out of range.
    public init(
        url: URL, starttls: StartTLSPolicy = .required, username: String? = nil, password: String? = nil,
        tokenSource: (any SMTPTokenSource)? = nil, caFile: String? = nil, heloName: String? = nil,
        timeout: Duration = .seconds(30), connections: Int = 4,
        retries: Int = 3, backoff: Duration = .seconds(1), maxPerSecond: Double? = nil, maxPerMinute: Int? = nil
    ) throws(SMTPError) {
        let scheme = url.scheme?.lowercased()
        let shown = Self.redacted(url)
        guard scheme == "smtp" || scheme == "smtps" else {
            throw SMTPError(reason: "SMTP URL \(shown) must start with smtp:// or smtps://")
        }
        guard let host = url.host, !host.isEmpty else {
            throw SMTPError(reason: "SMTP URL \(shown) has no host")
        }
        if starttls == .never {
            guard scheme == "smtp" else {
                throw SMTPError(reason: "starttls 'never' contradicts smtps:// in \(shown)")
            }
            guard LoopbackHost.contains(host) else {
                throw SMTPError(
                    reason: "starttls 'never' would send mail in plain text to \(host); "
                        + "it is allowed only for 127.0.0.1, ::1 or localhost")
            }
        }
        guard connections >= 1 else { throw SMTPError(reason: "connections must be at least 1, got \(connections)") }
        guard retries >= 0 else { throw SMTPError(reason: "retries must be 0 or more, got \(retries)") }
        if let maxPerSecond, !(maxPerSecond > 0) {
            throw SMTPError(reason: "maxPerSecond must be above 0, got \(maxPerSecond)")
        }
        if let maxPerMinute, maxPerMinute < 1 {
            throw SMTPError(reason: "maxPerMinute must be at least 1, got \(maxPerMinute)")
        }
        self.url = url
        self.starttls = starttls
        self.username = username
        self.password = password
        self.tokenSource = tokenSource
        self.caFile = caFile
        self.heloName = heloName
        self.timeout = timeout
        self.connections = connections
        self.retries = retries
        self.backoff = backoff
        self.maxPerSecond = maxPerSecond
        self.maxPerMinute = maxPerMinute
    }

    /// True for an IPv4 address in 127.0.0.0/8, `::1` and `localhost` (not for names like `127.example.org`).
    static func isLoopback(_ host: String) -> Bool {
        LoopbackHost.contains(host)
    }

    /// The URL as text with any password in it replaced, for error messages.
    static func redacted(_ url: URL) -> String {
        guard var components = URLComponents(url: url, resolvingAgainstBaseURL: false), components.password != nil
        else { return url.absoluteString }
        components.password = "***"
        return components.string ?? "<SMTP URL>"
    }

    /// The URL given to libcurl: scheme, host and port, with the EHLO name as its path.
    var curlURL: String {
        var components = URLComponents(url: url, resolvingAgainstBaseURL: false) ?? URLComponents()
        components.user = nil
        components.password = nil
        components.query = nil
        components.fragment = nil
        components.path = heloName.map { "/" + $0 } ?? ""
        return components.string ?? url.absoluteString
    }
}
