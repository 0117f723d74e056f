import Curl
import Foundation

/// The `delivery:` section of `digest.yaml`: how digests leave the machine.
public struct DeliveryConfig: Sendable, Decodable {
    /// Where messages go.
    public enum Transport: Sendable, Equatable, CustomStringConvertible {
        /// A Maildir folder (`maildir:PATH`); the built-in default is `maildir:outbox`.
        case maildir(path: String)
        /// An SMTP relay, `smtp://host:port` (STARTTLS) or `smtps://host:port` (implicit TLS).
        case smtp(url: URL)
        /// The local MTA through `sendmail -t -i`.
        case sendmail(path: String)

        /// Parses the written form.
        init?(parsing text: String) {
            if text.hasPrefix("maildir:") {
                let path = String(text.dropFirst("maildir:".count))
                guard !path.isEmpty else { return nil }
                self = .maildir(path: path)
            } else if text == "sendmail" {
                self = .sendmail(path: "/usr/sbin/sendmail")
            } else if text.hasPrefix("sendmail:") {
                self = .sendmail(path: String(text.dropFirst("sendmail:".count)))
            } else if let url = URL(string: text), url.scheme == "smtp" || url.scheme == "smtps", url.host != nil {
                self = .smtp(url: url)
            } else {
                return nil
            }
        }

        /// The written form.
        public var description: String {
            switch self {
            case .maildir(let path): "maildir:\(path)"
            case .smtp(let url): url.absoluteString
            case .sendmail(let path): "sendmail:\(path)"
            }
        }
    }

    /// Whether STARTTLS is demanded on `smtp://`.
    public enum StartTLS: String, Sendable, CaseIterable {
        /// The default: refuse to send unless the server upgrades to TLS.
        case required
        /// Plain text; allowed only for a loopback host.
        case never
    }

    /// Where messages go.
    public var transport: Transport
    /// STARTTLS policy for `smtp://`.
    public var starttls: StartTLS
    /// SMTP AUTH user name.
    public var username: String?
    /// The environment variable holding the SMTP password (never the password itself).
    public var passwordEnv: String
    /// Extra CA certificate(s) to trust, as a PEM file path relative to the config file.
    public var caFile: String?
    /// Parallel SMTP connections.
    public var connections: Int
    /// Retries of a transient failure before it is recorded as failed.
    public var retries: Int
    /// The most messages a second, for small relays.
    public var maxPerSecond: Double?
    /// The most messages a minute, for small relays.
    public var maxPerMinute: Int?
    /// The longest one message's SMTP transaction may take, in seconds.
    public var timeoutSeconds: Int
    /// DKIM keys that sign every message (an RSA and an Ed25519 key may both sign).
    public var dkim: [DKIMConfig]
    /// SMTP AUTH with an OAuth 2.0 token (XOAUTH2) instead of the password; needs `username`.
    public var oauth2: OAuth2Config?

    enum CodingKeys: String, CodingKey, CaseIterable {
        case transport, starttls, username, passwordEnv, caFile, connections, retries, maxPerSecond, maxPerMinute
        case timeoutSeconds, dkim, oauth2
    }

    /// The built-in default: a Maildir at `outbox/`.
    public init() {
        transport = .maildir(path: "outbox")
        starttls = .required
        passwordEnv = "DIGEST_SMTP_PASSWORD"
        connections = 4
        retries = 3
        timeoutSeconds = 60
        dkim = []
    }

    /// `text` with the password of a `scheme://user:password@host` (or anything like it: the text between the `:`
    /// and the `@` after the last `/`) written as `***`.
    static func withoutPassword(_ text: String) -> String {
        guard let at = text.lastIndex(of: "@") else { return text }
        let userStart = text[..<at].lastIndex(of: "/").map { text.index(after: $0) } ?? text.startIndex
        guard let colon = text[userStart..<at].firstIndex(of: ":") else { return text }
        return String(text[...colon]) + "***" + String(text[at...])
    }

    /// Decodes the section, rejecting unknown keys and a plain-text SMTP connection to anything but loopback.
    public init(from decoder: any Decoder) throws {
        self.init()
        let container = try decoder.strictContainer(keyedBy: CodingKeys.self)
        if let text = try container.decodeIfPresent(String.self, forKey: .transport) {
            guard let parsed = Transport(parsing: text) else {
                throw DecodingError.dataCorruptedError(
                    forKey: .transport,
                    in: container,
                    debugDescription:
                        "'\(Self.withoutPassword(text))' is not a transport; use maildir:PATH, smtp://host:port, "
                        + "smtps://host:port or sendmail."
                )
            }
            if case .smtp(let url) = parsed, url.password != nil {
                // The message must not repeat the URL: it holds the password.
                throw DecodingError.dataCorruptedError(
                    forKey: .transport,
                    in: container,
                    debugDescription:
                        "the transport URL holds a password, which would sit in the config and in logs; write the "
                        + "user as delivery.username and put the password in the environment variable named by "
                        + "delivery.passwordEnv (default DIGEST_SMTP_PASSWORD)."
                )
            }
            transport = parsed
        }
        starttls =
            try container.decodeChoice(.starttls, allowed: StartTLS.allCases.map(\.rawValue))
            .flatMap(StartTLS.init) ?? .required
        if starttls == .never, case .smtp(let url) = transport, url.scheme == "smtp",
            !Self.isLoopback(url.host ?? "")
        {
            throw DecodingError.dataCorruptedError(
                forKey: .starttls,
                in: container,
                debugDescription: "starttls: never is allowed only for a loopback host (127.0.0.1, ::1, localhost)."
            )
        }
        username = try container.decodeIfPresent(String.self, forKey: .username)
        passwordEnv = try container.decodeIfPresent(String.self, forKey: .passwordEnv) ?? passwordEnv
        caFile = try container.decodeIfPresent(String.self, forKey: .caFile)
        connections = try container.decodeIfPresent(Int.self, forKey: .connections) ?? connections
        guard (1...32).contains(connections) else {
            throw DecodingError.dataCorruptedError(
                forKey: .connections,
                in: container,
                debugDescription: "connections must be between 1 and 32."
            )
        }
        retries = try container.decodeIfPresent(Int.self, forKey: .retries) ?? retries
        maxPerSecond = try container.decodeIfPresent(Double.self, forKey: .maxPerSecond)
        maxPerMinute = try container.decodeIfPresent(Int.self, forKey: .maxPerMinute)
        timeoutSeconds = try container.decodeIfPresent(Int.self, forKey: .timeoutSeconds) ?? timeoutSeconds
        guard timeoutSeconds >= 1 else {
            throw DecodingError.dataCorruptedError(
                forKey: .timeoutSeconds,
                in: container,
                debugDescription: "timeoutSeconds must be at least 1."
            )
        }
        if let one = try? container.decodeIfPresent(DKIMConfig.self, forKey: .dkim) {
            dkim = [one]
        } else {
            dkim = try container.decodeIfPresent([DKIMConfig].self, forKey: .dkim) ?? []
        }
        oauth2 = try container.decodeIfPresent(OAuth2Config.self, forKey: .oauth2)
        if oauth2 != nil {
            guard case .smtp = transport else {
                throw DecodingError.dataCorruptedError(
                    forKey: .oauth2, in: container,
                    debugDescription: "oauth2 is for SMTP AUTH; it needs an smtp:// or smtps:// transport.")
            }
            guard username != nil else {
                throw DecodingError.dataCorruptedError(
                    forKey: .oauth2, in: container,
                    debugDescription: "oauth2 needs delivery.username, the mailbox that sends (the SMTP AUTH user).")
            }
        }
    }

    /// Whether `host` names this machine (127.0.0.0/8, ::1, localhost; not `127.example.org`).
    static func isLoopback(_ host: String) -> Bool {
        LoopbackHost.contains(host)
    }
}
