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

    /// The entries each section lists (its first `maxItemsPerSection`) and how many it has in all.
    func plan(_ content: DigestContent, issue: IssueInfo) -> OutlinePlan {
        func section(_ selections: [Selection], status: String? = nil) -> OutlinePlan.Section {
            OutlinePlan.Section(
                entries: selections.prefix(maxItemsPerSection).map { selection in
                    let itemStatus = status.map { selection.itemBox.item.cancelled ? strings["cancelled"] : $0 }
                    return entry(selection, issue: issue, status: itemStatus)
                },
                count: selections.count
            )
        }
        return OutlinePlan(
            newFunding: section(content.newFunding),
            closingSoon: section(content.closingSoon),
            events: section(content.events),
            changed: section(content.changed, status: strings["moved"])
        )
    }

    /// The context of a digest with `plan`'s items and the reader's `personal` values (or placeholders for them).
    func values(
        for plan: OutlinePlan,
        issue: IssueInfo,
        personal: PersonalValues,
        asPlaceholders: Bool
    ) -> [String: TemplateValue] {
        let counts = [
            (plan.newFunding.count, "newFunding"), (plan.closingSoon.count, "closingSoon"),
            (plan.events.count, "events"), (plan.changed.count, "changed"),
        ]
        let parts = counts.filter { $0.0 > 0 }.map { strings.counted($0.1, $0.0) }
        let summaryLine = parts.isEmpty ? strings["nothingNew"] : parts.joined(separator: ", ")
        let firstTitles = plan.firstEntries(3).map(\.box.item.title).joined(separator: " · ")
        let preheader = firstTitles.isEmpty ? summaryLine : summaryLine + ": " + firstTitles
        func field(_ field: PersonalValues.Field) -> TemplateValue {
            asPlaceholders ? .placeholder(field.placeholder) : .string(personal[field])
        }
        var values = issueValues(issue)
        values["subscriber"] = .object(
            ["name": field(.name), "email": field(.email), "greeting": field(.greeting)] as [String: TemplateValue])
        values["summaryLine"] = .string(summaryLine)
        values["preheader"] = .string(String(preheader.prefix(140)))
        values["isEmpty"] = .bool(plan.isEmpty)
        var footer: [String: TemplateValue] = [
            "unsubscribeMailto": field(.unsubscribeMailto),
            "unsubscribeURL": field(.unsubscribeURL),
            "why": .string(Strings.filling(strings["footerWhy"], "{title}", with: newsletter.title)),
        ]
        if personal.hasPreferences { footer["preferencesURL"] = field(.preferencesURL) }
        values["footer"] = .object(footer)
        values["hasCalendar"] = .bool(plan.events.count + plan.changed.count > 0)
        if let note = issue.editorNote {
            values["editorNote"] = .object(
                [
                    "html": .string(note.html), "text": .string(note.text),
                    "heading": .string(strings["editorNoteHeading"]),
                ] as [String: TemplateValue])
        }
        values["newFunding"] = .object(section(plan.newFunding, heading: "newFundingHeading"))
        values["closingSoon"] = .object(section(plan.closingSoon, heading: "closingSoonHeading"))
        values["changed"] = .object(section(plan.changed, heading: "changedHeading"))
        var events = section(plan.events, heading: "eventsHeading")
        events.weeks = eventWeeks(plan.events.entries)
        values["events"] = .object(events)
        return values
    }

    private func section(_ plan: OutlinePlan.Section, heading: String) -> SectionFields {
        let hidden = plan.count - plan.entries.count
        return SectionFields(
            heading: strings[heading],
            count: plan.count,
            items: plan.entries.map { .object(ItemContext(entry: $0, session: session)) },
            more: hidden > 0 ? Strings.filling(strings["andMore"], "{n}", with: String(hidden)) : nil
        )
    }

    private func eventWeeks(_ entries: [ItemEntry]) -> [TemplateValue] {
        var weeks: [TemplateValue] = []
        var currentWeek: Int?
        var days: [TemplateValue] = []
        var currentDay: String?
        var dayItems: [TemplateValue] = []
        func closeDay() {
            if let currentDay {
                days.append(.object(GroupFields(label: currentDay, listName: "items", list: dayItems)))
            }
            currentDay = nil
            dayItems = []
        }
        func closeWeek() {
            closeDay()
            if let currentWeek {
                weeks.append(
                    .object(GroupFields(label: "\(strings["week"]) \(currentWeek)", listName: "days", list: days)))
            }
            currentWeek = nil
            days = []
        }
        for entry in entries {
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
        let scope = ItemFragments.Scope(language: strings.language, issue: issue.id, now: issue.now, status: status)
        let reasons = selection.reasons
        return fragments.slot(ObjectIdentifier(box)).entry(for: scope, reasons: reasons) {
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

/// A section's fields: `heading`, `count`, `any` (only when not empty), `items`, `more` (only when some are left out)
/// and, for the events, `weeks`.
struct SectionFields: TemplateFields {
    let heading: String
    let count: Int
    let items: [TemplateValue]
    let more: String?
    var weeks: [TemplateValue]?

    func value(named name: String) -> TemplateValue? {
        switch name {
        case "heading": .string(heading)
        case "count": .int(count)
        case "any": count > 0 ? .bool(true) : nil
        case "items": .list(items)
        case "more": more.map(TemplateValue.string)
        case "weeks": weeks.map(TemplateValue.list)
        default: nil
        }
    }
}

/// A week of events (`label` and `days`) or a day (`label` and `items`).
struct GroupFields: TemplateFields {
    let label: String
    let listName: String
    let list: [TemplateValue]

    func value(named name: String) -> TemplateValue? {
        if name == "label" { return .string(label) }
        return name == listName ? .list(list) : nil
    }
}

/// The items a digest lists, section by section, as shared entries: together with the issue and the language, all
/// that its outline depends on besides the reader's own values.
struct OutlinePlan {
    /// A section: the entries it lists and how many items it has in all.
    struct Section {
        let entries: [ItemEntry]
        let count: Int
    }

    let newFunding: Section
    let closingSoon: Section
    let events: Section
    let changed: Section

    var isEmpty: Bool { newFunding.count + closingSoon.count + events.count + changed.count == 0 }

    /// The first `count` entries in the order the digest lists them.
    func firstEntries(_ count: Int) -> [ItemEntry] {
        Array((newFunding.entries + closingSoon.entries + events.entries + changed.entries).prefix(count))
    }

    /// The entries, section after section, to tell plans apart (with ``counts``).
    var identity: [ObjectIdentifier] {
        (newFunding.entries + closingSoon.entries + events.entries + changed.entries).map(ObjectIdentifier.init)
    }

    /// The sections' sizes.
    var counts: [Int] { [newFunding.count, closingSoon.count, events.count, changed.count] }
}

/// What differs between two readers of the same items: their name, address and greeting, their links, and the
/// subject when the subject template uses any of these.
struct PersonalValues {
    enum Field: Int, CaseIterable {
        case name, email, greeting, unsubscribeURL, preferencesURL, unsubscribeMailto, subject

        /// The placeholder that stands for the field in an outline rendered for many readers (item partials
        /// use the numbers from 0 up).
        var placeholder: Int { -1 - rawValue }

        init?(placeholder: Int) {
            self.init(rawValue: -1 - placeholder)
        }
    }

    private var values: [String]
    /// Whether the reader has a preferences page.
    let hasPreferences: Bool

    init(subscriber: Subscriber, links: ReaderLinks, strings: Strings) {
        let name = subscriber.name
        values = [
            name ?? "",
            subscriber.email,
            name.map { Strings.filling(strings["greeting"], "{name}", with: $0) } ?? strings["greetingAnonymous"],
            links.unsubscribeURL?.absoluteString ?? links.unsubscribeMailto,
            links.preferencesURL?.absoluteString ?? "",
            links.unsubscribeMailto,
            "",
        ]
        hasPreferences = links.preferencesURL != nil
    }

    subscript(_ field: Field) -> String {
        get { values[field.rawValue] }
        set { values[field.rawValue] = newValue }
    }
}
