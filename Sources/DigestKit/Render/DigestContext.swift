import Foundation

/// Builds the template context (a tree of dictionaries and arrays) for one digest.
///
/// Every field is documented in `templates/README.md`; keep the two in step. Items are ``ItemContext``s whose fields
/// come from the shared ``ItemFragments``.
struct DigestContext {
    let strings: Strings
    let taxonomy: Taxonomy
    let newsletter: NewsletterConfig
    let maxItemsPerSection: Int
    let dates: DateText
    let fragments: ItemFragments
    let session: RenderSession

    init(
        strings: Strings,
        dates: DateText,
        taxonomy: Taxonomy,
        newsletter: NewsletterConfig,
        maxItemsPerSection: Int,
        fragments: ItemFragments,
        session: RenderSession
    ) {
        self.strings = strings
        self.dates = dates
        self.taxonomy = taxonomy
        self.newsletter = newsletter
        self.maxItemsPerSection = maxItemsPerSection
        self.fragments = fragments
        self.session = session
    }

    /// The fields every digest of the issue in this language shares, which item partials see too.
    func issueValues(_ issue: IssueInfo) -> [String: Any] {
        let week = dates.week(issue.now)
        return [
            "lang": strings.language.rawValue,
            "t": strings.values,
            "newsletter": [
                "title": newsletter.title,
                "postalAddress": newsletter.postalAddress ?? "",
                "senderDescription": newsletter.senderDescription ?? "",
            ],
            "issue": [
                "id": issue.id, "week": week.week, "year": week.year, "date": dates.date(issue.now),
            ],
        ]
    }

    func values(for content: DigestContent, issue: IssueInfo, links: ReaderLinks) -> [String: Any] {
        let counts = [
            (content.newFunding.count, "newFunding"), (content.closingSoon.count, "closingSoon"),
            (content.events.count, "events"), (content.changed.count, "changed"),
        ]
        let parts = counts.filter { $0.0 > 0 }.map { strings.counted($0.1, $0.0) }
        let summaryLine = parts.isEmpty ? strings["nothingNew"] : parts.joined(separator: ", ")
        let firstTitles = content.all.prefix(3).map(\.item.title).joined(separator: " · ")
        let preheader = firstTitles.isEmpty ? summaryLine : summaryLine + ": " + firstTitles
        let name = content.subscriber.name
        var values = issueValues(issue)
        values.merge([
            "subscriber": [
                "name": name ?? "",
                "email": content.subscriber.email,
                "greeting": name.map { strings["greeting"].replacingOccurrences(of: "{name}", with: $0) }
                    ?? strings["greetingAnonymous"],
            ],
            "summaryLine": summaryLine,
            "preheader": String(preheader.prefix(140)),
            "isEmpty": content.isEmpty,
            "footer": footer(links),
            "hasCalendar": !(content.events.isEmpty && content.changed.isEmpty),
        ]) { _, new in new }
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
                let itemStatus = status.map { selection.item.cancelled ? strings["cancelled"] : $0 }
                return ItemContext(entry: entry(selection, issue: issue, status: itemStatus), session: session)
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
        var dayItems: [ItemContext] = []
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
            let entry = entry(selection, issue: issue, status: nil)
            if entry.week != currentWeek {
                closeWeek()
                currentWeek = entry.week
            }
            if entry.day != currentDay {
                closeDay()
                currentDay = entry.day
            }
            dayItems.append(ItemContext(entry: entry, session: session))
        }
        closeWeek()
        return weeks
    }

    /// The shared entry of `selection` as this reader sees it (with its reasons and status).
    private func entry(_ selection: Selection, issue: IssueInfo, status: String?) -> ItemEntry {
        let why = whyText(selection.reasons)
        let key = ItemFragments.Key(
            item: ObjectIdentifier(selection.itemBox),
            language: strings.language,
            issue: issue.id,
            now: issue.now,
            status: status,
            why: why
        )
        return fragments.entry(key) {
            var values = item(selection.item, why: why, issue: issue)
            if let status { values["status"] = status }
            let start = max(selection.item.start ?? issue.now, issue.now)
            return ItemEntry(
                box: selection.itemBox, values: values, week: dates.week(start).week, day: dates.day(start))
        }
    }

    private func item(_ item: Item, why: String, issue: IssueInfo) -> [String: Any] {
        // A title is one line, whatever the source put in it (feeds and calendars carry line breaks).
        let title = item.title.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        var values: [String: Any] = [
            "id": item.id,
            "title": title,
            "summary": Self.shorten(item.summary, to: 300),
            "why": why,
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
