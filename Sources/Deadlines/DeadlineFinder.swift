import Feeds
import Foundation

/// Finds application deadlines, opening dates and budgets in Swedish or English funding-call text.
///
/// It reads only the text it is given, so a publication date (`pubDate`) can never become a deadline; a date is a
/// deadline only when a deadline phrase ("Sista ansökningsdag", "Ansök senast", "Stänger", "t.o.m.", "Deadline",
/// "Closes" …) stands shortly before it on the same line, and a date after a publication phrase ("Publicerad",
/// "Published") is ignored. Dates may be ISO (`2027-01-15`), "15 januari 2027", "15 Jan 2027", "January 15, 2027",
/// "15/1 2027" or "15.01.2027", with an optional time ("kl. 14.00", "14:00"). A date without a year takes the year of the next dated
/// mention ("1 februari–15 mars 2027"), else the first such date on or after `referenceDate`.
public struct DeadlineFinder: Sendable {
    /// The zone the dates in the text are in (for Swedish sources, Europe/Stockholm).
    public var timeZone: TimeZone
    /// Lower-case phrases that make the next date a deadline.
    public let deadlinePhrases: [String]
    /// Lower-case phrases that make the next date an opening date.
    public let openingPhrases: [String]
    /// Every phrase by kind, as characters, made once: `classify` compares them with each window.
    private let phraseGroups: [(kind: PhraseKind, phrases: [[Character]])]

    /// The built-in deadline phrases.
    public static let defaultDeadlinePhrases = [
        "sista ansökningsdag", "sista ansökningsdagen", "sista dag att ansöka", "sista dag för ansökan",
        "sista dagen att söka", "sista dag", "ansök senast", "ansökan senast", "senast", "stänger", "stängs",
        "stängd", "stängde", "ansökningstiden går ut", "t.o.m.", "t.o.m", "tom.", "till och med", "deadline",
        "closing date", "closes", "closed", "close", "apply by", "due",
    ]

    /// The built-in opening phrases.
    public static let defaultOpeningPhrases = [
        "öppnar", "öppnas", "öppen från", "öppen fr.o.m.", "öppningsdatum", "planerar att öppna", "fr.o.m.",
        "från och med", "opens", "opening date", "open from",
    ]

    private static let publicationPhrases = [
        "publicerad", "publicerat", "publiceringsdatum", "uppdaterad", "uppdaterat", "published", "updated", "posted",
        "postad",
    ]

    /// The words that, as a field's whole value ("Löpande", "rolling"), mean applications are taken continuously.
    public static let rollingWords = ["löpande", "rolling", "continuous", "kontinuerligt"]

    /// Whether `value` (a deadline field, not free text) says applications are taken continuously.
    public static func isRolling(_ value: String) -> Bool {
        let lowered = value.lowercased()
        return rollingWords.contains { lowered.contains($0) }
    }

    private static let rollingPhrases: [[Character]] = ["löpande", "rolling basis", "continuous", "kontinuerligt"].map(
        Array.init)

    private static let rangePhrases = ["ansökningsperiod", "ansökningsperioden", "application period", "öppen", "open"]

    /// The phrases that make the next date the last day to register for an event.
    public static let registrationPhrases = [
        "anmäl dig senast", "anmäl er senast", "anmäl senast", "anmälan senast", "anmälan görs senast",
        "sista anmälningsdag", "sista anmälningsdagen", "sista dag för anmälan", "sista dag att anmäla",
        "anmälan stänger", "osa senast", "register by", "registration deadline", "registration closes",
        "sign up by", "rsvp by",
    ]

    /// A finder of registration deadlines in event text ("Anmäl dig senast 4 december", "Sista anmälningsdag",
    /// "Register by …"): its `deadline` is the last day to register; application phrases are not read.
    public static func registration(timeZone: TimeZone) -> DeadlineFinder {
        DeadlineFinder(timeZone: timeZone, deadlinePhrases: registrationPhrases, openingPhrases: [], rangePhrases: [])
    }

    /// Creates a finder for text in `timeZone`; `extraDeadlinePhrases` and `extraOpeningPhrases` (any case) add a
    /// source's own wording to the built-in phrases.
    public init(timeZone: TimeZone, extraDeadlinePhrases: [String] = [], extraOpeningPhrases: [String] = []) {
        let clean = { (phrases: [String]) in phrases.map { $0.lowercased().trimmedWhitespace }.filter { !$0.isEmpty } }
        self.init(
            timeZone: timeZone,
            deadlinePhrases: Self.defaultDeadlinePhrases + clean(extraDeadlinePhrases),
            openingPhrases: Self.defaultOpeningPhrases + clean(extraOpeningPhrases),
            rangePhrases: Self.rangePhrases)
    }

    private init(timeZone: TimeZone, deadlinePhrases: [String], openingPhrases: [String], rangePhrases: [String]) {
        self.timeZone = timeZone
        self.deadlinePhrases = deadlinePhrases
        self.openingPhrases = openingPhrases
        phraseGroups = [
            (.deadline, deadlinePhrases.map(Array.init)), (.opening, openingPhrases.map(Array.init)),
            (.publication, Self.publicationPhrases.map(Array.init)), (.range, rangePhrases.map(Array.init)),
        ]
    }

    /// Reads `text` (plain text; HTML is converted with `HTMLText.plainText` first); `readBudgets: false` leaves
    /// `budgetPhrases` empty, for a caller that wants only the dates.
    public func find(in text: String, referenceDate: Date? = nil, readBudgets: Bool = true) -> DeadlineMatch {
        let (plain, characters, mentions) = scan(text, referenceDate: referenceDate)

        var result = DeadlineMatch()
        var previousEnd = 0
        var previousKind: PhraseKind?
        for mention in mentions {
            let gap = String(characters[previousEnd..<mention.start])
            var kind = classify(window(characters, from: previousEnd, to: mention.start))
            let separator = gap.trimmingCharacters(in: .whitespaces)
            if ["–", "-", "—", "till", "to", "until"].contains(separator),
                previousKind == .range || previousKind == .opening
            {
                kind = .deadline
            }
            previousEnd = mention.end
            previousKind = kind
            guard let year = mention.year else { continue }
            switch kind {
            case .deadline:
                guard
                    let date = makeDate(year, mention.month, mention.day, mention.hour, mention.minute, endOfDay: true)
                else { continue }
                if result.deadline == nil {
                    result.deadline = date
                    result.deadlineHasTime = mention.hour != nil
                }
                result.allDeadlines.append(date)
            case .opening, .range:
                if result.opens == nil {
                    result.opens = makeDate(
                        year, mention.month, mention.day, mention.hour, mention.minute, endOfDay: false)
                }
                if kind == .range { previousKind = .range }
            case .publication, nil:
                continue
            }
        }
        result.isRolling = Self.rollingPhrases.contains { phrase in
            characters.indices.contains { start in
                characters[start] == phrase[0] && characters[start...].starts(with: phrase)
            }
        }
        if readBudgets { result.budgetPhrases = Self.budgetPhrases(in: plain) }
        return result
    }

    /// The first date `text` mentions, whatever phrase stands before it (for a value known to be a date, such as a
    /// mapped `deadline` field: "19 mars 2027", "Stängd 19 mars 2027 kl. 14.00"). A bare date means its end
    /// (23:59:59) when `endOfDay` is set, else its start; `hasTime` tells whether the text gave a time of day.
    public func firstDate(in text: String, referenceDate: Date? = nil, endOfDay: Bool) -> (date: Date, hasTime: Bool)? {
        dates(in: text, referenceDate: referenceDate, endOfDay: endOfDay).first
    }

    /// Every date `text` mentions, in text order, read as `firstDate(in:referenceDate:endOfDay:)` reads the first.
    public func dates(in text: String, referenceDate: Date? = nil, endOfDay: Bool) -> [(date: Date, hasTime: Bool)] {
        scan(text, referenceDate: referenceDate).mentions.compactMap { mention in
            guard let year = mention.year,
                let date = makeDate(year, mention.month, mention.day, mention.hour, mention.minute, endOfDay: endOfDay)
            else { return nil }
            return (date, mention.hour != nil)
        }
    }

    /// `text` as plain text, its lower-cased characters, and the dates it mentions with their years inferred.
    private func scan(
        _ text: String, referenceDate: Date?
    ) -> (plain: String, characters: [Character], mentions: [DateMention]) {
        let plain =
            text.utf8.contains(UInt8(ascii: "<")) && text.utf8.contains(UInt8(ascii: ">"))
            ? HTMLText.plainText(text) : text
        let characters = Array(plain.lowercased().replacingOccurrences(of: "\u{00A0}", with: " "))
        var mentions = DateMentionScanner(characters: characters).scan()
        inferYears(&mentions, referenceDate: referenceDate)
        return (plain, characters, mentions)
    }

    private enum PhraseKind {
        case deadline, opening, publication, range
    }

    /// The text before a date on the same line, at most 60 characters, not reaching back past the previous date.
    private func window(
        _ characters: [Character], from lowerBound: Int, to upperBound: Int
    ) -> ArraySlice<Character> {
        var start = max(lowerBound, upperBound - 60)
        if let newline = characters[start..<upperBound].lastIndex(where: { $0 == "\n" }) { start = newline + 1 }
        return characters[start..<upperBound]
    }

    /// The kind of the phrase that ends closest to the end of `window` (the longest phrase of those ending there).
    private func classify(_ window: ArraySlice<Character>) -> PhraseKind? {
        var best: (end: Int, length: Int, kind: PhraseKind)?
        for (kind, phrases) in phraseGroups {
            for phrase in phrases {
                guard let end = lastWordMatch(of: phrase, in: window) else { continue }
                if best == nil || end > best!.end || (end == best!.end && phrase.count > best!.length) {
                    best = (end, phrase.count, kind)
                }
            }
        }
        return best?.kind
    }

    /// Where the last match of `phrase` in `window` that is a whole word (or words) ends.
    private func lastWordMatch(of phrase: [Character], in window: ArraySlice<Character>) -> Int? {
        guard let first = phrase.first, phrase.count <= window.count else { return nil }
        let endsWithLetter = phrase.last?.isLetter ?? false
        var start = window.endIndex - phrase.count
        while start >= window.startIndex {
            defer { start -= 1 }
            guard window[start] == first, window[start..<start + phrase.count].elementsEqual(phrase) else { continue }
            let end = start + phrase.count
            let startsWord = start == window.startIndex || !window[start - 1].isLetter
            let endsWord = !endsWithLetter || end == window.endIndex || !window[end].isLetter
            if startsWord && endsWord { return end }
        }
        return nil
    }

    private func inferYears(_ mentions: inout [DateMention], referenceDate: Date?) {
        for index in mentions.indices where mentions[index].year == nil {
            if let next = mentions[(index + 1)...].first(where: { $0.year != nil }), let year = next.year {
                mentions[index].year = mentions[index].month > next.month ? year - 1 : year
            } else if let referenceDate {
                var calendar = Calendar(identifier: .gregorian)
                calendar.timeZone = timeZone
                let parts = calendar.dateComponents([.year, .month, .day], from: referenceDate)
                guard let year = parts.year, let month = parts.month, let day = parts.day else { continue }
                let isBefore = (mentions[index].month, mentions[index].day) < (month, day)
                mentions[index].year = isBefore ? year + 1 : year
            }
        }
    }

    private func makeDate(_ year: Int, _ month: Int, _ day: Int, _ hour: Int?, _ minute: Int?, endOfDay: Bool) -> Date?
    {
        guard (1...12).contains(month), day >= 1, day <= FeedDate.daysInMonth(year: year, month: month) else {
            return nil
        }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        var components = DateComponents(year: year, month: month, day: day)
        if let hour {
            components.hour = hour
            components.minute = minute ?? 0
            components.second = 0
        } else {
            components.hour = endOfDay ? 23 : 0
            components.minute = endOfDay ? 59 : 0
            components.second = endOfDay ? 59 : 0
        }
        return calendar.date(from: components)
    }

    /// The budget pattern, compiled once: compiling it took a quarter of reading a JSON source of 5,000 calls.
    private static let budgetExpression: NSRegularExpression? = {
        let pattern =
            "(?:(?:upp till|högst|maximalt|max\\.?|totalt|cirka|ca\\.?|up to|budget(?:en)?(?: för utlysningen)?(?: är)?:?)\\s*)?"
            + "\\d{1,3}(?:[ \\u00A0.]\\d{3})*(?:,\\d+)?\\s*"
            + "(?:mkr|msek|mnkr|tkr|miljoner kronor|miljoner euro|miljoner|miljon kronor|miljon|miljarder kronor|kronor|"
            + "kr|sek|meur|euro|eur|million euro|million eur|million sek|million|€)(?![\\p{L}])"
        return try? NSRegularExpression(pattern: pattern, options: [.caseInsensitive])
    }()

    private static func budgetPhrases(in text: String) -> [String] {
        guard let expression = budgetExpression else { return [] }
        let nsText = text as NSString
        var phrases: [String] = []
        for match in expression.matches(in: text, range: NSRange(location: 0, length: nsText.length)) {
            let phrase = nsText.substring(with: match.range).trimmedWhitespace
            if !phrases.contains(phrase) { phrases.append(phrase) }
        }
        return phrases
    }
}
