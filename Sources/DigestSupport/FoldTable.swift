/// What `Suggestion.foundationFold` makes of each scalar of the ranges where folding needs no context: Latin letters
/// (U+0080–U+024F) and general punctuation (U+2000–U+206F), except the format characters (the zero-width joiners
/// attach to the character before them, and folding may drop them with it). Made once, from Foundation itself, so the
/// two agree.
struct FoldTable: Sendable {
    static let shared = FoldTable()

    private static let ranges: [ClosedRange<UInt32>] = [0x80...0x24F, 0x2000...0x206F]
    /// The folded UTF-8 of each scalar of `ranges`, in order; nil for a format character.
    private let folded: [[UInt8]?]

    private init() {
        folded = Self.ranges.flatMap { range in
            range.map { value in
                Unicode.Scalar(value).flatMap { scalar in
                    scalar.properties.generalCategory == .format || scalar.properties.isGraphemeExtend
                        ? nil : Array(Suggestion.foundationFold(String(Character(scalar))).utf8)
                }
            }
        }
    }

    /// `text` folded, or nil when it holds a scalar the table does not fold.
    func fold(_ text: String) -> String? {
        var result: [UInt8] = []
        result.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            let value = scalar.value
            if value < 0x80 {
                let byte = UInt8(value)
                result.append(byte >= 0x41 && byte <= 0x5A ? byte + 0x20 : byte)
            } else if value <= 0x24F, let bytes = folded[Int(value - 0x80)] {
                result += bytes
            } else if (0x2000...0x206F).contains(value), let bytes = folded[Int(value - 0x2000) + 0x24F - 0x80 + 1] {
                result += bytes
            } else {
                return nil
            }
        }
        return String(decoding: result, as: UTF8.self)
    }
}
