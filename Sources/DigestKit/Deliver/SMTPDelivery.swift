import Curl
import Foundation

/// Delivers over SMTP through libcurl: STARTTLS (or implicit TLS), AUTH with a password or an OAuth2 token
/// (XOAUTH2), reused connections, retries of transient failures. A refused login or a TLS failure is the
/// transport's (`DeliveryResult.transportFailed`), never the recipient's.
public struct SMTPDelivery: MessageTransport {
    let transport: SMTPTransport
    /// The server as shown in messages: scheme, host and port.
    let server: String

    /// A transport for `delivery`'s relay; the password (or, with `oauth2`, the client secret) comes from the
    /// environment variable it names.
    public init(url: URL, delivery: DeliveryConfig, caFile: String?, environment: [String: String]) throws {
        var password: String?
        var tokenSource: (any SMTPTokenSource)?
        if let oauth2 = delivery.oauth2 {
            guard let secret = environment[oauth2.clientSecretEnv], !secret.isEmpty else {
                throw DiagnosticList([
                    Diagnostic(
                        path: "delivery.oauth2",
                        message: "the environment variable \(oauth2.clientSecretEnv) (clientSecretEnv) holds no "
                            + "client secret."
                    )
                ])
            }
            tokenSource = try OAuth2ClientCredentials(
                tokenURL: oauth2.tokenURL, clientID: oauth2.clientID, clientSecret: secret, scope: oauth2.scope,
                timeout: .seconds(delivery.timeoutSeconds))
        } else {
            password = environment[delivery.passwordEnv]
            if delivery.username != nil && password == nil {
                throw DiagnosticList([
                    Diagnostic(
                        path: "delivery",
                        message:
                            "username is set but the environment variable \(delivery.passwordEnv) holds no password."
                    )
                ])
            }
        }
        let configuration = try SMTPConfiguration(
            url: url,
            starttls: delivery.starttls == .never ? .never : .required,
            username: delivery.username,
            password: password,
            tokenSource: tokenSource,
            caFile: caFile,
            timeout: .seconds(delivery.timeoutSeconds),
            connections: delivery.connections,
            retries: delivery.retries,
            maxPerSecond: delivery.maxPerSecond,
            maxPerMinute: delivery.maxPerMinute
        )
        transport = try SMTPTransport(configuration: configuration)
        server = Self.shown(url)
    }

    /// Sends one message and maps the relay's answer to a delivery result.
    public func deliver(_ message: OutgoingMessage) async -> DeliveryResult {
        let outcome = await transport.send(
            message.bytes,
            envelope: SMTPEnvelope(from: message.envelopeFrom, recipients: [message.recipient])
        )
        switch outcome {
        case .delivered(let reply): return .delivered(reply)
        case .permanentFailure(let code, let reply): return .failed(permanent: true, "\(code) \(reply)")
        case .transientFailure(let code, let reply): return .failed(permanent: false, "\(code) \(reply)")
        case .sessionFailure(_, let reply): return .transportFailed(TransportFailure(server: server, reason: reply))
        }
    }

    /// Closes every connection.
    public func close() async {
        await transport.close()
    }

    /// `scheme://host:port` of `url`, without user, path or query.
    static func shown(_ url: URL) -> String {
        var components = URLComponents()
        components.scheme = url.scheme
        components.host = url.host
        components.port = url.port
        return components.string ?? "the SMTP server"
    }
}
