/// Checks that bytes are well-formed UTF-8 without making a string of them.
public enum UTF8Validation {
    /// Whether `bytes` are well-formed UTF-8 (RFC 3629, Unicode table 3-7: no overlong form, no surrogate, nothing
    /// beyond U+10FFFF), as `String(validating:as:)` judges them; ASCII runs are read eight bytes at a time, and
    /// nothing is allocated (a validating string initialiser copies the whole input first).
    public static func isValid(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let base = bytes.baseAddress else { return true }
        let count = bytes.count
        var index = 0
        while index < count {
            while index + 8 <= count,
                UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self) & 0x8080_8080_8080_8080 == 0
            {
                index += 8
            }
            guard index < count else { return true }
            let lead = base[index]
            if lead < 0x80 {
                index += 1
                continue
            }
            // The range of the second byte depends on the lead byte; the others are 0x80...0xBF.
            let length: Int
            var low: UInt8 = 0x80
            var high: UInt8 = 0xBF
            switch lead {
            case 0xC2...0xDF: length = 2
            case 0xE0:
                length = 3
                low = 0xA0
            case 0xE1...0xEC, 0xEE...0xEF: length = 3
            case 0xED:
                length = 3
                high = 0x9F
            case 0xF0:
                length = 4
                low = 0x90
            case 0xF1...0xF3: length = 4
            case 0xF4:
                length = 4
                high = 0x8F
            default: return false
            }
            guard index + length <= count, (low...high).contains(base[index + 1]) else { return false }
            for offset in 2..<length where !(0x80...0xBF).contains(base[index + offset]) { return false }
            index += length
        }
        return true
    }

    /// ``isValid(_:)`` for an array.
    public static func isValid(_ bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBufferPointer { isValid($0) }
    }
}
