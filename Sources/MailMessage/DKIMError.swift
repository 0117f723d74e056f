/// Why a DKIM key could not be loaded or a message could not be signed. Messages never contain key material.
public struct DKIMError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The kind of problem.
    public enum Reason: Sendable, Hashable {
        /// The key file could not be read: `why` says it is missing, not readable, or too large.
        case unreadableKeyFile(why: String)
        /// The key file is neither a PEM RSA/Ed25519 private key nor base64 of 32 raw Ed25519 bytes.
        case unrecognizedKeyFormat
        /// The key is an encrypted PEM or an OpenSSH key, which cannot be used directly.
        case unsupportedKeyFormat(String)
        /// The RSA key could not be parsed.
        case invalidRSAKey
        /// The RSA key is shorter than 1024 bits (RFC 8301); the value is the size found.
        case rsaKeyTooSmall(Int)
        /// The Ed25519 key is not 32 bytes; the value is the length found.
        case invalidEd25519Key(Int)
        /// The message has a bare CR or LF; the value is the 1-based line number.
        case bareLineBreak(line: Int)
        /// The message has no From header field, which DKIM must sign (RFC 6376 §5.4).
        case missingFrom
        /// The d= domain or s= selector is not a valid domain name; the value is the offending text.
        case invalidDomainOrSelector(String)
        /// The crypto library failed to sign.
        case signingFailed
    }

    /// The kind of problem.
    public var reason: Reason
    /// Where it applies: the key file path, or `nil` when signing a message.
    public var source: String?

    /// Creates an error for the given reason and source.
    public init(_ reason: Reason, source: String? = nil) {
        self.reason = reason
        self.source = source
    }

    /// A message naming the file or the problem and what to do.
    public var description: String {
        let prefix = source.map { "\($0): " } ?? ""
        switch reason {
        case .unreadableKeyFile(let why):
            return prefix + "cannot read the DKIM key file (\(why)); check the path and its permissions"
        case .unrecognizedKeyFormat:
            return prefix
                + "not a DKIM private key: expected a PEM RSA key (PKCS#1 or PKCS#8), a PEM PKCS#8 Ed25519 key, "
                + "or the base64 of the 32 raw Ed25519 private-key bytes"
        case .unsupportedKeyFormat(let kind):
            return prefix + "\(kind) keys are not supported; convert with `openssl pkey -in KEY -out key.pem`"
        case .invalidRSAKey:
            return prefix + "the private key could not be parsed as RSA (EC and other key types are not supported)"
        case .rsaKeyTooSmall(let bits):
            return prefix + "the RSA key has \(bits) bits; DKIM needs at least 1024 (2048 recommended)"
        case .invalidEd25519Key(let count):
            return prefix + "an Ed25519 private key must be 32 bytes, found \(count)"
        case .bareLineBreak(let line):
            return prefix + "line \(line) of the message ends in a bare CR or LF; DKIM signs CRLF messages only"
        case .missingFrom:
            return prefix + "the message has no From header field, which DKIM must sign"
        case .invalidDomainOrSelector(let value):
            return prefix + "\"\(value)\" is not a valid DKIM domain or selector (letters, digits, hyphens, dots)"
        case .signingFailed:
            return prefix + "the crypto library failed to produce a DKIM signature"
        }
    }
}
