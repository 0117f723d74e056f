import DigestTesting
import Foundation
import Testing

@testable import DigestSupport

@Suite("Folding")
struct FoldTableTests {
    @Test("Swedish, German, French and punctuated text folds as Foundation folds it")
    func knownWords() {
        for text in [
            "Rättvik", "ÖSTERSUND", "Ängelholm – Åre", "Straße", "Œuvre Ǆemal", "café\u{00A0}crème", "İstanbul",
            "Sista ansökningsdag\u{2028}15 mars", "ﬁnans", "e\u{0301}tude", "日本", "",
        ] {
            #expect(Suggestion.fold(text) == Suggestion.foundationFold(text), "\(text)")
        }
    }

    @Test("Random text from the table's ranges and beyond folds as Foundation folds it")
    func randomText() {
        var random = SplitMix64(seed: 14)
        let pools: [ClosedRange<UInt32>] = [0x20...0x7E, 0x80...0x24F, 0x2000...0x206F, 0x250...0x36F, 0xFB00...0xFB06]
        for _ in 0..<3000 {
            var text = ""
            for _ in 0..<Int.random(in: 0...12, using: &random) {
                let pool = pools[
                    Int.random(in: 0..<(Int.random(in: 0..<8, using: &random) == 0 ? 5 : 3), using: &random)]
                if let scalar = Unicode.Scalar(UInt32.random(in: pool, using: &random)) {
                    text.unicodeScalars.append(scalar)
                }
            }
            #expect(
                Suggestion.fold(text) == Suggestion.foundationFold(text),
                "\(text.unicodeScalars.map { String($0.value, radix: 16) })")
        }
    }
}
