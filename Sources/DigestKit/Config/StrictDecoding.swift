import DigestSupport
import Foundation

/// A key in an input file that no field reads; thrown by `Decoder.strictContainer(keyedBy:)` so that typos
/// such as `intrests:` are reported instead of silently ignored.
struct UnknownKeyError: Error {
    /// Where the unknown key stands.
    var codingPath: [any CodingKey]
    /// The key as written.
    var key: String
    /// The human message, with a suggestion when one is close.
    var message: String
}

/// A coding key built from any string or index, for walking containers generically.
struct AnyCodingKey: CodingKey, Hashable {
    var stringValue: String
    var intValue: Int?

    init(stringValue: String) {
        self.stringValue = stringValue
        self.intValue = nil
    }

    init(intValue: Int) {
        self.stringValue = String(intValue)
        self.intValue = intValue
    }
}

extension Decoder {
    /// A keyed container that first rejects every key that `Keys` does not name.
    func strictContainer<Keys: CodingKey & CaseIterable>(keyedBy keys: Keys.Type) throws -> KeyedDecodingContainer<Keys>
    {
        let known = Keys.allCases.map(\.stringValue)
        let all = try container(keyedBy: AnyCodingKey.self)
        for key in all.allKeys where !known.contains(key.stringValue) {
            throw UnknownKeyError(
                codingPath: codingPath + [key],
                key: key.stringValue,
                message: "unknown key '\(key.stringValue)'." + Suggestion.hint(for: key.stringValue, in: known)
            )
        }
        return try container(keyedBy: keys)
    }
}

extension KeyedDecodingContainer {
    /// Decodes a string and checks that it is one of `allowed`, with a message naming the choices.
    func decodeChoice(_ key: Key, allowed: [String]) throws -> String? {
        guard let value = try decodeIfPresent(String.self, forKey: key) else { return nil }
        guard allowed.contains(value) else {
            throw DecodingError.dataCorruptedError(
                forKey: key,
                in: self,
                debugDescription: "'\(value)' is not one of \(allowed.joined(separator: ", "))."
                    + Suggestion.hint(for: value, in: allowed)
            )
        }
        return value
    }

    /// Decodes a single string or a list of strings as a list.
    func decodeList(_ key: Key) throws -> [String] {
        if let single = try? decodeIfPresent(String.self, forKey: key) {
            return [single]
        }
        return try decodeIfPresent([String].self, forKey: key) ?? []
    }
}
