import Foundation
import Yams

/// The fixed words of one language — headings, labels, weekday and month names — read from
/// `templates/strings/<language>.yaml`, so that translators and editors change wording without touching code.
public struct Strings: Sendable {
    /// The language these strings are in.
    public var language: Language
    /// Every plain string by key, as templates see them under `t`.
    public var values: [String: String]
    /// Weekday names, Monday first.
    public var weekdays: [String]
    /// Month names, January first.
    public var months: [String]

    /// The keys every strings file must define.
    static let requiredKeys = [
        "week", "newFundingHeading", "closingSoonHeading", "eventsHeading", "changedHeading", "deadline", "noDeadline",
        "online", "whyPrefix", "readMore", "timePrefix", "timeSeparator", "daysLeftOne", "daysLeftMany", "lastDay",
        "newFundingOne", "newFundingMany", "eventsOne", "eventsMany", "closingSoonOne", "closingSoonMany",
        "changedOne", "changedMany", "nothingNew", "followsEverything", "moved", "cancelled", "greeting",
        "greetingAnonymous", "unsubscribe", "preferences", "footerWhy", "organizer", "funder", "opens", "budget",
        "location", "andMore", "editorNoteHeading", "calendarAttachment", "intro", "keywordQuote",
        "pageNotFound", "unsubscribeTitle", "unsubscribeQuestion", "unsubscribeButton", "unsubscribeDone",
        "preferencesTitle", "preferencesIntro", "preferencesTopics", "preferencesRegions", "preferencesKinds",
        "preferencesKeywords", "preferencesSave", "preferencesSaved", "kindEvent", "kindFunding", "tooManyRequests",
        "deadlineAt", "rollingDeadline", "moreRounds", "otherDeadline", "alsoFrom", "listAnd", "new", "newEventsOne",
        "newEventsMany", "deadlineChanged", "noDate", "alsoListed", "registrationBy", "registrationSoon",
        "registrationClosed", "opensSoonHeading", "addToCalendar", "withdrawn", "withdrawnWhy", "seriesWeekly",
        "seriesDays", "seriesAlso", "seriesCancelled", "preferencesName", "preferencesEmail", "preferencesLanguage",
        "preferencesOrganizers", "preferencesExclude", "preferencesExcludeKeywords", "preferencesSendEmpty",
        "preferencesPaused", "languageSwedish", "languageEnglish", "signupTitle", "signupIntro", "signupEmail",
        "signupConsent", "signupButton", "signupSent", "signupProblems", "errorEmailMissing", "errorEmailInvalid",
        "errorNameTooLong", "errorNameControl", "errorKeywordControl", "errorKeywordTooLong", "errorTooManyKeywords",
        "errorUnknownChoice", "confirmTitle", "confirmQuestion", "confirmButton", "confirmDone", "confirmExpired",
        "confirmUsed", "confirmMailSubject", "confirmMailBody", "subscribedMailSubject", "subscribedMailBody",
        "welcomeSubject", "welcomeIntro",
    ]

    /// Reads `folder/<language>.yaml`.
    public static func load(from folder: URL, language: Language, displayBase: URL) throws(DiagnosticList) -> Strings {
        let url = folder.appendingPathComponent("\(language.rawValue).yaml")
        let path = SubscriberDirectory.displayPath(url, base: displayBase)
        let document = try YAMLDocument(contentsOf: url, displayPath: path)
        guard case .mapping(let mapping)? = document.root else {
            throw DiagnosticList([Diagnostic(path: path, line: 1, message: "expected a mapping of string keys.")])
        }
        var values: [String: String] = [:]
        var weekdays: [String] = []
        var months: [String] = []
        var problems: [Diagnostic] = []
        for (keyNode, valueNode) in mapping {
            guard let key = keyNode.string else { continue }
            switch (key, valueNode) {
            case ("weekdays", .sequence(let list)): weekdays = list.compactMap(\.string)
            case ("months", .sequence(let list)): months = list.compactMap(\.string)
            case (_, .scalar(let scalar)): values[key] = scalar.string
            default:
                problems.append(
                    Diagnostic(
                        path: path,
                        line: valueNode.mark?.line,
                        column: valueNode.mark?.column,
                        message: "'\(key)' must be text."
                    )
                )
            }
        }
        if weekdays.count != 7 {
            problems.append(Diagnostic(path: path, message: "'weekdays' must list seven names, Monday first."))
        }
        if months.count != 12 {
            problems.append(Diagnostic(path: path, message: "'months' must list twelve names, January first."))
        }
        for key in requiredKeys where values[key] == nil {
            problems.append(Diagnostic(path: path, message: "missing string '\(key)'."))
        }
        guard problems.isEmpty else { throw DiagnosticList(problems) }
        return Strings(language: language, values: values, weekdays: weekdays, months: months)
    }

    /// The string for `key`, or the key itself so a missing string shows up in review instead of vanishing.
    public subscript(_ key: String) -> String {
        values[key] ?? key
    }

    /// `key + "One"` or `key + "Many"` with `{n}` replaced by `count`.
    public func counted(_ key: String, _ count: Int) -> String {
        Self.filling(self[count == 1 ? key + "One" : key + "Many"], "{n}", with: String(count))
    }

    /// `text` with every `placeholder` (such as `{name}`) replaced by `value`.
    public static func filling(_ text: String, _ placeholder: String, with value: String) -> String {
        let pattern = Array(placeholder.utf8)
        guard let first = pattern.first else { return text }
        let utf8 = text.utf8
        var result = ""
        var copied = utf8.startIndex
        var index = utf8.startIndex
        while let found = utf8[index...].firstIndex(of: first) {
            if utf8[found...].starts(with: pattern) {
                result += text[copied..<found]
                result += value
                index = utf8.index(found, offsetBy: pattern.count)
                copied = index
            } else {
                index = utf8.index(after: found)
            }
        }
        guard copied != utf8.startIndex else { return text }
        result += text[copied...]
        return result
    }
}
