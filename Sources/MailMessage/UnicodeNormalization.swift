import Foundation

/// Unicode Normalization Form C for message text (UAX #15), done only when the text could need it.
enum UnicodeNormalization {
    /// `text` in NFC. Text whose every scalar is certainly NFC-stable (a "Yes" in the NFC quick check, for the ranges
    /// listed in ``isCertainlyNFC(_:)``) is returned as it is; anything else goes through Foundation.
    static func nfc(_ text: String) -> String {
        isCertainlyNFC(text) ? text : text.precomposedStringWithCanonicalMapping
    }

    /// Whether every scalar of `text` lies in a range whose NFC quick check is "Yes": below U+0300 (ASCII, Latin-1
    /// and the Latin Extended blocks, where no scalar decomposes or combines), General Punctuation from U+2002 (dashes,
    /// quotation marks, the ellipsis; U+2000 and U+2001 have singleton decompositions) and the currency signs.
    /// A "no" only means the text must be checked the slow way.
    static func isCertainlyNFC(_ text: String) -> Bool {
        var text = text
        return text.withUTF8 { bytes in
            var index = 0
            let count = bytes.count
            while index < count {
                let byte = bytes[index]
                if byte < 0x80 {
                    index += 1
                } else if byte < 0xCC {  // two-byte sequences up to U+02FF
                    index += 2
                } else if byte == 0xE2 && index + 2 < count {
                    let scalar =
                        (UInt32(byte & 0x0F) << 12) | (UInt32(bytes[index + 1] & 0x3F) << 6)
                        | UInt32(bytes[index + 2] & 0x3F)
                    guard (0x2002...0x206F).contains(scalar) || (0x20A0...0x20CF).contains(scalar) else { return false }
                    index += 3
                } else {
                    return false
                }
            }
            return true
        }
    }
}
