import Foundation

/// The fields of an `application/x-www-form-urlencoded` body, as browsers and RFC 8058 one-click clients send them.
public struct FormBody: Sendable, Hashable {
    /// One `name=value` field.
    public struct Field: Sendable, Hashable {
        /// The decoded name.
        public var name: String
        /// The decoded value.
        public var value: String
    }

    /// Every field in order; a name may repeat (checkboxes).
    public var all: [Field]

    /// Parses `text`: `+` is a space, `%XX` escapes are UTF-8 bytes; malformed escapes are kept as written, never
    /// rejected.
    public init(_ text: String) {
        all = text.split(separator: "&", omittingEmptySubsequences: true).map { pair in
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            return Field(name: Self.decode(parts[0]), value: parts.count > 1 ? Self.decode(parts[1]) : "")
        }
    }

    /// The fields by name, the first value of a repeated name.
    public var fields: [String: String] {
        var fields: [String: String] = [:]
        for field in all where fields[field.name] == nil { fields[field.name] = field.value }
        return fields
    }

    /// The first value of `name`, if present.
    public subscript(name: String) -> String? {
        all.first { $0.name == name }?.value
    }

    /// Every value of `name`, in order.
    public func values(_ name: String) -> [String] {
        all.filter { $0.name == name }.map(\.value)
    }

    static func decode(_ text: Substring) -> String {
        var bytes: [UInt8] = []
        let source = Array(text.utf8)
        var index = 0
        while index < source.count {
            let byte = source[index]
            if byte == UInt8(ascii: "+") {
                bytes.append(UInt8(ascii: " "))
            } else if byte == UInt8(ascii: "%"), index + 2 < source.count,
                let high = hex(source[index + 1]), let low = hex(source[index + 2])
            {
                bytes.append(high << 4 | low)
                index += 2
            } else {
                bytes.append(byte)
            }
            index += 1
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func hex(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
