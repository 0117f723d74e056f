import CompiledMustache
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
    /// `strings` as the templates' `t`.
    let translations: TemplateValue

    init(
        strings: Strings,
        translations: TemplateValue,
        dates: DateText,
        taxonomy: Taxonomy,
        newsletter: NewsletterConfig,
        maxItemsPerSection: Int,
        fragments: ItemFragments,
        session: RenderSession
    ) {
        self.strings = strings
        self.translations = translations
        self.dates = dates
        self.taxonomy = taxonomy
        self.newsletter = newsletter
        self.maxItemsPerSection = maxItemsPerSection
        self.fragments = fragments
        self.session = session
    }

    /// The fields every digest of the issue in this language shares, which item partials see too.
    func issueValues(_ issue: IssueInfo) -> [String: TemplateValue] {
        let week = dates.week(issue.now)
        return [
            "lang": .string(strings.language.rawValue),
            "t": translations,
            "newsletter": .object(
                [
                    "title": .string(newsletter.title),
                    "postalAddress": .string(newsletter.postalAddress ?? ""),
                    "senderDescription": .string(newsletter.senderDescription ?? ""),
                ] as [String: TemplateValue]),
            "issue": .object(
                [
                    "id": .string(issue.id), "week": .int(week.week), "year": .int(week.year),
                    "date": .string(dates.date(issue.now)),
                ] as [String: TemplateValue]),
        ]
    }

    func values(for content: DigestContent, issue: IssueInfo, links: ReaderLinks) -> [String: TemplateValue] {
        let counts = [
            (content.newFunding.count, "newFunding"), (content.closingSoon.count, "closingSoon"),
            (content.events.count, "events"), (content.changed.count, "changed"),
        ]
        let parts = counts.filter { $0.0 > 0 }.map { strings.counted($0.1, $0.0) }
        let summaryLine = parts.isEmpty ? strings["nothingNew"] : parts.joined(separator: ", ")
        let firstTitles = content.all.prefix(3).map(\.itemBox.item.title).joined(separator: " · ")
        let preheader = firstTitles.isEmpty ? summaryLine : summaryLine + ": " + firstTitles
        let name = content.subscriber.name
        var values = issueValues(issue)
        values["subscriber"] = .object(
            [
                "name": .string(name ?? ""),
                "email": .string(content.subscriber.email),
                "greeting": .string(
                    name.map { Strings.filling(strings["greeting"], "{name}", with: $0) }
                        ?? strings["greetingAnonymous"]),
            ] as [String: TemplateValue])
        values["summaryLine"] = .string(summaryLine)
        values["preheader"] = .string(String(preheader.prefix(140)))
        values["isEmpty"] = .bool(content.isEmpty)
        values["footer"] = .object(footer(links))
        values["hasCalendar"] = .bool(!(content.events.isEmpty && content.changed.isEmpty))
        if let note = issue.editorNote {
            values["editorNote"] = .object(
                [
                    "html": .string(note.html), "text": .string(note.text),
                    "heading": .string(strings["editorNoteHeading"]),
                ] as [String: TemplateValue])
        }
        values["newFunding"] = .object(section(content.newFunding, issue: issue, heading: "newFundingHeading"))
        values["closingSoon"] = .object(section(content.closingSoon, issue: issue, heading: "closingSoonHeading"))
        values["changed"] = .object(
            section(content.changed, issue: issue, heading: "changedHeading", status: strings["moved"]))
        var events = section(content.events, issue: issue, heading: "eventsHeading")
        events["weeks"] = .list(eventWeeks(Array(content.events.prefix(maxItemsPerSection)), issue: issue))
        values["events"] = .object(events)
        return values
    }

    private func footer(_ links: ReaderLinks) -> [String: TemplateValue] {
        var footer: [String: TemplateValue] = [
            "unsubscribeMailto": .string(links.unsubscribeMailto),
            "why": .string(Strings.filling(strings["footerWhy"], "{title}", with: newsletter.title)),
        ]
        footer["unsubscribeURL"] = .string(links.unsubscribeURL?.absoluteString ?? links.unsubscribeMailto)
        if let preferences = links.preferencesURL { footer["preferencesURL"] = .string(preferences.absoluteString) }
        return footer
    }

    private func section(
        _ selections: [Selection],
        issue: IssueInfo,
        heading: String,
        status: String? = nil
    ) -> [String: TemplateValue] {
        let shown = selections.prefix(maxItemsPerSection)
        let hidden = selections.count - shown.count
        var section: [String: TemplateValue] = [
            "heading": .string(strings[heading]),
            "count": .int(selections.count),
            "items": .list(
                shown.map { selection in
                    let itemStatus = status.map { selection.item.cancelled ? strings["cancelled"] : $0 }
                    return .object(
                        ItemContext(entry: entry(selection, issue: issue, status: itemStatus), session: session))
                }),
        ]
        if !selections.isEmpty { section["any"] = .bool(true) }
        if hidden > 0 {
            section["more"] = .string(Strings.filling(strings["andMore"], "{n}", with: String(hidden)))
        }
        return section
    }

    private func eventWeeks(_ selections: [Selection], issue: IssueInfo) -> [TemplateValue] {
        var weeks: [TemplateValue] = []
        var currentWeek: Int?
        var days: [TemplateValue] = []
        var currentDay: String?
        var dayItems: [TemplateValue] = []
        func closeDay() {
            if let currentDay {
                days.append(
                    .object(["label": .string(currentDay), "items": .list(dayItems)] as [String: TemplateValue]))
            }
            currentDay = nil
            dayItems = []
        }
        func closeWeek() {
            closeDay()
            if let currentWeek {
                weeks.append(
                    .object(
                        ["label": .string("\(strings["week"]) \(currentWeek)"), "days": .list(days)]
                            as [String: TemplateValue]))
            }
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
            dayItems.append(.object(ItemContext(entry: entry, session: session)))
        }
        closeWeek()
        return weeks
    }

    /// The shared entry of `selection` as this reader sees it (with its reasons and status).
    private func entry(_ selection: Selection, issue: IssueInfo, status: String?) -> ItemEntry {
        let box = selection.itemBox
        let key = ItemFragments.Key(
            item: ObjectIdentifier(box),
            language: strings.language,
            issue: issue.id,
            now: issue.now,
            status: status
        )
        let reasons = selection.reasons
        return fragments.slot(key).entry(for: reasons) {
            var values = item(box.item, why: whyText(reasons), issue: issue)
            if let status { values["status"] = .string(status) }
            let start = max(box.item.start ?? issue.now, issue.now)
            return ItemEntry(box: box, values: values, week: dates.week(start).week, day: dates.day(start))
        }
    }

    private func item(_ item: Item, why: String, issue: IssueInfo) -> [String: TemplateValue] {
        // A title is one line, whatever the source put in it (feeds and calendars carry line breaks).
        let title = item.title.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        var values: [String: TemplateValue] = [
            "id": .string(item.id),
            "title": .string(title),
            "summary": .string(Self.shorten(item.summary, to: 300)),
            "why": .string(why),
            "kind": .string(item.kind.rawValue),
        ]
        if let url = item.url, HTMLEscaping.isSafeLink(url) {
            values["url"] = .string(url.absoluteString)
            values["linkText"] = .string(Strings.filling(strings["readMore"], "{title}", with: title))
        }
        if let organizer = item.organizer { values["organizer"] = .string(organizer) }
        if item.sources.count > 1 { values["alsoFrom"] = .string(item.sources.joined(separator: ", ")) }
        if let start = item.start {
            values["when"] = .string(dates.span(start: start, end: item.end, allDay: item.allDay))
        }
        if item.online {
            values["location"] = .string(strings["online"])
        } else if let location = item.location, !location.isEmpty {
            values["location"] = .string(location)
        }
        if let deadline = item.deadline {
            values["deadline"] = .string(dates.deadline(deadline))
            let days = max(0, dates.daysBetween(issue.now, deadline))
            values["daysLeft"] = .int(days)
            values["daysLeftText"] = .string(days == 0 ? strings["lastDay"] : strings.counted("daysLeft", days))
        } else if item.kind == .funding {
            values["noDeadline"] = .string(strings["noDeadline"])
        }
        if let opens = item.opens, opens > issue.now { values["opens"] = .string(dates.date(opens)) }
        if let budget = item.budget { values["budget"] = .string(budget) }
        return values
    }

    func whyText(_ reasons: [MatchReason]) -> String {
        let labels = reasons.map { reason -> String in
            switch reason {
            case .topic(let id): taxonomy.label(ofTopic: id, in: strings.language)
            case .region(let name): name
            case .online: strings["online"]
            case .organizer(let name): name
            case .keyword(let word): Strings.filling(strings["keywordQuote"], "{word}", with: word)
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
