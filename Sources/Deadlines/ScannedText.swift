import Foundation

/// A text as the deadline scanners read it: its Unicode scalars, composed (NFC) when it held combining marks, and
/// the same scalars lower-cased one for one, with no-break spaces read as spaces.
///
/// Both arrays have the same length, so an offset found in `lowered` names the same place in `original`; the
/// scanners compare scalars, never building a `String` or a `Character` per position.
struct ScannedText {
    /// The text's scalars as written.
    let original: [Unicode.Scalar]
    /// `original` lower-cased scalar by scalar (a scalar whose lower case is several scalars keeps the first), with
    /// U+00A0 as U+0020.
    let lowered: [Unicode.Scalar]

    init(_ text: String) {
        var (original, needsComposing) = Self.scalars(of: text)
        if needsComposing { original = Self.scalars(of: text.precomposedStringWithCanonicalMapping).scalars }
        self.original = original
        lowered = [Unicode.Scalar](unsafeUninitializedCapacity: original.count) { buffer, count in
            for index in original.indices { buffer[index] = original[index].loweredForScanning }
            count = original.count
        }
    }

    /// `text`'s scalars, decoded from its UTF-8 in one pass into storage allocated once, and whether one of them is a
    /// combining mark (the text then needs composing first).
    private static func scalars(of text: String) -> (scalars: [Unicode.Scalar], needsComposing: Bool) {
        var text = text
        text.makeContiguousUTF8()
        var needsComposing = false
        let scalars = text.utf8.withContiguousStorageIfAvailable { bytes in
            [Unicode.Scalar](unsafeUninitializedCapacity: bytes.count) { buffer, count in
                var index = 0
                count = 0
                while index < bytes.count {
                    let lead = UInt32(bytes[index])
                    let value: UInt32
                    // A string's UTF-8 is well formed: the lead byte gives the length.
                    if lead < 0x80 {
                        buffer[count] = Unicode.Scalar(UInt8(lead))
                        count += 1
                        index += 1
                        continue
                    } else if lead < 0xE0 {
                        value = (lead & 0x1F) << 6 | UInt32(bytes[index + 1] & 0x3F)
                        index += 2
                    } else if lead < 0xF0 {
                        value =
                            (lead & 0x0F) << 12 | UInt32(bytes[index + 1] & 0x3F) << 6 | UInt32(bytes[index + 2] & 0x3F)
                        index += 3
                    } else {
                        value =
                            (lead & 0x07) << 18 | UInt32(bytes[index + 1] & 0x3F) << 12
                            | UInt32(bytes[index + 2] & 0x3F) << 6 | UInt32(bytes[index + 3] & 0x3F)
                        index += 4
                    }
                    let scalar = Unicode.Scalar(value) ?? "\u{FFFD}"
                    if value >= 0x300, !needsComposing, scalar.properties.canonicalCombiningClass != .notReordered {
                        needsComposing = true
                    }
                    buffer[count] = scalar
                    count += 1
                }
            }
        }
        return (scalars ?? Array(text.unicodeScalars), needsComposing)
    }
}

extension Unicode.Scalar {
    /// The scalar in lower case (the first scalar of its lower-case mapping), U+00A0 as a space.
    var loweredForScanning: Unicode.Scalar {
        let value = value
        if value < 0x80 {
            return value >= 0x41 && value <= 0x5A ? Unicode.Scalar(UInt8(value + 0x20)) : self
        }
        if value < 0x100 {  // Latin-1: À–Þ but × lower-case by adding 0x20, no other scalar changes
            if value == 0xA0 { return " " }
            return value >= 0xC0 && value <= 0xDE && value != 0xD7 ? Unicode.Scalar(UInt8(value + 0x20)) : self
        }
        guard properties.changesWhenLowercased else { return self }
        return properties.lowercaseMapping.unicodeScalars.first ?? self
    }

    /// An ASCII digit, 0–9.
    var isASCIIDigit: Bool { value >= 0x30 && value <= 0x39 }

    /// A letter as `Character.isLetter` reads one (the letter categories), or a combining mark that belongs to the
    /// letter before it.
    var isWordLetter: Bool {
        let value = value
        if value < 0x80 { return (value | 0x20) >= 0x61 && (value | 0x20) <= 0x7A }
        if value < 0x100 {  // Latin-1: ª, µ, º and À–ÿ but × and ÷
            return value >= 0xC0 ? value != 0xD7 && value != 0xF7 : value == 0xAA || value == 0xB5 || value == 0xBA
        }
        switch properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter, .nonspacingMark,
            .spacingMark, .enclosingMark:
            return true
        default:
            return false
        }
    }

    /// White space as `Character.isWhitespace` reads it (the Unicode White_Space property).
    var isScanningWhitespace: Bool {
        let value = value
        if value < 0x80 { return value == 0x20 || (value >= 0x09 && value <= 0x0D) }
        if value < 0x100 { return value == 0x85 || value == 0xA0 }
        return properties.isWhitespace
    }

    /// A space or tab, not a line break: what `CharacterSet.whitespaces` holds.
    var isHorizontalSpace: Bool {
        value == 0x20 || value == 0x09 || (value >= 0x80 && properties.generalCategory == .spaceSeparator)
    }
}
