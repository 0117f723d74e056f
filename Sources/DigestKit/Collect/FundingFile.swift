import Deadlines
import DigestSupport
import Foundation
import Yams

/// A YAML file of funding calls kept by editors (`format: yaml`): a list of entries with `title`, `url`, `funder`,
/// `opens`, `deadline`, `summary`, `topics`, `regions` and `budget`.
struct FundingFile: Sendable {
    let source: SourceConfig
    let timeZone: TimeZone

    struct Entry: Decodable {
        var title: String
        var url: String?
        var funder: String?
        var opens: String?
        var deadline: String?
        var summary: String?
        var topics: [String]
        var regions: [String]
        var budget: String?

        enum CodingKeys: String, CodingKey, CaseIterable {
            case title, url, funder, opens, deadline, summary, topics, regions, budget
        }

        init(from decoder: any Decoder) throws {
            let container = try decoder.strictContainer(keyedBy: CodingKeys.self)
            title = try container.decode(String.self, forKey: .title)
            url = try container.decodeIfPresent(String.self, forKey: .url)
            funder = try container.decodeIfPresent(String.self, forKey: .funder)
            opens = try container.decodeIfPresent(String.self, forKey: .opens)
            deadline = try container.decodeIfPresent(String.self, forKey: .deadline)
            summary = try container.decodeIfPresent(String.self, forKey: .summary)
            topics = try container.decodeList(.topics)
            regions = try container.decodeList(.regions)
            budget = try container.decodeIfPresent(String.self, forKey: .budget)
        }
    }

    /// The calls in `data`; a broken entry is reported with its line and skipped.
    func items(from data: Data, displayPath: String) throws(SourceFailure) -> (items: [Item], problems: [String]) {
        guard let text = String(data: data, encoding: .utf8) else {
            throw SourceFailure(message: "\(displayPath) is not UTF-8 text")
        }
        let document: YAMLDocument
        do {
            document = try YAMLDocument(text: text, displayPath: displayPath)
        } catch {
            throw SourceFailure(message: error.description)
        }
        guard case .sequence(let entries)? = document.root else {
            throw SourceFailure(message: "\(displayPath): expected a list of funding calls (- title: …)")
        }
        var items: [Item] = []
        var problems: [String] = []
        let decoder = YAMLDecoder()  // one for every entry: making one reads the environment
        for node in entries {
            do {
                let entry = try document.decode(Entry.self, from: node, using: decoder)
                items.append(try item(for: entry, node: node, document: document))
            } catch let error as DiagnosticList {
                problems += error.diagnostics.map(\.description)
            } catch {
                problems.append("\(displayPath): \(error)")
            }
        }
        return (items, problems)
    }

    private func item(for entry: Entry, node: Yams.Node, document: YAMLDocument) throws -> Item {
        let url = entry.url.flatMap { URL(string: $0) }
        let id = "fu-" + StableHash.hex(url.map(FeedItems.canonical) ?? source.name + "|" + entry.title)
        var item = Item(id: id, kind: .funding, source: source.name, title: entry.title)
        item.url = url
        item.summary = entry.summary ?? ""
        item.organizer = entry.funder ?? source.organizer
        item.categories = entry.topics
        item.regions = entry.regions
        item.budget = entry.budget
        func date(_ text: String?, key: String, endOfDay: Bool) throws -> Date? {
            guard let text else { return nil }
            guard let date = LocalDateParser(timeZone: timeZone).parse(text, endOfDay: endOfDay) else {
                throw DiagnosticList([
                    document.diagnostic(
                        at: [AnyCodingKey(stringValue: key)],
                        in: node,
                        message: "'\(text)' is not a date; write 2027-01-15 or 2027-01-15 14:00."
                    )
                ])
            }
            return date
        }
        // "Löpande" instead of a date: rolling; a date that happens to hold such a word stays a date.
        if let text = entry.deadline, LocalDateParser(timeZone: timeZone).parse(text, endOfDay: true) == nil,
            DeadlineFinder.isRolling(text)
        {
            item.rolling = true
        } else {
            item.deadline = try date(entry.deadline, key: "deadline", endOfDay: true)
            item.deadlineHasTime = entry.deadline.map(LocalDateParser.hasTime) ?? false
        }
        item.opens = try date(entry.opens, key: "opens", endOfDay: false)
        return item
    }
}

/// Parses the dates editors write: `2027-01-15`, `2027-01-15 14:00`, or RFC 3339.
struct LocalDateParser {
    let timeZone: TimeZone

    /// Whether `text` gives a time of day as well as the date.
    static func hasTime(_ text: String) -> Bool {
        text.trimmingCharacters(in: .whitespaces).split(whereSeparator: { $0 == " " || $0 == "T" }).count > 1
    }

    /// The instant `text` names in the time zone; a bare date means its end (23:59:59) when `endOfDay` is set,
    /// else its start.
    func parse(_ text: String, endOfDay: Bool) -> Date? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if let date = try? Date(trimmed, strategy: .iso8601) { return date }
        let parts = trimmed.split(whereSeparator: { $0 == " " || $0 == "T" })
        let day = parts.first?.split(separator: "-").compactMap { Int($0) } ?? []
        guard day.count == 3, (1...12).contains(day[1]), (1...31).contains(day[2]) else { return nil }
        var components = DateComponents(year: day[0], month: day[1], day: day[2])
        if parts.count > 1 {
            let time = parts[1].split(whereSeparator: { $0 == ":" || $0 == "." }).compactMap { Int($0) }
            guard time.count >= 2, (0...23).contains(time[0]), (0...59).contains(time[1]) else { return nil }
            components.hour = time[0]
            components.minute = time[1]
        } else if endOfDay {
            components.hour = 23
            components.minute = 59
            components.second = 59
        }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        guard let date = calendar.date(from: components),
            calendar.component(.day, from: date) == day[2]
        else { return nil }
        return date
    }
}
