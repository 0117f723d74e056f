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
        let composed =
            text.unicodeScalars.contains { $0.value >= 0x300 && $0.properties.canonicalCombiningClass != .notReordered }
            ? text.precomposedStringWithCanonicalMapping : text
        var original: [Unicode.Scalar] = []
        var lowered: [Unicode.Scalar] = []
        original.reserveCapacity(composed.utf8.count)
        lowered.reserveCapacity(composed.utf8.count)
        for scalar in composed.unicodeScalars {
            original.append(scalar)
            lowered.append(scalar.loweredForScanning)
        }
        self.original = original
        self.lowered = lowered
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
