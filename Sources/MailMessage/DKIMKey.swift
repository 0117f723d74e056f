import Crypto
import Foundation
import _CryptoExtras

/// A DKIM private key: RSA (signed as rsa-sha256, RFC 6376) or Ed25519 (ed25519-sha256, RFC 8463).
///
/// The textual descriptions never show key material.
public enum DKIMKey: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible {
    /// An RSA private key in PEM, PKCS#1 (`RSA PRIVATE KEY`) or PKCS#8 (`PRIVATE KEY`), of at least 1024 bits.
    case rsa(pem: String)
    /// The 32 raw bytes of an Ed25519 private key (the seed).
    case ed25519(rawPrivateKey: Data)

    /// The DER prefix of a PKCS#8 `PrivateKeyInfo` holding an Ed25519 key; the 32 key bytes follow it (RFC 8410).
    static let ed25519PKCS8Prefix: [UInt8] = [
        0x30, 0x2E, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2B, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20,
    ]

    /// Reads a key file: a PEM RSA key (PKCS#1 or PKCS#8), a PEM PKCS#8 Ed25519 key (as written by
    /// `openssl genpkey -algorithm ed25519`), or a file holding the base64 of the 32 raw Ed25519 bytes.
    /// - Throws: ``DKIMError`` naming the file when it cannot be read or is none of these.
    public static func load(from url: URL) throws -> DKIMKey {
        let path = url.path
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw DKIMError(.unreadableKeyFile(why: Self.why(error, path: path)), source: path)
        }
        guard data.count <= 1_000_000 else {
            throw DKIMError(.unreadableKeyFile(why: "larger than 1 MB, so not a key"), source: path)
        }
        let key = try parse(data, source: path)
        _ = try key.parsed(source: path)
        return key
    }

    /// Why reading `path` failed, in a few words (the underlying error's own text when it is none of the usual).
    private static func why(_ error: any Error, path: String) -> String {
        var isFolder: ObjCBool = false
        if !FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) { return "no such file" }
        if isFolder.boolValue { return "a folder, not a file" }
        if !FileManager.default.isReadableFile(atPath: path) { return "permission denied" }
        return (error as NSError).localizedDescription
    }

    /// Interprets key-file bytes (see ``load(from:)``).
    static func parse(_ data: Data, source: String) throws -> DKIMKey {
        let text = String(decoding: data, as: UTF8.self)
        if text.contains("-----BEGIN") {
            if text.contains("ENCRYPTED PRIVATE KEY") || text.contains("Proc-Type: 4,ENCRYPTED") {
                throw DKIMError(.unsupportedKeyFormat("encrypted PEM"), source: source)
            }
            if text.contains("OPENSSH PRIVATE KEY") {
                throw DKIMError(.unsupportedKeyFormat("OpenSSH"), source: source)
            }
            if text.contains("-----BEGIN PRIVATE KEY-----"), let der = pemBody(text, label: "PRIVATE KEY"),
                der.count == 48, Array(der.prefix(16)) == ed25519PKCS8Prefix
            {
                return .ed25519(rawPrivateKey: Data(der.suffix(32)))
            }
            if text.contains("RSA PRIVATE KEY") || text.contains("-----BEGIN PRIVATE KEY-----") {
                return .rsa(pem: text.trimmingWhitespace() + "\n")
            }
            throw DKIMError(.unrecognizedKeyFormat, source: source)
        }
        let compact = text.filter { !$0.isWhitespace }
        if let raw = Data(base64Encoded: compact), raw.count == 32 {
            return .ed25519(rawPrivateKey: raw)
        }
        if data.count == 32 {
            return .ed25519(rawPrivateKey: data)
        }
        throw DKIMError(.unrecognizedKeyFormat, source: source)
    }

    /// The DER bytes between `-----BEGIN label-----` and `-----END label-----`, or `nil`.
    private static func pemBody(_ text: String, label: String) -> Data? {
        guard let begin = text.range(of: "-----BEGIN \(label)-----"),
            let end = text.range(of: "-----END \(label)-----", range: begin.upperBound..<text.endIndex)
        else {
            return nil
        }
        return Data(base64Encoded: text[begin.upperBound..<end.lowerBound].filter { !$0.isWhitespace })
    }

    /// The `a=` algorithm name: `rsa-sha256` or `ed25519-sha256`.
    public var algorithm: String {
        switch self {
        case .rsa: return "rsa-sha256"
        case .ed25519: return "ed25519-sha256"
        }
    }

    /// The DNS TXT record to publish at `selector._domainkey.domain`: `v=DKIM1; k=rsa; p=…` (p is the base64 DER
    /// SubjectPublicKeyInfo) or `v=DKIM1; k=ed25519; p=…` (p is the base64 of the 32 raw public-key bytes).
    /// - Throws: ``DKIMError`` if the key cannot be parsed.
    public func publicKeyRecord() throws -> String {
        switch try parsed(source: nil) {
        case .rsa(let key):
            return "v=DKIM1; k=rsa; p=" + key.publicKey.derRepresentation.base64EncodedString()
        case .ed25519(let key):
            return "v=DKIM1; k=ed25519; p=" + key.publicKey.rawRepresentation.base64EncodedString()
        }
    }

    /// A description without key material, such as `DKIMKey.rsa(<redacted>)`.
    public var description: String {
        switch self {
        case .rsa: return "DKIMKey.rsa(<redacted>)"
        case .ed25519: return "DKIMKey.ed25519(<redacted>)"
        }
    }

    /// The same as ``description``: key material is never shown.
    public var debugDescription: String {
        description
    }

    /// The key parsed by swift-crypto.
    func parsed(source: String?) throws -> ParsedDKIMKey {
        switch self {
        case .rsa(let pem):
            let key: _RSA.Signing.PrivateKey
            if let strict = try? _RSA.Signing.PrivateKey(pemRepresentation: pem) {
                key = strict
            } else if let legacy = try? _RSA.Signing.PrivateKey(unsafePEMRepresentation: pem) {
                key = legacy
            } else {
                throw DKIMError(.invalidRSAKey, source: source)
            }
            guard key.keySizeInBits >= 1024 else {
                throw DKIMError(.rsaKeyTooSmall(key.keySizeInBits), source: source)
            }
            return .rsa(key)
        case .ed25519(let raw):
            guard raw.count == 32, let key = try? Curve25519.Signing.PrivateKey(rawRepresentation: raw) else {
                throw DKIMError(.invalidEd25519Key(raw.count), source: source)
            }
            return .ed25519(key)
        }
    }
}

/// A DKIM key in the form swift-crypto signs with.
enum ParsedDKIMKey: Sendable {
    case rsa(_RSA.Signing.PrivateKey)
    case ed25519(Curve25519.Signing.PrivateKey)

    /// The signature over the SHA-256 of `data`: PKCS#1 v1.5 for RSA, Ed25519 of the 32-byte digest (RFC 8463).
    func sign(_ data: [UInt8]) throws -> Data {
        let digest = SHA256.hash(data: data)
        do {
            switch self {
            case .rsa(let key):
                return try key.signature(for: digest, padding: .insecurePKCS1v1_5).rawRepresentation
            case .ed25519(let key):
                return try key.signature(for: Data(digest))
            }
        } catch {
            throw DKIMError(.signingFailed)
        }
    }
}
