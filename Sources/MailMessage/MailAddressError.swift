/// Why a string is not an acceptable mailbox.
public struct MailAddressError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The kind of problem.
    public enum Reason: Sendable, Hashable {
        /// The input was empty or only whitespace.
        case empty
        /// The address has no `@`, or nothing before or after it.
        case missingAt
        /// The local part (before `@`) is not a dot-atom of RFC 5322 `atext`.
        case invalidLocalPart
        /// The domain is not a dot-separated list of letters, digits and hyphens.
        case invalidDomain
        /// The address contains whitespace, a control character, an angle bracket or another forbidden character.
        case forbiddenCharacter
        /// The address contains non-ASCII characters (SMTPUTF8 is not supported; use the punycode domain).
        case nonASCII
        /// The mailbox has a `<` without a matching `>`, or text after the `>`.
        case unbalancedAngleBrackets
        /// The display name opens a quote that is never closed.
        case unterminatedQuote
        /// The address is longer than RFC 5321 allows (64 octets local part, 254 in all).
        case tooLong
    }

    /// The kind of problem.
    public var reason: Reason
    /// The text that was rejected (already cut to 200 characters so it can be shown).
    public var input: String

    /// Creates an error for the given reason and rejected text.
    public init(_ reason: Reason, input: String) {
        self.reason = reason
        self.input = String(input.prefix(200))
    }

    /// A message naming the rejected text and what to change.
    public var description: String {
        let shown =
            "\"" + input.unicodeScalars.map { $0.isASCII && $0.value >= 0x20 ? String($0) : "?" }.joined() + "\""
        switch reason {
        case .empty:
            return "empty email address: give an address like name@example.se"
        case .missingAt:
            return "invalid email address \(shown): expected local-part@domain"
        case .invalidLocalPart:
            return
                "invalid email address \(shown): the part before @ may use letters, digits, dots and !#$%&'*+-/=?^_`{|}~"
        case .invalidDomain:
            return
                "invalid email address \(shown): the domain must be labels of letters, digits and hyphens separated by dots"
        case .forbiddenCharacter:
            return "invalid email address \(shown): it contains whitespace, a control character or one of <>()[],;:\\\""
        case .nonASCII:
            return
                "invalid email address \(shown): non-ASCII addresses are not supported; use the punycode (xn--) domain"
        case .unbalancedAngleBrackets:
            return "invalid mailbox \(shown): expected \"Display Name <local@domain>\" with one pair of angle brackets"
        case .unterminatedQuote:
            return "invalid mailbox \(shown): the quoted display name has no closing \""
        case .tooLong:
            return "invalid email address \(shown): longer than 64 characters before @ or 254 in all"
        }
    }
}
