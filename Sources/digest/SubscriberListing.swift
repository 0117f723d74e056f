import DigestKit
import Foundation

/// How `digest subscribers list` and `show` print subscribers.
enum SubscriberListing {
    /// A plain table: email, name, language, paused, topics; then the count.
    static func table(_ subscribers: [Subscriber]) -> String {
        var rows = [["EMAIL", "NAME", "LANGUAGE", "PAUSED", "TOPICS"]]
        for subscriber in subscribers {
            rows.append([
                subscriber.email, subscriber.name ?? "–", subscriber.language?.rawValue ?? "–",
                subscriber.paused ? "yes" : "no", subscriber.interests.topics.joined(separator: ","),
            ])
        }
        let widths = (0..<5).map { column in rows.map { $0[column].count }.max() ?? 0 }
        let lines = rows.map { row in
            row.enumerated().map { column, cell in
                column == 4 ? cell : cell.padding(toLength: widths[column], withPad: " ", startingAt: 0)
            }.joined(separator: "  ")
        }
        return lines.joined(separator: "\n") + "\n\(subscribers.count) subscribers"
    }

    /// One JSON array, one object per subscriber, keys in a fixed order.
    static func json(_ subscribers: [Subscriber]) -> String {
        let objects = subscribers.map { subscriber -> String in
            let interests = subscriber.interests
            let exclude = subscriber.exclude
            let fields: [(String, String)] = [
                ("email", string(subscriber.email)),
                ("name", subscriber.name.map(string) ?? "null"),
                ("language", subscriber.language.map { string($0.rawValue) } ?? "null"),
                ("paused", subscriber.paused ? "true" : "false"),
                ("sendEmpty", subscriber.sendEmpty.map { $0 ? "true" : "false" } ?? "null"),
                ("topics", list(interests.topics)),
                ("regions", list(interests.regions)),
                ("organizers", list(interests.organizers)),
                ("kinds", list(interests.kinds.map(\.rawValue))),
                ("keywords", list(interests.keywords)),
                (
                    "exclude",
                    "{\"topics\": \(list(exclude.topics)), \"organizers\": \(list(exclude.organizers)), "
                        + "\"keywords\": \(list(exclude.keywords))}"
                ),
                ("file", string(subscriber.file)),
            ]
            return "  {" + fields.map { "\(string($0.0)): \($0.1)" }.joined(separator: ", ") + "}"
        }
        return objects.isEmpty ? "[]" : "[\n" + objects.joined(separator: ",\n") + "\n]"
    }

    /// The file and the interests, one per line.
    static func details(_ subscriber: Subscriber) -> String {
        func words(_ values: [String]) -> String { values.isEmpty ? "–" : values.joined(separator: ", ") }
        let interests = subscriber.interests
        let exclude = subscriber.exclude
        let lines = [
            "file:        \(subscriber.file)",
            "email:       \(subscriber.email)",
            "name:        \(subscriber.name ?? "–")",
            "language:    \(subscriber.language?.rawValue ?? "– (the newsletter's)")",
            "paused:      \(subscriber.paused ? "yes" : "no")",
            "topics:      \(words(interests.topics))",
            "regions:     \(words(interests.regions))",
            "organizers:  \(words(interests.organizers))",
            "kinds:       \(interests.kinds.isEmpty ? "event, funding" : words(interests.kinds.map(\.rawValue)))",
            "keywords:    \(words(interests.keywords))",
            "exclude:     topics \(words(exclude.topics)); organizers \(words(exclude.organizers)); "
                + "keywords \(words(exclude.keywords))",
        ]
        return lines.joined(separator: "\n")
    }

    private static func list(_ values: [String]) -> String {
        "[" + values.map(string).joined(separator: ", ") + "]"
    }

    /// A JSON string literal.
    private static func string(_ text: String) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .withoutEscapingSlashes
        guard let data = try? encoder.encode(text), let encoded = String(data: data, encoding: .utf8) else {
            return "\"\""
        }
        return encoded
    }
}
