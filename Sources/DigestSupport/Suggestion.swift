import Foundation

/// Finds the closest of a set of known words to a misspelt one, for "did you mean" hints.
public enum Suggestion {
    /// The candidate nearest to `word` by edit distance (case- and diacritic-insensitive), if it is close enough
    /// to be a plausible typo.
    public static func closest(to word: String, in candidates: some Sequence<String>) -> String? {
        let needle = Array(fold(word))
        var best: (candidate: String, distance: Int)?
        for candidate in candidates {
            let distance = editDistance(needle, Array(fold(candidate)))
            if distance < (best?.distance ?? Int.max) {
                best = (candidate, distance)
            }
        }
        guard let best else { return nil }
        let limit = max(2, needle.count / 3)
        return best.distance <= limit ? best.candidate : nil
    }

    /// " Did you mean 'x'?" or the empty string.
    public static func hint(for word: String, in candidates: some Sequence<String>) -> String {
        guard let match = closest(to: word, in: candidates) else { return "" }
        return " Did you mean '\(match)'?"
    }

    /// Lower-cased, without diacritics, for comparisons that forgive "Rattvik" for "Rättvik".
    ///
    /// Text of ASCII, Latin letters (U+0080–U+024F) and general punctuation (U+2000–U+206F), which is nearly all the
    /// text digest folds, is folded scalar by scalar from a table Foundation's folding gave; other text goes through
    /// Foundation whole (its per-string cost was a tenth of collecting a large source).
    public static func fold(_ text: String) -> String {
        FoldTable.shared.fold(text) ?? foundationFold(text)
    }

    /// `text` folded by Foundation (case, diacritics and width): what `fold` agrees with.
    public static func foundationFold(_ text: String) -> String {
        text.folding(options: [.caseInsensitive, .diacriticInsensitive, .widthInsensitive], locale: nil)
    }

    private static func editDistance(_ lhs: [Character], _ rhs: [Character]) -> Int {
        if lhs.isEmpty { return rhs.count }
        if rhs.isEmpty { return lhs.count }
        var previous = Array(0...rhs.count)
        var current = [Int](repeating: 0, count: rhs.count + 1)
        for (i, left) in lhs.enumerated() {
            current[0] = i + 1
            for (j, right) in rhs.enumerated() {
                let substitution = previous[j] + (left == right ? 0 : 1)
                current[j + 1] = min(previous[j + 1] + 1, current[j] + 1, substitution)
            }
            swap(&previous, &current)
        }
        return previous[rhs.count]
    }
}
