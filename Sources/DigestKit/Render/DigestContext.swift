import CompiledMustache
import Foundation

/// Builds the template context (a tree of dictionaries and arrays) an outline is rendered from: the issue's and the
/// items' fields, and a placeholder for every ``ReaderField``.
///
/// It never sees the reader: what it is given is the language's strings, the issue and the items chosen, so a value
/// that depends on the reader can only reach a digest as a ``ReaderField``. Every field is documented in
/// `templates/README.md`; keep the two in step. Items are ``ItemContext``s whose fields come from the run's
/// ``ItemFragments``.
struct DigestContext {
    let strings: Strings
    let taxonomy: Taxonomy
    let newsletter: NewsletterConfig
    let maxItemsPerSection: Int
    let dates: DateText
    let fragments: ItemFragments
    /// `strings` as the templates' `t`.
    let translations: TemplateValue

    init(
        strings: Strings,
        translations: TemplateValue,
        dates: DateText,
        taxonomy: Taxonomy,
        newsletter: NewsletterConfig,
        maxItemsPerSection: Int,
        fragments: ItemFragments
    ) {
        self.strings = strings
        self.translations = translations
        self.dates = dates
        self.taxonomy = taxonomy
        self.newsletter = newsletter
        self.maxItemsPerSection = maxItemsPerSection
        self.fragments = fragments
    }

    /// The fields every digest of the issue in this language shares, which item partials see too.
    func issueValues(_ issue: IssueInfo) -> [String: TemplateValue] {
        let week = dates.week(issue.now)
        var issueFields: [String: TemplateValue] = [
            "id": .string(issue.id), "week": .int(week.week), "year": .int(week.year),
            "date": .string(dates.date(issue.now)), "archive": .bool(issue.isArchive),
        ]
        // Absent, not empty, without a web version: `{{#issue.webURL}}` is then false.
        if let web = issue.webURL { issueFields["webURL"] = .string(web.absoluteString) }
        return [
            "lang": .string(strings.language.rawValue),
            "t": translations,
            "newsletter": .object(
                [
                    "title": .string(newsletter.title),
                    "postalAddress": .string(newsletter.postalAddress ?? ""),
                    "senderDescription": .string(newsletter.senderDescription ?? ""),
                ] as [String: TemplateValue]),
            "issue": .object(issueFields),
            "welcome": .bool(issue.welcome),
        ]
    }

    /// The entries each section lists (its first `maxItemsPerSection`) and how many it has in all.
    func plan(
        newFunding: [Selection],
        closingSoon: [Selection],
        opensSoon: [Selection] = [],
        events: [Selection],
        changed: [Selection],
        newItems: Set<String> = [],
        previousDeadlines: [String: Date] = [:],
        issue: IssueInfo
    ) -> OutlinePlan {
        let replacements = fragments.replacements
        // The status is worked out from the shared box: passing the item itself would copy it for every reader.
        func section(_ selections: [Selection], status: (ItemBox) -> String?) -> OutlinePlan.Section {
            OutlinePlan.Section(
                entries: selections.prefix(maxItemsPerSection).map { selection in
                    entry(selection, issue: issue, status: status(selection.itemBox))
                },
                count: selections.count
            )
        }
        func change(_ box: ItemBox) -> String? {
            if box.item.withdrawn { return strings["withdrawn"] }
            if box.item.kind == .event { return box.item.cancelled ? strings["cancelled"] : strings["moved"] }
            let change = dates.deadlineChange(
                from: previousDeadlines[box.item.id], to: box.item.deadline,
                afterHasTime: box.item.deadlineHasTime, none: strings["noDate"])
            return Strings.filling(strings["deadlineChanged"], "{change}", with: change)
        }
        let plan = OutlinePlan(
            newFunding: section(newFunding) { _ in nil },
            closingSoon: section(closingSoon) { _ in nil },
            opensSoon: section(opensSoon) { _ in nil },
            events: newItems.isEmpty
                ? section(events) { _ in nil }
                : section(events) { [new = strings["new"]] in newItems.contains($0.item.id) ? new : nil },
            changed: section(changed, status: change),
            newEvents: newItems.count,
            // Entries made while an item id changed its item may mix the two items: such a plan is not shared.
            replacements: fragments.replacements == replacements ? replacements : nil
        )
        return plan
    }

    /// The context of a digest with `plan`'s items, with a placeholder for every reader field but those in `absent`
    /// (left out) and the subject (which the outline adds once its own template is rendered).
    func values(for plan: OutlinePlan, issue: IssueInfo, absent: [ReaderField]) -> [String: TemplateValue] {
        // The subject and preheader count what is new to the reader: new calls, new events, changes.
        let counts = [
            (plan.newFunding.count, "newFunding"), (plan.newEvents, "newEvents"), (plan.changed.count, "changed"),
        ]
        let parts = counts.filter { $0.0 > 0 }.map { strings.counted($0.1, $0.0) }
        let summaryLine = parts.isEmpty ? strings["nothingNew"] : parts.joined(separator: ", ")
        let firstTitles = plan.firstEntries(3).map(\.item.title).joined(separator: " · ")
        let preheader = firstTitles.isEmpty ? summaryLine : summaryLine + ": " + firstTitles
        var values = issueValues(issue)
        var objects: [String: [String: TemplateValue]] = [
            "footer": ["why": .string(Strings.filling(strings["footerWhy"], "{title}", with: newsletter.title))]
        ]
        for field in ReaderField.allCases where field != .subject && !absent.contains(field) {
            if let object = field.object {
                objects[object, default: [:]][field.key] = .placeholder(field.placeholder)
            } else {
                values[field.key] = .placeholder(field.placeholder)
            }
        }
        for (name, fields) in objects { values[name] = .object(fields) }
        values["summaryLine"] = .string(summaryLine)
        values["preheader"] = .string(String(preheader.prefix(140)))
        values["isEmpty"] = .bool(plan.isEmpty)
        values["hasCalendar"] = .bool(plan.events.count > 0 || plan.changed.entries.contains { $0.item.kind == .event })
        if let note = issue.editorNote {
            values["editorNote"] = .object(
                [
                    "html": .string(note.html), "text": .string(note.text),
                    "heading": .string(strings["editorNoteHeading"]),
                ] as [String: TemplateValue])
        }
        // Each entry's partials are numbered by its place in the plan (`OutlinePlan.entries`).
        var first = 0
        func numbered(_ plan: OutlinePlan.Section, heading: String) -> SectionFields {
            defer { first += plan.entries.count }
            return section(plan, heading: heading, first: first)
        }
        values["newFunding"] = .object(numbered(plan.newFunding, heading: "newFundingHeading"))
        values["closingSoon"] = .object(numbered(plan.closingSoon, heading: "closingSoonHeading"))
        values["opensSoon"] = .object(numbered(plan.opensSoon, heading: "opensSoonHeading"))
        var events = numbered(plan.events, heading: "eventsHeading")
        events.weeks = eventWeeks(plan.events.entries, first: first - plan.events.entries.count)
        values["events"] = .object(events)
        values["changed"] = .object(numbered(plan.changed, heading: "changedHeading"))
        return values
    }

    private func section(_ plan: OutlinePlan.Section, heading: String, first: Int) -> SectionFields {
        let hidden = plan.count - plan.entries.count
        return SectionFields(
            heading: strings[heading],
            count: plan.count,
            items: plan.entries.enumerated().map { .object(ItemContext(entry: $1, number: first + $0)) },
            more: hidden > 0 ? Strings.filling(strings["andMore"], "{n}", with: String(hidden)) : nil
        )
    }

    private func eventWeeks(_ entries: [ItemEntry], first: Int) -> [TemplateValue] {
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
        for (offset, entry) in entries.enumerated() {
            if entry.week != currentWeek {
                closeWeek()
                currentWeek = entry.week
            }
            if entry.day != currentDay {
                closeDay()
                currentDay = entry.day
            }
            dayItems.append(.object(ItemContext(entry: entry, number: first + offset)))
        }
        closeWeek()
        return weeks
    }

    /// The shared entry of `selection` as this reader sees it (with its reasons and status).
    private func entry(_ selection: Selection, issue: IssueInfo, status: String?) -> ItemEntry {
        // The item stays in the selection's shared box until an entry is made of it (copying it costs).
        let box = selection.itemBox
        let scope = ItemFragments.Scope(language: strings.language, issue: issue.id, now: issue.now, status: status)
        let reasons = selection.reasons
        return fragments.slot(for: box).entry(for: scope, reasons: reasons) {
            let item = box.item
            var values = self.item(item, why: whyText(reasons), issue: issue)
            if let status { values["status"] = .string(status) }
            let start = max(item.start ?? issue.now, issue.now)
            return ItemEntry(
                item: item,
                key: ItemEntry.Key(id: item.id, reasons: reasons, status: status),
                values: values,
                week: dates.week(start).week,
                day: dates.day(start)
            )
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
            "isFunding": .bool(item.kind == .funding),
        ]
        if let url = item.url, HTMLEscaping.isSafeLink(url) {
            values["url"] = .string(url.absoluteString)
            values["linkText"] = .string(Strings.filling(strings["readMore"], "{title}", with: title))
        }
        if let organizer = item.organizer { values["organizer"] = .string(organizer) }
        if !item.alsoFrom.isEmpty {
            values["alsoFrom"] = .string(dates.list(item.alsoFrom))
            let sentence = item.kind == .funding ? strings["alsoFrom"] : strings["alsoListed"]
            values["alsoFromText"] = .string(Strings.filling(sentence, "{names}", with: dates.list(item.alsoFrom)))
        }
        if let series = item.series {
            values["when"] = .string(dates.series(series, allDay: item.allDay))
        } else if let start = item.start {
            values["when"] = .string(dates.span(start: start, end: item.end, allDay: item.allDay))
        }
        if item.kind == .event, !item.cancelled,
            let links = CalendarLinks(
                item, baseURL: newsletter.baseURL, icsID: item.series?.memberIDs.first ?? item.id,
                timeZone: newsletter.timeZone)
        {
            var calendar: [String: TemplateValue] = [
                "label": .string(strings["addToCalendar"]), "google": .string(links.google),
                "outlook": .string(links.outlook),
            ]
            if let ics = links.ics { calendar["ics"] = .string(ics) }
            values["calendar"] = .object(calendar)
        }
        if item.online {
            values["location"] = .string(strings["online"])
        } else if let location = item.location, !location.isEmpty {
            values["location"] = .string(location)
        }
        if item.withdrawn {
            // The deadline it had no longer holds; say why the reader hears of it.
            values["why"] = .string(strings["withdrawnWhy"])
        } else if let deadline = item.deadline {
            values["deadline"] = .string(dates.deadline(deadline, hasTime: item.deadlineHasTime))
            let later = item.laterDeadlines.prefix(6).map { dates.deadline($0, hasTime: item.deadlineHasTime) }
            if !later.isEmpty {
                values["moreRounds"] = .string(
                    Strings.filling(strings["moreRounds"], "{dates}", with: dates.list(later)))
            }
            let others = item.otherDeadlines.map { claim in
                Strings.filling(
                    Strings.filling(strings["otherDeadline"], "{source}", with: claim.source), "{date}",
                    with: dates.deadline(claim.date, hasTime: claim.hasTime))
            }
            if !others.isEmpty { values["deadlineNote"] = .string(others.joined(separator: "; ")) }
            let days = max(0, dates.daysBetween(issue.now, deadline))
            values["daysLeft"] = .int(days)
            values["daysLeftText"] = .string(days == 0 ? strings["lastDay"] : strings.counted("daysLeft", days))
        } else if item.kind == .funding && item.rolling {
            values["rolling"] = .string(strings["rollingDeadline"])
        } else if item.kind == .funding {
            values["noDeadline"] = .string(strings["noDeadline"])
        }
        if let registration = item.registrationDeadline {
            if registration < issue.now {
                values["registrationClosed"] = .string(strings["registrationClosed"])
            } else {
                let day = dates.deadline(registration, hasTime: item.registrationHasTime)
                values["registration"] = .string(Strings.filling(strings["registrationBy"], "{date}", with: day))
                if dates.daysBetween(issue.now, registration) <= 3 {
                    values["registrationSoon"] = .string(strings["registrationSoon"])
                }
            }
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
    let opensSoon: Section
    let events: Section
    let changed: Section
    /// How many of the events are new to the reader.
    let newEvents: Int
    /// How many times the run's ``ItemFragments`` had replaced an item when the plan was made, or `nil` when one was
    /// replaced meanwhile (the plan is then not shared).
    let replacements: Int?

    var isEmpty: Bool { newFunding.count + closingSoon.count + opensSoon.count + events.count + changed.count == 0 }

    /// The entries, section after section: the outline numbers each entry's partials by its place here.
    var entries: [ItemEntry] {
        newFunding.entries + closingSoon.entries + opensSoon.entries + events.entries + changed.entries
    }

    /// The first `count` entries in the order the digest lists them.
    func firstEntries(_ count: Int) -> [ItemEntry] {
        Array(entries.prefix(count))
    }

    /// The sections' sizes.
    var counts: [Int] {
        [newFunding.count, closingSoon.count, opensSoon.count, events.count, changed.count, newEvents]
    }
}
