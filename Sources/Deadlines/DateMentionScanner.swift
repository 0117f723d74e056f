import DigestSupport
import Feeds

/// A calendar date written in running text, as `DeadlineFinder` found it.
struct DateMention {
    /// Character offsets of the mention (date and time) in the scanned text.
    var start: Int
    var end: Int
    var year: Int?
    var month: Int
    var day: Int
    var hour: Int?
    var minute: Int?
}

/// Finds date mentions in lower-cased text: `2027-01-15`, `15 januari 2027`, `15 jan. 2027`, `january 15, 2027`,
/// `15/1 2027`, `15.01.2027`, each optionally followed by `kl. 14.00`, `klockan 14`, `at 14:00` or `14:00`.
///
/// It reads the scalars of a `ScannedText.lowered`; tokens keep offsets into them and a number's value, so no
/// string is made except for a word that may name a month.
struct DateMentionScanner {
    private enum Kind: Equatable {
        case word, number, punctuation
    }

    private struct Token {
        var kind: Kind
        var start: Int
        var end: Int
        /// A number's value (capped, for long digit runs), else 0.
        var value: Int

        var length: Int { end - start }
    }

    private let text: [Unicode.Scalar]
    private let tokens: [Token]

    init(lowered text: [Unicode.Scalar]) {
        self.text = text
        var tokens: [Token] = []
        var index = 0
        let count = text.count
        while index < count {
            let scalar = text[index]
            if scalar.isScanningWhitespace {
                index += 1
            } else if scalar.isASCIIDigit {
                let start = index
                var value = 0
                while index < count, text[index].isASCIIDigit {
                    if value < 1_000_000 { value = value * 10 + Int(text[index].value - 0x30) }
                    index += 1
                }
                tokens.append(Token(kind: .number, start: start, end: index, value: value))
            } else if scalar.isWordLetter {
                let start = index
                while index < count, text[index].isWordLetter { index += 1 }
                tokens.append(Token(kind: .word, start: start, end: index, value: 0))
            } else {
                tokens.append(Token(kind: .punctuation, start: index, end: index + 1, value: 0))
                index += 1
            }
            if tokens.count > 100_000 { break }
        }
        self.tokens = tokens
    }

    func scan() -> [DateMention] {
        var mentions: [DateMention] = []
        var index = 0
        while index < tokens.count {
            if var (mention, next) = date(at: index) {
                next = time(at: next, into: &mention)
                mentions.append(mention)
                index = next
            } else {
                index += 1
            }
        }
        return mentions
    }

    private func token(_ index: Int) -> Token? { index < tokens.count ? tokens[index] : nil }

    private func number(_ index: Int, digits: ClosedRange<Int>) -> Int? {
        guard let token = token(index), token.kind == .number, digits.contains(token.length) else { return nil }
        return token.value
    }

    private func isPunctuation(_ index: Int, _ scalar: Unicode.Scalar) -> Bool {
        guard let token = token(index) else { return false }
        return token.kind == .punctuation && text[token.start] == scalar
    }

    private func isWord(_ index: Int, _ words: [[Unicode.Scalar]]) -> Bool {
        guard let token = token(index), token.kind == .word else { return false }
        let scalars = text[token.start..<token.end]
        return words.contains { $0.elementsEqual(scalars) }
    }

    private func month(_ index: Int) -> Int? {
        guard let token = token(index), token.kind == .word, token.length <= Self.longestMonthName else { return nil }
        return FeedDate.month(String(scalars: text[token.start..<token.end]))
    }

    /// No month name is longer (the longest is "september"): a longer word is not looked up.
    private static let longestMonthName = 10

    private static let timeMarkers: [[Unicode.Scalar]] = ["kl", "klockan", "at"].map { Array($0.unicodeScalars) }

    private func year(_ index: Int) -> Int? {
        guard let value = number(index, digits: 4...4), (1990...2200).contains(value) else { return nil }
        return value
    }

    /// A date starting at token `index`, and the index of the token after it.
    private func date(at index: Int) -> (DateMention, Int)? {
        guard let first = token(index) else { return nil }
        if first.kind == .word {
            // january 15, 2027
            guard let day = number(index + 1, digits: 1...2), let month = month(index) else { return nil }
            var cursor = index + 2
            if isPunctuation(cursor, ",") { cursor += 1 }
            let year = year(cursor)
            if year != nil { cursor += 1 } else { cursor = index + 2 }
            return (
                DateMention(start: first.start, end: tokens[cursor - 1].end, year: year, month: month, day: day), cursor
            )
        }
        // 2027-01-15
        if let year = year(index), isPunctuation(index + 1, "-"), let month = number(index + 2, digits: 1...2),
            isPunctuation(index + 3, "-"), let day = number(index + 4, digits: 1...2)
        {
            return (
                DateMention(start: first.start, end: tokens[index + 4].end, year: year, month: month, day: day),
                index + 5
            )
        }
        // 15 januari 2027, 15. jan. 2027, 15 jan
        if let day = number(index, digits: 1...2) {
            var cursor = index + 1
            if isPunctuation(cursor, ".") { cursor += 1 }
            if let month = month(cursor) {
                cursor += 1
                if isPunctuation(cursor, ".") { cursor += 1 }
                let year = year(cursor)
                if year != nil { cursor += 1 }
                let end = tokens[cursor - 1].end
                return (DateMention(start: first.start, end: end, year: year, month: month, day: day), cursor)
            }
            // 15.01.2027
            if isPunctuation(index + 1, "."), let month = number(index + 2, digits: 1...2),
                isPunctuation(index + 3, "."),
                let year = year(index + 4)
            {
                return (
                    DateMention(start: first.start, end: tokens[index + 4].end, year: year, month: month, day: day),
                    index + 5
                )
            }
            // 15/1 2027, 15/1/2027
            if isPunctuation(index + 1, "/"), let month = number(index + 2, digits: 1...2) {
                cursor = index + 3
                if isPunctuation(cursor, "/") { cursor += 1 }
                let year = year(cursor)
                if year != nil { cursor += 1 } else if isPunctuation(index + 3, "/") { return nil }
                return (
                    DateMention(start: first.start, end: tokens[cursor - 1].end, year: year, month: month, day: day),
                    cursor
                )
            }
        }
        return nil
    }

    /// Reads an optional time after a date; returns the index after it.
    private func time(at index: Int, into mention: inout DateMention) -> Int {
        var cursor = index
        if isPunctuation(cursor, ",") { cursor += 1 }
        var hasMarker = false
        if isWord(cursor, Self.timeMarkers) {
            hasMarker = true
            cursor += 1
            if isPunctuation(cursor, ".") { cursor += 1 }
        }
        guard let hour = number(cursor, digits: 1...2), hour <= 23 else { return index }
        var minute = 0
        var end = cursor + 1
        if isPunctuation(cursor + 1, ":") || (isPunctuation(cursor + 1, ".") && hasMarker),
            let value = number(cursor + 2, digits: 2...2), value < 60
        {
            minute = value
            end = cursor + 3
        } else if !hasMarker {
            return index
        }
        mention.hour = hour
        mention.minute = minute
        mention.end = tokens[end - 1].end
        return end
    }
}
