import DigestSupport
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
    public var timeZone: TimeZone {
        didSet { calendar.timeZone = timeZone }
    }
    /// Lower-case phrases that make the next date a deadline.
    public let deadlinePhrases: [String]
    /// Lower-case phrases that make the next date an opening date.
    public let openingPhrases: [String]
    /// Every phrase by kind, as scalars, made once: `classify` compares them with each window.
    private let phraseGroups: [(kind: PhraseKind, phrases: [[Unicode.Scalar]])]
    /// A calendar in `timeZone`, made once for every date the finder builds.
    private var calendar: Calendar

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

    private static let rollingPhrases: [[Unicode.Scalar]] = ["löpande", "rolling basis", "continuous", "kontinuerligt"]
        .map(scalars)

    /// A phrase's scalars, as `ScannedText.lowered` holds them.
    private static func scalars(_ phrase: String) -> [Unicode.Scalar] {
        phrase.unicodeScalars.map(\.loweredForScanning)
    }

    /// What may stand between an opening date and the deadline of a range ("1 februari–15 mars").
    private static let rangeSeparators: [[Unicode.Scalar]] = ["–", "-", "—", "till", "to", "until"].map(scalars)

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
        calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        self.deadlinePhrases = deadlinePhrases
        self.openingPhrases = openingPhrases
        phraseGroups = [
            (.deadline, deadlinePhrases.map(Self.scalars)), (.opening, openingPhrases.map(Self.scalars)),
            (.publication, Self.publicationPhrases.map(Self.scalars)), (.range, rangePhrases.map(Self.scalars)),
        ]
    }

    /// Reads `text`, HTML or plain text (text holding both `<` and `>` is read as HTML, converted with
    /// `HTMLText.plainText` first); `readBudgets: false` leaves `budgetPhrases` empty, for a caller that wants only
    /// the dates.
    public func find(in text: String, referenceDate: Date? = nil, readBudgets: Bool = true) -> DeadlineMatch {
        find(inPlainText: Self.plain(text), referenceDate: referenceDate, readBudgets: readBudgets)
    }

    /// Reads `text` as plain text, as it is: for text that is already plain, such as `HTMLText.plainText`'s output,
    /// whose links ("Läs mer <https://…>") must not be parsed as HTML again.
    public func find(inPlainText text: String, referenceDate: Date? = nil, readBudgets: Bool = true) -> DeadlineMatch {
        let (scanned, mentions) = scan(plainText: text, referenceDate: referenceDate)
        let characters = scanned.lowered

        var result = DeadlineMatch()
        var previousEnd = 0
        var previousKind: PhraseKind?
        for mention in mentions {
            var kind = classify(window(characters, from: previousEnd, to: mention.start))
            if previousKind == .range || previousKind == .opening,
                Self.isRangeSeparator(characters[previousEnd..<mention.start])
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
        if readBudgets { result.budgetPhrases = BudgetScanner.phrases(in: scanned) }
        return result
    }

    /// Whether `gap`, without the spaces and tabs around it, is a range's "–", "-", "—", "till", "to" or "until".
    private static func isRangeSeparator(_ gap: ArraySlice<Unicode.Scalar>) -> Bool {
        guard let first = gap.firstIndex(where: { !$0.isHorizontalSpace }),
            let last = gap.lastIndex(where: { !$0.isHorizontalSpace })
        else { return false }
        let separator = gap[first...last]
        return rangeSeparators.contains { $0.elementsEqual(separator) }
    }

    /// The first date `text` mentions, whatever phrase stands before it (for a value known to be a date, such as a
    /// mapped `deadline` field: "19 mars 2027", "Stängd 19 mars 2027 kl. 14.00"). A bare date means its end
    /// (23:59:59) when `endOfDay` is set, else its start; `hasTime` tells whether the text gave a time of day.
    public func firstDate(in text: String, referenceDate: Date? = nil, endOfDay: Bool) -> (date: Date, hasTime: Bool)? {
        dates(in: text, referenceDate: referenceDate, endOfDay: endOfDay).first
    }

    /// Every date `text` mentions, in text order, read as `firstDate(in:referenceDate:endOfDay:)` reads the first.
    public func dates(in text: String, referenceDate: Date? = nil, endOfDay: Bool) -> [(date: Date, hasTime: Bool)] {
        scan(plainText: Self.plain(text), referenceDate: referenceDate).mentions.compactMap { mention in
            guard let year = mention.year,
                let date = makeDate(year, mention.month, mention.day, mention.hour, mention.minute, endOfDay: endOfDay)
            else { return nil }
            return (date, mention.hour != nil)
        }
    }

    /// `text` as plain text: converted when it holds both `<` and `>`, as HTML does.
    private static func plain(_ text: String) -> String {
        text.utf8Contains(UInt8(ascii: "<")) && text.utf8Contains(UInt8(ascii: ">")) ? HTMLText.plainText(text) : text
    }

    /// Plain `text`, scanned, and the dates it mentions with their years inferred.
    private func scan(plainText text: String, referenceDate: Date?) -> (text: ScannedText, mentions: [DateMention]) {
        let scanned = ScannedText(text)
        var mentions = DateMentionScanner(lowered: scanned.lowered).scan()
        inferYears(&mentions, referenceDate: referenceDate)
        return (scanned, mentions)
    }

    private enum PhraseKind {
        case deadline, opening, publication, range
    }

    /// The text before a date on the same line, at most 60 characters, not reaching back past the previous date.
    private func window(
        _ characters: [Unicode.Scalar], from lowerBound: Int, to upperBound: Int
    ) -> ArraySlice<Unicode.Scalar> {
        var start = max(lowerBound, upperBound - 60)
        if let newline = characters[start..<upperBound].lastIndex(where: { $0 == "\n" }) { start = newline + 1 }
        return characters[start..<upperBound]
    }

    /// The kind of the phrase that ends closest to the end of `window` (the longest phrase of those ending there).
    private func classify(_ window: ArraySlice<Unicode.Scalar>) -> PhraseKind? {
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
    private func lastWordMatch(of phrase: [Unicode.Scalar], in window: ArraySlice<Unicode.Scalar>) -> Int? {
        guard let first = phrase.first, phrase.count <= window.count else { return nil }
        let endsWithLetter = phrase.last?.isWordLetter ?? false
        var start = window.endIndex - phrase.count
        while start >= window.startIndex {
            defer { start -= 1 }
            guard window[start] == first, window[start..<start + phrase.count].elementsEqual(phrase) else { continue }
            let end = start + phrase.count
            let startsWord = start == window.startIndex || !window[start - 1].isWordLetter
            let endsWord = !endsWithLetter || end == window.endIndex || !window[end].isWordLetter
            if startsWord && endsWord { return end }
        }
        return nil
    }

    private func inferYears(_ mentions: inout [DateMention], referenceDate: Date?) {
        for index in mentions.indices where mentions[index].year == nil {
            if let next = mentions[(index + 1)...].first(where: { $0.year != nil }), let year = next.year {
                mentions[index].year = mentions[index].month > next.month ? year - 1 : year
            } else if let referenceDate {
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
}
