import Foundation

/// Builds the template context (a tree of dictionaries and arrays) for one digest.
///
/// Every field is documented in `templates/README.md`; keep the two in step.
struct DigestContext {
    let strings: Strings
    let taxonomy: Taxonomy
    let newsletter: NewsletterConfig
    let maxItemsPerSection: Int
    let dates: DateText

    init(strings: Strings, taxonomy: Taxonomy, newsletter: NewsletterConfig, maxItemsPerSection: Int) {
        self.strings = strings
        self.taxonomy = taxonomy
        self.newsletter = newsletter
        self.maxItemsPerSection = maxItemsPerSection
        self.dates = DateText(strings: strings, timeZone: newsletter.timeZone)
    }

    func values(for content: DigestContent, issue: IssueInfo, links: ReaderLinks) -> [String: Any] {
        let week = dates.week(issue.now)
        let counts = [
            (content.newFunding.count, "newFunding"), (content.closingSoon.count, "closingSoon"),
            (content.events.count, "events"), (content.changed.count, "changed"),
        ]
        let parts = counts.filter { $0.0 > 0 }.map { strings.counted($0.1, $0.0) }
        let summaryLine = parts.isEmpty ? strings["nothingNew"] : parts.joined(separator: ", ")
        let firstTitles = content.all.prefix(3).map(\.item.title).joined(separator: " · ")
        let preheader = firstTitles.isEmpty ? summaryLine : summaryLine + ": " + firstTitles
        let name = content.subscriber.name
        var values: [String: Any] = [
            "lang": content.language.rawValue,
            "t": strings.values,
            "newsletter": [
                "title": newsletter.title,
                "postalAddress": newsletter.postalAddress ?? "",
                "senderDescription": newsletter.senderDescription ?? "",
            ],
            "subscriber": [
                "name": name ?? "",
                "email": content.subscriber.email,
                "greeting": name.map { strings["greeting"].replacingOccurrences(of: "{name}", with: $0) }
                    ?? strings["greetingAnonymous"],
            ],
            "issue": [
                "id": issue.id, "week": week.week, "year": week.year, "date": dates.date(issue.now),
            ],
            "summaryLine": summaryLine,
            "preheader": String(preheader.prefix(140)),
            "isEmpty": content.isEmpty,
            "footer": footer(links),
            "hasCalendar": !(content.events.isEmpty && content.changed.isEmpty),
        ]
        if let note = issue.editorNote {
            values["editorNote"] = ["html": note.html, "text": note.text, "heading": strings["editorNoteHeading"]]
        }
        values["newFunding"] = section(content.newFunding, issue: issue, heading: "newFundingHeading")
        values["closingSoon"] = section(content.closingSoon, issue: issue, heading: "closingSoonHeading")
        values["changed"] = section(content.changed, issue: issue, heading: "changedHeading", status: strings["moved"])
        var events = section(content.events, issue: issue, heading: "eventsHeading")
        events["weeks"] = eventWeeks(Array(content.events.prefix(maxItemsPerSection)), issue: issue)
        values["events"] = events
        return values
    }

    private func footer(_ links: ReaderLinks) -> [String: Any] {
        var footer: [String: Any] = [
            "unsubscribeMailto": links.unsubscribeMailto,
            "why": strings["footerWhy"].replacingOccurrences(of: "{title}", with: newsletter.title),
        ]
        footer["unsubscribeURL"] = links.unsubscribeURL?.absoluteString ?? links.unsubscribeMailto
        if let preferences = links.preferencesURL { footer["preferencesURL"] = preferences.absoluteString }
        return footer
    }

    private func section(
        _ selections: [Selection],
        issue: IssueInfo,
        heading: String,
        status: String? = nil
    ) -> [String: Any] {
        let shown = selections.prefix(maxItemsPerSection)
        let hidden = selections.count - shown.count
        var section: [String: Any] = [
            "heading": strings[heading],
            "count": selections.count,
            "items": shown.map { selection in
                var values = item(selection, issue: issue)
                if let status {
                    values["status"] = selection.item.cancelled ? strings["cancelled"] : status
                }
                return values
            },
        ]
        if !selections.isEmpty { section["any"] = true }
        if hidden > 0 { section["more"] = strings["andMore"].replacingOccurrences(of: "{n}", with: String(hidden)) }
        return section
    }

    private func eventWeeks(_ selections: [Selection], issue: IssueInfo) -> [[String: Any]] {
        var weeks: [[String: Any]] = []
        var currentWeek: Int?
        var days: [[String: Any]] = []
        var currentDay: String?
        var dayItems: [[String: Any]] = []
        func closeDay() {
            if let currentDay { days.append(["label": currentDay, "items": dayItems]) }
            currentDay = nil
            dayItems = []
        }
        func closeWeek() {
            closeDay()
            if let currentWeek { weeks.append(["label": "\(strings["week"]) \(currentWeek)", "days": days]) }
            currentWeek = nil
            days = []
        }
        for selection in selections {
            let start = max(selection.item.start ?? issue.now, issue.now)
            let week = dates.week(start).week
            let day = dates.day(start)
            if week != currentWeek {
                closeWeek()
                currentWeek = week
            }
            if day != currentDay {
                closeDay()
                currentDay = day
            }
            dayItems.append(item(selection, issue: issue))
        }
        closeWeek()
        return weeks
    }

    private func item(_ selection: Selection, issue: IssueInfo) -> [String: Any] {
        let item = selection.item
        // A title is one line, whatever the source put in it (feeds and calendars carry line breaks).
        let title = item.title.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        var values: [String: Any] = [
            "id": item.id,
            "title": title,
            "summary": Self.shorten(item.summary, to: 300),
            "why": whyText(selection.reasons),
            "kind": item.kind.rawValue,
        ]
        if let url = item.url, HTMLEscaping.isSafeLink(url) {
            values["url"] = url.absoluteString
            values["linkText"] = strings["readMore"].replacingOccurrences(of: "{title}", with: title)
        }
        if let organizer = item.organizer { values["organizer"] = organizer }
        if item.sources.count > 1 { values["alsoFrom"] = item.sources.joined(separator: ", ") }
        if let start = item.start {
            values["when"] = dates.span(start: start, end: item.end, allDay: item.allDay)
        }
        if item.online {
            values["location"] = strings["online"]
        } else if let location = item.location, !location.isEmpty {
            values["location"] = location
        }
        if let deadline = item.deadline {
            values["deadline"] = dates.deadline(deadline)
            let days = max(0, dates.daysBetween(issue.now, deadline))
            values["daysLeft"] = days
            values["daysLeftText"] = days == 0 ? strings["lastDay"] : strings.counted("daysLeft", days)
        } else if item.kind == .funding {
            values["noDeadline"] = strings["noDeadline"]
        }
        if let opens = item.opens, opens > issue.now { values["opens"] = dates.date(opens) }
        if let budget = item.budget { values["budget"] = budget }
        return values
    }

    func whyText(_ reasons: [MatchReason]) -> String {
        let labels = reasons.map { reason -> String in
            switch reason {
            case .topic(let id): taxonomy.label(ofTopic: id, in: strings.language)
            case .region(let name): name
            case .online: strings["online"]
            case .organizer(let name): name
            case .keyword(let word): strings["keywordQuote"].replacingOccurrences(of: "{word}", with: word)
            case .everything: strings["followsEverything"]
            }
        }
        var unique: [String] = []
        for label in labels where !unique.contains(label) { unique.append(label) }
        return strings["whyPrefix"] + " " + unique.joined(separator: " · ")
    }

    /// `text` cut at a word boundary to at most `limit` characters, with an ellipsis when cut.
    static func shorten(_ text: String, to limit: Int) -> String {
        // One pass that collapses whitespace and stops at the limit, so a long summary is never split whole.
        var cut = ""
        var count = 0
        var pendingSpace = false
        for character in text {
            if character.isWhitespace {
                pendingSpace = !cut.isEmpty
                continue
            }
            if count + (pendingSpace ? 2 : 1) > limit {
                if pendingSpace && count < limit { cut.append(" ") }
                let end = cut.lastIndex(of: " ") ?? cut.endIndex
                return String(cut[..<end]) + "…"
            }
            if pendingSpace {
                cut.append(" ")
                count += 1
                pendingSpace = false
            }
            cut.append(character)
            count += 1
        }
        return cut
    }
}
