import Foundation

/// Content-Transfer-Encoding decoding for received parts (RFC 2045 §6): base64 and quoted-printable; anything else
/// is passed through.
public enum TransferDecoding {
    /// `bytes` decoded per `encoding` (`base64`, `quoted-printable`, or nil/identity).
    public static func decode(_ bytes: [UInt8], encoding: String?) -> [UInt8] {
        switch encoding {
        case "base64":
            let text = String(decoding: bytes.filter { !($0 == 10 || $0 == 13 || $0 == 32 || $0 == 9) }, as: UTF8.self)
            return Data(base64Encoded: text, options: .ignoreUnknownCharacters).map(Array.init) ?? bytes
        case "quoted-printable":
            return quotedPrintable(bytes)
        default:
            return bytes
        }
    }

    private static func quotedPrintable(_ bytes: [UInt8]) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count)
        var index = 0
        func hex(_ byte: UInt8) -> UInt8? {
            switch byte {
            case 48...57: byte - 48
            case 65...70: byte - 55
            case 97...102: byte - 87
            default: nil
            }
        }
        while index < bytes.count {
            let byte = bytes[index]
            if byte == 61 {  // "="
                if index + 1 < bytes.count, bytes[index + 1] == 10 {
                    index += 2
                    continue
                }
                if index + 2 < bytes.count, bytes[index + 1] == 13, bytes[index + 2] == 10 {
                    index += 3
                    continue
                }
                if index + 2 < bytes.count, let high = hex(bytes[index + 1]), let low = hex(bytes[index + 2]) {
                    output.append(high << 4 | low)
                    index += 3
                    continue
                }
            }
            output.append(byte)
            index += 1
        }
        return output
    }
}
