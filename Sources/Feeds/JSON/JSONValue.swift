import Foundation

/// Any JSON value (RFC 8259), decoded leniently: numbers as `Double`, objects as dictionaries.
public enum JSONValue: Decodable, Sendable, Hashable {
    /// An object; key order is not kept.
    case object([String: JSONValue])
    /// An array, in order.
    case array([JSONValue])
    /// A string.
    case string(String)
    /// A number.
    case number(Double)
    /// `true` or `false`.
    case bool(Bool)
    /// `null`.
    case null

    /// Decodes any JSON value.
    public init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Double.self) {
            self = .number(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode([JSONValue].self) {
            self = .array(value)
        } else {
            self = .object(try container.decode([String: JSONValue].self))
        }
    }

    /// Parses a whole JSON document (RFC 8259); the error says why and where it is not JSON, in a sentence fit for a
    /// report. Nesting deeper than 512 levels is refused.
    public static func parse(_ data: Data) throws(JSONParseError) -> JSONValue {
        try JSONReader.read(data)
    }

    /// The string, if this is a string.
    public var string: String? {
        if case .string(let value) = self { return value }
        return nil
    }

    /// The elements, if this is an array.
    public var array: [JSONValue]? {
        if case .array(let value) = self { return value }
        return nil
    }

    /// The members, if this is an object.
    public var object: [String: JSONValue]? {
        if case .object(let value) = self { return value }
        return nil
    }

    /// Strings as they are, numbers without a needless ".0", booleans as true/false; nil for the rest.
    public var scalarText: String? {
        switch self {
        case .string(let value): return value
        case .number(let value):
            if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
            return String(value)
        case .bool(let value): return value ? "true" : "false"
        default: return nil
        }
    }
}

/// Why a document is not JSON.
public struct JSONParseError: Error, CustomStringConvertible, Sendable, Equatable {
    /// What is wrong, for people.
    public var message: String

    /// An error with `message`.
    public init(message: String) {
        self.message = message
    }

    /// `not valid JSON: <message>`.
    public var description: String { "not valid JSON: \(message)" }
}
