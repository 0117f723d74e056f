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
struct DateMentionScanner {
    private enum Kind: Equatable {
        case word, number, punctuation
    }

    private struct Token {
        var kind: Kind
        var text: String
        var start: Int
        var end: Int
    }

    private let tokens: [Token]

    init(characters: [Character]) {
        var tokens: [Token] = []
        var index = 0
        while index < characters.count {
            let character = characters[index]
            if character.isWhitespace {
                index += 1
            } else if character.isNumber && character.isASCII {
                let start = index
                while index < characters.count, characters[index].isASCII, characters[index].isNumber { index += 1 }
                tokens.append(Token(kind: .number, text: String(characters[start..<index]), start: start, end: index))
            } else if character.isLetter {
                let start = index
                while index < characters.count, characters[index].isLetter { index += 1 }
                tokens.append(Token(kind: .word, text: String(characters[start..<index]), start: start, end: index))
            } else {
                tokens.append(Token(kind: .punctuation, text: String(character), start: index, end: index + 1))
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
        guard let token = token(index), token.kind == .number, digits.contains(token.text.count) else { return nil }
        return Int(token.text)
    }

    private func isPunctuation(_ index: Int, _ text: String) -> Bool {
        guard let token = token(index) else { return false }
        return token.kind == .punctuation && token.text == text
    }

    private func month(_ index: Int) -> Int? {
        guard let token = token(index), token.kind == .word else { return nil }
        return FeedDate.month(token.text)
    }

    private func year(_ index: Int) -> Int? {
        guard let value = number(index, digits: 4...4), (1990...2200).contains(value) else { return nil }
        return value
    }

    /// A date starting at token `index`, and the index of the token after it.
    private func date(at index: Int) -> (DateMention, Int)? {
        guard let first = token(index) else { return nil }
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
        // january 15, 2027
        if let month = month(index), let day = number(index + 1, digits: 1...2) {
            var cursor = index + 2
            if isPunctuation(cursor, ",") { cursor += 1 }
            let year = year(cursor)
            if year != nil { cursor += 1 } else { cursor = index + 2 }
            return (
                DateMention(start: first.start, end: tokens[cursor - 1].end, year: year, month: month, day: day), cursor
            )
        }
        return nil
    }

    /// Reads an optional time after a date; returns the index after it.
    private func time(at index: Int, into mention: inout DateMention) -> Int {
        var cursor = index
        if isPunctuation(cursor, ",") { cursor += 1 }
        var hasMarker = false
        if let word = token(cursor), word.kind == .word, ["kl", "klockan", "at"].contains(word.text) {
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
