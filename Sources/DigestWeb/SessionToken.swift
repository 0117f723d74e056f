/// The secret of one server session, put into every form and required on every POST (against cross-site requests).
public struct SessionToken: Sendable, Hashable {
    /// The token as 64 hex digits.
    public let value: String

    /// A fresh token of 256 random bits from the system's generator.
    public init() {
        var generator = SystemRandomNumberGenerator()
        var text = ""
        for _ in 0..<4 {
            let word = generator.next() as UInt64
            let hex = String(word, radix: 16)
            text += String(repeating: "0", count: 16 - hex.count) + hex
        }
        self.value = text
    }

    /// Whether `candidate` is this token, compared in time independent of where they differ.
    public func matches(_ candidate: String?) -> Bool {
        let given = Array((candidate ?? "").utf8)
        let expected = Array(value.utf8)
        guard given.count == expected.count else { return false }
        var difference: UInt8 = 0
        for index in expected.indices { difference |= given[index] ^ expected[index] }
        return difference == 0
    }
}
