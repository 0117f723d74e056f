import Curl
import Foundation

/// `delivery.oauth2`: SMTP AUTH with an OAuth 2.0 token from the client-credentials grant (RFC 6749 §4.4) instead of
/// a password, as Microsoft 365 requires once Basic authentication is off:
/// `{tokenURL: https://login.microsoftonline.com/<tenant>/oauth2/v2.0/token, clientID: …, clientSecretEnv: …,
/// scope: https://outlook.office365.com/.default}`. The SMTP user stays `delivery.username`.
public struct OAuth2Config: Sendable, Decodable, Equatable {
    /// The token endpoint: `https://`, or `http://` only to a loopback host.
    public var tokenURL: URL
    /// The application (client) id.
    public var clientID: String
    /// The environment variable that holds the client secret (never the secret itself).
    public var clientSecretEnv: String
    /// The scope asked for, if any.
    public var scope: String?

    enum CodingKeys: String, CodingKey, CaseIterable {
        case tokenURL, clientID, clientSecretEnv, scope
    }

    /// Decodes the block, rejecting unknown keys, an empty client id or variable name, and a token URL that is not
    /// `https://` (or `http://` to 127.0.0.1, ::1 or localhost).
    public init(from decoder: any Decoder) throws {
        let container = try decoder.strictContainer(keyedBy: CodingKeys.self)
        let text = try container.decode(String.self, forKey: .tokenURL)
        guard let url = URL(string: text) else {
            throw DecodingError.dataCorruptedError(
                forKey: .tokenURL, in: container, debugDescription: "'\(text)' is not a URL.")
        }
        do throws(OAuth2Error) {
            try OAuth2ClientCredentials.validate(url)
        } catch {
            throw DecodingError.dataCorruptedError(
                forKey: .tokenURL, in: container, debugDescription: error.reason + ".")
        }
        tokenURL = url
        clientID = try container.decode(String.self, forKey: .clientID)
        guard !clientID.isEmpty else {
            throw DecodingError.dataCorruptedError(
                forKey: .clientID, in: container, debugDescription: "clientID must not be empty.")
        }
        clientSecretEnv = try container.decode(String.self, forKey: .clientSecretEnv)
        guard !clientSecretEnv.isEmpty,
            clientSecretEnv.allSatisfy({ $0 == "_" || $0.isASCII && $0.isLetter || $0.isASCII && $0.isNumber })
        else {
            throw DecodingError.dataCorruptedError(
                forKey: .clientSecretEnv, in: container,
                debugDescription:
                    "clientSecretEnv names the environment variable holding the client secret (letters, digits and _), "
                    + "not the secret itself.")
        }
        scope = try container.decodeIfPresent(String.self, forKey: .scope)
    }
}
