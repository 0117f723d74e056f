import DigestSupport
import Feeds

/// Finds budget phrases as written ("upp till 2 mkr", "Budget: 10 miljoner kronor", "totalt 1,5 MSEK"), in text
/// order and each once.
///
/// A phrase is an optional lead-in (`upp till`, `högst`, `maximalt`, `max.`, `totalt`, `cirka`, `ca.`, `up to`,
/// `budget`, `budgeten för utlysningen är:` …), an amount (`500 000`, `1.500.000`, `1,5`) and a unit (`mkr`, `msek`,
/// `tkr`, `kr`, `miljoner kronor`, `euro`, `€` …) not followed by a letter, case-insensitive. It reads exactly what
/// the regular expression
/// `(?:(?:upp till|högst|maximalt|max\.?|totalt|cirka|ca\.?|up to|budget(?:en)?(?: för utlysningen)?(?: är)?:?)\s*)?`
/// `\d{1,3}(?:[ \u00A0.]\d{3})*(?:,\d+)?\s*(?:mkr|msek|…|€)(?![\p{L}])` finds, leftmost first, with the same
/// backtracking, in one pass over the scalars instead of a regular-expression engine started at every position.
enum BudgetScanner {
    /// The lead-ins by their first scalar (an ASCII letter), each group in the pattern's order of alternatives
    /// (lead-ins with different first scalars never both match); `dotted` marks one that may end with a dot ("max.",
    /// "ca."). `budget…` is read apart.
    private static let leadIns: [[LeadIn]] = {
        var table = Array(repeating: [LeadIn](), count: 128)
        for (text, dotted) in [
            ("upp till", false), ("högst", false), ("maximalt", false), ("max", true), ("totalt", false),
            ("cirka", false), ("ca", true), ("up to", false),
        ] {
            let literal = Array(text.unicodeScalars)
            table[Int(literal[0].value)].append(LeadIn(literal: literal, dotted: dotted))
        }
        return table
    }()

    /// A lead-in's lower-case scalars, and whether a dot may end it. (A struct, not a tuple: the runtime looked a
    /// tuple's type up on every pass over the table.)
    private struct LeadIn {
        let literal: [Unicode.Scalar]
        let dotted: Bool
    }

    /// The most scalars a lead-in takes: "budgeten för utlysningen är:".
    private static let longestLeadIn = budget.count + budgetSuffixes.map(\.count).reduce(0, +) + 1

    /// Whether `initial` is the first scalar of a lead-in, "budget" too: most letters start none, and are passed
    /// over at once.
    private static func startsALeadIn(_ initial: Unicode.Scalar) -> Bool {
        switch initial {
        case "u", "h", "m", "t", "c", "b": true
        default: false
        }
    }

    private static let budget = Array("budget".unicodeScalars)
    private static let budgetSuffixes: [[Unicode.Scalar]] = ["en", " för utlysningen", " är"].map {
        Array($0.unicodeScalars)
    }

    /// The units, in the pattern's order of alternatives (a longer unit before the shorter one it starts with).
    private static let units: [[Unicode.Scalar]] = [
        "mkr", "msek", "mnkr", "tkr", "miljoner kronor", "miljoner euro", "miljoner", "miljon kronor", "miljon",
        "miljarder kronor", "kronor", "kr", "sek", "meur", "euro", "eur", "million euro", "million eur",
        "million sek", "million", "€",
    ].map { Array($0.unicodeScalars) }

    /// Whether each ASCII scalar is the first scalar of a unit (a table, not a set: no hashing per number).
    private static let asciiUnitInitials: [Bool] = (0..<128).map { value in
        units.contains { $0.first?.value == UInt32(value) }
    }

    /// The first scalars of the units that are not ASCII ("€").
    private static let otherUnitInitials = units.compactMap(\.first).filter { !$0.isASCII }

    /// Whether a unit starts with `scalar`.
    private static func startsAUnit(_ scalar: Unicode.Scalar) -> Bool {
        scalar.isASCII ? asciiUnitInitials[Int(scalar.value)] : otherUnitInitials.contains(scalar)
    }

    /// The budget phrases of `text`, trimmed of white space, each once.
    static func phrases(in text: ScannedText) -> [String] {
        return text.original.withUnsafeBufferPointer { scalars in
            text.lowered.withUnsafeBufferPointer { lowered in
                var phrases: [String] = []
                var start = 0
                var digit = 0  // the first digit at or after `start`
                while start < scalars.count {
                    // A phrase holds a digit, at most `longestLeadIn` scalars and white space after its start:
                    // the positions further before the next digit start none, and are skipped.
                    digit = max(digit, start)
                    while digit < scalars.count, !scalars[digit].isDecimalDigit { digit += 1 }
                    guard digit < scalars.count else { break }
                    var space = digit
                    while space > start, scalars[space - 1].isPatternSpace { space -= 1 }
                    if start < space - longestLeadIn {
                        start = space - longestLeadIn
                        continue
                    }
                    guard let end = match(scalars, lowered: lowered, at: start) else {
                        start += 1
                        continue
                    }
                    let phrase = String(scalars: scalars[start..<end]).trimmedWhitespace
                    if !phrases.contains(phrase) { phrases.append(phrase) }
                    start = end
                }
                return phrases
            }
        }
    }

    /// The end of the phrase that starts at `start`, if one does.
    private static func match(
        _ text: UnsafeBufferPointer<Unicode.Scalar>, lowered: UnsafeBufferPointer<Unicode.Scalar>, at start: Int
    ) -> Int? {
        let first = text[start]
        if first.isDecimalDigit { return amountAndUnit(text, at: start) }
        let initial = lowered[start]
        guard startsALeadIn(initial), let leadIn = leadInEnd(text, initial: initial, at: start) else {
            return nil
        }
        var cursor = leadIn
        while cursor < text.count, text[cursor].isPatternSpace { cursor += 1 }
        return amountAndUnit(text, at: cursor)
    }

    /// Where the first lead-in that matches at `start` ends. No other lead-in can lead to a match where the first
    /// did not: each shorter alternative leaves a letter, a dot or a colon before the amount.
    private static func leadInEnd(
        _ text: UnsafeBufferPointer<Unicode.Scalar>, initial: Unicode.Scalar, at start: Int
    ) -> Int? {
        if initial == "b" { return budgetLeadInEnd(text, at: start) }
        guard initial.value < 128 else { return nil }
        for leadIn in leadIns[Int(initial.value)] where matches(text, at: start, leadIn.literal) {
            let end = start + leadIn.literal.count
            return leadIn.dotted && end < text.count && text[end] == "." ? end + 1 : end
        }
        return nil
    }

    /// Where `budget(?:en)?(?: för utlysningen)?(?: är)?:?` ends at `start`, if it starts there.
    private static func budgetLeadInEnd(_ text: UnsafeBufferPointer<Unicode.Scalar>, at start: Int) -> Int? {
        guard matches(text, at: start, budget) else { return nil }
        var end = start + budget.count
        for suffix in budgetSuffixes where matches(text, at: end, suffix) { end += suffix.count }
        return end < text.count && text[end] == ":" ? end + 1 : end
    }

    /// The end of an amount and its unit starting at `start`, trying the amount's readings in the pattern's
    /// backtracking order (the longest first).
    private static func amountAndUnit(_ text: UnsafeBufferPointer<Unicode.Scalar>, at start: Int) -> Int? {
        var digits = 0
        while start + digits < text.count, digits < 3, text[start + digits].isDecimalDigit { digits += 1 }
        while digits >= 1 {
            defer { digits -= 1 }
            // The groups of three: every count from the most that follow down to none.
            var groups = 0
            while groupOfThree(text, at: start + digits + 4 * groups) { groups += 1 }
            for count in stride(from: groups, through: 0, by: -1) {
                let amountEnd = start + digits + 4 * count
                // The decimals: the most digits after a comma first, down to one, then none.
                if amountEnd + 1 < text.count, text[amountEnd] == ",", text[amountEnd + 1].isDecimalDigit {
                    var decimalsEnd = amountEnd + 1
                    while decimalsEnd < text.count, text[decimalsEnd].isDecimalDigit { decimalsEnd += 1 }
                    for end in stride(from: decimalsEnd, through: amountEnd + 2, by: -1) {
                        if let unitEnd = unit(text, at: end) { return unitEnd }
                    }
                }
                if let unitEnd = unit(text, at: amountEnd) { return unitEnd }
            }
        }
        return nil
    }

    /// Whether `[ \u00A0.]\d{3}` stands at `start`.
    private static func groupOfThree(_ text: UnsafeBufferPointer<Unicode.Scalar>, at start: Int) -> Bool {
        start + 3 < text.count && text[start].isGroupSeparator && text[start + 1].isDecimalDigit
            && text[start + 2].isDecimalDigit && text[start + 3].isDecimalDigit
    }

    /// The end of the first unit, after optional white space, at `start` that no letter follows.
    private static func unit(_ text: UnsafeBufferPointer<Unicode.Scalar>, at start: Int) -> Int? {
        var cursor = start
        while cursor < text.count, text[cursor].isPatternSpace { cursor += 1 }
        // Most numbers (years, days, counts) have no unit after them: a scalar no unit starts with settles it.
        guard cursor < text.count, startsAUnit(text[cursor].caseFolded) else { return nil }
        for unit in units where matches(text, at: cursor, unit) {
            let end = cursor + unit.count
            if end == text.count || !text[end].isLetterCategory { return end }
        }
        return nil
    }

    /// Whether `text` at `start` reads `literal` (lower case), ignoring case.
    private static func matches(_ text: UnsafeBufferPointer<Unicode.Scalar>, at start: Int, _ literal: [Unicode.Scalar])
        -> Bool
    {
        guard start + literal.count <= text.count else { return false }
        for (offset, expected) in literal.enumerated() {
            let scalar = text[start + offset]
            if scalar != expected && scalar.caseFolded != expected { return false }
        }
        return true
    }
}

extension Unicode.Scalar {
    /// `\d`: a decimal digit of any script.
    fileprivate var isDecimalDigit: Bool {
        value < 0x660 ? isASCIIDigit : properties.generalCategory == .decimalNumber  // U+0660: the first past ASCII
    }

    /// `\s` as ICU reads it: tab, line feed, form feed, carriage return and the separators (`\p{Z}`).
    fileprivate var isPatternSpace: Bool {
        let value = value
        if value < 0x80 { return value == 0x20 || value == 0x09 || value == 0x0A || value == 0x0C || value == 0x0D }
        if value < 0x1680 { return value == 0xA0 }  // the only separator between ASCII and U+1680
        switch properties.generalCategory {
        case .spaceSeparator, .lineSeparator, .paragraphSeparator: return true
        default: return false
        }
    }

    /// `[ \u00A0.]`, between groups of three digits.
    fileprivate var isGroupSeparator: Bool { self == " " || self == "\u{A0}" || self == "." }

    /// `\p{L}`: a letter of any script.
    fileprivate var isLetterCategory: Bool {
        let value = value
        if value < 0x80 { return (value | 0x20) >= 0x61 && (value | 0x20) <= 0x7A }
        switch properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter: return true
        default: return false
        }
    }

    /// The scalar in lower case, for comparing with a lower-case literal: as `loweredForScanning`, but a no-break
    /// space stays one (the pattern's literal spaces do not match it).
    fileprivate var caseFolded: Unicode.Scalar {
        self == "\u{A0}" ? self : loweredForScanning
    }
}
