import Foundation

/// One DKIM signing key: `delivery.dkim: {domain: example.se, selector: s2026, privateKey: keys/dkim.pem}`.
public struct DKIMConfig: Sendable, Decodable {
    /// The signing domain (`d=`), normally From's domain for DMARC alignment.
    public var domain: String
    /// The selector (`s=`): the public key is published at `<selector>._domainkey.<domain>`.
    public var selector: String
    /// The private key file, relative to the config file: an RSA PEM, or the base64 of a raw Ed25519 key.
    public var privateKey: String

    enum CodingKeys: String, CodingKey, CaseIterable {
        case domain, selector, privateKey
    }

    /// Decodes one key, rejecting unknown fields.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.strictContainer(keyedBy: CodingKeys.self)
        domain = try container.decode(String.self, forKey: .domain)
        selector = try container.decode(String.self, forKey: .selector)
        privateKey = try container.decode(String.self, forKey: .privateKey)
    }
}
